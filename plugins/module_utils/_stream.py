# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: STREAM 5.10 output parser and array sizing rules.

STREAM reports "MB/s" meaning 1e6 bytes/s; we publish GB/s = 1e9 bytes/s.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

KERNELS = ('Copy', 'Scale', 'Add', 'Triad')
ELEMENT_BYTES = 8          # STREAM_TYPE double
ARRAYS = 3                 # a, b, c
STATIC_DATA_LIMIT = 2 ** 31 - 1   # beyond this the small code model cannot address the arrays

_ROW = re.compile(r'^(Copy|Scale|Add|Triad):\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s*$')
_INT_FIELDS = {
    'array_size_elements': re.compile(r'^Array size = (\d+) \(elements\)'),
    'ntimes': re.compile(r'^Each kernel will be executed (\d+) times'),
    'threads_requested': re.compile(r'^Number of Threads requested = (\d+)'),
    'threads_counted': re.compile(r'^Number of Threads counted = (\d+)'),
    'element_bytes': re.compile(r'^This system uses (\d+) bytes per array element'),
}


class StreamParseError(ValueError):
    """The text is not a complete STREAM report."""


def parse(text):
    """Parse one STREAM run's stdout.

    Returns {'kernels': {name: {best_rate_mb_s, avg_time_s, min_time_s, max_time_s}},
    'validates': bool, 'validation_line': str|None, ...header fields}. Raises
    StreamParseError when the table is incomplete (truncated or foreign output).
    """
    parsed = {'kernels': {}, 'validates': False, 'validation_line': None}
    for raw in text.splitlines():
        line = raw.strip()
        row = _ROW.match(line)
        if row:
            parsed['kernels'][row.group(1)] = {
                'best_rate_mb_s': float(row.group(2)),
                'avg_time_s': float(row.group(3)),
                'min_time_s': float(row.group(4)),
                'max_time_s': float(row.group(5)),
            }
            continue
        for field, pattern in _INT_FIELDS.items():
            match = pattern.match(line)
            if match:
                parsed[field] = int(match.group(1))
        if line.startswith('Solution Validates'):
            parsed['validates'] = True
            parsed['validation_line'] = line
        elif line.startswith('Failed Validation') or 'Error on array' in line:
            parsed['validation_line'] = line
    missing = [name for name in KERNELS if name not in parsed['kernels']]
    if missing:
        raise StreamParseError('STREAM output has no result row for %s (truncated or not STREAM output)'
                               % ', '.join(missing))
    return parsed


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


def needs_medium_code_model(elements):
    return elements * ARRAYS * ELEMENT_BYTES > STATIC_DATA_LIMIT


def _check(name, passed, detail):
    return {'name': name, 'passed': bool(passed), 'detail': detail}


def analyze(text, expected):
    """One repetition's output -> (metrics {name: (value, unit, higher_is_better)}, checks).

    `expected` may hold `threads` and `array_size_elements` as built; a mismatch means the
    binary is not the one the result document describes.
    """
    try:
        parsed = parse(text)
    except StreamParseError as exc:
        return {}, [_check('table_complete', False, str(exc))]
    checks = [
        _check('table_complete', True, 'Copy, Scale, Add and Triad rows present'),
        _check('solution_validates', parsed['validates'],
               parsed['validation_line'] or 'no "Solution Validates" line: the arrays did not check out'),
    ]
    for field in ('array_size_elements', 'threads'):
        want = expected.get(field)
        got = parsed.get('threads_counted' if field == 'threads' else field)
        if want:
            checks.append(_check(field, got == int(want), 'expected %s, STREAM reported %s' % (want, got)))
    metrics = {}
    for kernel in KERNELS:
        rate = round(parsed['kernels'][kernel]['best_rate_mb_s'] / 1000.0, 4)   # MB/s (1e6) -> GB/s (1e9)
        metrics['%s_bandwidth' % kernel.lower()] = (rate, 'GB/s', True)
    return metrics, checks
