# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPL per ISA level's analyzer on the job script's real output (tests/fixtures/hpl_isa/README.md says how
it was made) and on mutated copies: each level's GFLOP/s only when OpenBLAS ran the kernel set asked, the
native run as HPL's usual figures, each uplift over the baseline, the skipped levels' checks, and the
failures that must invalidate a repetition. Expectations come from the capture itself (its markers and
the figures _hpl reads in each section), never from which CPU made it."""

import os
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _hpl, _hpl_isa, _numbers

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'hpl_isa')
_SECTION = re.compile(r'^=== instancebench hpl_isa pass level=(\S+) core=(\S*)\n(.*?)^=== instancebench hpl_isa '
                      r'pass end rc=(\d+)', re.M | re.S)


def _text(name='job-x86_64-4passes.txt'):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def _sections(text):
    """[(level, core asked, the section's own _hpl.parse)] in the capture's order."""
    return [(level, core, _hpl.parse(body)) for level, core, body, _rc in _SECTION.findall(text)]


def _expected(text, skipped=None, drop=()):
    sections = _sections(text)
    first = next(parsed['runs'][0] for _level, _core, parsed in sections if parsed['runs'])
    levels = [{'name': level, 'metric': level, 'core': core} for level, core, _p in sections if level not in drop]
    return {'levels': levels, 'baseline': levels[0]['metric'], 'skipped': skipped or [],
            'n': first['n'], 'nb': first['nb'], 'p': first['p'], 'q': first['q'], 'variant': first['variant']}


def _invalid(checks):
    return [c['name'] for c in checks if _numbers.invalidates(c)]


def _by_name(checks):
    return dict((c['name'], c) for c in checks)


def test_the_capture_asked_every_level_and_openblas_ran_each_kernel_set_asked():
    sections = _sections(_text())
    assert [level for level, _core, _p in sections][-1] == 'native' and len(sections) >= 2
    for level, core, parsed in sections:
        assert len(parsed['runs']) == 1 and parsed['runs'][0]['passed'] is True
        if level != 'native':
            assert parsed['openblas_core'].lower() == core.lower(), (level, core, parsed['openblas_core'])


def test_every_level_has_its_gflops_and_its_uplift_over_the_baseline():
    text = _text()
    metrics, checks, observed = _hpl_isa.analyze(text, _expected(text))
    assert _invalid(checks) == [] and not [c for c in checks if not c['passed']]
    sections = _sections(text)
    figures = dict((level, parsed['runs'][0]['gflops']) for level, _core, parsed in sections)
    baseline = sections[0][0]
    for level, _core, parsed in sections:
        name = 'gflops' if level == 'native' else 'gflops_%s' % level
        assert metrics[name] == (parsed['runs'][0]['gflops'], 'GFLOP/s', True)
        if level != baseline:
            value, unit, higher = metrics['uplift_%s' % level]
            assert (unit, higher) == ('x', True) and abs(value - figures[level] / figures[baseline]) < 1e-3
    assert 'uplift_%s' % baseline not in metrics
    assert metrics['time'][0] == sections[-1][2]['runs'][0]['time_s'], 'the native run is HPL\'s usual figure'
    # Every metric is one the registry declares for hpl, in its unit; the registry's analyzer reads this job.
    assert _benchmarks.undeclared_metrics('hpl', metrics) == []
    assert _benchmarks.get('hpl').analyze(text, _expected(text))[0] == metrics
    # What OpenBLAS reported per level; the native run's core is what run_benchmark compares with the CPU.
    assert observed['openblas_cores'] == dict((level, parsed['openblas_core']) for level, _c, parsed in sections)
    assert observed['openblas_core'] == sections[-1][2]['openblas_core']
    names = _by_name(checks)
    for level, core, _parsed in sections[:-1]:
        assert names['%s.openblas_core' % level]['passed'] and core in names['%s.openblas_core' % level]['detail']
        assert names['%s.residual_below_threshold' % level]['passed']


def test_a_job_without_levels_is_read_as_plain_hpl():
    with open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'hpl', 'znver4-hpcc-openblas-n6000-nb256-1x2.txt')) \
            as handle:
        text = handle.read()
    expected = {'n': 6000, 'nb': 256, 'p': 1, 'q': 2}
    assert _hpl_isa.analyze_hpl(text, expected) == _hpl.analyze(text, expected)


def test_a_core_openblas_did_not_run_leaves_the_level_without_a_figure_and_says_so():
    """The real capture of a name this OpenBLAS does not know: it says so and runs its own choice instead."""
    text = _text('job-unknown-core.txt')
    (level, asked, parsed), = [s for s in _sections(text) if s[0] != 'native']
    assert parsed['openblas_core'].lower() != asked.lower()
    metrics, checks, observed = _hpl_isa.analyze(text, _expected(text))
    found = _by_name(checks)['%s.openblas_core' % level]
    assert not found['passed'] and found['severity'] == 'warning'
    assert 'OPENBLAS_CORETYPE=%s asked, OpenBLAS reported Core: %s' % (asked, parsed['openblas_core']) in found['detail']
    assert 'gflops_%s' % level not in metrics and not [name for name in metrics if name.startswith('uplift_')]
    assert _invalid(checks) == [] and 'gflops' in metrics
    # That level was the baseline: no uplift, and a warning says why.
    assert not _by_name(checks)['baseline_measured']['passed']
    assert observed['openblas_cores'][level] == parsed['openblas_core']


def test_a_level_the_plan_skipped_has_its_check_and_a_pass_for_it_invalidates():
    text = _text()
    skip = {'name': 'x86-64-v5', 'metric': 'x86_64_v5', 'check': 'cpu_supports', 'reason': 'this CPU lacks apx'}
    metrics, checks, _observed = _hpl_isa.analyze(text, _expected(text, skipped=[skip]))
    found = _by_name(checks)['x86_64_v5.cpu_supports']
    assert found['passed'] and found['detail'] == 'not run: this CPU lacks apx'
    assert not [name for name in metrics if name.endswith('x86_64_v5')]
    ran = _sections(text)[1][0]
    skip = {'name': ran, 'metric': ran, 'check': 'cpu_supports', 'reason': 'this CPU lacks it'}
    metrics, checks, _observed = _hpl_isa.analyze(text, _expected(text, skipped=[skip], drop=(ran,)))
    assert _invalid(checks) == ['%s.cpu_supports' % ran] and 'gflops_%s' % ran not in metrics


def test_a_level_that_died_or_failed_its_residual_invalidates_and_a_cut_output_is_named():
    # The real SIGILL (status 128 + 4) of K8's kernels on a CPU without 3DNow!: what the plan must prevent.
    died = _text('job-k8-sigill.txt')
    level = _sections(died)[0][0]
    metrics, checks, _observed = _hpl_isa.analyze(died, _expected(died))
    assert '%s.exit_status' % level in _invalid(checks) and '%s.result_line' % level in _invalid(checks)
    assert 'gflops_%s' % level not in metrics
    text = _text()
    level = _sections(text)[1][0]
    failed = re.sub(r'(level=%s core=\S*\n(?:.*\n)*?\|\|Ax-b\|\|.*)PASSED' % level, r'\g<1>FAILED', text)
    assert failed != text
    assert '%s.residual_passed' % level in _invalid(_hpl_isa.analyze(failed, _expected(failed))[1])
    cut = text[:text.index('=== instancebench hpl_isa pass level=native')]
    metrics, checks, _observed = _hpl_isa.analyze(cut, _expected(text))
    assert _invalid(checks) == ['native.exit_status'] and 'uplift_native' not in metrics and 'gflops' not in metrics
