# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the memory latency benchmark's output (roles/latency/files: our pointer chase, run
once per pass by latency_job.sh) read into latency per cache level, DRAM and the TLB's cost.

A pass is one curve: a pattern (random: no prefetcher helps; sequential; stride:<bytes>) over
4 KiB pages (MADV_NOHUGEPAGE) or transparent huge pages (MADV_HUGEPAGE, granted or not: the
program prints what the process got). The cache levels are read off the random 4 KiB curve at
half of each level's size (from the host's own cache sizes), DRAM at the largest size.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils import _passes
from ansible_collections.instancebench.aws.plugins.module_utils import _topology

_PASS_MARK = re.compile(r'^=== instancebench latency pass pattern=(\S+) pages=(\S+)\s*$')
_END_MARK = _passes.end_marker('latency')
_HEADER = re.compile(r'^timer_resolution_ns=(\S+) pattern=(\S+) pages=(\S+) line_bytes=(\S+) max_bytes=(\S+)$')
_THP = re.compile(r'^thp_anon_kib=(\S+)$')
_POINT = re.compile(r'^size_bytes=(\S+) loads=(\S+) seconds=(\S+) ns_per_load=(\S+)$')
_END = re.compile(r'^end sink=\d+$')
# A later point may read lower than an earlier one by noise, not by this much: the curve rises.
# Both bounds: 30 % below the highest point so far and more than 2 ns (in L1, 0.5 ns is noise).
MONOTONE_TOLERANCE = 0.7
MONOTONE_SLACK_NS = 2.0
TIMER_LIMIT_NS = 100
# Metrics a repetition derives only when the kernel granted huge pages (and, for the penalty, when
# huge pages read faster): summarized over the repetitions that have them, their `n` says how many.
CONDITIONAL_METRICS = ('dram_latency_thp_ns', 'tlb_penalty_ns')


def _new_pass(match):
    return {'pattern': match.group(1), 'pages': match.group(2), 'rc': None, 'timer_ns': None, 'max_bytes': None,
            'thp_anon_kib': None, 'points': [], 'ended': False}


def read(text):
    """{'passes': [...], 'malformed': [...]}; each pass: pattern, pages, rc (None without an end
    marker), timer_ns, max_bytes, thp_anon_kib, points [(size, loads, seconds, ns)], ended."""
    return _passes.walk(text, _PASS_MARK, _END_MARK, _new_pass, _pass_line, 'instancebench latency 1')


def _pass_line(current, lineno, line, malformed):
    match = _POINT.match(line)
    if match:
        size, loads = _numbers.integer(match.group(1)), _numbers.integer(match.group(2))
        seconds, ns = _numbers.number(match.group(3)), _numbers.number(match.group(4))
        if None in (size, loads, seconds, ns):
            malformed.append(_numbers.malformed(lineno, line, 'a point with whole sizes and numbers'))
        else:
            current['points'].append((size, loads, seconds, ns))
        return
    match = _HEADER.match(line)
    if match:
        current['timer_ns'], current['max_bytes'] = _numbers.number(match.group(1)), _numbers.integer(match.group(5))
        return
    match = _THP.match(line)
    if match:
        current['thp_anon_kib'] = _numbers.integer(match.group(1))  # -1: smaps_rollup unreadable
        return
    if _END.match(line):
        current['ended'] = True
        return
    malformed.append(_numbers.malformed(lineno, line, 'a line of the latency program'))


def pass_key(pattern, pages):
    """'random_4k', 'stride256_thp': how metrics and curves name a pass."""
    return '%s_%s' % (pattern.replace('stride:', 'stride'), pages)


def level_sizes(caches):
    """{level: the working set its latency is read at}: half of each data cache level's size
    (one instance, as one core sees it), so the chase fits with room to spare. caches: host_facts'
    ({l1d: {size_bytes, ...}, ...}) or {l1d: bytes, ...}."""
    sizes = {}
    for level, name in (('l1', 'l1d'), ('l2', 'l2'), ('l3', 'l3')):
        size = _topology.cache_size(caches, name)[0]
        if size:
            sizes[level] = size // 2
    return sizes


def _at_most(points, size):
    """The point of the largest size not above `size`, or None."""
    fitting = [point for point in points if point[0] <= size]
    return max(fitting) if fitting else None


_check = _numbers.check


