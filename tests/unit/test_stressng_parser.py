# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stressng job's parser on real stress-ng 0.15.06 captures (tests/fixtures/stressng/README.md)
and on copies of them mutated in memory."""
import re

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _result, _stressng
from harness.fixtures import read_fixture
from harness.checks import by_name as _by_name, invalidating as _invalidating

PLAN = [{'method': method, 'label': label, 'workers': workers}
        for method in ('div16', 'matrixprod') for label, workers in (('1', 1), ('all', 2))]
DEFAULT = {'version': '0.15.06', 'seconds': 20, 'passes': PLAN}
SHORT = dict(DEFAULT, seconds=2)


def _read(name):
    return read_fixture('stressng', name)


def test_default_capture_gives_the_figures_stress_ng_printed():
    metrics, checks, observed = _stressng.analyze(_read('znver4-div16-matrixprod-20s.txt'), DEFAULT)
    assert metrics == {
        'div16_ops_per_s_1': (2997.59, 'bogo-ops/s', True),
        'div16_ops_per_cpu_s_1': (3069.57, 'bogo-ops/CPU-s', True),
        'div16_ops_per_s_all': (3850.17, 'bogo-ops/s', True),
        'div16_ops_per_cpu_s_all': (3055.83, 'bogo-ops/CPU-s', True),
        'matrixprod_ops_per_s_1': (1140.74, 'bogo-ops/s', True),
        'matrixprod_ops_per_cpu_s_1': (1149.62, 'bogo-ops/CPU-s', True),
        'matrixprod_ops_per_s_all': (1290.78, 'bogo-ops/s', True),
        'matrixprod_ops_per_cpu_s_all': (1135.47, 'bogo-ops/CPU-s', True),
    }
    assert _invalidating(checks) == []
    by_name = _by_name(checks)
    for key in ('div16.1', 'div16.all', 'matrixprod.1', 'matrixprod.all'):
        for name in ('metrics_row', 'workers', 'completed', 'stressor_errors', 'duration',
                     'rate_consistent.%s.real' % key, 'rate_consistent.%s.cpu' % key):
            full = name if name.startswith('rate_') else '%s.%s' % (name, key)
            assert by_name[full]['passed'] is True, by_name[full]
    assert by_name['stress_ng_version']['passed'] is True
    assert observed == {'stress_ng': 'stress-ng, version 0.15.06 (gcc 12.2.0, x86_64 Linux 6.18.44-fc-v1252)'}
    assert all(re.match(r'^[a-z0-9_]+$', name) for name in metrics)


def test_a_shared_host_is_a_warning_that_keeps_the_result():
    """The capture machine was shared: two workers got 63 % of a CPU each."""
    _metrics, checks, _observed = _stressng.analyze(_read('znver4-div16-matrixprod-20s.txt'), DEFAULT)
    share = _by_name(checks)['cpu_share.div16.all']
    assert share['passed'] is False and share['severity'] == 'warning' and '63.00 %' in share['detail']
    assert _by_name(checks)['cpu_share.div16.1']['passed'] is True   # 97.66 %
    entries, combined, passed, _observed = _result.combine([_stressng.analyze(
        _read('znver4-div16-matrixprod-20s.txt'), DEFAULT)])
    assert passed is True and 'rep1.cpu_share.div16.all' in [c['name'] for c in combined]
    assert dict((e['name'], e['value']) for e in entries)['div16_ops_per_s_all'] == 3850.17


def test_short_capture_with_the_plan_of_the_tests():
    metrics, checks, _observed = _stressng.analyze(_read('znver4-div16-matrixprod-2s.txt'), SHORT)
    assert _invalidating(checks) == []
    assert metrics['div16_ops_per_s_1'] == (2957.93, 'bogo-ops/s', True)
    assert metrics['matrixprod_ops_per_cpu_s_all'] == (1077.66, 'bogo-ops/CPU-s', True)


def test_the_20s_capture_judged_as_a_2s_plan_fails_its_duration():
    _metrics, checks, _observed = _stressng.analyze(_read('znver4-div16-matrixprod-20s.txt'), SHORT)
    assert _by_name(checks)['duration.div16.1']['passed'] is False


def test_another_version_fails_the_version_check():
    """Bogo ops are defined per version: SCore's figures compare only with the same version."""
    _metrics, checks, _observed = _stressng.analyze(_read('znver4-div16-matrixprod-20s.txt'),
                                                    dict(DEFAULT, version='0.17.08'))
    version = _by_name(checks)['stress_ng_version']
    assert version['passed'] is False and '0.15.06' in version['detail']


