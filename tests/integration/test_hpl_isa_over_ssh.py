# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPL per ISA level (hpl_isa_levels, variant vector) end to end on a real sshd host, through launch.yml at
a small N: check mode writes nothing, the real run stores a valid result with every level this CPU runs,
each on the OpenBLAS kernel set asked (OpenBLAS's own "Core:" line) or without a figure and with a
warning saying so, OpenBLAS's own choice as HPL's usual figure, and each level's uplift over the baseline;
every other level has its skip check with the reason; a re-run changes nothing. Two levels added to the
tables (a flag no CPU has; no kernel set named) show both skips on any host. Expectations come from this
host's own /proc/cpuinfo and the shipped tables, never from which CPU it is."""

import glob
import os

import yaml
from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import stored_result

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _hpl_isa, _isa_levels

SHARED_WORK = os.path.join(REPO, '.cache', 'work')


def _yaml(*path):
    with open(os.path.join(REPO, *path)) as handle:
        return yaml.safe_load(handle)


def _tables():
    """The shipped level and kernel tables, and above this architecture's levels one with no kernel set (no
    new flag) and one no CPU has: this host then shows both skips, whatever CPU it is."""
    levels = _yaml('roles', 'host_facts', 'vars', 'isa_levels.yml')['_host_facts_isa_levels']
    kernels = _yaml('roles', 'hpl', 'vars', 'isa_kernels.yml')['_hpl_isa_kernels']
    arch = os.uname().machine
    extra = [{'name': 'test-no-kernel', 'requires': []},
             {'name': 'test-missing-flag', 'requires': ['instancebench_no_such_flag']}]
    kernels = dict(kernels, **{'test-missing-flag': {'core': 'Haswell'}})
    return dict(levels, **{arch: list(levels.get(arch) or []) + extra}), kernels


def test_hpl_per_isa_level_check_run_validate_and_rerun(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    store = tmp_path / 'store'
    levels, kernels = _tables()
    extra = {
        'instancebench_run_id': 'hpl-isa-1', 'instancebench_results_store': 'file://%s' % store,
        'instancebench_sources_mirror': mirror, 'instancebench_work_dir': SHARED_WORK,
        'instancebench_benchmarks': 'hpl', 'hpl_isa_levels': True,
        # A small N, one repetition: the levels, their kernels and naming are under test, not the host's FLOP/s.
        'hpl_n': 1536, 'hpl_repetitions': 1, 'hpl_max_repetitions': 1,
        '_host_facts_isa_levels': levels, '_hpl_isa_kernels': kernels,
    }
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert not glob.glob(str(store / 'runs' / '*')), 'check mode must not write results'

    first = run_playbook('launch.yml', inventory, ansible_home, extra, timeout=1200)
    assert first.returncode == 0, first.stdout[-4000:]
    doc = stored_result(store, 'hpl-isa-1')
    assert doc['job']['variant'] == 'vector' and doc['validation']['passed'] is True, \
        [c for c in doc['validation']['checks'] if not c['passed']]

    with open('/proc/cpuinfo') as handle:
        plan = _hpl_isa.plan(levels, kernels, os.uname().machine, _isa_levels.cpu_flags(handle.read()))
    isa = doc['parameters']['isa_levels']
    assert isa['levels'] == plan['run'] and isa['skipped'] == plan['skipped'] and isa['baseline'] == plan['baseline']
    assert [(s['metric'], s['check']) for s in plan['skipped'][-2:]] == [
        ('test_no_kernel', 'kernel_known'), ('test_missing_flag', 'cpu_supports')]
    assert doc['parameters']['n'] == 1536 and doc['parameters']['dgemm'] is None

    # Each level ran on the kernel set asked, whatever OPENBLAS_CORETYPE the host's environment has, and
    # then has its figure; or OpenBLAS ran another set and the level has none, with a warning.
    by_name = dict((m['name'], m) for m in doc['metrics'])
    checks = dict((c['name'], c) for c in doc['validation']['checks'])
    reported = doc['build']['observed']['openblas_cores']
    figures = {}
    for level in plan['run']:
        ran_asked = reported[level['metric']].lower() == level['core'].lower()
        assert ('gflops_%s' % level['metric'] in by_name) == ran_asked, (level, reported)
        assert checks['rep1.%s.openblas_core' % level['metric']]['passed'] == ran_asked
        if ran_asked:
            figures[level['metric']] = by_name['gflops_%s' % level['metric']]['value']
    # The native run: OpenBLAS's own choice, or the OPENBLAS_CORETYPE the host's environment set (recorded as found).
    ambient = doc['environment'].get('OPENBLAS_CORETYPE')
    assert doc['build']['observed']['openblas_core'] == reported['native']
    assert ambient is None or ambient.lower() == reported['native'].lower()
    assert doc['environment']['OPENBLAS_VERBOSE'] == '2'
    figures['native'] = by_name['gflops']['value']
    baseline = plan['baseline']
    expected = {'gflops', 'time'} | set('gflops_%s' % metric for metric in figures if metric != 'native')
    if baseline in figures:
        expected |= set('uplift_%s' % metric for metric in figures if metric != baseline)
        for metric in figures:
            if metric != baseline:
                assert abs(by_name['uplift_%s' % metric]['value'] - figures[metric] / figures[baseline]) < 1e-3
    assert set(by_name) == expected
    for name, metric in by_name.items():
        assert _benchmarks.metric_spec('hpl', name) == (metric['unit'], metric['higher_is_better'])

    for skip in plan['skipped']:
        found = checks['rep1.%s.%s' % (skip['metric'], skip['check'])]
        assert found['passed'] and skip['reason'] in found['detail']
    assert 'HPL per ISA level completed on bench1' in first.stdout

    again = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert again.returncode == 0, again.stdout[-3000:]
    assert again.recap['bench1']['changed'] == 0, again.stdout[-3000:]
