# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mutated copies of real captured outputs: a garbled figure, a cut line, two tables or runs,
a residual above the method's bound, a verification error above the tolerance. Each gives an
invalid repetition with a check naming the cause, never an exception and never a number."""

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _fftw, _hpl, _result, _stream
from harness.fixtures import read_fixture
from harness.checks import invalid_details as _failed

STREAM = read_fixture('stream', 'znver4-omp2-o3-native.txt')
HPL = read_fixture('hpl', 'znver4-hpcc-openblas-n6000-nb256-1x2.txt')
FFTW = read_fixture('fftw', 'znver4-measure-t1-t2.txt')


def _combined_valid(analysed):
    return _result.combine([analysed])[2]


@pytest.mark.parametrize('analyze, text, old, new, line_word', [
    (_stream.analyze, STREAM, 'Triad:          30520.2', 'Triad:          76904.6.1', 'STREAM row'),
    (_stream.analyze, STREAM, 'Copy:           35656.3     0.016067', 'Copy:           35656.3     0.01-6067', 'STREAM row'),
    (_stream.analyze, STREAM, 'Add:            29115.6     0.029549     0.027659     0.030903', 'Add:            29115.6     0.029549     0.0276',
     'STREAM row'),                                                                 # a line cut mid-number
    (_stream.analyze, STREAM, 'avg error less than 1.000000e-13', 'avg error less than 1.0000--e-13', 'validation line'),
    (_hpl.analyze, HPL, '4.186e+01', '9.295e+0-1', 'HPL result line'),
    (_hpl.analyze, HPL, '0.0028050 ......', '0.00.21325 ......', 'HPL residual line'),
    (_hpl.analyze, HPL, '3.44', '3.4x4', 'HPL result line'),
    (_fftw.analyze, FFTW, "``mflops'': 39995.27", "``mflops'': 5659x5.655", 'FFTW timing line'),
    (_fftw.analyze, FFTW, 'icf1024 3.43065e-16 6.66134e-16 6.78857e-16', 'icf1024 3.43065e-16 -- 6.78857e-16',
     'FFTW verification line'),
])
def test_a_malformed_token_is_a_named_failed_check(analyze, text, old, new, line_word):
    assert old in text
    analysed = analyze(text.replace(old, new, 1), {})
    failed = _failed(analysed[1])
    assert 'number_format' in failed and line_word in failed['number_format'] and 'line ' in failed['number_format']
    assert not _combined_valid(analysed), 'an output with a garbled figure publishes nothing'


def test_two_stream_tables_are_judged_table_by_table():
    both = STREAM + STREAM.replace('Triad:          30520.2', 'Triad:          31000.0').replace(
        '0.026386', '0.025977')
    metrics, checks = _stream.analyze(both, {})[:2]
    assert not _failed(checks)
    [stated] = [c['detail'] for c in checks if c['name'] == 'tables']
    assert '2 STREAM tables' in stated and 'best rate' in stated
    assert metrics['triad_bandwidth'][0] == 31.0, 'the published figure is the one stated, not the last table silently'
    one_bad = STREAM + STREAM.replace('Solution Validates', 'Failed Validation on array c[]')
    failed = _failed(_stream.analyze(one_bad, {})[1])
    assert 'table(s) [2] of 2' in failed['solution_validates']


def test_stream_rate_must_agree_with_bytes_over_time():
    changed = STREAM.replace('Triad:          30520.2', 'Triad:          61040.4')   # rate doubled, time not
    failed = _failed(_stream.analyze(changed, {})[1])
    assert 'rate_consistent.triad' in failed and 'MB/s from 3 arrays' in failed['rate_consistent.triad']


def test_stream_zero_time_is_implausible_not_a_crash():
    changed = STREAM.replace('0.026386', '0.000000')
    failed = _failed(_stream.analyze(changed, {})[1])
    assert 'rate_consistent.triad' in failed and 'times_ordered.triad' in failed


def test_hpl_residual_above_the_method_bound_fails_despite_passed():
    changed = HPL.replace('0.0028050 ......', '17.0028050 ......')
    failed = _failed(_hpl.analyze(changed, {})[1])
    assert 'residual_below_threshold' in failed and "method's 16.0" in failed['residual_below_threshold']


def test_hpl_gflops_must_agree_with_n_and_time():
    changed = HPL.replace('4.186e+01', '8.372e+01')
    failed = _failed(_hpl.analyze(changed, {})[1])
    assert 'gflops_consistent' in failed and '(2/3 N^3 + 3/2 N^2)' in failed['gflops_consistent']


def test_two_hpl_runs_are_judged_run_by_run_and_the_published_one_is_stated():
    block = HPL[HPL.index('WR11C2R4'):HPL.index('PASSED') + len('PASSED')] + '\n'
    slower = block.replace('3.44', '3.60').replace('4.186e+01', '4.002e+01')
    metrics, checks = _hpl.analyze(HPL + slower, {})[:2]
    assert not _failed(checks)
    [stated] = [c['detail'] for c in checks if c['name'] == 'runs']
    assert '2 HPL runs' in stated and metrics['gflops'][0] == 41.86
    one_failed = HPL + slower.replace('PASSED', 'FAILED')
    assert 'run2.residual_passed' in _failed(_hpl.analyze(one_failed, {})[1])


def test_fftw_error_above_the_tolerance_fails_even_without_bench_saying_so():
    metrics, checks = _fftw.analyze(FFTW, {'verify_tolerance': 5e-16})[:2]
    failed = _failed(checks)
    assert 'icf1024_t1.verified' in failed and 'tolerance 5e-16' in failed['icf1024_t1.verified']


def test_fftw_mflops_must_agree_with_its_operation_count():
    changed = FFTW.replace("time: 1.28 us, ``mflops'': 39995.27", "time: 2.56 us, ``mflops'': 39995.27")
    failed = _failed(_fftw.analyze(changed, {})[1])
    assert 'icf1024_t1.mflops_consistent' in failed


def test_an_array_below_four_times_the_cache_keeps_its_numbers_but_breaks_the_run_rule():
    """The capture's arrays are 33554432 elements: compliant for a 64 MiB cache, not for 105 MiB."""
    assert [c['passed'] for c in _stream.analyze(STREAM, {'llc_bytes': 64 * 2 ** 20})[1]
            if c['name'] == 'run_rule.array_4x_llc'] == [True]
    analysed = _stream.analyze(STREAM, {'llc_bytes': 105 * 2 ** 20})
    [rule] = [c for c in analysed[1] if c['name'] == 'run_rule.array_4x_llc']
    assert rule['passed'] is False and rule['severity'] == 'rule' and '4 x the' in rule['detail']
    metrics, checks, passed, _observed = _result.combine([analysed])
    assert passed and metrics, 'a broken run rule is not an invalid measurement'
    assert _result.compliance(checks) == {'compliant': False, 'broken': ['rep1.run_rule.array_4x_llc: ' + rule['detail']]}
