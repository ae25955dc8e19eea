# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the cache bandwidth benchmark (roles/stream_cache/files: our OpenMP program, run once
per pass by stream_cache_job.sh): the array sizes a host runs per cache level, and the output read
into read, write, copy and triad GB/s per level (L1, L2, L3, DRAM) and thread count.

Each thread has its own three arrays x, y, z of n doubles. In a cache level they take half of the
thread's share of that level (one instance's size, or the instances' total divided among the
threads when that is less), so they fit with room to spare, and more than the level below holds;
in DRAM each array, over all threads, is at least 4 x the last-level cache (STREAM's rule). A pass
is one run of the program at one thread count (label t<N> or all, _passes), between marker lines.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils import _passes
from ansible_collections.instancebench.aws.plugins.module_utils import _topology

KERNELS = ('read', 'write', 'copy', 'triad')
LEVELS = ('l1', 'l2', 'l3', 'dram')
# The host facts' name of each cache level.
CACHE_NAMES = (('l1', 'l1d'), ('l2', 'l2'), ('l3', 'l3'))
ARRAYS, WORD = 3, 8
# Share of a thread's part of a level its three arrays take: the rest is for the stack, code and neighbours.
FILL = 0.5
# Elements per array are a multiple of this: whole cache lines in each quarter the read kernel sums.
ELEMENT_STEP = 32
DRAM_RULE = 4                      # each DRAM array over all threads >= 4 x the last-level cache
DRAM_FLOOR_BYTES = 64 << 20        # and at least this when the host reports no last-level cache
TIMER_LIMIT_NS = 1000              # a coarser clock than 1 us is not one to time cache passes with
TIMER_MARGIN = 10000               # each timed batch lasts at least this many timer ticks
# L1 reads at least this share of DRAM's rate (one thread and all): below it the numbers are not
# those of the levels they are named after (the noise of a shared host is far smaller than this).
L1_OVER_DRAM = 0.9
# A level may read this much below the farther one before it is reported (a warning).
LEVEL_ORDER_SLACK = 0.1

_PASS_MARK = re.compile(r'^=== instancebench stream_cache pass label=(\S+) threads=(\S+)\s*$')
_END_MARK = _passes.end_marker('stream_cache')
_HEADER = re.compile(r'^timer_resolution_ns=(\S+) threads=(\S+) asked_threads=(\S+) min_ms=(\S+)$')
_RESULT = re.compile(r'^result kernel=(\w+) level=(\w+) threads=(\S+) elements=(\S+) reps=(\S+) seconds=(\S+) '
                     r'bytes=(\S+) errors=(\S+)$')


def thread_share(caches, name, threads):
    """Bytes of a cache level one of `threads` threads has: one instance's size, or less when the
    threads outnumber the instances (two hyperthreads share a core's L1d; all cores one L3)."""
    size, total = _topology.cache_size(caches, name)
    return min(size, total // max(1, int(threads))) if size else 0


def _round(elements):
    return int(elements) // ELEMENT_STEP * ELEMENT_STEP


def dram_array_bytes(llc_bytes, requested=0):
    """Bytes of each DRAM array over all threads: `requested`, else 4 x the last-level cache (at least 64 MiB)."""
    return int(requested) if int(requested or 0) > 0 else max(DRAM_RULE * int(llc_bytes or 0), DRAM_FLOOR_BYTES)


def levels(caches, llc_bytes, threads, dram_bytes=0):
    """[[level, elements per array per thread], ...] for a pass of `threads` threads: a cache level
    when its arrays hold more than the level below does (else it would be measured there), then DRAM."""
    out, below = [], 0
    for level, name in CACHE_NAMES:
        share = thread_share(caches, name, threads)
        n = _round(share * FILL / (ARRAYS * WORD))
        if n >= ELEMENT_STEP and ARRAYS * WORD * n > below:
            out.append([level, n])
        below = max(below, share)
    per_thread = -(-dram_array_bytes(llc_bytes, dram_bytes) // (WORD * max(1, int(threads))))
    out.append(['dram', -(-per_thread // ELEMENT_STEP) * ELEMENT_STEP])
    return out


def passes(caches, llc_bytes, logical_cpus, thread_counts, available_bytes, memory_fraction, dram_bytes=0):
    """[[label, threads, [[level, elements], ...]], ...] per thread count (0 = every logical CPU).
    ValueError naming the variable when a pass's arrays do not fit in memory_fraction of MemAvailable."""
    out = []
    room = float(available_bytes) * float(memory_fraction)
    for label, count in _passes.runs(thread_counts, logical_cpus, 'stream_cache_thread_counts'):
        found = levels(caches, llc_bytes, count, dram_bytes)
        need = ARRAYS * WORD * max(n for _level, n in found) * count
        if need > room:
            raise ValueError('stream_cache pass %s needs %d bytes for its DRAM arrays, more than '
                             'stream_cache_memory_fraction=%s of the %d bytes available: lower stream_cache_dram_bytes '
                             'or raise the fraction' % (label, need, memory_fraction, int(available_bytes)))
        out.append([label, count, found])
    return out


def pass_argument(found):
    """The job script's argument for a pass [label, threads, [[level, n], ...]]: 'label:threads:l1=n,...'."""
    label, threads, sizes = found[:3]
    return '%s:%d:%s' % (label, int(threads), ','.join('%s=%d' % (level, int(n)) for level, n in sizes))


def _new_pass(match):
    return {'label': match.group(1), 'asked': _numbers.integer(match.group(2)), 'rc': None, 'timer_ns': None,
            'threads': None, 'results': {}, 'ended': False}


def read(text):
    """{'passes': [...], 'malformed': [...]}; each pass: label, asked (threads), rc (None without an
    end marker), timer_ns, threads (the team the program reached), results {(kernel, level):
    {threads, elements, reps, seconds, bytes, errors}}, ended."""
    return _passes.walk(text, _PASS_MARK, _END_MARK, _new_pass, _pass_line, 'instancebench stream_cache 1')


def _pass_line(current, lineno, line, malformed):
    match = _RESULT.match(line)
    if match:
        kernel, level = match.group(1), match.group(2)
        fields = dict(zip(('threads', 'elements', 'reps', 'errors'),
                          (_numbers.integer(match.group(i)) for i in (3, 4, 5, 8))))
        fields.update(seconds=_numbers.number(match.group(6)), bytes=_numbers.number(match.group(7)))
        if kernel not in KERNELS or None in fields.values():
            malformed.append(_numbers.malformed(lineno, line, 'a result line with a known kernel and whole numbers'))
        else:
            current['results'][(kernel, level)] = fields
        return
    match = _HEADER.match(line)
    if match:
        current['timer_ns'], current['threads'] = _numbers.number(match.group(1)), _numbers.integer(match.group(2))
        if current['timer_ns'] is None or current['threads'] is None:
            malformed.append(_numbers.malformed(lineno, line, 'a header of whole numbers'))
        return
    if line == 'end':
        current['ended'] = True
        return
    malformed.append(_numbers.malformed(lineno, line, 'a line of the stream_cache program'))


_check = _numbers.check


def _pass_checks(label, threads, found):
    checks = [_check('%s.complete' % label, found['ended'] and found['rc'] == 0 and bool(found['results']),
                     'exit status %s, %d results, %s' % (found['rc'], len(found['results']),
                                                         'ended' if found['ended'] else 'no end line: cut short')),
              _check('%s.threads' % label, found['threads'] == int(threads),
                     'the program ran %s, the pass asked for %s' % (
                         '%d threads' % found['threads'] if found['threads'] is not None else
                         'an unknown number of threads (no header line)', threads))]
    if found['timer_ns'] is not None:
        checks.append(_check('%s.timer_resolution' % label, found['timer_ns'] <= TIMER_LIMIT_NS,
                             'CLOCK_MONOTONIC resolution %g ns (at most %d)' % (found['timer_ns'], TIMER_LIMIT_NS)))
    return checks


def _level_checks(key, n, results, timer_ns, min_ms):
    """Sizes as asked, every kernel's result verified, every batch far above the timer's resolution."""
    sizes = sorted(set(r['elements'] for r in results.values()))
    checks = [_check('%s.size' % key, sizes == [int(n)], 'elements per array per thread %s, asked %d'
                     % (', '.join(str(s) for s in sizes), int(n)))]
    for kernel, result in sorted(results.items()):
        checks.append(_check('%s.%s_verified' % (key, kernel), result['errors'] == 0,
                             '%d wrong %s after %d repetitions' % (
                                 result['errors'], 'sum' if kernel == 'read' else 'elements', result['reps'])))
    shortest = min(r['seconds'] for r in results.values())
    # No header (a cut run): the resolution is unknown, so no batch can be shown to be far above it.
    floor = max(0.9 * min_ms / 1000.0, TIMER_MARGIN * timer_ns * 1e-9) if timer_ns is not None else float('inf')
    ticks = '%.3g x the timer resolution (%g ns)' % (shortest / (timer_ns * 1e-9), timer_ns) if timer_ns else \
        'timer resolution %s' % ('unknown (no header line)' if timer_ns is None else '0 ns')
    checks.append(_check('%s.timed_above_resolution' % key, shortest >= floor,
                         'shortest batch %.6f s = %s; at least %g s (%d ticks and 0.9 x %g ms)'
                         % (shortest, ticks, floor, TIMER_MARGIN, min_ms)))
    return checks


def _rule_checks(expected):
    """Run rules: a level's arrays within the thread's share of it and above the level below; DRAM
    arrays at least 4 x the last-level cache over all threads."""
    caches, llc = expected.get('caches') or {}, int(expected.get('llc_bytes') or 0)
    checks = []
    for label, threads, sizes in expected.get('passes') or []:
        below = 0
        shares = dict((level, thread_share(caches, name, threads)) for level, name in CACHE_NAMES)
        for level, n in sizes:
            need = ARRAYS * WORD * int(n)
            if level == 'dram':
                # No last-level cache known: the planner's floor is the rule (not a size it chose itself and then refused).
                least = dram_array_bytes(llc)
                passed, rule = WORD * int(n) * int(threads) >= least, \
                    'each array over %s threads at least %d bytes (%d x the last-level cache of %d bytes, at least %d)' \
                    % (threads, least, DRAM_RULE, llc, DRAM_FLOOR_BYTES)
                need = WORD * int(n) * int(threads)
                what = 'each array takes %d bytes over all threads' % need
            else:
                below = max([shares[lower] for lower, _name in CACHE_NAMES[:LEVELS.index(level)]] or [0])
                passed = shares[level] and below < need <= shares[level]
                rule = 'within the %d bytes a thread has of %s and above the %d it has below' % (
                    shares[level], level.upper(), below)
                what = 'the three arrays take %d bytes per thread' % need
            checks.append(_check('run_rule.%s_%s_size' % (level, label), bool(passed), '%s; the rule: %s' % (what, rule),
                                 severity='rule'))
    return checks


def _order_checks(metrics, label, levels_run):
    """A warning per kernel whose bandwidth rises from a level to the one below it by more than
    LEVEL_ORDER_SLACK: a nearer cache slower than a farther one is noise (or a level measured in the
    wrong place), not the hardware; the figures are kept, the reader is told."""
    checks = []
    for kernel in KERNELS:
        rates = [(level, metrics.get('%s_%s_gbs_%s' % (kernel, level, label))) for level in levels_run]
        rates = [(level, found[0]) for level, found in rates if found]
        bad = ['%s %.1f < %s %.1f' % (near.upper(), near_rate, far.upper(), far_rate)
               for (near, near_rate), (far, far_rate) in zip(rates, rates[1:])
               if near_rate < (1 - LEVEL_ORDER_SLACK) * far_rate]
        checks.append(_check('levels_ordered.%s_%s' % (kernel, label), not bad,
                             '%s GB/s falls from each level to the next (within %d %%)' % (kernel, 100 * LEVEL_ORDER_SLACK)
                             if not bad else '%s GB/s: %s — a nearer level slower than a farther one (noise or '
                             'misplaced arrays)' % (kernel, '; '.join(bad)), severity='warning'))
    return checks


def analyze(text, expected):
    """One repetition -> (metrics {<kernel>_<level>_gbs_<label>: (GB/s, 'GB/s', True)}, checks,
    observed {curves {<kernel>_<label>: [[bytes of a thread's three arrays, GB/s], ...]}, timer_resolution_ns}).

    expected: passes [[label, threads, [[level, elements], ...]], ...] asked, caches (host facts),
    llc_bytes, min_ms. GB/s are the bytes the kernel names (read and write 8, copy 16, triad 24 per
    element; write-allocate traffic not counted, as STREAM) over all threads and repetitions, over the time."""
    parsed = read(text)
    min_ms = float(expected.get('min_ms') or 0)
    checks = [_numbers.format_check(parsed['malformed'])]
    by_label = dict((p['label'], p) for p in parsed['passes'])
    metrics, curves, timer = {}, {}, None
    for label, threads, sizes in expected.get('passes') or []:
        found = by_label.get(label)
        if found is None:
            checks.append(_check('%s.complete' % label, False, 'no such pass in the output (cut short?)'))
            continue
        checks.extend(_pass_checks(label, threads, found))
        timer = found['timer_ns'] if timer is None else timer
        for level, n in sizes:
            key = '%s_%s' % (level, label)
            results = dict((kernel, found['results'][(kernel, level)]) for kernel in KERNELS
                           if (kernel, level) in found['results'])
            absent = [kernel for kernel in KERNELS if kernel not in results]
            if absent:
                checks.append(_check('%s.complete' % key, False, 'no %s result (cut short?)' % ', '.join(absent)))
            if not results:
                continue
            checks.extend(_level_checks(key, n, results, found['timer_ns'], min_ms))
            for kernel, result in results.items():
                rate = result['bytes'] / result['seconds'] / 1e9 if result['seconds'] > 0 else float('nan')
                metrics['%s_%s_gbs_%s' % (kernel, level, label)] = (round(rate, 3), 'GB/s', True)
                point = [ARRAYS * WORD * result['elements'], round(rate, 3)]
                curves.setdefault('%s_%s' % (kernel, label), []).append(point)
        checks.extend(_order_checks(metrics, label, [level for level, _n in sizes]))
        for kernel in KERNELS:
            l1, dram = metrics.get('%s_l1_gbs_%s' % (kernel, label)), metrics.get('%s_dram_gbs_%s' % (kernel, label))
            if l1 and dram:
                checks.append(_check('plausible.%s_%s_l1_above_dram' % (kernel, label), l1[0] >= L1_OVER_DRAM * dram[0],
                                     '%s %.1f GB/s in L1, %.1f GB/s in DRAM (L1 at least %g x DRAM)'
                                     % (kernel, l1[0], dram[0], L1_OVER_DRAM)))
    checks.extend(_rule_checks(expected))
    checks.extend(_numbers.plausible_metrics(metrics))
    return metrics, checks, {'curves': dict((name, sorted(points)) for name, points in curves.items()),
                             'timer_resolution_ns': timer}
