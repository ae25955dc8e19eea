# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DGEMM the HPL job runs before and after xhpl (files/hpl_job.sh), read from a captured job
output (tests/fixtures/hpl_tuning/job-n4000-dgemm.txt) and mutated copies of it for the failures."""
import re

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _hpl
from harness.fixtures import read_fixture

JOB = read_fixture('hpl_tuning', 'job-n4000-dgemm.txt')
ASKED = {'n': 3072, 'ranks': 2, 'threads': 1, 'min_ms': 1000, 'ratio_warning': 0.5, 'ratio_limit': 1.05}
EXPECTED = {'n': 4000, 'nb': 128, 'p': 1, 'q': 2, 'variant': 'WR11C2R4', 'require_openblas_core': True, 'dgemm': ASKED}
_RESULT = re.compile(r'^\[1,(\d)\]<stdout>:result kernel=dgemm n=(\d+) calls=(\d+) seconds=(\S+) ')


def _rates(text):
    """[{rank: GFLOP/s}] per DGEMM run (before, after), read here from the job output on its own
    terms: 2 n^3 x calls / seconds."""
    runs = []
    for line in text.splitlines():
        if line.startswith('=== instancebench hpl dgemm begin'):
            runs.append({})
        match = _RESULT.match(line)
        if match:
            rank, n, calls, seconds = match.groups()
            runs[-1][int(rank)] = 2.0 * int(n) ** 3 * int(calls) / float(seconds) / 1e9
    return runs


def _failed(checks):
    return [c['name'] for c in checks if not c['passed'] and c.get('severity') in (None, 'error')]


def test_hpl_and_its_dgemm_are_read_from_one_job_output():
    metrics, checks, observed = _hpl.analyze(JOB, EXPECTED)
    runs = _rates(JOB)
    assert len(runs) == 2 and all(sorted(rates) == [0, 1] for rates in runs)
    # The faster of the two runs (before and after HPL), each the ranks' rates summed.
    best = max(sum(rates.values()) for rates in runs)
    assert metrics['dgemm_gflops'][0] == pytest.approx(best, rel=1e-4)
    assert metrics['hpl_dgemm_ratio'][0] == pytest.approx(metrics['gflops'][0] / best, rel=1e-3)
    assert metrics['dgemm_gflops'][1:] == ('GFLOP/s', True) and metrics['hpl_dgemm_ratio'][1:] == ('x', True)
    assert _failed(checks) == [], checks
    names = [c['name'] for c in checks]
    for when in ('before', 'after'):
        for rank in (0, 1):
            assert 'dgemm.%s.rank%d.reference' % (when, rank) in names and 'dgemm.%s.rank%d.blas_threads' % (when, rank) in names
    assert 'variant' in names and observed['openblas_core']
    # The registry accepts what the analyzer reports, in its units and direction.
    declared = _benchmarks.get('hpl').metrics
    assert all(declared[name] == (unit, higher) for name, (_value, unit, higher) in metrics.items())


def test_a_ratio_below_the_warning_threshold_is_a_warning_and_kept():
    metrics, checks = _hpl.analyze(JOB, dict(EXPECTED, dgemm=dict(ASKED, ratio_warning=1.0)))[:2]
    [warning] = [c for c in checks if c['name'] == 'dgemm.ratio_expected']
    assert warning['passed'] is False and warning['severity'] == 'warning' and 'hpl_dgemm_ratio_warning' in warning['detail']
    assert _failed(checks) == [] and 'hpl_dgemm_ratio' in metrics


def test_hpl_faster_than_its_own_dgemm_is_a_timing_error():
    # Both ranks' DGEMM timed slower until HPL would be 1.2 x the BLAS it calls.
    factor = 1.2 / _hpl.analyze(JOB, EXPECTED)[0]['hpl_dgemm_ratio'][0]
    slow = re.sub(r'seconds=(\S+)', lambda m: 'seconds=%.6f' % (factor * float(m.group(1))), JOB)
    metrics, checks = _hpl.analyze(slow, EXPECTED)[:2]
    assert metrics['hpl_dgemm_ratio'][0] > 1.05
    assert _failed(checks) == ['dgemm.ratio_plausible'] and 'timing error' in \
        [c for c in checks if c['name'] == 'dgemm.ratio_plausible'][0]['detail']


def test_a_wrong_dgemm_result_fails_its_reference_check():
    wrong = re.sub(r'(\[1,1\]<stdout>:result .*max_rel_error=)\S+', r'\g<1>1.000e-03', JOB, count=1)
    metrics, checks = _hpl.analyze(wrong, EXPECTED)[:2]
    assert _failed(checks) == ['dgemm.before.rank1.reference'] and 'dgemm_gflops' not in metrics


def test_a_missing_rank_or_a_failed_launch_publishes_no_dgemm():
    one_rank = '\n'.join(line for line in JOB.splitlines() if not line.startswith('[1,1]'))
    metrics, checks = _hpl.analyze(one_rank, EXPECTED)[:2]
    assert 'dgemm_gflops' not in metrics and 'hpl_dgemm_ratio' not in metrics
    assert set(_failed(checks)) == {'dgemm.%s.%s' % (when, what) for when in ('before', 'after')
                                    for what in ('complete', 'rank1.result')}
    head, tail = JOB.rsplit('=== instancebench hpl dgemm end rc=0', 1)
    assert _failed(_hpl.analyze(head + '=== instancebench hpl dgemm end rc=1' + tail, EXPECTED)[1]) == [
        'dgemm.after.complete']
    # The run after HPL missing altogether (cut short): no figure from half of the bracket.
    cut = JOB[:JOB.index('=== instancebench hpl dgemm begin when=after')]
    metrics, checks = _hpl.analyze(cut, EXPECTED)[:2]
    assert _failed(checks) == ['dgemm.runs'] and 'dgemm_gflops' not in metrics


def test_the_faster_dgemm_run_counts_so_a_busy_neighbour_is_not_taken_for_hpl_beating_its_blas():
    # The run after HPL timed 4 x slower (a neighbour's load arrived): the run before still counts.
    head, tail = JOB.split('=== instancebench hpl dgemm begin when=after')
    slowed = head + '=== instancebench hpl dgemm begin when=after' + re.sub(
        r'seconds=(\S+)', lambda m: 'seconds=%.6f' % (4 * float(m.group(1))), tail)
    metrics, checks = _hpl.analyze(slowed, EXPECTED)[:2]
    assert metrics['dgemm_gflops'][0] == pytest.approx(sum(_rates(JOB)[0].values()), rel=1e-4)
    assert _failed(checks) == []


def test_threads_other_than_hpls_fail_and_another_variant_fails():
    assert set(_failed(_hpl.analyze(JOB, dict(EXPECTED, dgemm=dict(ASKED, threads=2)))[1])) == {
        'dgemm.%s.rank%d.blas_threads' % (when, rank) for when in ('before', 'after') for rank in (0, 1)}
    assert _failed(_hpl.analyze(JOB, dict(EXPECTED, variant='WR01C2R4'))[1]) == ['variant']


def test_a_blas_that_does_not_say_its_threads_is_a_warning():
    # MKL or BLIS linked as hpl_blas=custom: the driver finds no openblas_get_num_threads and prints 0.
    silent = JOB.replace('<stdout>:blas_threads=1', '<stdout>:blas_threads=0')
    metrics, checks = _hpl.analyze(silent, EXPECTED)[:2]
    warned = [c for c in checks if c['name'].endswith('.blas_threads')]
    assert len(warned) == 4 and all(c['severity'] == 'warning' and not c['passed'] for c in warned)
    assert _failed(checks) == [] and 'dgemm_gflops' in metrics


def test_without_a_dgemm_asked_hpl_alone_is_read():
    metrics = _hpl.analyze(JOB, dict(EXPECTED, dgemm={}))[0]
    assert set(metrics) == {'gflops', 'time'}


def test_dgemm_size_is_an_nb_multiple_near_the_target_within_memory():
    gib = 2 ** 30
    assert _hpl.dgemm_size(256, 1, 2, 3072, 16 * gib, 0.8) == 3072
    assert _hpl.dgemm_size(192, 1, 2, 3072, 16 * gib, 0.8) == 3072
    n = _hpl.dgemm_size(232, 8, 1, 3072, 64 * gib, 0.8)
    assert n % 232 == 0 and abs(n - 6144) <= 116
    # Little memory: shrunk by NBs until every rank's three matrices fit.
    small = _hpl.dgemm_size(256, 1, 2, 3072, 0.5 * gib, 0.8)
    assert small % 256 == 0 and small < 3072 and 2 * 3 * 8 * small ** 2 <= 0.4 * gib
    with pytest.raises(ValueError, match='hpl_memory_fraction'):
        _hpl.dgemm_size(256, 1, 2, 3072, 2 * 1024 ** 2, 0.8)
