# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""stream_isa end to end on a real sshd host, through launch.yml: check mode writes nothing, the real
run builds STREAM (the stream role's build) once per ISA level this CPU supports and the compiler
accepts, and for the microarchitecture, and stores a valid result with every built level's GB/s and
uplift over the baseline; every other level has its skip check with the reason; a re-run changes
nothing. Two impossible levels added to the table (a -march gcc refuses, a flag no CPU has) show both
skips on any host. Expectations come from this host's own /proc/cpuinfo and gcc, never from which CPU it is."""

import glob
import os
import subprocess

import yaml
from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import results_by_benchmark

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _compiler, _isa_levels

SHARED_WORK = os.path.join(REPO, '.cache', 'work')
KERNELS = ('copy', 'scale', 'add', 'triad')


def _shipped_table():
    with open(os.path.join(REPO, 'roles', 'host_facts', 'vars', 'isa_levels.yml')) as handle:
        return yaml.safe_load(handle)['_host_facts_isa_levels']


def _with_impossible_levels(table):
    """The shipped table and, above this architecture's levels, one the compiler refuses (no new flag) and
    one no CPU has: this host then shows both skips, whatever CPU it is."""
    arch = os.uname().machine
    extra = [{'name': 'test-refused-march', 'march': 'instancebench-no-such-march', 'requires': []},
             {'name': 'test-missing-flag', 'requires': ['instancebench_no_such_flag']}]
    return dict(table, **{arch: list(table.get(arch) or []) + extra})


def _host_plan(table):
    """The levels this host (the sshd host is this machine) should build and skip, from its own facts."""
    with open('/proc/cpuinfo') as handle:
        flags = _isa_levels.cpu_flags(handle.read())

    def runner(argv, data):
        proc = subprocess.run(argv, input=data, capture_output=True, text=True, check=False)
        return proc.returncode, proc.stdout, proc.stderr

    return _isa_levels.plan(table, os.uname().machine, flags,
                            lambda march: _compiler.flag_accepted(runner, 'gcc', ['-march=%s' % march]))


def test_stream_isa_check_run_validate_and_rerun_idempotently(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    store = tmp_path / 'store'
    extra = {
        'instancebench_run_id': 'isa-1', 'instancebench_results_store': 'file://%s' % store,
        'instancebench_sources_mirror': mirror, 'instancebench_work_dir': SHARED_WORK,
        'instancebench_benchmarks': 'stream_isa',
        # Small arrays, few iterations: the levels and their naming are under test, not the host's bandwidth.
        'stream_isa_array_size': 2000000, 'stream_isa_ntimes': 10,
        'stream_isa_repetitions': 2, 'stream_isa_max_repetitions': 2,
        '_host_facts_isa_levels': _with_impossible_levels(_shipped_table()),
    }
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert not glob.glob(str(store / 'runs' / '*')), 'check mode must not write results'

    first = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert first.returncode == 0, first.stdout[-4000:]
    docs = results_by_benchmark(store, 'isa-1')
    assert sorted(docs) == ['stream_isa']
    doc = docs['stream_isa']
    assert doc['job']['state'] == 'completed' and doc['validation']['passed'] is True, \
        [c for c in doc['validation']['checks'] if not c['passed']]

    plan = _host_plan(extra['_host_facts_isa_levels'])
    shipped = _host_plan(_shipped_table())
    assert plan['build'] == shipped['build'] and plan['skipped'][:-2] == shipped['skipped']
    assert [(s['metric'], s['check']) for s in plan['skipped'][-2:]] == [
        ('test_refused_march', 'compiler_accepts'), ('test_missing_flag', 'cpu_supports')]
    built = [level['metric'] for level in plan['build']] + ['native']
    assert doc['parameters']['levels'] == [level['name'] for level in plan['build']] + ['native']
    assert doc['parameters']['skipped'] == plan['skipped'] and doc['parameters']['baseline'] == plan['baseline']

    # Every built level has STREAM's four kernels; every level but the baseline its uplift.
    by_name = dict((m['name'], m) for m in doc['metrics'])
    wanted = set('%s_bandwidth_%s' % (kernel, level) for kernel in KERNELS for level in built)
    if plan['baseline'] in built:
        wanted |= set('triad_uplift_%s' % level for level in built if level != plan['baseline'])
    assert set(by_name) == wanted
    for name, metric in by_name.items():
        assert _benchmarks.undeclared_metrics('stream_isa', {name: (metric['value'], metric['unit'],
                                                                    metric['higher_is_better'])}) == []
        assert metric['value'] > 0 and metric['n'] == 2

    # Every level not built (the shipped ones this host lacks, and the two impossible ones): its named
    # check, with the reason, in each repetition; never a pass for it.
    checks = dict((c['name'], c) for c in doc['validation']['checks'])
    for skip in plan['skipped']:
        for rep in ('rep1', 'rep2'):
            found = checks['%s.%s.%s' % (rep, skip['metric'], skip['check'])]
            assert found['passed'] and skip['reason'] in found['detail']
        assert not [name for name in by_name if name.endswith('_' + skip['metric'])]
    for level in built:
        assert checks['rep2.%s.threads' % level]['passed']

    # One stream role build per level: its -march last, its own binary; the native build describes the job.
    levels = doc['build']['levels']
    assert [entry['level'] for entry in levels] == doc['parameters']['levels']
    for entry, level in zip(levels, plan['build']):
        assert entry['flags'][-1] == '-march=%s' % level['march'], entry
    assert levels[-1]['flags'] == doc['build']['flags'] and doc['build']['source']['name'] == 'stream'
    assert len(set(entry['binary_sha256'] for entry in levels)) == len(levels)
    assert 'STREAM per ISA level completed on bench1' in first.stdout

    again = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert again.returncode == 0, again.stdout[-3000:]
    assert again.recap['bench1']['changed'] == 0, again.stdout[-3000:]
