# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which ISA levels stream_isa builds: from this host's real /proc/cpuinfo (captured), mutated copies
of it (no AVX-512, no AVX2) and an Arm flag set, against the role's level table. Expectations are
derived from the fixture's flags and the table, never from which CPU runs the test."""

import json
import os

import pytest
import yaml
from ansible.module_utils.testing import patch_module_args

from ansible_collections.instancebench.aws.plugins.module_utils import _isa_levels
from ansible_collections.instancebench.aws.plugins.modules import stream_isa_plan

HERE = os.path.dirname(__file__)
FIXTURES = os.path.join(HERE, '..', 'fixtures', 'stream_isa')
HOST = os.path.join(FIXTURES, 'cpuinfo-this-host.txt')
ARM = os.path.join(FIXTURES, 'cpuinfo-graviton3-features.txt')
AVX512 = ('avx512f', 'avx512bw', 'avx512cd', 'avx512dq', 'avx512vl')


def _table():
    with open(os.path.join(HERE, '..', '..', 'roles', 'host_facts', 'vars', 'isa_levels.yml')) as handle:
        return yaml.safe_load(handle)['_host_facts_isa_levels']


def _flags(path):
    with open(path) as handle:
        return _isa_levels.cpu_flags(handle.read())


def _accept_all(_march):
    return True


def _names(entries):
    return [e['name'] for e in entries]


def test_metric_names_are_metric_safe():
    assert [_isa_levels.metric_name(n) for n in ('x86-64', 'x86-64-v3', 'armv8.2-a+sve', 'armv9-a')] == \
        ['x86_64', 'x86_64_v3', 'armv8_2_a_sve', 'armv9_a']


def test_requirements_accumulate_up_the_levels():
    levels = _isa_levels.levels_for(_table(), 'x86_64')
    assert _names(levels) == ['x86-64', 'x86-64-v2', 'x86-64-v3', 'x86-64-v4']
    for lower, upper in zip(levels, levels[1:]):
        assert set(lower['requires']) < set(upper['requires'])
    # The psABI's lists, as the task's issue spells them.
    assert {'cx16', 'lahf_lm', 'popcnt', 'sse4_1', 'sse4_2', 'ssse3'} <= set(levels[1]['requires'])
    assert {'avx', 'avx2', 'bmi1', 'bmi2', 'f16c', 'fma', 'abm', 'movbe', 'xsave'} <= set(levels[2]['requires'])
    assert set(AVX512) <= set(levels[3]['requires'])


def test_this_hosts_flags_pick_every_level_they_reach():
    flags = _flags(HOST)
    assert flags, 'the fixture has a flags line'
    levels = _isa_levels.levels_for(_table(), 'x86_64')
    reached = [lv['name'] for lv in levels if set(lv['requires']) <= flags]
    found = _isa_levels.plan(_table(), 'x86_64', flags, _accept_all)
    assert _names(found['build']) == reached and found['baseline'] == 'x86_64'
    assert _names(found['skipped']) == [lv['name'] for lv in levels if lv['name'] not in reached]
    for skip in found['skipped']:
        assert skip['check'] == 'cpu_supports' and 'this CPU lacks' in skip['reason']


def test_without_avx512_v4_is_skipped_naming_the_missing_flags():
    flags = _flags(HOST) - set(AVX512)
    asked = []
    found = _isa_levels.plan(_table(), 'x86_64', flags, lambda march: asked.append(march) or True)
    assert 'x86-64-v4' not in _names(found['build'])
    skip = dict((s['name'], s) for s in found['skipped'])['x86-64-v4']
    assert skip['check'] == 'cpu_supports' and skip['metric'] == 'x86_64_v4'
    v4 = _isa_levels.levels_for(_table(), 'x86_64')[3]
    assert skip['reason'].startswith('this CPU lacks %s (' % ', '.join(f for f in v4['requires'] if f not in flags))
    assert 'avx512f' in skip['reason']
    # A level the CPU lacks is never handed to the compiler.
    assert 'x86-64-v4' not in asked and asked == [b['march'] for b in found['build']]


