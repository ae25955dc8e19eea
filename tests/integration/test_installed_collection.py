# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection as a Galaxy user gets it: built into its tarball, installed into a directory of
its own, and `ansible-playbook instancebench.aws.launch` run from a directory with no ansible.cfg and
no inventory benchmarks this machine with the local defaults inside the collection; the same run id
again reuses the stored result."""

import hashlib
import json
import os
import subprocess

from harness.ansible_runner import BIN, REPO, parse_recap
from harness.results import stored_result

RUN_ID = 'galaxy-1'


def _neutral_env(tmp_path, collections):
    """What a shell outside the checkout has: no ANSIBLE_CONFIG (make exports the checkout's), no
    PYTHONPATH to the checkout's collection link, a home of its own for the local defaults."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('ANSIBLE_') and k != 'PYTHONPATH')
    env.update({'HOME': str(tmp_path / 'home'), 'ANSIBLE_COLLECTIONS_PATH': collections, 'ANSIBLE_NOCOLOR': '1',
                'PATH': BIN + os.pathsep + env.get('PATH', '')})
    return env


def _run(argv, cwd, env, timeout=600, merge=True):
    """The command's output (stderr merged), or with merge=False stdout alone: a library's warning on
    stderr (cryptography 51 warns from ansible's ssh agent code) must not land in front of the JSON a
    command prints."""
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merge else subprocess.PIPE, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, (proc.stdout + (proc.stderr or ''))[-4000:]
    return proc.stdout


def _install(tmp_path):
    """Build the tarball and install it (offline: amazon.aws is the one the ansible package brings)."""
    neutral = tmp_path / 'neutral'
    (tmp_path / 'home').mkdir()
    neutral.mkdir()
    collections = str(tmp_path / 'collections')
    env = _neutral_env(tmp_path, collections)
    _run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', REPO, '--output-path', str(tmp_path / 'build')],
         str(neutral), env)
    tarball = str(tmp_path / 'build' / 'instancebench-aws-0.1.0.tar.gz')
    _run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '-p', collections, tarball],
         str(neutral), env)
    return str(neutral), env, os.path.join(collections, 'ansible_collections', 'instancebench', 'aws')


def _launch(neutral, env, mirror):
    """launch with no -i: a quick STREAM (2 repetitions, the integration tests' shortest)."""
    argv = [os.path.join(BIN, 'ansible-playbook'), 'instancebench.aws.launch', '-e', json.dumps({
        'instancebench_run_id': RUN_ID, 'instancebench_benchmarks': 'stream', 'instancebench_sources_mirror': mirror,
        'stream_repetitions': 2, 'stream_max_repetitions': 2})]
    out = _run(argv, neutral, env, timeout=900)
    return out, parse_recap(out)


def _sha256(path):
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_installed_collection_benchmarks_localhost_with_no_checkout(tmp_path, mirror):
    neutral, env, installed = _install(tmp_path)
    # The tarball leaves the checkout's inventories out; the local defaults travel inside it.
    assert not os.path.exists(os.path.join(installed, 'inventories'))
    assert os.path.isfile(os.path.join(installed, 'playbooks', 'vars', 'local_defaults.yml'))
    listed = json.loads(_run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'list', 'instancebench.aws',
                              '--format', 'json'], neutral, env, merge=False))
    assert list(listed) == [os.path.dirname(os.path.dirname(installed))], 'only the installed copy may be found'

    store = tmp_path / 'home' / '.local' / 'share' / 'instancebench' / 'results'
    first, recap = _launch(neutral, env, mirror)
    assert 'No inventory given: benchmarking this machine (localhost) with the collection\'s local defaults; ' \
        'results go to file://%s' % store in first, first[-4000:]
    assert recap['localhost']['failed'] == 0 and recap['localhost']['changed'] > 0
    doc = stored_result(store, RUN_ID)
    assert doc['validation']['passed'] is True and doc['job']['state'] == 'completed'
    triad = [m for m in doc['metrics'] if m['name'] == 'triad_bandwidth'][0]
    assert triad['unit'] == 'GB/s' and triad['n'] == 2 and triad['value'] > 0.1
    # Builds went to the home's private work directory, not to a shared /var/tmp one.
    work = tmp_path / 'home' / '.cache' / 'instancebench' / 'work'
    assert os.listdir(str(work / 'build')) and os.stat(str(work)).st_mode & 0o777 == 0o750
    before = _sha256(doc['_path'])

    # The same run id again: the job's stored result is reused, said per job, and nothing changes.
    second, recap = _launch(neutral, env, mirror)
    assert 'STREAM on localhost: stored result reused (job %s of run %s, completed); nothing was run' \
        % (doc['job']['job_id'], RUN_ID) in second, second[-4000:]
    assert recap['localhost']['changed'] == 0, second[-4000:]
    assert _sha256(doc['_path']) == before
    assert 'stored result reused' not in first
