# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _fftw, _numbers
from harness.fixtures import read_fixture


def _read(name):
    return read_fixture('fftw', name)


RUNS = [[p, t] for p in ('icf1024', 'icf64x64', 'icf32x32x32', 'orf65536') for t in (1, 2)]


def test_parses_every_section_of_a_real_run():
    sections = _fftw.parse(_read('znver4-measure-t1-t2.txt'))
    assert [(s['problem'], s['threads']) for s in sections] == [tuple(r) for r in RUNS]
    first = sections[0]
    assert first['planner'] == 'measure' and len(first['verify_errors']) == 3
    assert max(first['verify_errors']) < 1e-14
    assert first['mflops'] > 1000 and 1e-7 < first['time_s'] < 1e-4


def test_analyze_publishes_mflops_and_time_per_problem_and_thread_count():
    metrics, checks, observed = _fftw.analyze(_read('znver4-measure-t1-t2.txt'), {'runs': RUNS})
    assert observed == {}, 'output from before the planning step has no plan to record'
    assert all(c['passed'] for c in checks), [c for c in checks if not c['passed']]
    assert len(metrics) == 16
    per_section = ('verified', 'timed', 'mflops_consistent')
    assert sorted(c['name'] for c in checks if c['name'].split('.')[-1] in per_section) == sorted(
        '%s.%s' % (_fftw.metric_key(p, t), name) for p, t in RUNS for name in per_section)
    value, unit, higher = metrics['mflops_icf32x32x32_t2']
    assert unit == 'FFTW-Mflop/s' and higher is True and value > 0
    assert metrics['time_orf65536_t1'][1:] == ('s', False)


PLANNED_RUNS = [[p, t] for p in ('icf1024', 'icf32x32') for t in (1, 2)]
PLANNED = {'runs': PLANNED_RUNS, 'planned': True, 'verify_tolerance': 1e-10}


def test_a_fresh_plan_records_its_planning_time_apart_from_the_timed_run():
    metrics, checks, observed = _fftw.analyze(_read('znver4-patient-limit60-planned.txt'), PLANNED)
    assert all(c['passed'] for c in checks), [c for c in checks if not c['passed']]
    assert sorted(observed['plans']) == sorted(_fftw.metric_key(p, t) for p, t in PLANNED_RUNS)
    for key, plan in observed['plans'].items():
        assert plan['planner'] == 'patient' and plan['time_limit_s'] == 60 and plan['from_wisdom'] is False
        assert plan['limit_reached'] is False
        # Planning happened in its own step: the timed run's setup (its planning, from wisdom) is
        # far shorter than the search, and the search time is not in the published time per transform.
        assert plan['planning_s'] > 100 * plan['timed_setup_s']
        assert metrics['time_%s' % key][0] < plan['planning_s']
    detail = [c['detail'] for c in checks if c['name'] == 'icf1024_t2.planned'][0]
    assert 'made afresh' in detail and 'time limit 60 s' in detail
    assert len(metrics) == 2 * len(PLANNED_RUNS)


def test_a_later_run_plans_from_wisdom():
    fresh = _fftw.analyze(_read('znver4-patient-limit60-planned.txt'), PLANNED)[2]['plans']
    metrics, checks, observed = _fftw.analyze(_read('znver4-patient-limit60-from-wisdom.txt'), PLANNED)
    assert all(c['passed'] for c in checks), [c for c in checks if not c['passed']]
    for key, plan in observed['plans'].items():
        assert plan['from_wisdom'] is True and plan['limit_reached'] is None
        assert plan['planning_s'] < fresh[key]['planning_s'] / 100
    assert [c['detail'] for c in checks if c['name'] == 'icf32x32_t1.planned'] == [
        'patient plan read from wisdom in 2.5e-05 s, time limit 60 s']
    assert not [c for c in checks if c['name'].endswith('plan_search_complete')], 'no search, nothing to judge'