def test_without_avx2_v3_and_v4_are_skipped_but_v2_is_built():
    flags = _flags(HOST) - {'avx2'}
    found = _isa_levels.plan(_table(), 'x86_64', flags, _accept_all)
    assert 'x86-64-v3' in _names(found['skipped']) and 'x86-64-v4' in _names(found['skipped'])
    assert all('avx2' in s['reason'] for s in found['skipped'])
    if {'cx16', 'popcnt', 'sse4_2'} <= flags:
        assert 'x86-64-v2' in _names(found['build'])


def test_a_level_the_compiler_refuses_is_skipped_with_that_reason():
    flags = _flags(HOST)
    found = _isa_levels.plan(_table(), 'x86_64', flags, lambda march: march != 'x86-64-v2')
    refused = [s for s in found['skipped'] if s['check'] == 'compiler_accepts']
    if 'x86-64-v2' in [lv['name'] for lv in _isa_levels.levels_for(_table(), 'x86_64')
                       if set(lv['requires']) <= flags]:
        assert _names(refused) == ['x86-64-v2'] and 'refuses -march=x86-64-v2' in refused[0]['reason']


def test_an_arm_flag_set_builds_sve_but_not_armv9_without_sve2():
    flags = _flags(ARM)
    assert 'sve' in flags and 'sve2' not in flags
    found = _isa_levels.plan(_table(), 'aarch64', flags, _accept_all)
    assert _names(found['build']) == ['armv8-a', 'armv8.2-a+sve'] and found['baseline'] == 'armv8_a'
    assert found['skipped'] == [{'name': 'armv9-a', 'metric': 'armv9_a', 'check': 'cpu_supports',
                                 'reason': found['skipped'][0]['reason']}]
    assert 'lacks sve2' in found['skipped'][0]['reason']
    with_sve2 = _isa_levels.plan(_table(), 'aarch64', flags | {'sve2'}, _accept_all)
    assert _names(with_sve2['build']) == ['armv8-a', 'armv8.2-a+sve', 'armv9-a']


def test_an_architecture_without_a_table_builds_no_level():
    found = _isa_levels.plan(_table(), 'riscv64', {'rv64imafdc'}, _accept_all)
    assert found == {'arch': 'riscv64', 'baseline': None, 'build': [], 'skipped': []}


def test_a_level_without_a_name_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r'x86_64\[1\] has no name'):
        _isa_levels.levels_for({'x86_64': [{'name': 'x86-64'}, {'requires': ['sse2']}]}, 'x86_64')


def test_the_module_reads_a_cpuinfo_file_and_probes_the_real_compiler(capsys):
    """On the real gcc: the levels the fixture's flags reach, minus any this gcc refuses (then named)."""
    import platform
    if platform.machine() != 'x86_64':
        pytest.skip('the fixture is an x86-64 CPU')
    with patch_module_args({'levels': _table(), 'cpuinfo': HOST}):
        with pytest.raises(SystemExit):
            stream_isa_plan.main()
    out = json.loads(capsys.readouterr().out)
    reached = [lv['name'] for lv in _isa_levels.levels_for(_table(), 'x86_64') if set(lv['requires']) <= _flags(HOST)]
    refused = [s['name'] for s in out['skipped'] if s['check'] == 'compiler_accepts']
    assert sorted(_names(out['build']) + refused) == sorted(reached)
    assert _names(out['build']) == [name for name in reached if name not in refused]
    assert out['changed'] is False and out['arch'] == 'x86_64'


def test_one_table_names_an_unknown_cpu_by_x86_levels_only():
    """host_facts names a CPU the microarchitecture table lacks from the same table stream_isa builds
    by: the x86-64 psABI levels above the baseline, best first, each with every lower level's flags;
    an Arm CPU is never named by an architecture version (many cores share one)."""
    naming = _isa_levels.naming_levels(_table(), 'x86_64')
    assert [level['name'] for level in naming] == ['x86-64-v4', 'x86-64-v3', 'x86-64-v2']
    assert 'sse2' in naming[-1]['requires'] and 'avx2' in naming[0]['requires'], 'cumulative, baseline included'
    assert _isa_levels.naming_levels(_table(), 'aarch64') == []
    assert _isa_levels.naming_levels({}, 'x86_64') == []
