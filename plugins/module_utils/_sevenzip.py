# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: 7-Zip 26.x `7zz b` (built-in LZMA benchmark) output parser and analysis.

The role's job script (roles/sevenzip/files/sevenzip_job.sh) runs `7zz b -mmt<N>` once per
requested thread count, each after a marker line
`=== instancebench 7zip run=<label> threads=<N> dictionary=<log2> iterations=<passes>`.
7-Zip prints one row per pass (`22:` = dictionary 2^22 bytes) with, for compression and for
decompression, speed (KiB/s), CPU usage (%), rating per 100 % usage ("R/U") and rating, then
`Avr:` (the rows' mean) and `Tot:` (the mean of the two `Avr:` columns). Ratings are 7-Zip's
own "MIPS": an estimate of million instructions per second that 7-Zip derives from the
speed and the dictionary size, comparable only between 7-Zip benchmark runs (unit `7z-MIPS`).

7-Zip verifies its own work: every decompressed buffer's CRC is compared with the original's,
and a mismatch stops the benchmark (the table ends early, `Decoding ERROR` on stderr, exit 2).
So a run is verified only when its table is complete and no ERROR line follows.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils import _passes

UNIT = '7z-MIPS'
MARKER = re.compile(r'^=== instancebench 7zip run=(\S+) threads=(\d+)(?: dictionary=(\d+))?(?: iterations=(\d+))?')
_VERSION = re.compile(r'^7-Zip(?: \([a-z]+\))? (\d+\.\d+)(?:\s|$)')
_THREADS = re.compile(r'# Benchmark threads:\s*(\S+)')
_COMPILER = re.compile(r'^Compiler:\s*(.*)$')
_ROW = re.compile(r'^(\d+):(.*)$')
_AVR = re.compile(r'^Avr:(.*)$')
_TOT = re.compile(r'^Tot:(.*)$')
_ERROR = re.compile(r'\bERROR\b|^Break signaled')   # 7-Zip's error lines; SIGINT/SIGTERM
# Columns of a row and of Avr: (compression | decompression), 4 numbers each.
COLUMNS = ('speed_kib_s', 'usage_pct', 'rpu_mips', 'rating_mips')


def _new_section(label, threads, dictionary=None, iterations=None):
    return {'label': label, 'threads_requested': threads, 'dictionary': dictionary, 'iterations': iterations,
            'version': None, 'compiler': None, 'benchmark_threads': None, 'rows': [], 'cut_rows': [],
            'avr': None, 'tot': None, 'errors': []}


def _two_columns(text):
    """'  3878  87  4351  3773  |  31776  70  3866  2713' -> ([4 numbers], [4 numbers]) or None."""
    if text.count('|') != 1:
        return None
    halves = [[_numbers.number(token) for token in half.split()] for half in text.split('|')]
    if any(len(half) != 4 or None in half for half in halves):
        return None
    return dict(zip(COLUMNS, halves[0])), dict(zip(COLUMNS, halves[1]))


def read(text):
    """(sections, malformed): one section per marker (or one unnamed section for the output of a
    plain `7zz b`); malformed lists the lines refused (a garbled figure)."""
    sections, malformed = [], []
    current, in_error = None, False
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        marker = MARKER.match(line)
        if marker:
            in_error = False
            current = _new_section(marker.group(1), int(marker.group(2)),
                                   int(marker.group(3)) if marker.group(3) else None,
                                   int(marker.group(4)) if marker.group(4) else None)
            sections.append(current)
            continue
        if current is None:
            if not line.startswith('7-Zip'):
                continue
            current = _new_section(None, None)   # a plain `7zz b` run: its label comes from its threads
            sections.append(current)
        version = _VERSION.match(line)
        if version:
            current['version'] = version.group(1)
            continue
        compiler = _COMPILER.match(line)
        if compiler:
            current['compiler'] = compiler.group(1).strip()
            continue
        threads = _THREADS.search(line)
        if threads:
            value = _numbers.integer(threads.group(1))
            if value is None:
                malformed.append(_numbers.malformed(lineno, line, "7-Zip's benchmark thread count"))
            else:
                current['benchmark_threads'] = value
            continue
        row = _ROW.match(line)
        if row:
            if '|' not in row.group(2):
                # 7-Zip stopped inside this row (an error follows): not a garbled figure.
                current['cut_rows'].append(int(row.group(1)))
                continue
            columns = _two_columns(row.group(2))
            if columns is None:
                malformed.append(_numbers.malformed(lineno, line, 'a 7-Zip benchmark row (dictionary, 4 | 4 numbers)'))
                continue
            current['rows'].append({'dictionary': int(row.group(1)), 'compress': columns[0], 'decompress': columns[1]})
            continue
        avr = _AVR.match(line)
        if avr:
            columns = _two_columns(avr.group(1))
            if columns is None:
                malformed.append(_numbers.malformed(lineno, line, "7-Zip's Avr: line (4 | 4 numbers)"))
            else:
                current['avr'] = {'compress': columns[0], 'decompress': columns[1]}
            continue
        tot = _TOT.match(line)
        if tot:
            values = [_numbers.number(token) for token in tot.group(1).split()]
            if len(values) != 3 or None in values:
                malformed.append(_numbers.malformed(lineno, line, "7-Zip's Tot: line (usage, R/U, rating)"))
            else:
                current['tot'] = dict(zip(('usage_pct', 'rpu_mips', 'rating_mips'), values))
            continue
        if _ERROR.search(line) or (in_error and line):
            current['errors'].append(line)   # the error and what 7-Zip says right after it
            in_error = True
        elif not line:
            in_error = False
    for section in sections:
        if section['label'] is None:
            section['label'] = 't%s' % section['benchmark_threads'] if section['benchmark_threads'] else 'run'
            section['threads_requested'] = section['benchmark_threads']
    return sections, malformed


def parse(text):
    """The sections of `text` (see read())."""
    return read(text)[0]


def runs(thread_counts, logical_cpus):
    """[[label, threads], ...] the job runs, in order (_passes: 0 -> all, N -> tN)."""
    return _passes.runs(thread_counts, logical_cpus, 'sevenzip_thread_counts')


_check = _numbers.check


def _mean(values):
    return sum(values) / float(len(values)) if values else None


def _verified_check(label, section):
    errors = section['errors']
    complete = section['avr'] is not None and section['tot'] is not None
    if errors:
        why = ' / '.join(errors[:3])
        if any('Decoding ERROR' in line for line in errors):
            why += ": a decompressed buffer's CRC did not match the original (7-Zip stops the benchmark)"
        return _check('%s.verified' % label, False, why + (' after %d complete row(s)' % len(section['rows'])))
    if not complete:
        return _check('%s.verified' % label, False, 'no %s line: the benchmark did not finish (output cut)'
                      % ('Avr:/Tot:' if section['avr'] is None else 'Tot:'))
    return _check('%s.verified' % label, True, "7-Zip's CRC verification passed on all %d passes (dictionaries %s)"
                  % (len(section['rows']), ', '.join(sorted(set('2^%d' % r['dictionary'] for r in section['rows'])))))


def _consistency_checks(label, section):
    """Avr is the rows' mean and Tot the mean of the two Avr columns, as 7-Zip computes them from
    unrounded figures: within 1 MIPS plus 0.1 % of printing."""
    checks = []
    rows, avr, tot = section['rows'], section['avr'], section['tot']
    for side in ('compress', 'decompress'):
        mean = _mean([row[side]['rating_mips'] for row in rows])
        reported = avr[side]['rating_mips']
        checks.append(_check('%s.%s_average_consistent' % (label, side),
                             mean is not None and abs(reported - mean) <= 1 + 0.001 * mean,
                             '%s Avr rating %s MIPS, mean of %d rows %s'
                             % (side, reported, len(rows), mean and round(mean, 1))))
    both = (avr['compress']['rating_mips'] + avr['decompress']['rating_mips']) / 2.0
    checks.append(_check('%s.total_consistent' % label, abs(tot['rating_mips'] - both) <= 1 + 0.001 * both,
                         'Tot rating %s MIPS, mean of the compression and decompression Avr ratings %s'
                         % (tot['rating_mips'], round(both, 1))))
    return checks


def _threads_checks(label, section, want):
    checks = []
    got = section['benchmark_threads']
    asked = want if want is not None else section['threads_requested']
    checks.append(_check('%s.threads' % label, got is not None and asked is not None and got == int(asked),
                         '%s benchmark threads asked, 7-Zip reported %s' % (asked, got)))
    tot = section['tot']
    if tot is not None and got:
        # Usage is CPU time over wall time (100 % = one busy thread): far below the threads asked
        # means the CPUs were shared with another load. Reported, not invalidating.
        floor = 50.0 * got
        checks.append(_check('%s.cpu_usage' % label, tot['usage_pct'] >= floor,
                             'Tot usage %s %% with %d thread(s)%s' % (
                                 tot['usage_pct'], got, '' if tot['usage_pct'] >= floor else
                                 ': under half the threads busy on average, the CPUs were shared with another load'),
                             severity='warning'))
    return checks


def metric_names(label):
    return ['compress_mips_%s' % label, 'decompress_mips_%s' % label, 'total_mips_%s' % label]


def analyze(text, expected):
    """One repetition's output -> (metrics {name: (value, unit, higher_is_better)}, checks, observed).

    `expected` may hold `runs` ([[label, threads], ...] as the role ran them), `version` (the
    pinned 7-Zip version, e.g. "26.02") and `dictionary` (log2 of -md; 0 or absent: 7-Zip's own).
    Metrics per run label L: compress_mips_L, decompress_mips_L, total_mips_L (7z-MIPS).
    """
    sections, malformed = read(text)
    checks, metrics = [_numbers.format_check(malformed)], {}
    by_label = dict((s['label'], s) for s in sections)
    wanted = [(str(label), int(threads)) for label, threads in expected.get('runs', [])] or \
        [(s['label'], s['threads_requested']) for s in sections]
    if not wanted:
        return {}, checks + [_check('output_complete', False, 'no 7-Zip benchmark output (truncated or not `7zz b`)')], {}
    version = expected.get('version')
    dictionary = int(expected.get('dictionary') or 0)
    for label, threads in wanted:
        section = by_label.get(label)
        if section is None:
            checks.append(_check('%s.ran' % label, False, 'no output section for run %s (%s threads)' % (label, threads)))
            continue
        if not section['version']:
            checks.append(_check('%s.ran' % label, False, 'run %s printed no 7-Zip banner: 7zz did not start '
                                 '(or its output was cut before any was written)' % label))
            continue
        checks.append(_verified_check(label, section))
        checks.extend(_threads_checks(label, section, threads))
        if version:
            checks.append(_check('%s.version' % label, section['version'] == str(version),
                                 '7-Zip %s reported, %s pinned' % (section['version'], version)))
        if dictionary and section['rows']:
            largest = max(row['dictionary'] for row in section['rows'])
            checks.append(_check('%s.dictionary' % label, largest == dictionary,
                                 'largest dictionary 2^%d, asked 2^%d (-md%d)' % (largest, dictionary, dictionary)))
        if section['avr'] is None or section['tot'] is None or not section['rows']:
            continue
        checks.extend(_consistency_checks(label, section))
        names = metric_names(label)
        metrics[names[0]] = (section['avr']['compress']['rating_mips'], UNIT, True)
        metrics[names[1]] = (section['avr']['decompress']['rating_mips'], UNIT, True)
        metrics[names[2]] = (section['tot']['rating_mips'], UNIT, True)
    checks.extend(_numbers.plausible_metrics(metrics))
    first = next((s for s in sections if s['version']), None)
    observed = {'7zip_version': first['version'], '7zip_compiler': first['compiler']} if first else {}
    return metrics, checks, observed