def _pass_checks(key, found, expected):
    checks = [_check('%s.complete' % key, found['ended'] and found['rc'] == 0 and bool(found['points']),
                     'exit status %s, %d sizes, %s' % (found['rc'], len(found['points']),
                                                       'ended' if found['ended'] else 'no end line: cut short'))]
    if found['timer_ns'] is not None:
        checks.append(_check('%s.timer_resolution' % key, found['timer_ns'] <= TIMER_LIMIT_NS,
                             'CLOCK_MONOTONIC resolution %g ns (at most %d)' % (found['timer_ns'], TIMER_LIMIT_NS)))
    min_s = float(expected.get('min_ms') or 0) / 1000.0
    short = [point for point in found['points'] if point[2] < 0.9 * min_s]
    checks.append(_check('%s.timed_long_enough' % key, not short,
                         '%d sizes timed under %g ms' % (len(short), min_s * 1000) if short else
                         'every size timed at least %g ms' % (min_s * 1000)))
    if found['pattern'] == 'random' and found['points']:
        peak, dips = 0.0, []
        for size, _loads, _seconds, ns in found['points']:
            if ns < MONOTONE_TOLERANCE * peak and peak - ns > MONOTONE_SLACK_NS:
                dips.append('%d B %.1f ns after %.1f' % (size, ns, peak))
            peak = max(peak, ns)
        # A warning: on a shared host a neighbour's traffic bends the curve between L3 and DRAM;
        # the spread gate over repetitions judges the figures themselves.
        checks.append(_check('%s.curve_rises' % key, not dips, '; '.join(dips) if dips else
                             'no size more than %d %% and %g ns below a smaller one'
                             % (round(100 * (1 - MONOTONE_TOLERANCE)), MONOTONE_SLACK_NS), severity='warning'))
    return checks


def analyze(text, expected):
    """One repetition -> (metrics {name: (value, 'ns', False)}, checks, observed {curves, thp}).

    expected: passes [[pattern, pages], ...] asked, caches {l1d, l2, l3: bytes of one instance},
    llc_bytes and max_bytes (the DRAM rule: at least 8 x the last-level cache and 1 GiB), min_ms."""
    parsed = read(text)
    checks = [_numbers.format_check(parsed['malformed'])]
    by_key = dict((pass_key(p['pattern'], p['pages']), p) for p in parsed['passes'])
    asked = [pass_key(pattern, pages) for pattern, pages in expected.get('passes') or []] or list(by_key)
    metrics, curves = {}, {}
    for key in asked:
        found = by_key.get(key)
        if found is None:
            checks.append(_check('%s.complete' % key, False, 'no such pass in the output (cut short?)'))
            continue
        checks.extend(_pass_checks(key, found, expected))
        curves[key] = [[size, round(ns, 3)] for size, _loads, _seconds, ns in found['points']]
    random_4k = (by_key.get('random_4k') or {}).get('points') or []
    if random_4k:
        largest_point = max(random_4k)
        for level, size in sorted(level_sizes(expected.get('caches') or {}).items()):
            point = _at_most(random_4k, size)
            # A level read at the largest size would be the DRAM figure under another name.
            if point is not None and point[0] < largest_point[0]:
                metrics['%s_latency_ns' % level] = (round(point[3], 3), 'ns', False)
        metrics['dram_latency_ns'] = (round(max(random_4k)[3], 3), 'ns', False)
        cache_levels = [metrics[name][0] for name in ('l3_latency_ns', 'l2_latency_ns') if name in metrics]
        if cache_levels:
            # A warning, not an error: the DRAM figure stands; the level read was not served by the
            # cache the host reports (a hypervisor's view of a shared L3, say). The curve shows where it ends.
            checks.append(_check('dram_above_cache', metrics['dram_latency_ns'][0] > cache_levels[0],
                                 'DRAM %.1f ns, last cache level read %.1f ns%s'
                                 % (metrics['dram_latency_ns'][0], cache_levels[0],
                                    '' if metrics['dram_latency_ns'][0] > cache_levels[0] else
                                    ': that level did not fit the cache the host reports (see the curve)'),
                                 severity='warning'))
        largest = max(random_4k)[0]
        need = max(8 * int(expected.get('llc_bytes') or 0), 1 << 30)
        checks.append(_check('run_rule.dram_size', largest >= need, 'largest working set %d bytes; DRAM latency is '
                             'read at least at 8 x the last-level cache and 1 GiB = %d' % (largest, need),
                             severity='rule'))
    thp = by_key.get('random_thp')
    if thp and thp['points']:
        wanted_kib = max(thp['points'])[0] // 2048
        granted = thp['thp_anon_kib'] is not None and thp['thp_anon_kib'] >= wanted_kib
        checks.append(_check('random_thp.huge_pages_granted', granted,
                             'AnonHugePages %s KiB for a %d-byte buffer' % (thp['thp_anon_kib'], max(thp['points'])[0]),
                             severity='warning'))
        if granted:
            metrics['dram_latency_thp_ns'] = (round(max(thp['points'])[3], 3), 'ns', False)
            if random_4k and max(thp['points'])[0] == max(random_4k)[0]:
                penalty = metrics['dram_latency_ns'][0] - metrics['dram_latency_thp_ns'][0]
                if penalty > 0:
                    metrics['tlb_penalty_ns'] = (round(penalty, 3), 'ns', False)
    for key in asked:
        found = by_key.get(key)
        if found and found['points'] and found['pattern'] != 'random' and found['pages'] == '4k':
            metrics['dram_%s_ns' % found['pattern'].replace('stride:', 'stride')] = (
                round(max(found['points'])[3], 3), 'ns', False)
    checks.extend(_numbers.plausible_metrics(metrics))
    return metrics, checks, {'curves': curves, 'thp_anon_kib': (thp or {}).get('thp_anon_kib')}
