# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: STREAM 5.10 output parser and array sizing rules.

STREAM reports "MB/s" meaning 1e6 bytes/s; we publish GB/s = 1e9 bytes/s.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers

KERNELS = ('Copy', 'Scale', 'Add', 'Triad')
ELEMENT_BYTES = 8          # STREAM_TYPE double
ARRAYS = 3                 # a, b, c
STATIC_DATA_LIMIT = 2 ** 31 - 1   # beyond this the small code model cannot address the arrays

_ROW = re.compile(r'^(Copy|Scale|Add|Triad):(.*)$')
_ROW_FIELDS = ('best_rate_mb_s', 'avg_time_s', 'min_time_s', 'max_time_s')
_INT_FIELDS = {
    'array_size_elements': re.compile(r'^Array size = (\S+) \(elements\)'),
    'ntimes': re.compile(r'^Each kernel will be executed (\S+) times'),
    'threads_requested': re.compile(r'^Number of Threads requested = (\S+)'),
    'threads_counted': re.compile(r'^Number of Threads counted = (\S+)'),
    'element_bytes': re.compile(r'^This system uses (\S+) bytes per array element'),
}
_TUNED = re.compile(r'^instancebench tuned kernels: (\S+)$')
# stream.c's stub section, which a tuned build replaces with our kernels (TUNED hooks).
_STUBS = re.compile(r'/\* stubs for "tuned" versions of the kernels \*/.*?'
                    r'/\* end of stubs for the "tuned" versions of the kernels \*/', re.S)
TUNED_INCLUDE = '#include "instancebench_tuned.c"'
_VALIDATES = re.compile(r'^Solution Validates: avg error less than (\S+) on all three arrays\s*$')
# Arrays each kernel reads and writes, as STREAM counts bytes (no write-allocate traffic).
ARRAYS_MOVED = {'Copy': 2, 'Scale': 2, 'Add': 3, 'Triad': 3}


class StreamParseError(ValueError):
    """The text is not a complete STREAM report."""


def _new_table():
    return {'kernels': {}, 'validates': False, 'validation_line': None}


def parse(text):
    """read(), raising StreamParseError when no table is complete."""
    parsed = read(text)
    if parsed['incomplete']:
        raise StreamParseError(parsed['incomplete'])
    return parsed


def read(text):
    """Parse one STREAM run's stdout (which may, if the command ran STREAM more than once, hold
    several result tables).

    Returns {'tables': [{'kernels': {name: {best_rate_mb_s, avg_time_s, min_time_s, max_time_s}},
    'validates', 'validation_line'}], 'malformed': [line problems], 'kernels' / 'validates' /
    'validation_line' of the first complete table, ...header fields, 'incomplete': why no table is
    complete (truncated or foreign output) or None}.
    """
    tables, malformed = [], []
    parsed = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith('Function') and 'Best Rate' in line:
            tables.append(_new_table())
            continue
        row = _ROW.match(line)
        if row:
            values = [_numbers.number(token) for token in row.group(2).split()]
            if len(values) != 4 or None in values:
                malformed.append(_numbers.malformed(lineno, line, 'a STREAM row (kernel and 4 numbers)'))
                continue
            if not tables or row.group(1) in tables[-1]['kernels']:
                tables.append(_new_table())
            tables[-1]['kernels'][row.group(1)] = dict(zip(_ROW_FIELDS, values))
            continue
        for field, pattern in _INT_FIELDS.items():
            match = pattern.match(line)
            if match:
                value = _numbers.integer(match.group(1))
                if value is None:
                    malformed.append(_numbers.malformed(lineno, line, 'a STREAM header with a whole integer'))
                else:
                    parsed[field] = value
        tuned = _TUNED.match(line)
        if tuned:
            parsed['tuned_kernels'] = tuned.group(1)
        if line.startswith('Solution Validates'):
            match = _VALIDATES.match(line)
            if not match or _numbers.number(match.group(1)) is None:
                malformed.append(_numbers.malformed(lineno, line, "STREAM's validation line"))
            elif tables:
                tables[-1].update(validates=True, validation_line=line)
        elif (line.startswith('Failed Validation') or 'Error on array' in line) and tables:
            tables[-1]['validation_line'] = line
    complete = [t for t in tables if all(name in t['kernels'] for name in KERNELS)]
    seen = tables[-1]['kernels'] if tables else {}
    first = complete[0] if complete else _new_table()
    parsed.update(tables=tables, malformed=malformed, kernels=first['kernels'], validates=first['validates'],
                  validation_line=first['validation_line'],
                  incomplete=None if complete else 'STREAM output has no result row for %s (truncated or not STREAM '
                  'output)' % ', '.join(name for name in KERNELS if name not in seen))
    return parsed


