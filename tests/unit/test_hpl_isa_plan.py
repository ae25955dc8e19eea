# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which ISA levels HPL runs at, with which OpenBLAS kernel set (hpl_isa_levels): the shipped level table
and kernel table against this host's captured /proc/cpuinfo, mutated copies of it and an Arm flag set.
Expectations are derived from the fixture's flags and the two tables, never from which CPU runs the test."""

import json
import os
import platform

import pytest
import yaml
from ansible.module_utils.testing import patch_module_args

from ansible_collections.instancebench.aws.plugins.module_utils import _hpl_isa, _isa_levels
from ansible_collections.instancebench.aws.plugins.modules import hpl_isa_plan

HERE = os.path.dirname(__file__)
REPO = os.path.join(HERE, '..', '..')
FIXTURES = os.path.join(HERE, '..', 'fixtures', 'stream_isa')
HOST = os.path.join(FIXTURES, 'cpuinfo-this-host.txt')
ARM = os.path.join(FIXTURES, 'cpuinfo-graviton3-features.txt')


def _yaml(*path):
    with open(os.path.join(REPO, *path)) as handle:
        return yaml.safe_load(handle)


def _levels():
    return _yaml('roles', 'host_facts', 'vars', 'isa_levels.yml')['_host_facts_isa_levels']


def _kernels():
    return _yaml('roles', 'hpl', 'vars', 'isa_kernels.yml')['_hpl_isa_kernels']


def _flags(path):
    with open(path) as handle:
        return _isa_levels.cpu_flags(handle.read())


def _expected_runs(arch, flags):
    """The levels whose own flags and whose kernels' extra flags the CPU has, from the two tables alone."""
    kernels = _kernels()
    return [(level['metric'], kernels[level['name']]['core']) for level in _isa_levels.levels_for(_levels(), arch)
            if set(level['requires']) <= flags and set(kernels[level['name']].get('requires') or []) <= flags]


def test_every_level_of_the_level_table_has_a_kernel_set_named():
    kernels = _kernels()
    for arch, levels in _levels().items():
        for level in levels:
            assert kernels.get(level['name'], {}).get('core'), '%s (%s) has no OpenBLAS core' % (level['name'], arch)


def test_this_hosts_flags_run_every_level_they_and_its_kernels_reach():
    flags = _flags(HOST)
    found = _hpl_isa.plan(_levels(), _kernels(), 'x86_64', flags)
    expected = _expected_runs('x86_64', flags)
    assert [(run['metric'], run['core']) for run in found['run']] == expected
    assert found['baseline'] == expected[0][0]
    every = [level['metric'] for level in _isa_levels.levels_for(_levels(), 'x86_64')]
    # Every level is run or skipped with its reason, in the table's order.
    assert sorted([r['metric'] for r in found['run']] + [s['metric'] for s in found['skipped']],
                  key=every.index) == every
    assert [s['metric'] for s in found['skipped']] == [m for m in every if m not in dict(expected)]


def test_the_sse2_baseline_runs_only_on_a_cpu_with_3dnow_else_v2_is_the_baseline():
    """K8's kernels, the only SSE2-only set, use 3DNow! (FEMMS: SIGILL on a Zen 4, tests/fixtures/hpl_isa)."""
    core = _kernels()['x86-64']['core']
    without = _hpl_isa.plan(_levels(), _kernels(), 'x86_64', _flags(HOST) - {'3dnow', '3dnowext'})
    skip = dict((s['metric'], s) for s in without['skipped'])['x86_64']
    assert skip['check'] == 'kernel_supports'
    assert skip['reason'] == "this CPU lacks 3dnow, 3dnowext, which OpenBLAS's %s kernels use" % core
    assert 'x86_64' not in [r['metric'] for r in without['run']]
    assert without['baseline'] == without['run'][0]['metric'] == 'x86_64_v2'
    with_3dnow = _hpl_isa.plan(_levels(), _kernels(), 'x86_64', _flags(HOST) | {'3dnow', '3dnowext'})
    assert with_3dnow['run'][0] == {'name': 'x86-64', 'metric': 'x86_64', 'core': core}
    assert with_3dnow['baseline'] == 'x86_64'


def test_a_level_the_cpu_lacks_is_never_run_and_says_which_flags():
    flags = _flags(HOST) - {'avx512f', 'avx2'}
    found = _hpl_isa.plan(_levels(), _kernels(), 'x86_64', flags)
    skipped = dict((s['metric'], s) for s in found['skipped'])
    for metric in ('x86_64_v3', 'x86_64_v4'):
        assert skipped[metric]['check'] == 'cpu_supports' and 'this CPU lacks' in skipped[metric]['reason']
        assert metric not in [r['metric'] for r in found['run']]
    assert 'avx2' in skipped['x86_64_v3']['reason'] and 'avx512f' in skipped['x86_64_v4']['reason']


