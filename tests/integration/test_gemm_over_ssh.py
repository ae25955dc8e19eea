# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gemm and vector_ops end to end on a real sshd host, through launch.yml's one include per
benchmark: our driver built once against the installed OpenBLAS (vector_ops through gemm's build
step), every figure checked against the driver's reference, bf16 either measured or skipped with
its reason (whichever this host's CPU and OpenBLAS allow), the OpenBLAS kernel and steering
variables recorded, a re-run changes nothing, and collect's summary names both."""

import glob
import os

from harness.ansible_runner import run_playbook, write_inventory
from harness.results import results_by_benchmark

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks

EVERY = ['gemm', 'vector_ops']


def test_gemm_and_vector_ops_check_run_validate_and_rerun_idempotently(tmp_path, ssh_host, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    store = tmp_path / 'store'
    extra = {
        'instancebench_run_id': 'gemm-1', 'instancebench_results_store': 'file://%s' % store,
        'instancebench_sources_mirror': '', 'instancebench_work_dir': str(tmp_path / 'work'),
        'instancebench_benchmarks': ','.join(EVERY),
        # Short passes: the figures are checked against the reference and for consistency, not for speed.
        'gemm_n': 512, 'gemm_min_ms': 50, 'gemm_repetitions': 2, 'gemm_max_repetitions': 2,
        'vector_ops_dram_elements': 1048576, 'vector_ops_min_ms': 20,
        'vector_ops_repetitions': 2, 'vector_ops_max_repetitions': 2,
    }
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert not glob.glob(str(store / 'runs' / '*')), 'check mode must not write results'

    first = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert first.returncode == 0, first.stdout[-4000:]
    docs = results_by_benchmark(store, 'gemm-1')
    assert sorted(docs) == EVERY
    for name, doc in docs.items():
        assert doc['validation']['passed'] is True, (name, [c for c in doc['validation']['checks'] if not c['passed']])
        for metric in doc['metrics']:
            assert _benchmarks.undeclared_metrics(name, {metric['name']: (metric['value'], metric['unit'],
                                                                          metric['higher_is_better'])}) == []
            assert metric['value'] > 0 and metric['n'] == 2
        assert any(m['name'] == _benchmarks.get(name).headline for m in doc['metrics']), name
        build = doc['build']
        assert build['blas']['name'] == 'openblas' and build['blas']['version'] not in ('', 'unknown'), build['blas']
        assert build['observed']['blas_config'].startswith('OpenBLAS'), build['observed']
        assert set(doc['environment']) >= set(k for k in os.environ if k.startswith('OPENBLAS_')), 'recorded as found'
    # One driver, one build: both results name the same binary.
    assert docs['gemm']['build']['binary_sha256'] == docs['vector_ops']['build']['binary_sha256'] != ''

    gemm = docs['gemm']
    names = set(m['name'] for m in gemm['metrics'])
    assert {'dgemm_gflops_t1', 'dgemm_gflops_all', 'sgemm_gflops_t1', 'sgemm_gflops_all'} <= names, names
    references = [c for c in gemm['validation']['checks'] if c['name'].endswith('.reference')]
    assert references and all(c['passed'] for c in references)
    # bf16: measured where this CPU and this OpenBLAS have it, else skipped with the reason - never both.
    skipped = gemm['build']['observed'].get('skipped', {})
    assert ('sbgemm' in skipped) != ('sbgemm_gflops_all' in names), (skipped, names)
    if 'sbgemm' in skipped:
        assert 'cblas_sbgemm' in skipped['sbgemm'] or 'bf16' in skipped['sbgemm']
    assert gemm['parameters']['passes'][0][:2] == ['t1', 1] and gemm['parameters']['passes'][0][3] == [256, 512]
    # Peaks come from the hpl role's table for a known microarchitecture; FP32's is twice FP64's.
    entries = dict((e['metric'], e) for e in (gemm['efficiency'] or {}).get('entries', []))
    if 'dgemm_gflops_t1' in entries:
        assert entries['sgemm_gflops_t1']['peak'] == 2 * entries['dgemm_gflops_t1']['peak']

    vector = docs['vector_ops']
    by_name = dict((m['name'], m['value']) for m in vector['metrics'])
    assert {'daxpy_l1_gbs_t1', 'ddot_l2_gflops_t1', 'daxpy_dram_gbs_all', 'ddot_dram_gbs_t1'} <= set(by_name)
    dram_rule = [c for c in vector['validation']['checks'] if c['name'].endswith('run_rule.dram_t1_size')][0]
    below = 16 * 1048576 < 4 * vector['system']['llc']['total_bytes']
    assert dram_rule['passed'] is not below, 'a DRAM vector below 4 x this host\'s LLC is kept and marked'

    again = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert again.returncode == 0, again.stdout[-3000:]
    assert again.recap['bench1']['changed'] == 0, again.stdout[-3000:]

    collect = run_playbook('collect.yml', inventory, ansible_home, {
        'instancebench_results_store': extra['instancebench_results_store'],
        'instancebench_report_dir': str(tmp_path / 'report')})
    assert collect.returncode == 0, collect.stdout[-3000:]
    for phrase in ('GFLOP/s on all vCPUs', 'DAXPY L1 '):
        assert phrase in collect.stdout, phrase
