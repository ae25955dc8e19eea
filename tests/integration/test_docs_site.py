# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docs site from the collection's own docs (what `make docs` builds): antsibull-docs writes a
page for every module and every role entry point without an error, and Sphinx turns them into HTML
whose only warnings are the links into docs.ansible.com and docs.python.org, which this offline
machine cannot fetch."""

import ast
import glob
import os
import re
import subprocess

import yaml

from harness.ansible_runner import BIN, REPO, ansible_env

PAGES = os.path.join('collections', 'instancebench', 'aws')
# Labels the intersphinx inventories of docs.ansible.com would resolve; never one of our own pages.
EXTERNAL_LABEL = re.compile(r"undefined label: '(?!ansible_collections\.instancebench\.aws\.)[^']+'")


def _run(argv, cwd, env):
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-6000:]
    return proc.stdout


def _documentation(path):
    """A module's DOCUMENTATION, read as ansible-doc reads it (without importing the module)."""
    with open(path) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION':
            return yaml.safe_load(node.value.value)
    raise AssertionError('%s has no DOCUMENTATION' % path)


def _modules():
    return dict((os.path.basename(path)[:-3], _documentation(path))
                for path in sorted(glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py'))))


def _entry_points():
    """{role: [entry point, ...]} from every role's meta/argument_specs.yml."""
    found = {}
    for path in sorted(glob.glob(os.path.join(REPO, 'roles', '*', 'meta', 'argument_specs.yml'))):
        with open(path) as handle:
            found[path.split(os.sep)[-3]] = sorted(yaml.safe_load(handle)['argument_specs'])
    return found


def test_docs_site_has_a_page_per_module_and_role_entry_point(tmp_path, ansible_home):
    env = ansible_env(ansible_home)
    site = tmp_path / 'site'
    site.mkdir(mode=0o700)   # antsibull-docs writes only into a directory no one else may write
    _run([os.path.join(BIN, 'antsibull-docs'), 'sphinx-init', '--use-current', '--dest-dir', str(site),
          'instancebench.aws'], str(tmp_path), env)
    os.chmod(str(site / 'rst'), 0o700)   # as its build.sh does
    out = _run([os.path.join(BIN, 'antsibull-docs'), '--config-file', str(site / 'antsibull-docs.cfg'), 'collection',
                '--use-current', '--fail-on-error', '--dest-dir', str(site / 'rst'), 'instancebench.aws'],
               str(tmp_path), env)
    assert 'ERROR' not in out, out[-6000:]

    pages = site / 'rst' / PAGES
    modules = _modules()
    for name, doc in modules.items():
        page = re.sub(r'\\(.)', r'\1', (pages / ('%s_module.rst' % name)).read_text())   # RST escapes: third\-party
        # Ansible's C(code) markup becomes RST's :literal:`code`.
        title = re.sub(r'C\(([^)]*)\)', r':literal:`\1`', doc['short_description'])
        assert 'instancebench.aws.%s module -- %s\n' % (name, title) in page, name
    for role, entry_points in _entry_points().items():
        page = (pages / ('%s_role.rst' % role)).read_text()
        for entry_point in entry_points:
            assert 'Entry point ``%s`` -- ' % entry_point in page, (role, entry_point)

    # HTML. Offline: no inventories to fetch (the links to docs.ansible.com stay unresolved).
    with open(str(site / 'conf.py'), 'a') as handle:
        handle.write('\nintersphinx_mapping = {}\n')
    warnings = tmp_path / 'sphinx-warnings.txt'
    _run([os.path.join(BIN, 'sphinx-build'), '-M', 'html', str(site / 'rst'), str(site / 'build'), '-c', str(site),
          '-q', '--keep-going', '-w', str(warnings)], str(site), dict(env, PATH=BIN + os.pathsep + env['PATH']))
    ours = [line for line in warnings.read_text().splitlines() if line.strip() and not EXTERNAL_LABEL.search(line)]
    assert ours == [], '\n'.join(ours)
    html = (site / 'build' / 'html' / PAGES / 'run_benchmark_module.html').read_text()
    assert modules['run_benchmark']['short_description'] in html
    assert len(glob.glob(str(site / 'build' / 'html' / PAGES / '*_module.html'))) == len(modules)