def test_killed_run_keeps_its_table_but_fails_duration_end_marker_and_missing_passes():
    metrics, checks, _observed = _stressng.analyze(_read('znver4-killed-at-5s.txt'), dict(DEFAULT, seconds=10))
    by_name = _by_name(checks)
    assert by_name['duration.div16.1']['passed'] is False and '4.98' in by_name['duration.div16.1']['detail']
    assert by_name['completed.div16.1']['passed'] is False
    assert 'no end marker' in by_name['completed.div16.1']['detail']
    assert by_name['metrics_row.div16.all']['passed'] is False
    assert by_name['metrics_row.matrixprod.1']['passed'] is False
    assert set(metrics) == {'div16_ops_per_s_1', 'div16_ops_per_cpu_s_1'}
    _entries, _checks, passed, _observed = _result.combine([(metrics, checks)])
    assert passed is False


def test_a_method_the_version_lacks_names_stress_ngs_complaint():
    plan = {'version': '0.15.06', 'seconds': 2, 'passes': [{'method': 'div17', 'label': '1', 'workers': 1}]}
    metrics, checks, _observed = _stressng.analyze(_read('znver4-unknown-method-div17.txt'), plan)
    by_name = _by_name(checks)
    assert metrics == {}
    assert by_name['metrics_row.div17.1']['passed'] is False
    assert 'cpu-method must be one of' in by_name['metrics_row.div17.1']['detail']
    assert by_name['completed.div17.1']['passed'] is False and 'exit status 1' in by_name['completed.div17.1']['detail']


def test_garbled_figure_fails_number_format_and_loses_that_pass():
    text = _read('znver4-div16-matrixprod-20s.txt').replace('3850.17', '3850.1.7')
    metrics, checks, _observed = _stressng.analyze(text, DEFAULT)
    by_name = _by_name(checks)
    assert by_name['number_format']['passed'] is False and '3850.1.7' in by_name['number_format']['detail']
    assert by_name['metrics_row.div16.all']['passed'] is False
    assert 'div16_ops_per_s_all' not in metrics


def test_changed_bogo_ops_count_breaks_both_rate_checks():
    text = _read('znver4-div16-matrixprod-20s.txt').replace(' 59952 ', ' 69952 ')
    _metrics, checks, _observed = _stressng.analyze(text, DEFAULT)
    by_name = _by_name(checks)
    assert by_name['rate_consistent.div16.1.real']['passed'] is False
    assert by_name['rate_consistent.div16.1.cpu']['passed'] is False
    assert by_name['rate_consistent.div16.all.real']['passed'] is True


def test_unsuccessful_run_and_fail_lines_invalidate():
    text = _read('znver4-div16-matrixprod-20s.txt')
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith('stress-ng: info:  [9104] successful run'))
    lines[at] = lines[at].replace('successful', 'unsuccessful')
    lines.insert(at, 'stress-ng: fail:  [9104] cpu: matrixprod: matrix product computation failed')
    _metrics, checks, _observed = _stressng.analyze('\n'.join(lines) + '\n', DEFAULT)
    by_name = _by_name(checks)
    assert by_name['completed.matrixprod.1']['passed'] is False
    assert 'unsuccessful' in by_name['completed.matrixprod.1']['detail']
    assert by_name['stressor_errors.matrixprod.1']['passed'] is False
    assert 'computation failed' in by_name['stressor_errors.matrixprod.1']['detail']


