# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spread gate, the median's confidence interval, and the kernel and peak checks."""

import random

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _quality, _stats

AVX512 = ['avx', 'avx2', 'avx512dq', 'avx512f', 'avx512vl', 'fma', 'sse2']
AVX2 = ['avx', 'avx2', 'fma', 'sse2']


@pytest.mark.parametrize('n, ranks, level', [
    (1, (1, 1), 0.0), (5, (1, 5), 0.9375), (6, (1, 6), 0.96875), (9, (2, 8), 0.960938), (20, (6, 15), 0.958611)])
def test_median_ci_uses_the_order_statistics_of_the_binomial(n, ranks, level):
    values = list(range(1, n + 1))
    random.Random(n).shuffle(values)
    assert _stats.median_ci(values) == (float(ranks[0]), float(ranks[1]), level)


def test_median_ci_covers_the_true_median_about_95_percent_of_the_time():
    rng = random.Random(7)
    trials = 2000
    covered = sum(low <= 0.0 <= high for low, high, _ignored in
                  (_stats.median_ci([rng.gauss(0, 1) for _draw in range(20)]) for _trial in range(trials)))
    assert 0.93 < covered / trials < 0.99


def _rep(value, passed=True):
    return ({'triad_bandwidth': (value, 'GB/s', True)}, [{'name': 'x', 'passed': passed, 'detail': ''}], {})


def test_gate_waits_for_three_values_then_stops_when_the_spread_is_small():
    gate = {'triad_bandwidth': 0.03}
    assert _quality.gate_reached([_rep(50.0)], gate, 1)[0] is False
    assert _quality.gate_reached([_rep(50.0), _rep(50.2)], gate, 1)[0] is False
    stop, cvs = _quality.gate_reached([_rep(50.0), _rep(50.2), _rep(49.9)], gate, 1)
    assert stop is True and cvs['triad_bandwidth'] < 0.01
    assert _quality.gate_reached([_rep(50.0), _rep(70.0), _rep(40.0)], gate, 1)[0] is False
    assert _quality.gate_reached([_rep(50.0), _rep(50.0), _rep(50.0)], gate, 5)[0] is False, 'minimum first'


def test_a_failed_repetition_stops_at_once():
    assert _quality.gate_reached([_rep(50.0), _rep(50.0, passed=False)], {'triad_bandwidth': 0.03}, 3)[0] is True


def test_gate_patterns_cover_every_matching_metric():
    reps = [({'mflops_a_t1': (v, 'x', True), 'mflops_b_t2': (w, 'x', True), 'time_a_t1': (1.0, 's', False)}, [], {})
            for v, w in ((100, 100), (101, 150), (99, 60))]
    status = _quality.quality(reps, {'mflops_*': 0.05}, 3, 5, [])
    assert status['gate'] == {'mflops_a_t1': 0.05, 'mflops_b_t2': 0.05}, 'the pattern, expanded over the metrics'
    assert sorted(status['cv']) == ['mflops_a_t1', 'mflops_b_t2']
    assert status['status'] == 'noisy'


@pytest.mark.parametrize('values, gate, status', [
    ([50.0, 50.1, 49.9], {'triad_bandwidth': 0.03}, 'stable'),
    ([50.0, 70.0, 40.0], {'triad_bandwidth': 0.03}, 'noisy'),
    ([50.0, 70.0], {'triad_bandwidth': 0.03}, 'unjudged'),
    ([50.0, 70.0, 40.0], {}, 'unjudged'),
])
def test_quality_status(values, gate, status):
    assert _quality.quality([_rep(v) for v in values], gate, 1, 10, [])['status'] == status


def test_a_forced_narrow_openblas_kernel_is_a_warning_naming_the_variable():
    check = _quality.blas_kernel_check('Haswell', AVX512, 'x86_64', {'OPENBLAS_CORETYPE': 'Haswell'})
    assert check['passed'] is False and check['severity'] == 'warning'
    assert 'OPENBLAS_CORETYPE=Haswell is set' in check['detail'] and 'avx512' in check['detail']


def test_an_old_openblas_that_does_not_know_the_cpu_is_named_too():
    check = _quality.blas_kernel_check('Zen', AVX512, 'x86_64', {})
    assert check['passed'] is False and 'does not know the CPU' in check['detail']


@pytest.mark.parametrize('core, flags', [('Cooperlake', AVX512), ('Haswell', AVX2), ('SkylakeX', AVX512)])
def test_a_kernel_as_wide_as_the_cpu_passes(core, flags):
    assert _quality.blas_kernel_check(core, flags, 'x86_64', {'OPENBLAS_CORETYPE': core})['passed'] is True


def test_arm_sve_cpu_with_a_neon_kernel_is_flagged():
    assert _quality.blas_kernel_check('NeoverseN1', ['asimd', 'sve'], 'aarch64', {})['passed'] is False


def test_library_environment_keeps_only_variables_that_steer_libraries():
    env = {'OPENBLAS_CORETYPE': 'Haswell', 'OPENBLAS_L2_SIZE': '512', 'OMP_NUM_THREADS': 2, 'HOME': '/root',
           'AWS_SECRET_ACCESS_KEY': 'x'}
    assert _quality.library_environment(env) == {'OMP_NUM_THREADS': '2', 'OPENBLAS_CORETYPE': 'Haswell',
                                                 'OPENBLAS_L2_SIZE': '512'}


def test_a_result_above_a_ceiling_peak_fails_and_other_peaks_are_not_ceilings():
    metrics = [{'name': 'gflops', 'value': 160.0}]
    peaks = [{'metric': 'gflops', 'value': 100.0, 'ceiling': True, 'assumption': '2 cores x 3.1 GHz'},
             {'metric': 'gflops', 'value': 80.0, 'assumption': '/proc/cpuinfo clock'}]
    [check] = _quality.peak_checks(metrics, peaks)
    assert check['passed'] is False and '160 %' in check['detail'] and 'wrong' in check['detail']
    assert _quality.peak_checks([{'name': 'gflops', 'value': 104.0}], peaks)[0]['passed'] is True


def test_summary_line_says_quality_spread_runs_and_warnings():
    doc = {'quality': _quality.quality([_rep(v) for v in (50.0, 50.1, 49.9)], {'triad_bandwidth': 0.03}, 3, 10,
                                       ['blas_kernel_matches_cpu: OPENBLAS_CORETYPE=Haswell is set']),
           'build': {'flag_warnings': ['gcc does not accept -march=znver4']}}
    line = _quality.summary_line(doc)
    assert line.startswith('quality stable over 3 runs (3 to 10): triad_bandwidth CV 0.2 % (gate 3 %)')
    assert 'OPENBLAS_CORETYPE=Haswell' in line and 'znver4' in line


def test_a_job_without_figures_or_with_a_failed_run_is_never_called_stable():
    failed = [({}, [{'name': 'table_complete', 'passed': False, 'detail': 'truncated'}], {})] * 3
    assert _quality.quality(failed, {'triad_bandwidth': 0.03}, 3, 10, [])['status'] == 'unjudged'
    last_failed = [_rep(50.0), _rep(50.0), _rep(50.0, passed=False)]
    assert _quality.quality(last_failed, {'triad_bandwidth': 0.03}, 3, 10, [])['status'] == 'unjudged'
