# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: HPL per ISA level (the hpl role's hpl_isa_levels, variant `vector`): which OpenBLAS kernel
set runs each ISA level this CPU has, the N of those runs, and the job's output read pass by pass.

roles/hpl/files/hpl_isa_job.sh runs xhpl once per level with OPENBLAS_CORETYPE=<the level's core> in
that run's environment only, then once as the environment has it (`native`: OpenBLAS's own choice, or
what an OPENBLAS_CORETYPE already set forces; run_benchmark records and flags that). Each pass is judged
by _hpl.analyze. The native pass gives HPL's usual `gflops` and `time`; a level pass gives
`gflops_<level>` only when OpenBLAS's "Core:" line names the core asked (a build that maps the name to
another kernel set measured that set, not the level: its `<level>.openblas_core` check says so, as a
warning, and the level has no figure). `uplift_<level>` (native included) is a figure over the
baseline's, the lowest level run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _hpl, _isa_levels, _numbers, _passes

NATIVE = _isa_levels.NATIVE
UPLIFT_UNIT = 'x'
_PASS_MARK = re.compile(r'^=== instancebench hpl_isa pass level=(\S+) core=(\S*)\s*$')
_END_MARK = _passes.end_marker('hpl_isa')
# An OPENBLAS_CORETYPE value, as the job script's arguments carry it.
_CORE_NAME = re.compile(r'^[A-Za-z0-9_]+$')

_check = _numbers.check


def plan(table, kernels, arch, flags):
    """Which levels run with which OpenBLAS core, and which are skipped.

    table: host_facts' ISA levels; kernels: {level name: {core, requires (CPU flags its kernels use beyond
    the level's)}}; flags: the CPU's flags (a set). Returns {arch, baseline (metric of the lowest level
    run, None when none runs), run [{name, metric, core}], skipped [{name, metric, check, reason}]}: a level
    the CPU lacks (`cpu_supports`), one no core is named for (`kernel_known`) or whose kernels need a flag
    the CPU lacks (`kernel_supports`) is never run."""
    order = [level['metric'] for level in _isa_levels.levels_for(table, arch)]
    levels = _isa_levels.plan(table, arch, flags, lambda _march: True)
    found = {'arch': arch, 'baseline': None, 'run': [], 'skipped': list(levels['skipped'])}
    for level in levels['build']:
        entry = {'name': level['name'], 'metric': level['metric']}
        kernel = (kernels or {}).get(level['name']) or {}
        missing = [flag for flag in kernel.get('requires') or [] if flag not in flags]
        if kernel.get('core') and not _CORE_NAME.match(str(kernel['core'])):
            raise ValueError('the OpenBLAS core of %s is %r: an OPENBLAS_CORETYPE value is letters, digits and _ '
                             '(roles/hpl/vars/isa_kernels.yml)' % (level['name'], kernel['core']))
        if not kernel.get('core'):
            found['skipped'].append(dict(entry, check='kernel_known', reason='no OpenBLAS kernel set is named for %s '
                                         '(roles/hpl/vars/isa_kernels.yml)' % level['name']))
        elif missing:
            found['skipped'].append(dict(entry, check='kernel_supports', reason='this CPU lacks %s, which OpenBLAS\'s %s '
                                         'kernels use' % (', '.join(missing), kernel['core'])))
        else:
            found['run'].append(dict(entry, core=kernel['core']))
    found['skipped'].sort(key=lambda skip: order.index(skip['metric']))
    if found['run']:
        found['baseline'] = found['run'][0]['metric']
    return found


def problem_size(plan_n, nb, cores, target, requested=0):
    """N of every level's run: `requested` (hpl_n, already checked against memory) when given, else the
    multiple of NB nearest target x cube root of the cores, at least one NB, at most the memory plan's N."""
    if int(requested or 0) > 0:
        return int(requested)
    nb = int(nb)
    sized = max(nb, int(round(float(target) * float(cores) ** (1.0 / 3.0) / nb)) * nb)
    return min(sized, int(plan_n))


def _new_pass(match):
    return {'level': match.group(1), 'core': match.group(2), 'rc': None, 'lines': []}


