# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gemm and vector_ops benchmarks' parser against captured runs of our driver: GFLOP/s and GB/s
derived from the driver's own calls and seconds, every result held to its precision's error bound,
bf16 skipped with its reason, and every failure named; plus the passes and peaks the roles ask for."""

import os
import re

import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _gemm, _hpl, _result
from harness.checks import failed as _failed, invalidating

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'gemm')
ROLES = os.path.join(os.path.dirname(__file__), '..', '..', 'roles')
KERNELS = ['dgemm', 'sgemm', 'sbgemm']
# What the role planned on the capture's host (2 logical CPUs, n = 4096 and 5120 by the auto rule).
DEFAULT = {'passes': [['t1', 1, KERNELS, [2048, 4096]], ['all', 2, KERNELS, [2560, 5120]]], 'min_ms': 1000}
CACHES = {'l1d': {'size_bytes': 32768, 'instances': 2, 'total_bytes': 65536},
          'l2': {'size_bytes': 1048576, 'instances': 2, 'total_bytes': 2097152},
          'l3': {'size_bytes': 33554432, 'instances': 1, 'total_bytes': 33554432}}
VECTOR_PASSES = [['t1', 1, 'l1', 1024], ['t1', 1, 'l2', 32768], ['t1', 1, 'dram', 8388608], ['all', 2, 'dram', 8388608]]
VECTOR = {'passes': VECTOR_PASSES, 'min_ms': 200, 'caches': CACHES, 'llc_bytes': 33554432}


def _text(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def _lines(text, kernel):
    """{(pass label, n or level): {field: token}} of the capture's result lines for `kernel`, read
    here by plain splitting (not by the parser under test)."""
    found, label = {}, None
    for line in text.splitlines():
        mark = re.match(r'=== instancebench gemm pass threads=(\S+) ', line)
        label = mark.group(1) if mark else label
        if line.startswith('result kernel=%s ' % kernel):
            fields = dict(token.split('=') for token in line.split()[1:])
            found[(label, fields.get('level') or int(fields['n']))] = fields
    return found


def test_gemm_figures_come_from_the_largest_size_and_every_result_meets_its_bound():
    text = _text('znver4-default-sizes.txt')
    metrics, checks, observed = _result.analyzer('gemm')(text, DEFAULT)
    for kernel in ('dgemm', 'sgemm'):
        lines = _lines(text, kernel)
        for label, n in (('t1', 4096), ('all', 5120)):
            line = lines[(label, n)]
            rate = 2.0 * n ** 3 * int(line['calls']) / float(line['seconds']) / 1e9
            assert metrics['%s_gflops_%s' % (kernel, label)] == (round(rate, 3), 'GFLOP/s', True)
    assert sorted(metrics) == ['dgemm_gflops_all', 'dgemm_gflops_t1', 'sgemm_gflops_all', 'sgemm_gflops_t1']
    assert invalidating(checks) == []
    references = [c for c in checks if c['name'].endswith('.reference')]
    assert len(references) == 8 and all(c['passed'] for c in references)
    # The capture's host has AVX-512 BF16; Debian's OpenBLAS 0.3.21 has no cblas_sbgemm: skipped, said why.
    skipped = [c for c in checks if c['name'].endswith('sbgemm_skipped')]
    assert [c['name'] for c in skipped] == ['t1.sbgemm_skipped', 'all.sbgemm_skipped']
    assert 'no cblas_sbgemm' in skipped[0]['detail'] and skipped[0]['passed']
    assert observed['skipped'] == {'sbgemm': skipped[0]['detail']} and observed['cpu_bf16'] is True
    assert observed['openblas_core'] == 'Cooperlake', 'run_benchmark compares the kernel with the CPU'
    assert observed['curves']['dgemm_t1'][1] == [4096, metrics['dgemm_gflops_t1'][0]]
    # On the shared 2-vCPU machine DGEMM at 1 thread read 32.4 GFLOP/s at 2048 and 44.8 at 4096.
    failed = _failed(checks)
    assert failed['t1.dgemm_plateau']['severity'] == 'warning' and 'raise gemm_n' in failed['t1.dgemm_plateau']['detail']
    assert 't1.sgemm_plateau' not in failed


def test_a_wrong_result_a_non_finite_entry_or_too_few_threads_invalidates():
    text = _text('znver4-default-sizes.txt')
    wrong = text.replace('n=4096 calls=1 seconds=3.066462 checked=64 nonfinite=0 max_rel_error=3.374e-17',
                         'n=4096 calls=1 seconds=3.066462 checked=64 nonfinite=0 max_rel_error=1.000e-10')
    details = dict((c['name'], c['detail']) for c in _gemm.analyze(wrong, DEFAULT)[1] if not c['passed'])
    assert 'largest relative error 1e-10, bound 4.55e-13' in details['t1.dgemm_n4096.reference']
    # The same error is within SGEMM's bound at that size (n x 2^-24): the bound is per precision.
    single = text.replace('n=4096 calls=1 seconds=2.276999 checked=64 nonfinite=0 max_rel_error=1.915e-08',
                          'n=4096 calls=1 seconds=2.276999 checked=64 nonfinite=0 max_rel_error=1.000e-10')
    assert invalidating(_gemm.analyze(single, DEFAULT)[1]) == []
    blown = text.replace('max_rel_error=1.915e-08', 'max_rel_error=3.000e-04', 1)
    assert invalidating(_gemm.analyze(blown, DEFAULT)[1]) == ['t1.sgemm_n4096.reference']
    nan = text.replace('nonfinite=0 max_rel_error=2.526e-17', 'nonfinite=12 max_rel_error=nan')
    assert 'all.dgemm_n5120.reference' in invalidating(_gemm.analyze(nan, DEFAULT)[1])
    one_thread = text.replace('blas_threads=2', 'blas_threads=1')
    assert invalidating(_gemm.analyze(one_thread, DEFAULT)[1]) == ['all.blas_threads']


def test_a_steering_variable_is_flagged_not_fatal_and_a_cut_or_garbled_run_is_named():
    text = _text('znver4-default-sizes.txt')
    steered = text.replace('env OPENBLAS_CORETYPE= OPENBLAS_L2_SIZE=', 'env OPENBLAS_CORETYPE=Haswell OPENBLAS_L2_SIZE=')
    checks = _gemm.analyze(steered, DEFAULT)[1]
    assert invalidating(checks) == []
    assert 'OPENBLAS_CORETYPE=Haswell set in the environment' in _failed(checks)['t1.blas_not_steered']['detail']
    cut = _failed(_gemm.analyze(_text('znver4-killed-at-1.5s.txt'), DEFAULT)[1])
    assert 'no end line' in cut['t1.complete']['detail']
    assert cut['all.complete']['detail'] == 'no such pass in the output (cut short?)'
    garbled = text.replace('seconds=1.061197', 'seconds=1.06.1197')
    assert 'number_format' in invalidating(_gemm.analyze(garbled, DEFAULT)[1])
    bf16_only = {'passes': [['t1', 1, ['sbgemm'], [2048, 4096]]], 'min_ms': 1000}
    assert 'no cblas_sbgemm' in _failed(_gemm.analyze(text, bf16_only)[1])['measured']['detail'], 'nothing measured'
    hurried = _gemm.analyze(text, dict(DEFAULT, min_ms=5000))[1]
    assert 't1.dgemm_n4096.timed_long_enough' in invalidating(hurried)


def test_vector_ops_rates_come_from_bytes_and_calls_and_the_levels_keep_their_rules():
    text = _text('znver4-vector-default.txt')
    metrics, checks, observed = _result.analyzer('vector_ops')(text, VECTOR)
    for kernel, per_element in (('daxpy', 24), ('ddot', 16)):
        for (label, level), line in _lines(text, kernel).items():
            n, calls, seconds = int(line['n']), int(line['calls']), float(line['seconds'])
            assert int(line['bytes_per_call']) == per_element * n
            assert metrics['%s_%s_gbs_%s' % (kernel, level, label)] == (
                round(per_element * n * calls / seconds / 1e9, 3), 'GB/s', True)
            flops = round(2.0 * n * calls / seconds / 1e9, 3)
            assert metrics['%s_%s_gflops_%s' % (kernel, level, label)] == (flops, 'GFLOP/s', True)
    assert len(metrics) == 16 and _failed(checks) == {}
    assert metrics['daxpy_l1_gbs_t1'][0] > metrics['daxpy_l2_gbs_t1'][0] > metrics['daxpy_dram_gbs_t1'][0]
    assert sorted(c['name'] for c in checks if c['name'].startswith('run_rule.')) == [
        'run_rule.dram_all_size', 'run_rule.dram_t1_size', 'run_rule.l1_t1_size', 'run_rule.l2_t1_size']
    assert observed['openblas_core'] == 'Cooperlake'
    # DRAM vectors below 4 x the last-level cache: kept, marked against the rule.
    small = dict(VECTOR, llc_bytes=1 << 30)
    failed = _failed(_gemm.analyze_vector_ops(text, small)[1])
    assert sorted(failed) == ['run_rule.dram_all_size', 'run_rule.dram_t1_size']
    assert failed['run_rule.dram_t1_size']['severity'] == 'rule'
    wrong = text.replace('n=8388608 calls=36 seconds=0.333570 bytes_per_call=201326592 checked=8388608 '
                         'max_rel_error=0.000e+00', 'n=8388608 calls=36 seconds=0.333570 bytes_per_call=201326592 '
                         'checked=8388608 max_rel_error=5.000e-16')
    assert invalidating(_gemm.analyze_vector_ops(wrong, VECTOR)[1]) == ['dram_t1.daxpy_dram.reference']
    missing = _gemm.analyze_vector_ops(text, dict(VECTOR, passes=VECTOR_PASSES + [['t4', 4, 'dram', 8388608]]))[1]
    assert _failed(missing)['dram_t4.complete']['detail'] == 'no such pass in the output (cut short?)'


def test_the_registry_declares_every_figure_of_both_captures():
    gemm = _gemm.analyze(_text('znver4-default-sizes.txt'), DEFAULT)[0]
    vector = _gemm.analyze_vector_ops(_text('znver4-vector-default.txt'), VECTOR)[0]
    assert _benchmarks.undeclared_metrics('gemm', gemm) == []
    assert _benchmarks.undeclared_metrics('vector_ops', vector) == []
    assert _benchmarks.get('gemm').headline in gemm and _benchmarks.get('vector_ops').headline in vector
    assert _benchmarks.undeclared_metrics('gemm', {'daxpy_l1_gbs_t1': (1.0, 'GB/s', True)}) != [], 'not a gemm figure'
    phrase = _benchmarks.summary_phrase('gemm', dict((k, {'name': k, 'value': v[0], 'unit': v[1]})
                                                     for k, v in gemm.items()))
    assert phrase.startswith('DGEMM %.1f, SGEMM %.1f GFLOP/s' % (gemm['dgemm_gflops_all'][0], gemm['sgemm_gflops_all'][0]))


def test_error_bounds_are_n_unit_roundoffs_of_each_precision():
    assert _gemm.error_bound('dgemm', 4096) == pytest.approx(4096 * 2.0 ** -53)
    assert _gemm.error_bound('sgemm', 4096) == pytest.approx(4096 * 2.0 ** -24, rel=1e-3)
    assert _gemm.error_bound('sbgemm', 1024) == _gemm.error_bound('sgemm', 1024), 'bf16 products accumulate in FP32'
    assert _gemm.error_bound('daxpy', 8388608) == pytest.approx(2 * 2.0 ** -53), 'one product and one sum per entry'


def test_gemm_sizes_keep_the_work_per_thread_and_fit_memory():
    plenty = 1 << 40
    assert [_gemm.gemm_size(t, plenty, 0.5) for t in (1, 2, 8, 64)] == [4096, 5120, 8192, 16384]
    # 0.25 GiB for three FP64 matrices: n <= sqrt(2^28 / 24) = 3344, in steps of 256.
    assert _gemm.gemm_size(1, 1 << 29, 0.5) == 3328
    with pytest.raises(ValueError, match='gemm_n=8192 needs 1.50 GiB.*lower gemm_n or raise gemm_memory_fraction'):
        _gemm.gemm_size(1, 1 << 30, 0.5, 8192)
    assert _gemm.gemm_passes(2, [1, 0], ['dgemm'], plenty, 0.5) == [
        ['t1', 1, ['dgemm'], [2048, 4096]], ['all', 2, ['dgemm'], [2560, 5120]]]
    assert _gemm.gemm_passes(4, [1], ['sgemm'], plenty, 0.5, 512) == [['t1', 1, ['sgemm'], [256, 512]]]
    with pytest.raises(ValueError, match='gemm_kernels'):
        _gemm.gemm_passes(2, [1], ['hgemm'], plenty, 0.5)
    with pytest.raises(ValueError, match='gemm_thread_counts'):
        _gemm.gemm_passes(2, [-1], ['dgemm'], plenty, 0.5)
    assert [_gemm.pass_argument(p) for p in _gemm.gemm_passes(2, [1, 0], ['dgemm', 'sgemm'], plenty, 0.5)] == [
        't1 1 gemm dgemm,sgemm 2048,4096', 'all 2 gemm dgemm,sgemm 2560,5120']


def test_vector_sizes_come_from_the_host_caches():
    passes = _gemm.vector_passes(CACHES, 33554432, 2, 1 << 40, 0.5)
    assert passes == VECTOR_PASSES, 'half of L1d and L2 over two vectors; DRAM 4 x the LLC'
    assert _gemm.vector_passes({'l1d': 49152, 'l2': 2097152}, 1 << 20, 8, 1 << 40, 0.5, 4096)[-1] == ['all', 8, 'dram', 4096]
    assert _gemm.pass_argument(passes[-1]) == 'all 2 vector dram 8388608'
    with pytest.raises(ValueError, match='lower vector_ops_dram_elements or raise the fraction'):
        _gemm.vector_passes(CACHES, 33554432, 2, 1 << 27, 0.5)


def test_peaks_scale_the_hpl_roles_fp64_table_per_precision():
    with open(os.path.join(ROLES, 'hpl', 'vars', 'peak.yml')) as handle:
        table = yaml.safe_load(handle)
    fp64 = dict((cores, _hpl.peaks('znver4', 'genoa', 2600.0, cores, table['_hpl_flops_per_cycle'],
                                   table['_hpl_family_clock_ghz'])) for cores in (1, 2))
    passes = [['t1', 1, KERNELS, [2048, 4096], 1], ['all', 2, KERNELS, [2560, 5120], 2]]
    # Keyed by metric and clock: the family's (AWS) and /proc/cpuinfo's.
    peaks = dict(((p['metric'], 'AWS' in p['assumption']), p) for p in _gemm.peaks(fp64, passes))
    per_core = table['_hpl_flops_per_cycle']['znver4'] * table['_hpl_family_clock_ghz']['genoa']['ghz']
    assert peaks[('dgemm_gflops_t1', True)]['value'] == pytest.approx(per_core)
    assert peaks[('sgemm_gflops_all', True)]['value'] == pytest.approx(2 * 2 * per_core)
    assert peaks[('sbgemm_gflops_all', True)]['value'] == pytest.approx(4 * 2 * per_core)
    assert [p['metric'] for p in _gemm.peaks(fp64, passes) if p.get('ceiling')] == [
        'dgemm_gflops_all', 'sgemm_gflops_all'], \
        'the headline first (collect states the first efficiency); an assumed bf16 rate is never a ceiling, ' \
        'nor one core\'s (it may turbo above the all-core clock)'
    assert 'x 2 for FP32' in peaks[('sgemm_gflops_t1', True)]['assumption']
    assert peaks[('dgemm_gflops_t1', False)]['value'] == pytest.approx(2.6 * table['_hpl_flops_per_cycle']['znver4'])
    assert _gemm.peaks({1: []}, passes[:1]) == [], 'no FLOP/cycle known: no peak'


def test_the_filters_size_from_host_facts_and_count_physical_cores_for_the_peak():
    from ansible_collections.instancebench.aws.plugins.filter import gemm_plan
    with open(os.path.join(ROLES, 'hpl', 'vars', 'peak.yml')) as handle:
        table = yaml.safe_load(handle)
    # Two cores with two threads each: the all-threads pass runs 4 threads on 2 cores' FMA units.
    host = {'topology': {'logical_cpus': 4, 'physical_cores': 2}, 'memory': {'available_bytes': 1 << 40},
            'uarch': {'name': 'znver4', 'family_name': 'genoa'}, 'cpu': {'mhz': 2600.0},
            'caches': CACHES, 'llc': {'total_bytes': 33554432}}
    passes = gemm_plan.gemm_plan(host, [1, 0], ['dgemm'], 0.5)
    assert passes == [['t1', 1, ['dgemm'], [2048, 4096]], ['all', 4, ['dgemm'], [3200, 6400]]]
    found = gemm_plan.gemm_peaks(host, passes, table['_hpl_flops_per_cycle'], table['_hpl_family_clock_ghz'])
    peaks = dict((p['metric'], p) for p in found if 'AWS' in p['assumption'])
    assert peaks['dgemm_gflops_all']['ceiling'] and not peaks['dgemm_gflops_t1'].get('ceiling')
    assert peaks['dgemm_gflops_all']['value'] == pytest.approx(2 * peaks['dgemm_gflops_t1']['value'])
    assert peaks['dgemm_gflops_all']['assumption'].startswith('2 cores x')
    assert gemm_plan.vector_ops_plan(host, 0.5)[-1] == ['all', 4, 'dram', 8388608]
    assert [gemm_plan.gemm_pass_argument(p) for p in passes][1] == 'all 4 gemm dgemm 3200,6400'


def test_the_job_script_marks_each_pass_and_a_failed_driver_fails_the_pass(tmp_path):
    import subprocess
    script = os.path.join(ROLES, 'gemm', 'files', 'gemm_job.sh')
    # A stand-in driver that prints its thread variable and arguments, then fails the second pass.
    driver = tmp_path / 'driver'
    driver.write_text('#!/bin/sh\necho "args $* threads=$OPENBLAS_NUM_THREADS/$OMP_NUM_THREADS/$BLIS_NUM_THREADS"\n'
                      '[ "$1" = gemm ]\n')
    driver.chmod(0o755)
    proc = subprocess.run(['sh', script, str(driver), '50', 't1 1 gemm dgemm,sgemm 256,512', 'all 3 vector dram 4096'],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        '=== instancebench gemm pass threads=t1 count=1 mode=gemm', 'args gemm dgemm,sgemm 256,512 50 threads=1/1/1',
        '=== instancebench gemm pass end rc=0',
        '=== instancebench gemm pass threads=all count=3 mode=vector', 'args vector dram 4096 50 threads=3/3/3',
        '=== instancebench gemm pass end rc=1']
    passes = _gemm.read(proc.stdout)['passes']
    assert [(p['label'], p['count'], p['mode'], p['rc']) for p in passes] == [('t1', 1, 'gemm', 0), ('all', 3, 'vector', 1)]
