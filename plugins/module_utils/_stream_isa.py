# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the stream_isa benchmark's output (roles/stream_isa/files/stream_isa_job.sh: STREAM once
per ISA level it was built for, and the microarchitecture build `native`) read pass by pass with
_stream's analyzer.

Each pass's metrics are STREAM's, suffixed with the level's metric-safe name
(`triad_bandwidth_x86_64_v3`); its checks are STREAM's, prefixed with it. Each level above the
baseline, `native` included, also gets `triad_uplift_<level>`: its triad over the baseline's (a
ratio, unit 'x'). Every level the plan skipped has its passed check `<level>.<check>` carrying the
reason, and fails the result if the output shows a pass for it anyway.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _isa_levels, _numbers, _passes, _stream

_PASS_MARK = re.compile(r'^=== instancebench stream_isa pass level=(\S+)\s*$')
_END_MARK = _passes.end_marker('stream_isa')
UPLIFT_UNIT = 'x'

_check = _numbers.check


def _new_pass(match):
    return {'level': match.group(1), 'rc': None, 'lines': []}


def _pass_line(current, _lineno, line, _malformed):
    current['lines'].append(line)


def read(text):
    """{'passes': [{level, rc (None: no end marker), lines}], 'malformed'}."""
    return _passes.walk(text, _PASS_MARK, _END_MARK, _new_pass, _pass_line, None)


def _pass_metrics(level, found, expected):
    """STREAM's analysis of one pass, renamed for its level."""
    analysed = _stream.analyze('\n'.join(found['lines']) + '\n', {
        'threads': expected.get('threads'), 'array_size_elements': expected.get('array_size_elements'),
        'llc_bytes': expected.get('llc_bytes')})
    metrics = dict(('%s_%s' % (metric, level), entry) for metric, entry in analysed[0].items())
    checks = [dict(c, name='%s.%s' % (level, c['name'])) for c in analysed[1]]
    checks.insert(0, _isa_levels.exit_check(level, 'STREAM', found['rc']))
    return metrics, checks


def _uplifts(metrics, levels, baseline):
    """triad_uplift_<level> for every level but the baseline, when both triads exist."""
    base = metrics.get('triad_bandwidth_%s' % baseline) if baseline else None
    found = {}
    for level in levels:
        mine = metrics.get('triad_bandwidth_%s' % level)
        if level != baseline and base and mine and base[0] > 0:
            found['triad_uplift_%s' % level] = (round(mine[0] / base[0], 4), UPLIFT_UNIT, True)
    return found


def analyze(text, expected):
    """One repetition -> (metrics {name: (value, unit, higher_is_better)}, checks).

    expected: levels [metric-safe names built, in the job's order, `native` included], baseline (the
    lowest level's name; None: no uplift), skipped [{metric, check, reason}] (stream_isa_plan),
    threads, array_size_elements and llc_bytes as built."""
    parsed = read(text)
    checks = [_numbers.format_check(parsed['malformed'])]
    by_level = dict((p['level'], p) for p in parsed['passes'])
    levels = list(expected.get('levels') or [p['level'] for p in parsed['passes']])
    metrics = {}
    for level in levels:
        found = by_level.get(level)
        if found is None:
            checks.append(_check('%s.exit_status' % level, False, 'no such pass in the output (cut short?)'))
            continue
        pass_metrics, pass_checks = _pass_metrics(level, found, expected)
        metrics.update(pass_metrics)
        checks.extend(pass_checks)
    checks.extend(_isa_levels.skipped_checks(expected.get('skipped'), by_level, 'not built or run'))
    baseline = expected.get('baseline')
    if baseline and baseline not in levels:
        checks.append(_check('baseline_built', False, 'the baseline %s was not built: no uplift is computed' % baseline,
                             severity='warning'))
    metrics.update(_uplifts(metrics, levels, baseline))
    return metrics, checks
