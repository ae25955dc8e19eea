# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: FFTW 3.3.10 `tests/bench` output parser, problem sizing and analysis.

The role's job script runs, per (problem, threads), in a wisdom directory of its own:
1. a plan marker, then `bench -v2 -owisdom -o<planner> -otimelimit=L -S P` (plan only): it
   prints `READ WISDOM (...)` when it imported the wisdom file a previous run wrote, and
   `planner time: 10.4 s`; it writes the wisdom back on exit;
2. a section marker, then `bench -v1 -owisdom ... --verify-tolerance T -y P -s P`, planning from
   that wisdom. `-y` prints `P <linear> <impulse> <shift>` relative errors (or "Found relative
   error ..." and exit 1 above T); `-s` prints `Problem: P, setup: 23.00 us, time: 54.54 us,
   ``mflops'': 938.84392` and the spread of its measurements (setup includes its planning).
FFTW's "mflops" is its own convention (5 N log2 N / time for complex transforms), comparable
only between FFT runs, which is how we label it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers

MARKER = re.compile(r'^=== instancebench fftw problem=(\S+) threads=(\d+) planner=(\S+)')
PLAN_MARKER = re.compile(r'^=== instancebench fftw plan problem=(\S+) threads=(\d+) planner=(\S+) time_limit=(\S+)')
_PLANNER_TIME = re.compile(r'^planner time: (\S+) s\s*$')
_READ_WISDOM = 'READ WISDOM'
_SPEED = re.compile(r"^Problem: (\S+), setup: (\S+) (s|ms|us|ns), time: (\S+) (s|ms|us|ns), "
                    r"``mflops'': (\S+)\s*$")
_FAILED = re.compile(r'^Found relative error (\S+) \((.*)\)')
_SCALE = {'s': 1.0, 'ms': 1e-3, 'us': 1e-6, 'ns': 1e-9}
COMPLEX_BYTES = 16     # complex double
REAL_BYTES = 8


def parse(text):
    """The sections of `text` (see read())."""
    return read(text)[0]


def read(text):
    """(sections, malformed): sections {problem, threads, planner, verify_errors, verify_failure,
    setup_s, time_s, mflops, plan}; plan is the planning step before it ({planner, time_limit_s,
    from_wisdom, planning_s}) or None; malformed lists the lines refused (a garbled figure or a cut line)."""
    sections, malformed, plans = [], [], {}
    current = plan = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        marker = MARKER.match(line)
        if marker:
            current, plan = {'problem': marker.group(1), 'threads': int(marker.group(2)), 'planner': marker.group(3),
                             'verify_errors': None, 'verify_failure': None, 'setup_s': None, 'time_s': None,
                             'mflops': None}, None
            current['plan'] = plans.get((current['problem'], current['threads']))
            sections.append(current)
            continue
        planned = PLAN_MARKER.match(line)
        if planned:
            current = None
            plan = {'planner': planned.group(3), 'time_limit_s': _numbers.number(planned.group(4)),
                    'from_wisdom': False, 'planning_s': None}
            plans[(planned.group(1), int(planned.group(2)))] = plan
            continue
        if plan is not None:
            _read_plan_line(plan, line, lineno, malformed)
            continue
        if current is None:
            continue
        if line.startswith('Problem: '):
            speed = _SPEED.match(line)
            values = [_numbers.number(speed.group(i)) for i in (2, 4, 6)] if speed else [None]
            if None in values or speed.group(1) != current['problem']:
                malformed.append(_numbers.malformed(lineno, line, 'an FFTW timing line for %s' % current['problem']))
                continue
            current.update(setup_s=values[0] * _SCALE[speed.group(3)], time_s=values[1] * _SCALE[speed.group(5)],
                           mflops=values[2])
            continue
        failed = _FAILED.match(line)
        if failed:
            current['verify_failure'] = '%s error %s' % (failed.group(2), failed.group(1))
            continue
        tokens = line.split()
        if tokens and tokens[0] == current['problem']:
            errors = [_numbers.number(token) for token in tokens[1:]]
            if len(errors) != 3 or None in errors:
                malformed.append(_numbers.malformed(lineno, line, 'an FFTW verification line (3 relative errors)'))
                continue
            current['verify_errors'] = errors
    return sections, malformed


def _read_plan_line(plan, line, lineno, malformed):
    """The planning step's own lines; its plan printout, flop counts and zero-time report are not read."""
    if line.startswith(_READ_WISDOM):
        plan['from_wisdom'] = True
    elif line.startswith('planner time:'):
        timed = _PLANNER_TIME.match(line)
        value = _numbers.number(timed.group(1)) if timed else None
        if value is None:
            malformed.append(_numbers.malformed(lineno, line, 'an FFTW "planner time: <seconds> s" line'))
        else:
            plan['planning_s'] = value


def metric_key(problem, threads):
    return '%s_t%d' % (re.sub(r'[^a-z0-9]', '_', problem.lower()), threads)


_check = _numbers.check


def nominal_flops(problem):
    """FFTW bench's own operation count: 5 N log2 N for a complex transform, half for a real one;
    None for a problem string this module does not read."""
    if not re.match(r'^[io][cr][fb]\d+(?:x\d+)*\Z', problem):
        return None
    points = 1
    for dim in _points(problem):
        points *= dim
    return (5.0 if problem[1] == 'c' else 2.5) * points * math.log(points, 2)


def _section_checks(key, section, tolerance):
    checks = []
    errors = section['verify_errors']
    if section['verify_failure']:
        checks.append(_check('%s.verified' % key, False, section['verify_failure']))
    elif errors is None:
        checks.append(_check('%s.verified' % key, False, 'no verification line: bench -y did not finish'))
    else:
        within = all(0 <= error <= tolerance for error in errors) if tolerance else True
        checks.append(_check('%s.verified' % key, within, 'max relative error %.3g (linear, impulse, shift)%s'
                             % (max(errors), ', tolerance %.3g' % tolerance if tolerance else '')))
    timed = section['mflops'] is not None
    checks.append(_check('%s.timed' % key, timed, 'time per transform %.6g s' % section['time_s'] if timed
                         else 'no "Problem:" timing line: bench -s did not finish'))
    if timed:
        flops = nominal_flops(section['problem'])
        derived = flops / section['time_s'] / 1e6 if flops and _numbers.finite_positive(section['time_s']) else None
        # bench prints the time with 3 to 4 significant digits: 1 % covers its rounding.
        checks.append(_check('%s.mflops_consistent' % key, _numbers.agrees(section['mflops'], derived, 0.01),
                             '%s "mflops" reported, %s from 5 N log2 N (2.5 for real) / %.6g s'
                             % (section['mflops'], derived and round(derived, 2), section['time_s'])))
    return checks


def _plan_check(key, plan):
    if plan is None:
        return _check('%s.planned' % key, False, 'no planning step before the timed run (plan marker missing)')
    if plan['planning_s'] is None:
        return _check('%s.planned' % key, False, 'the planning step did not finish (no "planner time" line)')
    limit = ', time limit %g s' % plan['time_limit_s'] if (plan['time_limit_s'] or 0) > 0 else ''
    if plan['from_wisdom']:
        detail = '%s plan read from wisdom in %.3g s%s' % (plan['planner'], plan['planning_s'], limit)
    else:
        detail = '%s plan made afresh in %.3g s%s; wisdom kept for the timed runs' % (
            plan['planner'], plan['planning_s'], limit)
    return _check('%s.planned' % key, True, detail)


def limit_reached(plan):
    """Whether a fresh plan's search ran into its time limit (FFTW then keeps the best plan of the
    last effort level it finished: estimate, measure, patient); None with no limit or from wisdom."""
    limit = plan['time_limit_s']
    if not limit or limit <= 0 or plan['from_wisdom'] or plan['planning_s'] is None:
        return None
    return plan['planning_s'] >= limit


def _limit_check(key, plan):
    reached = limit_reached(plan)
    if reached is None:
        return []
    detail = ('the %g s time limit cut the %s search after %.3g s: the plan is the best FFTW finished in time, '
              'possibly of a lower effort (raise fftw_plan_time_limit)' if reached
              else 'the %s search finished in %.3g s within the %g s time limit')
    values = (plan['time_limit_s'], plan['planner'], plan['planning_s']) if reached else \
        (plan['planner'], plan['planning_s'], plan['time_limit_s'])
    return [_check('%s.plan_search_complete' % key, not reached, detail % values, severity='warning')]


def plan_record(plan, section):
    """What the result keeps of one (problem, threads) plan: the planner, its time limit, whether it
    came from wisdom, the planning step's time, whether the limit cut it, and the timed run's own
    setup (which plans from that wisdom)."""
    return {'planner': plan['planner'], 'time_limit_s': plan['time_limit_s'], 'from_wisdom': plan['from_wisdom'],
            'planning_s': plan['planning_s'], 'limit_reached': limit_reached(plan),
            'timed_setup_s': float('%.6g' % section['setup_s']) if section['setup_s'] is not None else None}


def analyze(text, expected):
    """(metrics, checks, observed) for one repetition. `expected['runs']` lists [problem, threads]
    pairs; `expected['verify_tolerance']` bounds the verification errors (bench enforces it too);
    `expected['planned']`: each section must follow its planning step. observed: {'plans': {key:
    plan_record}}."""
    parsed, malformed = read(text)
    sections = dict(((s['problem'], s['threads']), s) for s in parsed)
    wanted = [tuple(pair) for pair in expected.get('runs', [])] or sorted(sections)
    checks, metrics = [_numbers.format_check(malformed)], {}
    if not wanted:
        return {}, checks + [_check('output_complete', False,
                                    'no FFTW bench section in the output (truncated or not bench output)')], {}
    tolerance = float(expected.get('verify_tolerance') or 0)
    plans = {}
    for problem, threads in wanted:
        key = metric_key(problem, int(threads))
        section = sections.get((problem, int(threads)))
        if section is None:
            checks.append(_check('%s.ran' % key, False, 'no output section for %s with %s threads' % (problem, threads)))
            continue
        if expected.get('planned'):
            checks.append(_plan_check(key, section['plan']))
        if section['plan'] is not None:
            plans[key] = plan_record(section['plan'], section)
            checks.extend(_limit_check(key, section['plan']))
        checks.extend(_section_checks(key, section, tolerance))
        if section['mflops'] is not None:
            metrics['mflops_%s' % key] = (section['mflops'], 'FFTW-Mflop/s', True)
            metrics['time_%s' % key] = (section['time_s'], 's', False)
    checks.extend(_numbers.plausible_metrics(metrics))
    return metrics, checks, ({'plans': plans} if plans else {})


def _points(problem):
    dims = re.sub(r'^[io][cr][fb]', '', problem)
    return [int(d) for d in dims.split('x')]


def problem_bytes(problem):
    """Bytes of input (+ output when out of place) a bench problem string touches."""
    match = re.match(r'^([io])([cr])([fb])(\d+(?:x\d+)*)\Z', problem)
    if not match:
        raise ValueError("'%s' is not an FFTW bench problem like icf1024, ocf64x64 or orf4096" % problem)
    count = 1
    for dim in _points(problem):
        count *= dim
    element = COMPLEX_BYTES if match.group(2) == 'c' else REAL_BYTES
    return count * element * (2 if match.group(1) == 'o' else 1)


def out_of_cache_problem(llc_bytes, available_bytes, memory_fraction, floor_points=1 << 20):
    """`ocf<N>`: the smallest power of two whose in+out arrays span at least 4x the LLC."""
    points = max(floor_points, 1)
    while points * COMPLEX_BYTES * 2 < 4 * int(llc_bytes or 0):
        points *= 2
    problem = 'ocf%d' % points
    if problem_bytes(problem) > available_bytes * memory_fraction:
        raise ValueError('the out-of-cache FFT %s needs %.2f GiB but fftw_memory_fraction=%s of the %.2f GiB '
                         'available allows less: raise fftw_memory_fraction or list fftw_problems without it'
                         % (problem, problem_bytes(problem) / 2.0 ** 30, memory_fraction, available_bytes / 2.0 ** 30))
    return problem


def check_problems(problems, available_bytes, memory_fraction):
    """Raise ValueError naming the first problem that is malformed or does not fit memory."""
    for problem in problems:
        size = problem_bytes(problem)
        if size > available_bytes * memory_fraction:
            raise ValueError('fftw_problems entry %s needs %.2f GiB, more than fftw_memory_fraction=%s of the '
                             '%.2f GiB available: use a smaller size'
                             % (problem, size / 2.0 ** 30, memory_fraction, available_bytes / 2.0 ** 30))
    return problems
