# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment definition (ansible-builder version 3): `ansible-builder create`
writes its build context (Containerfile, amazon.aws's requirements, this collection's tarball), and
the Python the image would get for this collection is what meta/execution-environment.yml names,
not the checkout's test tools."""

import json
import os
import re
import shutil
import subprocess
import tarfile

import yaml

from harness.ansible_runner import BIN, REPO


def _run(argv, cwd, env=None):
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]
    return proc.stdout


def _pin(name):
    """The controller's pin of `name` in requirements.txt."""
    with open(os.path.join(REPO, 'requirements.txt')) as handle:
        return [line.strip() for line in handle if line.startswith(name + '==')][0]


def _build_tarball(dest):
    """`make ee`'s first step: the collection's tarball where the definition looks for it."""
    _run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', REPO, '--output-path', dest], cwd=dest)
    with open(os.path.join(REPO, 'galaxy.yml')) as handle:
        version = yaml.safe_load(handle)['version']
    return os.path.join(dest, 'instancebench-aws-%s.tar.gz' % version)


def test_ansible_builder_create_writes_the_build_context(tmp_path):
    # The definition and the file it names, as in the checkout; the tarball where `make ee` puts it.
    for name in ('execution-environment.yml', 'requirements.yml'):
        shutil.copy(os.path.join(REPO, name), str(tmp_path / name))
    (tmp_path / '.cache' / 'ee').mkdir(parents=True)
    tarball = _build_tarball(str(tmp_path / '.cache' / 'ee'))
    out = _run([os.path.join(BIN, 'ansible-builder'), 'create', '--file', 'execution-environment.yml',
                '--context', 'context', '--output-filename', 'Containerfile'], cwd=str(tmp_path))
    assert 'Complete! The build context can be found at' in out and 'No matches' not in out, out

    context = tmp_path / 'context'
    containerfile = (context / 'Containerfile').read_text()
    # The controller's own ansible-core pin; amazon.aws first, then this collection from its tarball.
    assert 'ARG ANSIBLE_INSTALL_REFS="%s ansible-runner==' % _pin('ansible-core') in containerfile
    galaxy = containerfile.index('-r requirements.yml --collections-path "/usr/share/ansible/collections"')
    ours = containerfile.index('collections/instancebench-aws-*.tar.gz')
    assert galaxy < ours < containerfile.index('# Builder build stage')
    assert 'introspect.py introspect' in containerfile
    with open(os.path.join(REPO, 'requirements.yml')) as handle:
        assert yaml.safe_load((context / '_build' / 'requirements.yml').read_text()) == yaml.safe_load(handle)
    copied = context / '_build' / 'collections' / os.path.basename(tarball)
    assert os.listdir(str(context / '_build' / 'collections')) == [copied.name]
    with tarfile.open(str(copied)) as archive:
        manifest = json.load(archive.extractfile('MANIFEST.json'))['collection_info']
        assert (manifest['namespace'], manifest['name']) == ('instancebench', 'aws')
        assert 'meta/execution-environment.yml' in archive.getnames()


def test_the_image_gets_the_collections_python_requirements_not_the_test_tools(tmp_path):
    """What the image build's introspect step reads from the installed collection."""
    tarball = _build_tarball(str(tmp_path))
    collections = str(tmp_path / 'collections')
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('ANSIBLE_'))
    env['ANSIBLE_HOME'] = str(tmp_path / 'ansible-home')
    _run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '-p', collections, tarball],
         cwd=str(tmp_path), env=env)
    out = _run([os.path.join(BIN, 'ansible-builder'), 'introspect', '--sanitize', collections], cwd=str(tmp_path))
    found = yaml.safe_load(out[out.index('---'):])
    names = sorted(re.match(r'[A-Za-z0-9_.-]+', line).group(0).lower() for line in found['python'])
    with open(os.path.join(REPO, 'meta', 'ee-requirements.txt')) as handle:
        declared = sorted(re.match(r'[A-Za-z0-9_.-]+', line).group(0).lower() for line in handle
                          if line.strip() and not line.startswith('#'))
    assert names == declared and {'boto3', 'botocore', 'duckdb'} <= set(names), found
    assert all('# from collection instancebench.aws' in line for line in found['python'])