def test_a_level_no_kernel_set_is_named_for_is_skipped_with_that_reason():
    kernels = dict(_kernels())
    del kernels['x86-64-v3']
    flags = _flags(HOST)
    found = _hpl_isa.plan(_levels(), kernels, 'x86_64', flags)
    skipped = dict((s['metric'], s) for s in found['skipped'])
    if set(_isa_levels.levels_for(_levels(), 'x86_64')[2]['requires']) <= flags:
        assert skipped['x86_64_v3'] == {'name': 'x86-64-v3', 'metric': 'x86_64_v3', 'check': 'kernel_known',
                                        'reason': 'no OpenBLAS kernel set is named for x86-64-v3 '
                                                  '(roles/hpl/vars/isa_kernels.yml)'}


def test_a_core_name_that_could_reach_the_script_as_anything_else_is_refused():
    kernels = dict(_kernels(), **{'x86-64-v2': {'core': 'Nehalem x=1'}})
    with pytest.raises(ValueError, match=r"the OpenBLAS core of x86-64-v2 is 'Nehalem x=1'"):
        _hpl_isa.plan(_levels(), kernels, 'x86_64', _flags(HOST))


def test_an_arm_flag_set_runs_armv8_and_sve_but_not_armv9_without_sve2():
    flags = _flags(ARM)
    assert 'sve' in flags and 'sve2' not in flags
    found = _hpl_isa.plan(_levels(), _kernels(), 'aarch64', flags)
    assert [(r['metric'], r['core']) for r in found['run']] == _expected_runs('aarch64', flags)
    assert [r['metric'] for r in found['run']] == ['armv8_a', 'armv8_2_a_sve'] and found['baseline'] == 'armv8_a'
    assert [(s['metric'], s['check']) for s in found['skipped']] == [('armv9_a', 'cpu_supports')]


def test_an_architecture_without_a_table_runs_no_level_and_has_no_baseline():
    found = _hpl_isa.plan(_levels(), _kernels(), 'riscv64', {'rv64imafdc'})
    assert found == {'arch': 'riscv64', 'baseline': None, 'run': [], 'skipped': []}


@pytest.mark.parametrize('nb, cores', [(192, 1), (192, 2), (256, 8), (192, 64)])
def test_n_is_the_multiple_of_nb_nearest_the_target_scaled_by_the_cube_root_of_the_cores(nb, cores):
    n = _hpl_isa.problem_size(10 ** 6, nb, cores, 6000)
    assert n % nb == 0 and abs(n - 6000 * cores ** (1.0 / 3.0)) <= nb / 2.0
    # More cores, a larger N (the same time per level at any size).
    assert _hpl_isa.problem_size(10 ** 6, nb, cores * 8, 6000) > n


def test_n_stays_within_the_memory_plan_and_hpl_n_wins():
    assert _hpl_isa.problem_size(3072, 192, 64, 6000) == 3072, 'at most the N the memory allows'
    assert _hpl_isa.problem_size(10 ** 6, 192, 1, 50) == 192, 'at least one block'
    assert _hpl_isa.problem_size(10 ** 6, 192, 2, 6000, requested=1536) == 1536


def test_the_module_plans_from_a_cpuinfo_file_and_sizes_n(capsys):
    if platform.machine() != 'x86_64':
        pytest.skip('the fixture is an x86-64 CPU')
    plan = {'n': 40000, 'nb': 192, 'ranks': 2, 'threads': 1}
    with patch_module_args({'levels': _levels(), 'kernels': _kernels(), 'cpuinfo': HOST, 'plan': plan,
                            'target_n': 6000}):
        with pytest.raises(SystemExit):
            hpl_isa_plan.main()
    out = json.loads(capsys.readouterr().out)
    assert out['changed'] is False and out['arch'] == 'x86_64'
    assert [(r['metric'], r['core']) for r in out['run']] == _expected_runs('x86_64', _flags(HOST))
    assert out['n'] == _hpl_isa.problem_size(40000, 192, 2, 6000)


def test_the_module_names_the_file_it_cannot_read(capsys, tmp_path):
    with patch_module_args({'levels': _levels(), 'kernels': _kernels(), 'cpuinfo': str(tmp_path / 'none'),
                            'plan': {'n': 1000, 'nb': 100, 'ranks': 1, 'threads': 1}, 'target_n': 6000}):
        with pytest.raises(SystemExit):
            hpl_isa_plan.main()
    out = json.loads(capsys.readouterr().out)
    assert out['failed'] and 'cannot read %s' % (tmp_path / 'none') in out['msg']
