# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: sysbench 1.0.20 `cpu`, `memory` and `threads` output parser, job sections and analysis.

The role's job script (roles/sysbench/files/sysbench_job.sh) runs each section after a marker
line `=== instancebench sysbench section=<name> test=<test> threads=<N> time=<s>`; `sections()`
below decides them (names like cpu_t1, memory_read_all, threads_all: `all` is every logical
CPU). What is published:

- cpu: sysbench's "events per second" (one event = test every number up to --cpu-max-prime for
  primality by trial division), metric `<test>_events_per_s_<t1|all>`.
- memory: sequential read or write of a per-thread buffer of --memory-block-size bytes, again
  and again. sysbench reports MiB/sec (2^20 bytes); we publish **GiB/s (2^30 bytes per second)**,
  its figure / 1024, metric `<section>_bandwidth`. The block is sized so that the buffers of all
  threads together span at least 4x the last-level cache (STREAM's rule): out of cache, DRAM.
  sysbench's default 1 KiB block measures the L1 cache instead.
- threads: events (each --thread-yields yields over --thread-locks mutexes) per second,
  total events / total time (sysbench prints no rate for it), metric `<test>_events_per_s_<t1|all>`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils import _passes

TESTS = ('cpu', 'memory', 'threads')
MEMORY_OPERS = ('read', 'write')
MEMORY_SCOPES = ('local', 'global')
MIB = 1024 * 1024
MARKER = re.compile(r'^=== instancebench sysbench section=(\S+) test=(\S+) threads=(\d+)(?: time=(\d+))?')
_VERSION = re.compile(r'^sysbench (\d+\.\d+\.\d+)(?: \(using (.*)\))?')
# (field, pattern, kind): every value is a whole token checked by _numbers.
_FIELDS = (
    ('threads', re.compile(r'^Number of threads:\s*(\S+)$'), 'int'),
    ('cpu_max_prime', re.compile(r'^Prime numbers limit:\s*(\S+)$'), 'int'),
    ('events_per_s', re.compile(r'^events per second:\s*(\S+)$'), 'number'),
    ('block_kib', re.compile(r'^block size:\s*(\S+?)KiB$'), 'int'),
    ('total_time_s', re.compile(r'^total time:\s*(\S+?)s$'), 'number'),
    ('events', re.compile(r'^total number of events:\s*(\S+)$'), 'int'),
    ('latency_min_ms', re.compile(r'^min:\s*(\S+)$'), 'number'),
    ('latency_avg_ms', re.compile(r'^avg:\s*(\S+)$'), 'number'),
    ('latency_max_ms', re.compile(r'^max:\s*(\S+)$'), 'number'),
    ('latency_pct_ms', re.compile(r'^\d+th percentile:\s*(\S+)$'), 'number'),
    ('latency_sum_ms', re.compile(r'^sum:\s*(\S+)$'), 'number'),
)
_WORDS = (
    ('operation', re.compile(r'^operation:\s*(\S+)$')),
    ('scope', re.compile(r'^scope:\s*(\S+)$')),
)
_OPERATIONS = re.compile(r'^Total operations:\s*(\S+)\s*\(\s*(\S+) per second\)$')
_TRANSFERRED = re.compile(r'^(\S+) MiB transferred \(\s*(\S+) MiB/sec\)$')
_FAIRNESS = re.compile(r'^(events|execution time) \(avg/stddev\):\s*(\S+)/(\S+)$')
_UNFINISHED = re.compile(r'^Number of unfinished transactions on forced shutdown:\s*(\S+)')


class SysbenchParseError(ValueError):
    """The text holds no sysbench section."""


def _new_section(name, test, threads, seconds):
    return {'name': name, 'test': test, 'threads_requested': threads, 'time_requested': seconds, 'version': None,
            'luajit': None, 'errors': [], 'unfinished': None}


def read(text):
    """(sections, malformed): one section per marker (or one for the output of a plain sysbench
    run, named after its test and thread count); malformed lists the lines refused."""
    sections, malformed = [], []
    current = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        marker = MARKER.match(line)
        if marker:
            current = _new_section(marker.group(1), marker.group(2), int(marker.group(3)),
                                   int(marker.group(4)) if marker.group(4) else None)
            sections.append(current)
            continue
        version = _VERSION.match(line)
        if version:
            if current is None or current['version']:
                current = _new_section(None, None, None, None)   # a plain sysbench run: named below
                sections.append(current)
            current['version'], current['luajit'] = version.group(1), version.group(2)
            continue
        if current is None or not line:
            continue
        if line.startswith('FATAL') or line.startswith('ALERT'):
            current['errors'].append(line)
            continue
        _read_line(current, lineno, line, malformed)
    for section in sections:
        if section['name'] is None:
            section['test'] = section['test'] or _guess_test(section)
            section['threads_requested'] = section.get('threads')
            section['name'] = '%s_t%s' % (section['test'], section.get('threads'))
    return sections, malformed


def _read_line(current, lineno, line, malformed):
    for field, pattern, kind in _FIELDS:
        match = pattern.match(line)
        if match:
            value = (_numbers.integer if kind == 'int' else _numbers.number)(match.group(1))
            if value is None:
                malformed.append(_numbers.malformed(lineno, line, 'a sysbench "%s" line with a whole %s'
                                                    % (field, 'integer' if kind == 'int' else 'number')))
            else:
                current[field] = value
            return
    for field, pattern in _WORDS:
        match = pattern.match(line)
        if match:
            current[field] = match.group(1)
            return
    pairs = ((_OPERATIONS, ('operations', 'operations_per_s'), 'a sysbench "Total operations" line'),
             (_TRANSFERRED, ('transferred_mib', 'mib_per_s'), 'a sysbench "MiB transferred" line'))
    for pattern, fields, what in pairs:
        match = pattern.match(line)
        if match:
            values = [_numbers.number(match.group(i)) for i in (1, 2)]
            if None in values:
                malformed.append(_numbers.malformed(lineno, line, what))
            else:
                current.update(zip(fields, values))
            return
    fairness = _FAIRNESS.match(line)
    if fairness:
        values = [_numbers.number(fairness.group(i)) for i in (2, 3)]
        if None in values:
            malformed.append(_numbers.malformed(lineno, line, 'a sysbench "Threads fairness" line'))
        else:
            prefix = 'fair_events' if fairness.group(1) == 'events' else 'fair_time_s'
            current[prefix + '_avg'], current[prefix + '_stddev'] = values
        return
    unfinished = _UNFINISHED.match(line)
    if unfinished:
        current['unfinished'] = _numbers.integer(unfinished.group(1))
        if current['unfinished'] is None:
            malformed.append(_numbers.malformed(lineno, line, 'a sysbench unfinished-transactions count'))


def _guess_test(section):
    if 'cpu_max_prime' in section:
        return 'cpu'
    if 'block_kib' in section:
        return 'memory'
    return 'threads'


def parse(text):
    """The sections of `text`; SysbenchParseError when there is none."""
    sections = read(text)[0]
    if not sections:
        raise SysbenchParseError('no sysbench output (no "sysbench 1.x" banner and no section marker)')
    return sections


# ---- what the role runs --------------------------------------------------------------------

def next_power_of_two(value):
    value = max(1, int(math.ceil(value)))
    return 1 << (value - 1).bit_length()


def memory_block_bytes(llc_bytes, threads, floor_bytes):
    """Per-thread buffer: all threads' buffers together at least 4x the last-level cache, at least
    `floor_bytes`, rounded up to a power of two (sysbench requires one)."""
    threads = max(1, int(threads))
    return next_power_of_two(max(4.0 * int(llc_bytes or 0) / threads, int(floor_bytes)))


def metric_name(section_name, what):
    """'cpu_t1', 'events_per_s' -> 'cpu_events_per_s_t1': the thread label ends every metric name,
    as in the other suites (t1: one thread, all: every logical CPU)."""
    head, label = section_name.rsplit('_', 1)
    return '%s_%s_%s' % (head, what, label)


def sections(thread_counts, logical_cpus, llc_bytes, available_bytes, tests=TESTS, memory_opers=MEMORY_OPERS,
             cpu_max_prime=10000, block_floor=64 * MIB, memory_fraction=0.5, memory_scope='local',
             thread_yields=1000, thread_locks=8):
    """The job's sections, in run order: [{name, test, threads, label, options: [--opt=value, ...],
    argument: the job script's NAME:TEST:THREADS:OPTIONS word, and what the analyzer checks:
    cpu_max_prime / oper, block_bytes, scope}]. ValueError names the variable to change."""
    unknown = [t for t in tests if t not in TESTS]
    if unknown or not tests:
        raise ValueError('sysbench_tests has %s: choose from %s' % (', '.join(unknown) or 'nothing', ', '.join(TESTS)))
    bad_opers = [o for o in memory_opers if o not in MEMORY_OPERS]
    if 'memory' in tests and (bad_opers or not memory_opers):
        raise ValueError('sysbench_memory_opers has %s: choose from %s'
                         % (', '.join(bad_opers) or 'nothing', ', '.join(MEMORY_OPERS)))
    if memory_scope not in MEMORY_SCOPES:
        raise ValueError('sysbench_memory_scope is %r: choose from %s' % (memory_scope, ', '.join(MEMORY_SCOPES)))
    runs = _passes.runs(thread_counts, logical_cpus, 'sysbench_thread_counts')
    found = []
    for test in tests:
        for label, threads in runs:
            if test == 'cpu':
                found.append({'name': 'cpu_%s' % label, 'test': 'cpu', 'threads': threads, 'label': label,
                              'cpu_max_prime': int(cpu_max_prime),
                              'options': ['--cpu-max-prime=%d' % int(cpu_max_prime)]})
            elif test == 'threads':
                found.append({'name': 'threads_%s' % label, 'test': 'threads', 'threads': threads, 'label': label,
                              'options': ['--thread-yields=%d' % int(thread_yields),
                                          '--thread-locks=%d' % int(thread_locks)]})
            else:
                block = memory_block_bytes(llc_bytes, threads, block_floor)
                buffers = block * (threads if memory_scope == 'local' else 1)
                if buffers > float(memory_fraction) * int(available_bytes):
                    raise ValueError(
                        'sysbench memory with %d threads needs %d x %d MiB = %.2f GiB of buffers, more than '
                        'sysbench_memory_fraction=%s of the %.2f GiB available: lower sysbench_memory_block_floor, '
                        'raise sysbench_memory_fraction or drop memory from sysbench_tests'
                        % (threads, buffers // block, block // MIB, buffers / 2.0 ** 30, memory_fraction,
                           int(available_bytes) / 2.0 ** 30))
                for oper in memory_opers:
                    found.append({'name': 'memory_%s_%s' % (oper, label), 'test': 'memory', 'threads': threads,
                                  'label': label, 'oper': oper, 'block_bytes': block, 'scope': memory_scope,
                                  'options': ['--memory-oper=%s' % oper, '--memory-access-mode=seq',
                                              '--memory-block-size=%dK' % (block // 1024),
                                              '--memory-scope=%s' % memory_scope, '--memory-total-size=0']})
    for section in found:
        section['argument'] = section_argument(section)
    return found


def section_argument(section):
    """One job script argument: NAME:TEST:THREADS:OPTION,OPTION..."""
    return '%s:%s:%d:%s' % (section['name'], section['test'], section['threads'], ','.join(section['options']))


# ---- analysis ------------------------------------------------------------------------------

_check = _numbers.check


def _within(reported, derived, relative, absolute):
    return reported is not None and derived is not None and abs(reported - derived) <= absolute + relative * abs(derived)


def _completed_check(name, section):
    if section['errors']:
        return _check('%s.completed' % name, False, ' / '.join(section['errors'][:3]))
    missing = [f for f in ('total_time_s', 'events') if f not in section]
    if missing:
        return _check('%s.completed' % name, False, 'no "General statistics" (%s): the run was cut or failed'
                      % ', '.join(missing))
    if section['unfinished']:
        return _check('%s.completed' % name, False, '%d events unfinished at the forced shutdown: a thread hung'
                      % section['unfinished'])
    return _check('%s.completed' % name, True, '%d events in %.4f s' % (section['events'], section['total_time_s']))


def _general_checks(name, section, want):
    """Thread count, duration, fairness and latency bookkeeping: sysbench's totals agree."""
    checks = []
    threads = section.get('threads')
    asked = want.get('threads', section['threads_requested'])
    checks.append(_check('%s.threads' % name, threads is not None and asked is not None and threads == int(asked),
                         '%s threads asked, sysbench ran %s' % (asked, threads)))
    seconds = want.get('time') or section['time_requested']
    if seconds:
        checks.append(_check('%s.duration' % name, section['total_time_s'] >= 0.95 * float(seconds),
                             'ran %.4f s of the %s s asked' % (section['total_time_s'], seconds)))
    if threads and 'fair_events_avg' in section:
        # The per-thread average prints with 4 decimals: its sum over threads is exact to that.
        summed = section['fair_events_avg'] * threads
        checks.append(_check('%s.events_add_up' % name, _within(summed, section['events'], 0, 0.0001 * threads + 1e-9),
                             '%d threads x %s events on average = %s, total %d' % (
                                 threads, section['fair_events_avg'], round(summed, 4), section['events'])))
    lat = [section.get(k) for k in ('latency_min_ms', 'latency_avg_ms', 'latency_max_ms', 'latency_sum_ms')]
    if None not in lat:
        # Latencies print with 2 decimals: min <= avg <= max up to that rounding.
        ordered = lat[0] <= lat[1] + 0.01 and lat[1] <= lat[2] + 0.01 and (
            section.get('latency_pct_ms') is None or section['latency_pct_ms'] <= lat[2] + 0.01)
        checks.append(_check('%s.latency_ordered' % name, ordered, 'min %s <= avg %s (<= %sth pct) <= max %s ms'
                             % (lat[0], lat[1], section.get('latency_pct_ms'), lat[2])))
        if threads and 'fair_time_s_avg' in section:
            derived = threads * section['fair_time_s_avg'] * 1000.0
            checks.append(_check('%s.latency_sum_consistent' % name,
                                 _within(lat[3], derived, 0.001, 0.05 * threads + 0.01),
                                 'latency sum %s ms, %d threads x %s s average execution time = %.2f ms'
                                 % (lat[3], threads, section['fair_time_s_avg'], derived)))
    return checks


def _cpu(name, section, want):
    checks, metrics = [], {}
    prime = want.get('cpu_max_prime')
    if prime:
        checks.append(_check('%s.cpu_max_prime' % name, section.get('cpu_max_prime') == int(prime),
                             'prime limit %s asked, sysbench reported %s' % (prime, section.get('cpu_max_prime'))))
    rate = section.get('events_per_s')
    if rate is None:
        checks.append(_check('%s.rate_reported' % name, False, 'no "events per second" line'))
        return checks, metrics
    derived = rate * section['total_time_s']
    # sysbench divides by its own interval, a few ms off the printed total time: 1 %.
    checks.append(_check('%s.events_consistent' % name, _within(derived, section['events'], 0.01, 1),
                         '%s events/s x %.4f s = %.0f, total %d events'
                         % (rate, section['total_time_s'], derived, section['events'])))
    metrics[metric_name(name, 'events_per_s')] = (rate, 'events/s', True)
    return checks, metrics


def _memory(name, section, want):
    checks, metrics = [], {}
    for field, label in (('oper', 'operation'), ('scope', 'scope')):
        if want.get(field):
            checks.append(_check('%s.%s' % (name, label), section.get(label) == want[field],
                                 '%s %s asked, sysbench reported %s' % (label, want[field], section.get(label))))
    block = section.get('block_kib')
    if want.get('block_bytes'):
        checks.append(_check('%s.block_size' % name, block is not None and block * 1024 == int(want['block_bytes']),
                             'block %s bytes asked, sysbench reported %s KiB' % (want['block_bytes'], block)))
    needed = ('operations', 'operations_per_s', 'transferred_mib', 'mib_per_s')
    if block is None or any(f not in section for f in needed):
        checks.append(_check('%s.rate_reported' % name, False, 'no block size, "Total operations" or '
                             '"MiB transferred" line'))
        return checks, metrics
    block_mib = block / 1024.0
    checks.append(_check('%s.operations_counted' % name, section['operations'] == section['events'],
                         '%s operations, %d events' % (section['operations'], section['events'])))
    checks.append(_check('%s.transferred_consistent' % name,
                         _within(section['transferred_mib'], section['operations'] * block_mib, 0, 0.01),
                         '%s MiB transferred, %d operations x %s MiB = %.2f MiB' % (
                             section['transferred_mib'], section['operations'], block_mib,
                             section['operations'] * block_mib)))
    checks.append(_check('%s.rate_consistent' % name,
                         _within(section['mib_per_s'], section['operations_per_s'] * block_mib, 0.001, 0.01),
                         '%s MiB/s, %s operations/s x %s MiB = %.2f MiB/s' % (
                             section['mib_per_s'], section['operations_per_s'], block_mib,
                             section['operations_per_s'] * block_mib)))
    checks.append(_check('%s.events_consistent' % name,
                         _within(section['operations_per_s'] * section['total_time_s'], section['operations'], 0.01, 1),
                         '%s operations/s x %.4f s, total %d'
                         % (section['operations_per_s'], section['total_time_s'], section['operations'])))
    metrics[metric_name(name, 'bandwidth')] = (round(section['mib_per_s'] / 1024.0, 4), 'GiB/s', True)
    return checks, metrics


def _threads(name, section, _want):
    if not _numbers.finite_positive(section['total_time_s']):
        return [_check('%s.rate_reported' % name, False, 'total time %s s' % section['total_time_s'])], {}
    rate = round(section['events'] / section['total_time_s'], 2)
    return [], {metric_name(name, 'events_per_s'): (rate, 'events/s', True)}


_BY_TEST = {'cpu': _cpu, 'memory': _memory, 'threads': _threads}


def analyze(text, expected):
    """One repetition's output -> (metrics {name: (value, unit, higher_is_better)}, checks, observed).

    `expected` may hold `sections` (sections() as the role ran them: name, test, threads and the
    test's settings), `time` (seconds per section) and `version` (the pinned "1.0.20").
    """
    parsed, malformed = read(text)
    checks, metrics = [_numbers.format_check(malformed)], {}
    by_name = dict((s['name'], s) for s in parsed)
    wanted = expected.get('sections') or [{'name': s['name'], 'test': s['test']} for s in parsed]
    if not wanted:
        return {}, checks + [_check('output_complete', False, 'no sysbench output (truncated or not sysbench)')], {}
    version = expected.get('version')
    for want in wanted:
        want = dict(want, time=expected.get('time'))
        name = want['name']
        section = by_name.get(name)
        if section is None or not section['version']:
            checks.append(_check('%s.ran' % name, False, 'no output for section %s%s' % (
                name, '' if section is None else ' after its marker: sysbench did not start')))
            continue
        if version:
            checks.append(_check('%s.version' % name, section['version'] == str(version),
                                 'sysbench %s reported, %s pinned' % (section['version'], version)))
        if want.get('test') and section['test'] != want['test']:
            checks.append(_check('%s.test' % name, False, 'test %s asked, %s ran' % (want['test'], section['test'])))
            continue
        completed = _completed_check(name, section)
        checks.append(completed)
        if not completed['passed']:
            continue
        checks.extend(_general_checks(name, section, want))
        found_checks, found = _BY_TEST.get(section['test'], _threads)(name, section, want)
        checks.extend(found_checks)
        metrics.update(found)
    checks.extend(_numbers.plausible_metrics(metrics))
    first = next((s for s in parsed if s['version']), None)
    return metrics, checks, {'sysbench_version': first['version'], 'sysbench_luajit': first['luajit']} if first else {}
