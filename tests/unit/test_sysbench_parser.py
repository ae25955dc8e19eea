# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sysbench 1.0.20 cpu, memory and threads outputs captured on this machine
(tests/fixtures/sysbench/README.md): the figures published are the ones sysbench printed (memory
in GiB/s = its MiB/s / 1024), its totals are checked against each other, and cut, failed or
garbled outputs give named failed checks, never figures."""

import os
import stat
import subprocess

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _result, _sysbench
from harness.fixtures import read_fixture
from harness.checks import invalid_details as _failed

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOB = read_fixture('sysbench', 'znver4-job-t1-all.txt')
MIB = 1024 * 1024
LLC = 32 * MIB
# What the role decides for this 2-vCPU host (32 MiB L3, 24 GiB): the job the capture ran.
SECTIONS = _sysbench.sections([1, 0], 2, LLC, 24 * 2 ** 30)
EXPECTED = {'sections': SECTIONS, 'time': 10, 'version': '1.0.20'}
NAMES = ['cpu_t1', 'cpu_all', 'memory_read_t1', 'memory_write_t1', 'memory_read_all', 'memory_write_all',
         'threads_t1', 'threads_all']


def _valid(analysed):
    return _result.combine([analysed])[2]


def test_parses_every_section_of_a_real_job():
    sections = _sysbench.parse(JOB)
    assert [s['name'] for s in sections] == NAMES
    by_name = dict((s['name'], s) for s in sections)
    cpu = by_name['cpu_t1']
    assert (cpu['version'], cpu['luajit']) == ('1.0.20', 'system LuaJIT 2.1.0-beta3')
    assert (cpu['threads'], cpu['cpu_max_prime'], cpu['events_per_s'], cpu['total_time_s'], cpu['events']) == \
        (1, 10000, 2893.67, 10.0023, 28945)
    assert (cpu['latency_min_ms'], cpu['latency_avg_ms'], cpu['latency_max_ms'], cpu['latency_pct_ms'],
            cpu['latency_sum_ms']) == (0.21, 0.34, 12.10, 1.32, 9983.14)
    assert (cpu['fair_events_avg'], cpu['fair_time_s_avg']) == (28945.0, 9.9831)
    read_all = by_name['memory_read_all']
    assert (read_all['threads'], read_all['block_kib'], read_all['operation'], read_all['scope']) == (2, 65536, 'read', 'local')
    assert (read_all['operations'], read_all['operations_per_s'], read_all['transferred_mib'], read_all['mib_per_s']) == \
        (2643, 264.21, 169152.00, 16909.72)
    threads = by_name['threads_all']
    assert (threads['threads'], threads['events'], threads['total_time_s']) == (2, 10056, 10.0016)
    assert not any(s['errors'] for s in sections)


def test_analyze_publishes_sysbench_figures_with_memory_in_gib_per_second():
    metrics, checks, observed = _sysbench.analyze(JOB, EXPECTED)
    assert not _failed(checks), _failed(checks)
    assert metrics == {
        'cpu_events_per_s_t1': (2893.67, 'events/s', True), 'cpu_events_per_s_all': (3015.24, 'events/s', True),
        'memory_read_bandwidth_t1': (round(15546.44 / 1024, 4), 'GiB/s', True),
        'memory_write_bandwidth_t1': (round(13873.38 / 1024, 4), 'GiB/s', True),
        'memory_read_bandwidth_all': (round(16909.72 / 1024, 4), 'GiB/s', True),
        'memory_write_bandwidth_all': (round(16690.07 / 1024, 4), 'GiB/s', True),
        'threads_events_per_s_t1': (round(11006 / 10.0004, 2), 'events/s', True),
        'threads_events_per_s_all': (round(10056 / 10.0016, 2), 'events/s', True)}
    names = set(c['name'] for c in checks)
    for name in NAMES:
        assert set('%s.%s' % (name, n) for n in ('completed', 'threads', 'version', 'duration', 'events_add_up',
                                                 'latency_ordered', 'latency_sum_consistent')) <= names
    for name in ('memory_read_t1', 'memory_write_all'):
        assert set('%s.%s' % (name, n) for n in ('block_size', 'operation', 'scope', 'operations_counted',
                                                 'transferred_consistent', 'rate_consistent', 'events_consistent')) <= names
    assert {'cpu_t1.cpu_max_prime', 'cpu_all.events_consistent'} <= names
    assert observed == {'sysbench_version': '1.0.20', 'sysbench_luajit': 'system LuaJIT 2.1.0-beta3'}
    assert _valid((metrics, checks, observed))


def test_expectations_are_checked_against_what_sysbench_reported():
    sections = _sysbench.sections([1, 4], 2, LLC, 24 * 2 ** 30, cpu_max_prime=20000, tests=['cpu', 'memory'])
    failed = _failed(_sysbench.analyze(JOB, {'sections': sections, 'time': 30, 'version': '1.0.19'})[1])
    assert 'prime limit 20000 asked, sysbench reported 10000' in failed['cpu_t1.cpu_max_prime']
    assert 'no output for section cpu_t4' in failed['cpu_t4.ran']
    assert 'ran 10.0023 s of the 30 s asked' in failed['cpu_t1.duration']
    assert 'sysbench 1.0.20 reported, 1.0.19 pinned' in failed['cpu_t1.version']
    other_block = [dict(s, block_bytes=s['block_bytes'] * 2) if s['test'] == 'memory' else s for s in SECTIONS]
    failed = _failed(_sysbench.analyze(JOB, {'sections': other_block})[1])
    assert 'block 268435456 bytes asked, sysbench reported 131072 KiB' in failed['memory_read_t1.block_size']


def test_plain_sysbench_output_is_named_after_its_test_and_threads():
    metrics, checks = _sysbench.analyze(read_fixture('sysbench', 'znver4-plain-cpu.txt'), {})[:2]
    assert metrics == {'cpu_events_per_s_t1': (3615.10, 'events/s', True)}
    assert not _failed(checks)


def test_a_real_fatal_error_fails_its_section_and_the_others_still_run():
    text = read_fixture('sysbench', 'znver4-job-block-96m-fatal.txt')
    metrics, checks = _sysbench.analyze(text, {})[:2]
    failed = _failed(checks)
    assert list(failed) == ['memory_read_t1.completed']
    assert failed['memory_read_t1.completed'] == 'FATAL: Invalid value for memory-block-size: 96M'
    assert metrics == {'cpu_events_per_s_t1': (4073.35, 'events/s', True)}
    assert not _valid((metrics, checks))


def test_a_real_run_killed_mid_section_publishes_nothing_for_that_section():
    text = read_fixture('sysbench', 'znver4-job-killed-at-15s.txt')
    metrics, checks = _sysbench.analyze(text, {'sections': [s for s in SECTIONS if s['test'] == 'cpu'], 'time': 10})[:2]
    failed = _failed(checks)
    assert list(failed) == ['cpu_all.completed'] and 'General statistics' in failed['cpu_all.completed']
    assert list(metrics) == ['cpu_events_per_s_t1']
    assert not _valid((metrics, checks))


@pytest.mark.parametrize('old, new, failing, words', [
    ('events per second:  2893.67', 'events per second:  2893.6.7', 'number_format', 'events_per_s'),
    ('total number of events:              28945', 'total number of events:              38945',
     'cpu_t1.events_consistent', 'total 38945 events'),
    ('total number of events:              28945', 'total number of events:              38945',
     'cpu_t1.events_add_up', 'total 38945'),
    ('155648.00 MiB transferred (15546.44 MiB/sec)', '155649.00 MiB transferred (15546.44 MiB/sec)',
     'memory_read_t1.transferred_consistent', '1216 operations x 128.0 MiB'),
    ('155648.00 MiB transferred (15546.44 MiB/sec)', '155648.00 MiB transferred (25546.44 MiB/sec)',
     'memory_read_t1.rate_consistent', '25546.44 MiB/s'),
    ('Total operations: 2643 (  264.21 per second)', 'Total operations: 2643 (  26x4.21 per second)',
     'number_format', 'Total operations'),
    ('         sum:                                 9983.14', '         sum:                                 4983.14',
     'cpu_t1.latency_sum_consistent', 'latency sum 4983.14'),
    ('         min:                                    0.21', '         min:                                   50.21',
     'cpu_t1.latency_ordered', 'min 50.21'),
    ('  operation: read', '  operation: write', 'memory_read_t1.operation', 'operation read asked'),
])
def test_mutated_outputs_give_a_named_failed_check(old, new, failing, words):
    assert old in JOB
    analysed = _sysbench.analyze(JOB.replace(old, new, 1), EXPECTED)
    failed = _failed(analysed[1])
    assert failing in failed and words in failed[failing], failed
    assert not _valid(analysed)


def test_foreign_or_empty_output_is_a_failed_check_not_an_exception():
    for text in ('', 'Segmentation fault\n', read_fixture('stream', 'znver4-serial-o2.txt')):
        metrics, checks = _sysbench.analyze(text, {})[:2]
        assert metrics == {} and 'output_complete' in _failed(checks)
    with pytest.raises(_sysbench.SysbenchParseError):
        _sysbench.parse('')
    marker_only = '=== instancebench sysbench section=cpu_t1 test=cpu threads=1 time=10\n'
    failed = _failed(_sysbench.analyze(marker_only, {'sections': SECTIONS[:1]})[1])
    assert 'sysbench did not start' in failed['cpu_t1.ran']


def test_memory_blocks_span_four_times_the_llc_per_thread_count():
    by_name = dict((s['name'], s) for s in SECTIONS)
    assert by_name['memory_read_t1']['block_bytes'] == 128 * MIB       # 4 x 32 MiB
    assert by_name['memory_read_all']['block_bytes'] == 64 * MIB       # 4 x 32 MiB / 2 threads
    assert by_name['memory_read_all']['argument'] == (
        'memory_read_all:memory:2:--memory-oper=read,--memory-access-mode=seq,--memory-block-size=65536K,'
        '--memory-scope=local,--memory-total-size=0')
    assert by_name['cpu_all']['argument'] == 'cpu_all:cpu:2:--cpu-max-prime=10000'
    assert by_name['threads_t1']['argument'] == 'threads_t1:threads:1:--thread-yields=1000,--thread-locks=8'
    assert _sysbench.memory_block_bytes(384 * MIB, 192, 64 * MIB) == 64 * MIB, 'the floor beats 8 MiB per thread'
    assert _sysbench.memory_block_bytes(36 * MIB, 3, 0) == 64 * MIB, '48 MiB rounds up to a power of two'
    assert _sysbench.next_power_of_two(1) == 1 and _sysbench.next_power_of_two(1025) == 2048


@pytest.mark.parametrize('kwargs, words', [
    ({'tests': ['cpu', 'disk']}, 'sysbench_tests has disk'),
    ({'tests': []}, 'sysbench_tests has nothing'),
    ({'memory_opers': ['copy']}, 'sysbench_memory_opers has copy'),
    ({'memory_scope': 'node'}, 'sysbench_memory_scope'),
    ({'available_bytes': 200 * MIB}, 'raise sysbench_memory_fraction'),   # 128 MiB > 0.5 x 200 MiB
])
def test_sections_refuse_settings_naming_the_variable(kwargs, words):
    args = dict(thread_counts=[1, 0], logical_cpus=2, llc_bytes=LLC, available_bytes=24 * 2 ** 30)
    args.update(kwargs)
    with pytest.raises(ValueError, match=words):
        _sysbench.sections(**args)
    with pytest.raises(ValueError, match='sysbench_thread_counts'):
        _sysbench.sections([-1], 2, LLC, 24 * 2 ** 30)


def test_the_role_filter_checks_the_memory_fraction_and_reads_the_host_facts():
    from ansible.errors import AnsibleFilterError
    from ansible_collections.instancebench.aws.plugins.filter.sysbench_sections import sysbench_sections
    host = {'topology': {'logical_cpus': 2}, 'llc': {'total_bytes': LLC}, 'memory': {'available_bytes': 24 * 2 ** 30}}
    found = sysbench_sections(host, [1, 0], ['cpu', 'memory', 'threads'], ['read', 'write'], 10000, 64 * MIB, 0.5)
    assert [s['argument'] for s in found] == [s['argument'] for s in SECTIONS]
    with pytest.raises(AnsibleFilterError, match='sysbench_memory_fraction must be above 0'):
        sysbench_sections(host, [1], ['cpu'], ['read'], 10000, 64 * MIB, 1.5)
    with pytest.raises(AnsibleFilterError, match='host_facts'):
        sysbench_sections({}, [1], ['cpu'], ['read'], 10000, 64 * MIB, 0.5)


def test_the_job_script_splits_options_on_commas_and_runs_every_section(tmp_path):
    fake = tmp_path / 'sysbench'
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "arg: $a"; done\n[ "$1" = memory ] && exit 1\nexit 0\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    script = os.path.join(REPO, 'roles', 'sysbench', 'files', 'sysbench_job.sh')
    done = subprocess.run(['sh', script, str(fake), '3', 'memory_read_t1:memory:1:--memory-oper=read,--memory-block-size=8K',
                           'threads_all:threads:2', 'cpu_t1:cpu:1:--cpu-max-prime=*'],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert done.returncode == 1, 'a failed section makes the script fail after the others ran'
    assert done.stdout.splitlines() == [
        '=== instancebench sysbench section=memory_read_t1 test=memory threads=1 time=3',
        'arg: memory', 'arg: --threads=1', 'arg: --time=3', 'arg: --memory-oper=read', 'arg: --memory-block-size=8K',
        'arg: run',
        '=== instancebench sysbench section=threads_all test=threads threads=2 time=3',
        'arg: threads', 'arg: --threads=2', 'arg: --time=3', 'arg: run',
        '=== instancebench sysbench section=cpu_t1 test=cpu threads=1 time=3',
        'arg: cpu', 'arg: --threads=1', 'arg: --time=3', 'arg: --cpu-max-prime=*', 'arg: run']