def test_workers_must_be_what_the_plan_asked():
    plan = dict(DEFAULT, passes=[dict(p, workers=4) if p['label'] == 'all' else p for p in PLAN])
    _metrics, checks, _observed = _stressng.analyze(_read('znver4-div16-matrixprod-20s.txt'), plan)
    workers = _by_name(checks)['workers.div16.all']
    assert workers['passed'] is False and 'asked 4' in workers['detail'] and 'dispatched 2' in workers['detail']


def test_the_roles_plan_form_is_the_same_plan():
    as_role = {'version': '0.15.06', 'seconds': 20, 'methods': ['div16', 'matrixprod'], 'workers': {'1': 1, 'all': 2}}
    assert sorted(_stressng.plan(as_role), key=repr) == sorted(PLAN, key=repr)
    metrics, checks, _observed = _stressng.analyze(_read('znver4-div16-matrixprod-20s.txt'), as_role)
    assert len(metrics) == 8 and _invalidating(checks) == []
    _metrics, checks, _observed = _stressng.analyze(_read('znver4-div16-matrixprod-20s.txt'),
                                                    dict(as_role, methods=['div16', 'div32']))
    assert _by_name(checks)['metrics_row.div32.1']['passed'] is False


def test_without_a_plan_the_passes_found_are_judged():
    metrics, checks, _observed = _stressng.analyze(_read('znver4-div16-matrixprod-2s.txt'), {})
    assert len(metrics) == 8 and _invalidating(checks) == []
    assert 'stress_ng_version' not in _by_name(checks)


@pytest.mark.parametrize('text', ['', 'stress-ng: info:  [1] dispatching hogs: 1 cpu\n', 'Segmentation fault\n'])
def test_foreign_or_empty_output_has_no_metrics_and_a_failed_check(text):
    metrics, checks, _observed = _stressng.analyze(text, {})
    assert metrics == {} and _by_name(checks)['passes_found']['passed'] is False


def test_metrics_brief_rows_are_read_too():
    """--metrics-brief has 6 figures and no CPU share column: no cpu_share check then."""
    text = ('=== instancebench stressng pass method=div16 label=1 workers=1 seconds=3\n'
            'stress-ng: info:  [11752] dispatching hogs: 1 cpu\n'
            'stress-ng: metrc: [11752] cpu                3257      3.00      2.84      0.01      1085.67        1142.81\n'
            'stress-ng: info:  [11752] successful run completed in 3.01s\n'
            '=== instancebench stressng pass end rc=0\n')
    metrics, checks, _observed = _stressng.analyze(text, {})
    assert metrics['div16_ops_per_s_1'] == (1085.67, 'bogo-ops/s', True)
    assert _invalidating(checks) == [] and 'cpu_share.div16.1' not in _by_name(checks)


def test_a_newer_versions_miscellaneous_metrics_are_not_table_rows():
    """stress-ng 0.16 on print "miscellaneous metrics:" after the table (format from V0.17.06's
    stress-ng.c; these two lines are written here, not captured)."""
    text = _read('znver4-div16-matrixprod-2s.txt').replace(
        'stress-ng: info:  [10426] successful run completed',
        'stress-ng: metrc: [10426] miscellaneous metrics:\n'
        'stress-ng: metrc: [10426] cpu              3044.10 bogo-ops per second (geometric mean of 1 instance)\n'
        'stress-ng: info:  [10426] successful run completed')
    metrics, checks, _observed = _stressng.analyze(text, SHORT)
    assert _invalidating(checks) == [] and metrics['div16_ops_per_s_1'] == (2957.93, 'bogo-ops/s', True)
    assert _stressng.read(text)['passes'][0]['misc'][1].startswith('cpu              3044.10')
