# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardware counters: whether a host can count (sysfs event sources, perf, perf_event_paranoid), the
perf stat prefix, and perf's CSV read from real captures of this VM (hardware events `<not supported>`)
and mutated copies of them with hardware values, multiplexing and `<not counted>`."""

import os

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _counters
from ansible_collections.instancebench.aws.plugins.module_utils import _result
from ansible_collections.instancebench.aws.plugins.module_utils._result_schema import result_schema
from ansible_collections.instancebench.aws.plugins.module_utils._validate import errors as schema_errors

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'counters')


def _text(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def _host(tmp_path, sources, paranoid='2'):
    """A root with the given event sources and perf_event_paranoid (None: no such file)."""
    devices = tmp_path / 'sys' / 'bus' / 'event_source' / 'devices'
    devices.mkdir(parents=True)
    for name in sources:
        (devices / name).mkdir()
    if paranoid is not None:
        (tmp_path / 'proc' / 'sys' / 'kernel').mkdir(parents=True)
        (tmp_path / 'proc' / 'sys' / 'kernel' / 'perf_event_paranoid').write_text(paranoid + '\n')
    return str(tmp_path)


def test_a_vm_without_a_cpu_pmu_is_told_with_the_sources_it_has(tmp_path):
    # This VM's own event sources: no cpu entry.
    root = _host(tmp_path, ['breakpoint', 'msr', 'software', 'tracepoint', 'uprobe'])
    usable, reason = _counters.availability(root, '/usr/bin/perf', privileged=True)
    assert usable is False
    assert 'no CPU PMU' in reason and 'software, tracepoint' in reason


@pytest.mark.parametrize('pmu', ['cpu', 'cpu_core', 'armv8_pmuv3_0', 'armv8_cortex_a72_pmu'])
def test_a_cpu_pmu_with_perf_and_paranoid_2_can_count(tmp_path, pmu):
    root = _host(tmp_path, ['software', pmu, 'amd_l3'])
    usable, reason = _counters.availability(root, '/usr/bin/perf', privileged=False)
    assert usable is True and pmu in reason and 'paranoid 2' in reason
    assert _counters.cpu_pmus(root) == [pmu]


def test_no_perf_no_perf_events_and_a_strict_paranoid_each_say_the_fix(tmp_path):
    root = _host(tmp_path / 'a', ['cpu'])
    usable, reason = _counters.availability(root, None)
    assert not usable and 'perf is not installed' in reason
    usable, reason = _counters.availability(_host(tmp_path / 'b', ['cpu'], paranoid=None), '/usr/bin/perf')
    assert not usable and 'no perf events' in reason
    strict = _host(tmp_path / 'c', ['cpu'], paranoid='3')
    usable, reason = _counters.availability(strict, '/usr/bin/perf', privileged=False)
    assert not usable and 'perf_event_paranoid is 3' in reason and 'as root' in reason
    assert _counters.availability(strict, '/usr/bin/perf', privileged=True)[0] is True


def test_the_prefix_counts_into_a_file_and_hands_the_command_on():
    prefix = _counters.command_prefix('/usr/bin/perf', '/w/logs/job.rep1.perf.csv')
    assert prefix == ['/usr/bin/perf', 'stat', '-x,', '-o', '/w/logs/job.rep1.perf.csv',
                      '-e', 'instructions,cycles,cache-misses', '--']


def test_this_vms_real_output_gives_a_reason_and_no_numbers():
    for name in ('vm-hardware-not-supported.csv', 'vm-software-events.csv'):
        values, reason = _counters.parse_stat(_text(name))
        assert values is None
        assert reason == 'perf stat: instructions <not supported>, cycles <not supported>'
    # perf could not start the command: only its header lines.
    values, reason = _counters.parse_stat(_text('vm-missing-command.csv'))
    assert values is None and 'wrote no count of instructions and cycles' in reason


def test_hardware_counts_give_ipc_and_cache_misses():
    values, reason = _counters.parse_stat(_text('mutated-hardware-counted.csv'))
    assert reason is None
    assert values == {'instructions': 18544321, 'cycles': 11447112, 'ipc': round(18544321 / 11447112.0, 4),
                      'cache_misses': 9412, 'running_percent': 100.0}
    # The same counts named as perf names them for an unprivileged user.
    assert _counters.parse_stat(_text('mutated-user-only.csv'))[0] == values


def test_multiplexing_is_recorded_and_not_counted_is_a_reason():
    values, _reason = _counters.parse_stat(_text('mutated-multiplexed.csv'))
    assert values['running_percent'] == 62.5 and values['ipc'] == round(18544321 / 11447112.0, 4)
    values, reason = _counters.parse_stat(_text('mutated-cycles-not-counted.csv'))
    assert values is None and reason == 'perf stat: cycles <not counted>'
    # A hybrid CPU's two PMUs: one event counted on each, summed.
    hybrid = _text('mutated-hardware-counted.csv').replace(
        '18544321,,instructions,', '18544321,,cpu_core/instructions/,') + '1000,,cpu_atom/instructions/,5240139,100.00,,\n'
    assert _counters.parse_stat(hybrid)[0]['instructions'] == 18545321


def test_the_probe_keeps_perf_off_where_it_counts_nothing():
    assert _counters.probe_verdict('PMU cpu', _text('mutated-hardware-counted.csv')) == (True, 'PMU cpu')
    usable, reason = _counters.probe_verdict('PMU cpu', _text('vm-hardware-not-supported.csv'))
    assert usable is False and 'instructions <not supported>' in reason


def _document(counters):
    checks = [{'name': 'rep1.exit_status', 'passed': True, 'detail': 'rc=0'}]
    job = {'run_id': 'r', 'job_id': 'j', 'benchmark': 'stream', 'variant': 'default', 'state': 'completed',
           'reason': None, 'started_at': '2026-12-05T00:00:00.0Z', 'finished_at': '2026-12-05T00:00:01.0Z',
           'duration_s': 1.0}
    instance = dict((k, None) for k in ('type', 'id', 'region', 'availability_zone', 'price_per_hour_usd', 'ami',
                                        'launched_at'))
    instance.update(market='none', hostname='h')
    return _result.document(job, instance, {}, {}, {'repetitions': 1, 'timeout_s': 60}, [], checks, True,
                            {'raw_log': {'key': 'k', 'sha256': '0' * 64, 'bytes': 1}}, counters=counters)


def test_the_summary_is_a_median_ipc_or_a_reason_and_only_present_when_asked():
    counted = [_counters.repetition(_text('mutated-hardware-counted.csv')),
               _counters.repetition(_text('mutated-multiplexed.csv'))]
    summary = _counters.summary(True, 'PMU cpu', counted)
    assert summary['available'] is True and summary['ipc'] == counted[0]['ipc']
    vm = _counters.summary(False, 'no CPU PMU exposed', [])
    assert vm == {'available': False, 'reason': 'no CPU PMU exposed', 'per_repetition': [], 'ipc': None}
    none_counted = _counters.summary(True, 'PMU cpu', [_counters.repetition(_text('vm-hardware-not-supported.csv'))])
    assert none_counted['ipc'] is None and 'no repetition was counted' in none_counted['reason']
    assert 'counters' not in _document(None), 'off: the document is as before'
    schema = result_schema(['stream'])
    for counters in (summary, vm, none_counted):
        doc = _document(counters)
        problems = schema_errors(doc, schema)
        assert not [p for p in problems if 'counters' in p], problems
    broken = dict(summary, per_repetition=[{'ipc': 'high'}])
    assert [p for p in schema_errors(_document(broken), schema) if 'counters' in p]