def tuned_source(text):
    """stream.c with its "tuned" stubs replaced by an include of our kernels; ValueError when
    the stub section is not there exactly once (not stream.c 5.10)."""
    found = len(_STUBS.findall(text))
    if found != 1:
        raise ValueError('stream.c has %d "tuned" stub sections, expected 1: the tuned build needs stream.c 5.10'
                         % found)
    return _STUBS.sub(TUNED_INCLUDE, text)


def minimum_array_size(llc_bytes, floor_elements):
    """STREAM's rule: each array at least 4x the total last-level cache, and a floor."""
    by_cache = -(-4 * int(llc_bytes or 0) // ELEMENT_BYTES)   # ceil division
    return max(by_cache, int(floor_elements))


def maximum_array_size(available_bytes, memory_fraction):
    """Largest array that keeps all three arrays within `memory_fraction` of available memory."""
    return int(int(available_bytes) * float(memory_fraction)) // (ARRAYS * ELEMENT_BYTES)


def choose_array_size(llc_bytes, available_bytes, memory_fraction, floor_elements, requested=None):
    """Return (elements, reason) or raise ValueError naming the variable to change."""
    minimum = minimum_array_size(llc_bytes, floor_elements)
    maximum = maximum_array_size(available_bytes, memory_fraction)
    if requested:
        requested = int(requested)
        if requested > maximum:
            raise ValueError(
                'stream_array_size=%d needs %.2f GiB for 3 arrays but stream_memory_fraction=%s of the '
                '%.2f GiB available allows %d elements: lower stream_array_size or raise stream_memory_fraction'
                % (requested, requested * ARRAYS * ELEMENT_BYTES / 2.0 ** 30, memory_fraction,
                   available_bytes / 2.0 ** 30, maximum))
        return requested, 'requested'
    if minimum > maximum:
        raise ValueError(
            'STREAM needs at least %d elements per array (4 x last-level cache %d bytes, floor %d) = %.2f GiB '
            'for 3 arrays, but stream_memory_fraction=%s of the %.2f GiB available allows only %d: raise '
            'stream_memory_fraction or use an instance with more memory'
            % (minimum, llc_bytes or 0, floor_elements, minimum * ARRAYS * ELEMENT_BYTES / 2.0 ** 30,
               memory_fraction, available_bytes / 2.0 ** 30, maximum))
    return minimum, 'minimum (4 x LLC or floor)'


def memory_peaks(family_name, sockets, physical_cores, table):
    """The triad's theoretical ceiling for a known processor family: sockets x channels x MT/s x
    8 bytes (decimal GB/s), with the assumption stated; [] for a family without memory data."""
    entry = (table or {}).get(family_name or '')
    if not entry or not entry.get('mts') or not entry.get('channels_per_socket'):
        return []
    sockets = max(1, int(sockets or 1))
    per_socket = entry['channels_per_socket'] * entry['mts'] * 8 / 1000.0
    share = '' if int(physical_cores or 0) >= sockets * entry['cores_per_socket'] else (
        '; this host has %s of the %d cores, sharing the channels with other tenants'
        % (physical_cores, sockets * entry['cores_per_socket']))
    return [{'metric': 'triad_bandwidth', 'value': round(sockets * per_socket, 3), 'ceiling': True,
             'assumption': '%d socket(s) x %d channels x %s-%d x 8 B (%s)%s'
                           % (sockets, entry['channels_per_socket'], entry['type'], entry['mts'], family_name, share)}]


def needs_medium_code_model(elements):
    return elements * ARRAYS * ELEMENT_BYTES > STATIC_DATA_LIMIT


_check = _numbers.check


def _table_checks(parsed):
    """Every table complete and validated; more than one table is judged table by table."""
    tables = parsed['tables']
    incomplete = [i for i, t in enumerate(tables, 1) if any(name not in t['kernels'] for name in KERNELS)]
    unvalidated = [i for i, t in enumerate(tables, 1) if not t['validates']]
    several = len(tables) > 1
    checks = [
        _check('table_complete', not incomplete,
               'Copy, Scale, Add and Triad rows present' + (' in all %d tables' % len(tables) if several else '')
               if not incomplete else 'table(s) %s of %d lack a kernel row' % (incomplete, len(tables))),
        _check('solution_validates', not unvalidated,
               (parsed['validation_line'] if not several else 'all %d tables validate' % len(tables))
               if not unvalidated else
               ('no "Solution Validates" line: the arrays did not check out' if not several else
                'table(s) %s of %d have no "Solution Validates" line' % (unvalidated, len(tables)))
               + ('' if several or not parsed['validation_line'] else ' (%s)' % parsed['validation_line'])),
    ]
    if several:
        checks.append(_check('tables', True, '%d STREAM tables in one output: each judged; published: the best '
                             'rate of each kernel over them (STREAM\'s own best-time rule)' % len(tables)))
    return checks


def _rate_checks(kernels, elements, element_bytes):
    """Each best rate agrees with the bytes STREAM moved over its best time; times are ordered."""
    checks = []
    for name in KERNELS:
        row = kernels[name]
        derived = ARRAYS_MOVED[name] * element_bytes * elements / row['min_time_s'] / 1e6 \
            if _numbers.finite_positive(row['min_time_s']) else None
        # Times print with 6 decimals: allow their rounding on top of 0.1 %.
        tolerance = 0.001 + (1e-6 / row['min_time_s'] if _numbers.finite_positive(row['min_time_s']) else 0)
        checks.append(_check('rate_consistent.%s' % name.lower(),
                             _numbers.agrees(row['best_rate_mb_s'], derived, tolerance),
                             '%s: %s MB/s reported, %s MB/s from %d arrays x %d elements x %d bytes / %s s'
                             % (name, row['best_rate_mb_s'], derived and round(derived, 1), ARRAYS_MOVED[name],
                                elements, element_bytes, row['min_time_s'])))
        ordered = 0 < row['min_time_s'] <= row['avg_time_s'] <= row['max_time_s']
        checks.append(_check('times_ordered.%s' % name.lower(), ordered,
                             '%s: min %s <= avg %s <= max %s s' % (name, row['min_time_s'], row['avg_time_s'],
                                                                   row['max_time_s'])))
    return checks


def _published(tables):
    """Best rate per kernel over the complete tables (one table: that table)."""
    complete = [t['kernels'] for t in tables if all(name in t['kernels'] for name in KERNELS)]
    return dict((name, max((k[name] for k in complete), key=lambda row: row['best_rate_mb_s'])) for name in KERNELS)


def analyze(text, expected):
    """One repetition's output -> (metrics {name: (value, unit, higher_is_better)}, checks).

    `expected` may hold `threads` and `array_size_elements` as built; a mismatch means the
    binary is not the one the result document describes.
    """
    parsed = read(text)
    if parsed['incomplete']:
        return {}, [_numbers.format_check(parsed['malformed']), _check('table_complete', False, parsed['incomplete'])]
    checks = [_numbers.format_check(parsed['malformed'])] + _table_checks(parsed)
    for field in ('array_size_elements', 'threads'):
        want = expected.get(field)
        got = parsed.get('threads_counted' if field == 'threads' else field)
        if want:
            checks.append(_check(field, got == int(want), 'expected %s, STREAM reported %s' % (want, got)))
    kernels = _published(parsed['tables'])
    elements = parsed.get('array_size_elements') or expected.get('array_size_elements')
    if expected.get('llc_bytes') and elements:
        need = minimum_array_size(expected['llc_bytes'], 0)
        checks.append(_check('run_rule.array_4x_llc', int(elements) >= need,
                             'each array %d elements; STREAM\'s rule asks at least 4 x the %d-byte last-level cache '
                             '= %d elements' % (int(elements), int(expected['llc_bytes']), need), severity='rule'))
    if elements:
        checks.extend(_rate_checks(kernels, int(elements), parsed.get('element_bytes') or ELEMENT_BYTES))
    else:
        checks.append(_check('array_size_reported', False, 'no "Array size" line: the rates cannot be checked'))
    metrics = {}
    for kernel in KERNELS:
        rate = round(kernels[kernel]['best_rate_mb_s'] / 1000.0, 4)   # MB/s (1e6) -> GB/s (1e9)
        metrics['%s_bandwidth' % kernel.lower()] = (rate, 'GB/s', True)
    checks.extend(_numbers.plausible_metrics(metrics))
    if expected.get('tuned'):
        checks.append(_check('tuned_kernels_reported', bool(parsed.get('tuned_kernels')),
                             'tuned kernels: %s' % parsed.get('tuned_kernels', 'not reported: not the tuned build')))
    return metrics, checks, {'tuned_kernels': parsed['tuned_kernels']} if parsed.get('tuned_kernels') else {}