def _pass_line(current, _lineno, line, _malformed):
    current['lines'].append(line)


def read(text):
    """{'passes': [{level, core (as asked, '' for native), rc (None: no end marker), lines}], 'malformed'}."""
    return _passes.walk(text, _PASS_MARK, _END_MARK, _new_pass, _pass_line, None)


def _pass_analysis(level, found, expected):
    """(metrics, checks, reported core) of one pass: _hpl's analysis, renamed for the level."""
    asked = dict((key, expected.get(key)) for key in ('n', 'nb', 'p', 'q', 'variant'))
    asked['require_openblas_core'] = True
    out = _hpl.analyze('\n'.join(found['lines']) + '\n', asked)
    metrics, reported = out[0], (out[2] if len(out) > 2 else {}).get('openblas_core')
    checks = [_isa_levels.exit_check(level, 'xhpl', found['rc'])]
    checks.extend(dict(c, name='%s.%s' % (level, c['name'])) for c in out[1])
    return metrics, checks, reported


def _core_check(level, asked, reported):
    """Whether OpenBLAS ran the kernel set asked for the level (its names compare without case)."""
    same = bool(reported) and reported.lower() == asked.lower()
    return _check('%s.openblas_core' % level, same,
                  'OPENBLAS_CORETYPE=%s, OpenBLAS reported Core: %s' % (asked, reported) if same else
                  'OPENBLAS_CORETYPE=%s asked, OpenBLAS reported Core: %s: this OpenBLAS does not have that kernel '
                  'set, so the run did not measure the level and %s has no figure' % (asked, reported, level),
                  severity=None if same else 'warning')


def _uplifts(figures, baseline):
    """uplift_<level> for every level with a figure but the baseline: its GFLOP/s over the baseline's."""
    base = figures.get(baseline)
    return dict(('uplift_%s' % level, (round(value / base, 4), UPLIFT_UNIT, True))
                for level, value in figures.items() if level != baseline and base and base > 0)


def analyze(text, expected):
    """One repetition -> (metrics, checks, observed).

    expected: levels [{metric, core}] in the job's order (native last, core ''), baseline (metric of the
    lowest level run), skipped [{metric, check, reason}] (the plan's), and n, nb, p, q, variant for
    _hpl's checks. observed: openblas_core (the native pass's, which run_benchmark compares with the CPU)
    and openblas_cores {level: what OpenBLAS reported}."""
    parsed = read(text)
    checks = [_numbers.format_check(parsed['malformed'])]
    by_level = dict((p['level'], p) for p in parsed['passes'])
    metrics, figures, reported = {}, {}, {}
    for level in expected.get('levels') or []:
        name = level['metric']
        found = by_level.get(name)
        if found is None:
            checks.append(_check('%s.exit_status' % name, False, 'no such pass in the output (cut short?)'))
            continue
        pass_metrics, pass_checks, core = _pass_analysis(name, found, expected)
        checks.extend(pass_checks)
        reported[name] = core
        if 'gflops' not in pass_metrics:
            continue
        if name == NATIVE:
            metrics.update(pass_metrics)
        else:
            checks.append(_core_check(name, level['core'], core))
            if not checks[-1]['passed']:
                continue
            metrics['gflops_%s' % name] = pass_metrics['gflops']
        figures[name] = pass_metrics['gflops'][0]
    checks.extend(_isa_levels.skipped_checks(expected.get('skipped'), by_level, 'not run'))
    baseline = expected.get('baseline')
    if baseline and baseline not in figures:
        checks.append(_check('baseline_measured', False, 'the baseline %s has no figure: no uplift is computed'
                             % baseline, severity='warning'))
    metrics.update(_uplifts(figures, baseline))
    observed = {'openblas_cores': reported}
    if reported.get(NATIVE):
        observed['openblas_core'] = reported[NATIVE]
    return metrics, checks, observed


def analyze_hpl(text, expected):
    """The hpl benchmark's analyzer: a job that ran HPL per ISA level (expected `levels`) read pass by pass,
    any other by _hpl.analyze."""
    if expected.get('levels') is not None:
        return analyze(text, expected)
    return _hpl.analyze(text, expected)