def test_a_search_cut_by_the_time_limit_is_a_warning_that_keeps_the_numbers():
    runs = [['icf512x512', 1], ['icf512x512', 2]]
    metrics, checks, observed = _fftw.analyze(_read('znver4-patient-limit2-cut.txt'), {'runs': runs, 'planned': True})
    cut = [c for c in checks if c['name'].endswith('.plan_search_complete')]
    assert [(c['passed'], c.get('severity')) for c in cut] == [(False, 'warning')] * 2
    assert 'raise fftw_plan_time_limit' in cut[0]['detail']
    assert all(plan['limit_reached'] for plan in observed['plans'].values())
    assert not [c for c in checks if _numbers.invalidates(c)] and len(metrics) == 4


def test_a_timed_section_without_its_planning_step_fails_when_planning_is_expected():
    text = _read('znver4-patient-limit60-from-wisdom.txt')
    start = text.index('=== instancebench fftw plan problem=icf32x32 threads=2')
    end = text.index('=== instancebench fftw problem=icf32x32 threads=2')
    _metrics, checks, _observed = _fftw.analyze(text[:start] + text[end:], PLANNED)
    failed = [c for c in checks if not c['passed']]
    assert [c['name'] for c in failed] == ['icf32x32_t2.planned'] and 'plan marker missing' in failed[0]['detail']
    cut = text[:text.index('planner time', start)] + text[end:]
    failed = [c for c in _fftw.analyze(cut, PLANNED)[1] if not c['passed']]
    assert [c['name'] for c in failed] == ['icf32x32_t2.planned'] and 'did not finish' in failed[0]['detail']


def test_real_verification_failure_is_a_failed_check():
    metrics, checks = _fftw.analyze(_read('znver4-verify-tolerance-1e-30.txt'), {'runs': [['orf65536', 1]]})[:2]
    verified = [c for c in checks if c['name'] == 'orf65536_t1.verified'][0]
    assert verified['passed'] is False and 'impulse error 8.881784e-16' in verified['detail']
    assert [c for c in checks if c['name'] == 'orf65536_t1.timed'][0]['passed'] is False
    assert metrics == {}


def test_run_killed_while_planning_has_no_numbers():
    metrics, checks = _fftw.analyze(_read('znver4-patient-killed-at-3s.txt'), {'runs': [['ocf4194304', 1]]})[:2]
    assert metrics == {} and not any(c['passed'] for c in checks if c['name'].startswith('ocf4194304_t1.'))


def test_missing_section_and_foreign_output():
    checks = _fftw.analyze(_read('znver4-measure-t1-t2.txt'), {'runs': [['icf2048', 1]]})[1]
    assert [c['passed'] for c in checks if c['name'] == 'icf2048_t1.ran'] == [False]
    metrics, checks = _fftw.analyze('Segmentation fault\n', {})[:2]
    assert metrics == {} and [c['passed'] for c in checks if c['name'] == 'output_complete'] == [False]


@pytest.mark.parametrize('problem, size', [
    ('icf1024', 1024 * 16), ('ocf1024', 2 * 1024 * 16), ('irf4096', 4096 * 8), ('icf64x64x64', 64 ** 3 * 16)])
def test_problem_bytes(problem, size):
    assert _fftw.problem_bytes(problem) == size


def test_bad_problems_are_refused_with_the_fix():
    with pytest.raises(ValueError, match='not an FFTW bench problem'):
        _fftw.problem_bytes('fft1024')
    with pytest.raises(ValueError, match='fftw_problems entry icf1048576x1024 needs'):
        _fftw.check_problems(['icf1024', 'icf1048576x1024'], 2 ** 30, 0.5)


def test_out_of_cache_problem_spans_four_times_the_llc():
    assert _fftw.out_of_cache_problem(32 * 2 ** 20, 24 * 2 ** 30, 0.5) == 'ocf4194304'
    assert _fftw.out_of_cache_problem(0, 24 * 2 ** 30, 0.5) == 'ocf1048576'     # the floor
    with pytest.raises(ValueError, match='raise fftw_memory_fraction'):
        _fftw.out_of_cache_problem(32 * 2 ** 20, 2 ** 27, 0.5)
