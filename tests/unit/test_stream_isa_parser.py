# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""stream_isa's analyzer on the job script's real output (tests/fixtures/stream_isa/README.md says
how it was made) and on mutated copies: per-level STREAM metrics, each level's uplift over the
baseline, the skipped levels' checks, and the failures that must invalidate a repetition."""

import os
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _numbers, _stream, _stream_isa

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stream_isa')
LEVELS = ['x86_64', 'x86_64_v2', 'x86_64_v3', 'x86_64_v4', 'native']


def _text():
    with open(os.path.join(FIXTURES, 'job-x86_64-5levels.txt')) as handle:
        return handle.read()


def _expected(text, levels=None, skipped=None, baseline='x86_64'):
    # The rule's LLC is taken from the capture's own array (each array 4 x LLC): no CPU's cache in the test.
    elements = int(re.search(r'^Array size = (\d+)', text, re.M).group(1))
    threads = int(re.search(r'^Number of Threads counted = (\d+)', text, re.M).group(1))
    return {'levels': LEVELS if levels is None else levels, 'baseline': baseline, 'skipped': skipped or [],
            'threads': threads, 'array_size_elements': elements, 'llc_bytes': elements * 8 // 4}


def _section_triads(text):
    """Each pass's triad as _stream alone reads it, by level: what the uplifts must be made of."""
    found = {}
    for level, body in re.findall(r'^=== instancebench stream_isa pass level=(\S+)\n(.*?)^=== instancebench stream_isa '
                                  r'pass end', text, re.M | re.S):
        found[level] = _stream.analyze(body, {})[0]['triad_bandwidth'][0]
    return found


def _invalid(checks):
    return [c['name'] for c in checks if _numbers.invalidates(c)]


def test_every_level_has_streams_metrics_and_its_uplift_over_the_baseline():
    text = _text()
    metrics, checks = _stream_isa.analyze(text, _expected(text))
    assert _invalid(checks) == []
    triads = _section_triads(text)
    assert sorted(triads) == sorted(LEVELS)
    for level in LEVELS:
        for kernel in ('copy', 'scale', 'add', 'triad'):
            assert metrics['%s_bandwidth_%s' % (kernel, level)][1:] == ('GB/s', True)
        assert metrics['triad_bandwidth_%s' % level][0] == triads[level]
    uplifts = dict((name, entry) for name, entry in metrics.items() if name.startswith('triad_uplift_'))
    assert sorted(uplifts) == sorted('triad_uplift_%s' % level for level in LEVELS if level != 'x86_64')
    for level in LEVELS[1:]:
        value, unit, higher = uplifts['triad_uplift_%s' % level]
        assert (unit, higher) == ('x', True)
        assert abs(value - triads[level] / triads['x86_64']) < 1e-3
    # Every metric is one the registry declares for stream_isa, in its unit.
    assert _benchmarks.undeclared_metrics('stream_isa', metrics) == []
    # STREAM's own checks, prefixed with the level.
    names = [c['name'] for c in checks]
    assert 'x86_64_v3.exit_status' in names and 'native.threads' in names


def test_a_skipped_level_has_its_check_with_the_reason_and_no_metric():
    text = _text()
    skip = {'name': 'x86-64-v5', 'metric': 'x86_64_v5', 'check': 'cpu_supports',
            'reason': 'this CPU lacks apx (x86-64-v5 needs apx)'}
    metrics, checks = _stream_isa.analyze(text, _expected(text, skipped=[skip]))
    found = dict((c['name'], c) for c in checks)['x86_64_v5.cpu_supports']
    assert found['passed'] and 'not built or run: this CPU lacks apx' in found['detail']
    assert not [name for name in metrics if name.endswith('_x86_64_v5')]


def test_a_pass_for_a_level_the_plan_skipped_invalidates():
    text = _text()
    levels = [lv for lv in LEVELS if lv != 'x86_64_v4']
    skip = {'name': 'x86-64-v4', 'metric': 'x86_64_v4', 'check': 'cpu_supports', 'reason': 'this CPU lacks avx512f'}
    metrics, checks = _stream_isa.analyze(text, _expected(text, levels=levels, skipped=[skip]))
    assert _invalid(checks) == ['x86_64_v4.cpu_supports']
    assert 'triad_bandwidth_x86_64_v4' not in metrics


def test_a_level_that_died_invalidates_and_a_cut_output_is_named():
    text = _text()
    # SIGILL's status (128 + 4) on the v4 pass: the one thing the plan must prevent.
    died = re.sub(r'(level=x86_64_v4\n(?:.*\n)*?=== instancebench stream_isa pass end rc=)0', r'\g<1>132', text)
    assert died != text
    _metrics, checks = _stream_isa.analyze(died, _expected(died))
    assert 'x86_64_v4.exit_status' in _invalid(checks)
    cut = text[:text.index('=== instancebench stream_isa pass level=native')]
    metrics, checks = _stream_isa.analyze(cut, _expected(cut))
    assert _invalid(checks) == ['native.exit_status'] and 'triad_uplift_native' not in metrics


def test_without_the_baseline_there_is_no_uplift_and_a_warning_says_why():
    text = _text()
    levels = LEVELS[1:]
    skip = {'name': 'x86-64', 'metric': 'x86_64', 'check': 'compiler_accepts',
            'reason': 'the compiler refuses -march=x86-64'}
    cut = text[text.index('=== instancebench stream_isa pass level=x86_64_v2'):]
    metrics, checks = _stream_isa.analyze(cut, _expected(cut, levels=levels, skipped=[skip]))
    assert not [name for name in metrics if name.startswith('triad_uplift_')]
    warning = dict((c['name'], c) for c in checks)['baseline_built']
    assert not warning['passed'] and warning['severity'] == 'warning' and _invalid(checks) == []
