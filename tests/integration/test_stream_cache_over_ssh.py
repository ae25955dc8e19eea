# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""stream_cache end to end on a real sshd host, through launch.yml's one include per benchmark:
check mode writes nothing, the real run builds our OpenMP program with the host's flags and stores
a valid result with read, write, copy and triad GB/s for every level the host's caches give (and
DRAM) at 1 thread and every logical CPU, each batch checked against the timer and each result
verified; a re-run changes nothing, and collect's summary names the figures."""

import glob
import hashlib
import os

from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import results_by_benchmark

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _stream_cache


def test_stream_cache_check_run_validate_and_rerun_idempotently(tmp_path, ssh_host, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    store = tmp_path / 'store'
    extra = {
        'instancebench_run_id': 'cache-1', 'instancebench_results_store': 'file://%s' % store,
        'instancebench_sources_mirror': '', 'instancebench_work_dir': str(tmp_path / 'work'),
        'instancebench_benchmarks': 'stream_cache',
        # Short batches: the figures are checked for consistency, not for speed.
        'stream_cache_min_ms': 20, 'stream_cache_repetitions': 2, 'stream_cache_max_repetitions': 2,
    }
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert not glob.glob(str(store / 'runs' / '*')), 'check mode must not write results'

    first = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert first.returncode == 0, first.stdout[-4000:]
    docs = results_by_benchmark(store, 'cache-1')
    assert sorted(docs) == ['stream_cache']
    doc = docs['stream_cache']
    assert doc['validation']['passed'] is True, [c for c in doc['validation']['checks'] if not c['passed']]

    # Every level this host's caches give, and DRAM, at 1 thread and every logical CPU (from its own facts).
    system = doc['system']
    plan = _stream_cache.passes(system['caches'], system['llc']['total_bytes'], system['topology']['logical_cpus'],
                                [1, 0], float('inf'), 1)
    assert doc['parameters']['passes'] == plan
    wanted = set('%s_%s_gbs_%s' % (kernel, level, label) for label, _threads, sizes in plan
                 for level, _n in sizes for kernel in _stream_cache.KERNELS)
    assert {'l1', 'l2', 'dram'} <= set(level for level, _n in plan[0][2])
    by_name = dict((m['name'], m) for m in doc['metrics'])
    assert set(by_name) == wanted
    for name, metric in by_name.items():
        entry = (metric['value'], metric['unit'], metric['higher_is_better'])
        assert _benchmarks.undeclared_metrics('stream_cache', {name: entry}) == []
        assert metric['value'] > 0 and metric['n'] == 2
    assert by_name['read_l1_gbs_t1']['value'] > by_name['read_dram_gbs_t1']['value']

    # Checks are named per repetition (rep1., rep2.): each batch timed far above the timer, each pass's threads.
    checks = dict((c['name'], c) for c in doc['validation']['checks'])
    timed = [name for name in checks if name.endswith('.timed_above_resolution')]
    assert len(timed) == 2 * sum(len(sizes) for _l, _t, sizes in plan) and all(checks[n]['passed'] for n in timed)
    threads = checks['rep2.all.threads']
    assert threads['passed'] and 'ran %d threads' % system['topology']['logical_cpus'] in threads['detail']
    build = doc['build']
    assert build['flags'][:2] == ['-O3', '-fopenmp'] and build['binary_sha256'], build
    with open(os.path.join(REPO, 'roles', 'stream_cache', 'files', 'stream_cache_job.sh'), 'rb') as handle:
        assert build['job_script_sha256'] == hashlib.sha256(handle.read()).hexdigest()
    # The thread binding the figures depend on is in the result, not only in the job script.
    assert (doc['environment']['OMP_PLACES'], doc['environment']['OMP_PROC_BIND']) == ('threads', 'spread')
    assert set(build['observed']['curves']) == set('%s_%s' % (k, label) for k in _stream_cache.KERNELS
                                                   for label in ('t1', 'all'))

    again = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert again.returncode == 0, again.stdout[-3000:]
    assert again.recap['bench1']['changed'] == 0, again.stdout[-3000:]

    collect = run_playbook('collect.yml', inventory, ansible_home, {
        'instancebench_results_store': extra['instancebench_results_store'],
        'instancebench_report_dir': str(tmp_path / 'report')})
    assert collect.returncode == 0, collect.stdout[-3000:]
    assert 'GB/s on all vCPUs' in collect.stdout and 'triad L1 ' in collect.stdout
    page = (tmp_path / 'report' / 'report.html').read_text()
    assert '<section id="bench-stream_cache">' in page and 'triad GB/s' in page, 'the bandwidth-per-level curve'
