# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each bad input stops the run before anything is built, with a message that names the fix."""

import json
import os
import shutil
import subprocess

import pytest

from harness.ansible_runner import BIN, ansible_env, run_playbook, write_inventory
from harness.sshd import free_port


@pytest.fixture
def launch(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})

    def _launch(**overrides):
        extra = {
            'instancebench_run_id': 'bad-input',
            'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
            'instancebench_sources_mirror': mirror,
            'instancebench_work_dir': str(tmp_path / 'work'),
            'stream_repetitions': 1, 'stream_max_repetitions': 1,
            'instancebench_benchmarks': ['stream'],
        }
        extra.update(overrides)
        return run_playbook('launch.yml', inventory, ansible_home, extra)
    return _launch


def _failed_with(proc, *phrases):
    assert proc.returncode != 0, proc.stdout
    for phrase in phrases:
        assert phrase in proc.stdout, 'missing %r in:\n%s' % (phrase, proc.stdout[-3000:])


def _nothing_built(tmp_path):
    assert not os.path.exists(tmp_path / 'work' / 'build'), 'a binary was built despite the bad input'
    assert not os.path.exists(tmp_path / 'store' / 'runs'), 'a result was stored despite the bad input'


def test_unknown_microarchitecture_override(tmp_path, launch):
    proc = launch(host_facts_uarch='zen99')
    _failed_with(proc, "unknown microarchitecture 'zen99'", 'use one of', 'znver4')
    _nothing_built(tmp_path)


def test_checksum_mismatch_in_mirror(tmp_path, launch, mirror):
    bad_mirror = tmp_path / 'bad-mirror'
    os.makedirs(bad_mirror / 'stream')
    shutil.copyfile(os.path.join(mirror, 'stream', 'stream.c'), bad_mirror / 'stream' / 'stream.c')
    with open(bad_mirror / 'stream' / 'stream.c', 'a') as handle:
        handle.write('/* tampered */\n')
    proc = launch(instancebench_sources_mirror=str(bad_mirror))
    _failed_with(proc, 'checksum mismatch for source stream', 'expected sha256 a52bae5e', 'refill it')
    assert not os.path.exists(tmp_path / 'work' / 'sources' / 'stream' / 'stream.c'), 'unverified bytes were kept'
    _nothing_built(tmp_path)


def test_unreachable_mirror(tmp_path, launch):
    proc = launch(instancebench_sources_mirror='http://127.0.0.1:%d/mirror' % free_port())
    _failed_with(proc, 'cannot fetch source stream from mirror', 'check sources_mirror')
    _nothing_built(tmp_path)


def test_arrays_that_cannot_fit_memory(tmp_path, launch):
    proc = launch(stream_memory_fraction=0.000001)
    _failed_with(proc, 'STREAM needs at least', 'raise stream_memory_fraction')
    _nothing_built(tmp_path)


def test_requested_array_too_large(tmp_path, launch):
    proc = launch(stream_array_size=10 ** 12)
    _failed_with(proc, 'stream_array_size=1000000000000', 'lower stream_array_size')
    _nothing_built(tmp_path)


@pytest.mark.parametrize('benchmark', ['stream', 'fftw', 'hpl'])
def test_missing_compiler(tmp_path, launch, benchmark):
    proc = launch(host_facts_compiler='gcc-does-not-exist', instancebench_benchmarks=[benchmark])
    _failed_with(proc, "compiler 'gcc-does-not-exist' was not found", 'install it')
    _nothing_built(tmp_path)


def test_cpu_missing_from_the_table_is_named(tmp_path, ssh_host, ansible_home):
    """The host_facts module on a real host with a table that lacks its CPU."""
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    args = {'uarch_table': {'x86_64': [], 'aarch64': []}, 'flag_catalog': {'uarch': {'znver4': {'flags': []}}}}

    def run(extra):
        return subprocess.run([os.path.join(BIN, 'ansible'), 'bench1', '-i', inventory, '-m',
                               'instancebench.aws.host_facts', '-a', json.dumps(dict(args, **extra))],
                              env=ansible_env(ansible_home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, check=False)
    proc = run({})
    _failed_with(proc, 'unknown microarchitecture:', 'family=', 'Add it there', 'host_facts_allow_unknown=true')
    allowed = run({'allow_unknown': True})
    assert allowed.returncode == 0, allowed.stdout
    assert '"name": "unknown"' in allowed.stdout and 'native' in allowed.stdout


def test_a_timeout_too_short_for_a_run_without_a_plan_names_the_timeout_not_the_plan(launch):
    proc = launch(stream_timeout=5)
    _failed_with(proc, 'stream_timeout is 5 s; STREAM needs at least 60 s: raise stream_timeout')
    assert 'max_runtime_minutes' not in proc.stdout, 'a run without a plan has no max_runtime_minutes to raise'
    # Ansible reports the failed task (its error line and its result); "Fail this host" does not repeat it.
    after = proc.stdout.split('TASK [Fail this host', 1)[1]
    assert 'stream_timeout is 5 s' not in after, after[:2000]
    assert "bench1 stopped at 'Check that the deadline leaves time to run' (its message is above)" in proc.stdout


def test_wrong_settings_get_one_line_each_and_no_argument_spec_dump(tmp_path, launch):
    """A wrong type and a value out of range: each named with its value, the rule and the fix, once,
    before the role starts; never Ansible's argument-spec dump or a list of every constraint."""
    proc = launch(stream_threads='abc', stream_repetitions=0)
    _failed_with(proc, 'stream_repetitions=0 breaks "at least 1": use 1 or more; stream_threads=abc is not a whole number')
    assert 'argument_spec_data' not in proc.stdout and 'stream_ntimes' not in proc.stdout, proc.stdout[-3000:]
    assert "stopped at 'Check the settings given for stream' (its message is above)" in proc.stdout
    _nothing_built(tmp_path)
