# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: parser of the stressng job's output (stress-ng's cpu stressor, --metrics).

One repetition is roles/stressng/files/stressng_job.sh: a version line, then for every
(cpu method, worker count) pass a start marker, stress-ng's log and --metrics table (stress-ng
writes them to stderr; the script joins them to stdout) and an end marker with the exit status:

    === instancebench stressng version: stress-ng, version 0.15.06 (gcc 12.2.0, x86_64 Linux ...)
    === instancebench stressng pass method=div16 label=all workers=2 seconds=20
    stress-ng: info:  [18904] dispatching hogs: 2 cpu
    stress-ng: metrc: [18904] stressor       bogo ops real time  usr time  sys time   bogo ops/s     bogo ops/s CPU used per       RSS Max
    stress-ng: metrc: [18904] cpu               53631     20.00     17.57      0.02      2681.53        3049.30        43.97          2052
    stress-ng: info:  [18904] successful run completed in 20.00s
    === instancebench stressng pass end rc=0

Per pass two figures, as stress-ng computes them: bogo-ops/s over real time (all workers
together: total bogo ops / the workers' mean wall-clock time) and bogo-ops/s over usr+sys time
(total bogo ops / total CPU seconds: a per-CPU-second rate that contention does not lower).
A bogo op is whatever one loop of the chosen method is in that stress-ng version: figures
compare only between equal versions and methods. Spare Cores' "SCore" is the real-time rate of
`stress-ng --metrics --cpu $(nproc) --cpu-method div16 -t 20` (run under `nice -n -20`) in the
stress-ng version its inspector pins: our div16 figures are comparable with it only when the
version (the `stress_ng_version` check) and the method match.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils import _passes

_VERSION_MARK = re.compile(r'^=== instancebench stressng version: (.*)$')
_PASS_MARK = re.compile(r'^=== instancebench stressng pass method=(\S+) label=(\S+) workers=(\S+) seconds=(\S+)\s*$')
_END_MARK = _passes.end_marker('stressng')
_VERSION = re.compile(r'\bversion (\d+\.\d+\.\d+)\b')
_LOG = re.compile(r'^stress-ng: (\w+): +\[(\d+)\] ?(.*)$')
_DISPATCH = re.compile(r'^dispatching hogs: (.*)$')
_COMPLETED = re.compile(r'^(successful|unsuccessful) run completed in (\S+?)s\b')
_FIELDS = ('bogo_ops', 'real_time_s', 'usr_time_s', 'sys_time_s', 'ops_per_s_real', 'ops_per_s_cpu',
           'cpu_used_pct', 'max_rss_kb')
# Figures print with 2 decimals: a time may be off by 0.005 s.
_TIME_ROUNDING = 0.005
# Below this share of a CPU per worker the host gave the run less than the workers asked for
# (other tenants, steal, throttling): the real-time rate understates the hardware.
MIN_CPU_SHARE_PCT = 90.0


def metric_suffix(label):
    return re.sub(r'[^a-z0-9]+', '_', str(label).lower()).strip('_')


def _new_pass(match):
    return {'method': match.group(1), 'label': match.group(2), 'workers': _numbers.integer(match.group(3)),
            'seconds': _numbers.number(match.group(4)), 'rc': None, 'dispatched': None, 'rows': {},
            'completed': None, 'completed_in_s': None, 'errors': [], 'warnings': [], 'foreign': [], 'misc': []}


def _dispatched(text):
    """'2 cpu, 1 vm' -> {'cpu': 2, 'vm': 1}; None when a part is not 'N name'."""
    found = {}
    for part in text.split(','):
        tokens = part.split()
        if len(tokens) != 2 or _numbers.integer(tokens[0]) is None:
            return None
        found[tokens[1]] = _numbers.integer(tokens[0])
    return found


def _metrics_row(rest, lineno, line, malformed):
    """A --metrics (8 figures) or --metrics-brief (6 figures) row -> (stressor, fields) or None
    for the table's two heading lines."""
    tokens = rest.split()
    if not tokens or tokens[0] == 'stressor' or tokens[0].startswith('('):
        return None
    name, figures = tokens[0], tokens[1:]
    if len(figures) not in (6, 8):
        malformed.append(_numbers.malformed(lineno, line, 'a stress-ng metrics row (stressor and 6 or 8 figures)'))
        return None
    values = [_numbers.integer(figures[0])] + [_numbers.number(token) for token in figures[1:]]
    if None in values:
        malformed.append(_numbers.malformed(lineno, line, 'a stress-ng metrics row of whole numbers'))
        return None
    row = dict(zip(_FIELDS, values))
    if 'max_rss_kb' in row:
        row['max_rss_kb'] = int(row['max_rss_kb'])
    return name, row


def read(text):
    """The job's stdout -> {'version_line', 'version', 'passes': [pass], 'malformed': [...],
    'outside': [lines outside any pass]}; each pass: method, label, workers, seconds, rc (None
    when the end marker is missing), dispatched {stressor: instances}, rows {stressor: fields},
    completed (True, False or None), completed_in_s, errors, warnings, foreign (other lines),
    misc (a newer version's "miscellaneous metrics" lines)."""
    parsed = {'version_line': None, 'version': None, 'passes': [], 'malformed': [], 'outside': []}
    current = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _VERSION_MARK.match(line)
        if match:
            parsed['version_line'] = match.group(1).strip()
            version = _VERSION.search(parsed['version_line'])
            parsed['version'] = version.group(1) if version else None
            continue
        match = _PASS_MARK.match(line)
        if match:
            current = _new_pass(match)
            if current['workers'] is None or current['seconds'] is None:
                parsed['malformed'].append(_numbers.malformed(lineno, line, 'a pass marker with whole numbers'))
            parsed['passes'].append(current)
            continue
        match = _END_MARK.match(line)
        if match:
            _passes.close(current, match, lineno, line, parsed['malformed'])
            continue
        if current is None or current['rc'] is not None:
            parsed['outside'].append(line)
            continue
        log = _LOG.match(line)
        if not log:
            current['foreign'].append(line)
            continue
        kind, message = log.group(1), log.group(3)
        if kind == 'metrc':
            # Newer versions (0.16 on) follow the table with "miscellaneous metrics:" lines of
            # another shape (name, one figure, words): kept apart, never read as table rows.
            if message.startswith('miscellaneous metrics') or current['misc']:
                current['misc'].append(message)
                continue
            row = _metrics_row(message, lineno, line, parsed['malformed'])
            if row:
                current['rows'][row[0]] = row[1]
        elif kind in ('fail', 'error') or 'untrustworthy' in message:
            current['errors'].append(message)
        elif kind == 'warn':
            current['warnings'].append(message)
        else:
            dispatch = _DISPATCH.match(message)
            if dispatch:
                current['dispatched'] = _dispatched(dispatch.group(1))
                if current['dispatched'] is None:
                    parsed['malformed'].append(_numbers.malformed(lineno, line, "stress-ng's dispatch line"))
            completed = _COMPLETED.match(message)
            if completed:
                current['completed'] = completed.group(1) == 'successful'
                current['completed_in_s'] = _numbers.number(completed.group(2))
    return parsed


_check = _numbers.check


def _key(found):
    return '%s.%s' % (found['method'], metric_suffix(found['label']))


def _agrees_after_rounding(reported, count, divisor, rounding):
    """reported ~ count / divisor, where divisor was printed rounded to +-rounding."""
    if not _numbers.finite_positive(divisor):
        return False
    return _numbers.agrees(reported, count / divisor, 0.001 + rounding / divisor)


def _pass_checks(found, want):
    """Checks of one pass against what it was asked (`want`: workers, seconds)."""
    key = _key(found)
    row = found['rows'].get('cpu')
    why_cut = '' if found['rc'] is not None else ' (no end marker: the job was cut during this pass)'
    foreign = ' (%s)' % found['foreign'][0][:160] if found['foreign'] else ''
    checks = [_check('metrics_row.%s' % key, row is not None,
                     'cpu row of the --metrics table present' if row else
                     'no cpu row in the --metrics table%s%s' % (why_cut, foreign))]
    workers = want.get('workers', found['workers'])
    dispatched = (found['dispatched'] or {}).get('cpu')
    checks.append(_check('workers.%s' % key, dispatched is not None and dispatched == found['workers'] == workers,
                         'asked %s cpu workers, marker says %s, stress-ng dispatched %s'
                         % (workers, found['workers'], dispatched)))
    completed = found['completed'] is True and found['rc'] == 0
    checks.append(_check('completed.%s' % key, completed,
                         'stress-ng reported a successful run and exited 0' if completed else
                         'stress-ng said %s, exit status %s%s%s'
                         % ({True: 'successful', False: 'unsuccessful', None: 'no completion line'}[found['completed']],
                            found['rc'], why_cut, foreign)))
    checks.append(_check('stressor_errors.%s' % key, not found['errors'],
                         'no fail/error/untrustworthy lines' if not found['errors'] else
                         '; '.join(found['errors'][:3])))
    if found['warnings']:
        checks.append(_check('stressor_warnings.%s' % key, False, '; '.join(found['warnings'][:3]),
                             severity='warning'))
    if row is None:
        return checks
    seconds = want.get('seconds', found['seconds'])
    # A pass stopped early (SIGTERM, a stressor that gave up) still says "successful".
    ran_full = _numbers.finite_positive(seconds) and \
        seconds - max(0.5, 0.02 * seconds) <= row['real_time_s'] <= seconds + max(1.0, 0.05 * seconds)
    checks.append(_check('duration.%s' % key, ran_full, 'ran %s s of the %s s asked' % (row['real_time_s'], seconds)))
    cpu_time = row['usr_time_s'] + row['sys_time_s']
    checks.append(_check('rate_consistent.%s.real' % key,
                         _agrees_after_rounding(row['ops_per_s_real'], row['bogo_ops'], row['real_time_s'],
                                                _TIME_ROUNDING),
                         '%s bogo ops / %s s real = %s bogo-ops/s reported'
                         % (row['bogo_ops'], row['real_time_s'], row['ops_per_s_real'])))
    checks.append(_check('rate_consistent.%s.cpu' % key,
                         _agrees_after_rounding(row['ops_per_s_cpu'], row['bogo_ops'], cpu_time, 2 * _TIME_ROUNDING),
                         '%s bogo ops / (%s + %s) s usr+sys = %s bogo-ops/s reported'
                         % (row['bogo_ops'], row['usr_time_s'], row['sys_time_s'], row['ops_per_s_cpu'])))
    if 'cpu_used_pct' in row:
        checks.append(_check('cpu_share.%s' % key, row['cpu_used_pct'] >= MIN_CPU_SHARE_PCT,
                             '%.2f %% of a CPU per worker (below %.0f %%: other load took CPU time, the real-time '
                             'rate understates the hardware)'
                             % (row['cpu_used_pct'], MIN_CPU_SHARE_PCT), severity='warning'))
    return checks


def plan(expected):
    """The passes `expected` asks for: its `passes` [{method, label, workers}], or every method of
    `methods` with every {label: workers} of `workers` (what the role passes); [] for none."""
    if expected.get('passes'):
        return [dict(p) for p in expected['passes']]
    workers = expected.get('workers') or {}
    return [{'method': str(method), 'label': str(label), 'workers': int(count)}
            for method in (expected.get('methods') or []) for label, count in workers.items()]


def analyze(text, expected):
    """One repetition's output -> (metrics {name: (value, unit, higher_is_better)}, checks, observed).

    `expected` may hold `version` (e.g. '0.15.06'), `seconds` and the plan (see plan(): `passes`,
    or `methods` and `workers` {label: count}); without a plan the passes found are judged.
    Metrics per pass: <method>_ops_per_s_<label> (bogo-ops/s, real time) and
    <method>_ops_per_cpu_s_<label> (bogo-ops per CPU second, usr+sys time).
    """
    parsed = read(text)
    checks = [_numbers.format_check(parsed['malformed'])]
    wanted = plan(expected)
    if not wanted:
        wanted = [{'method': p['method'], 'label': p['label']} for p in parsed['passes']]
    if not wanted:
        checks.append(_check('passes_found', False, 'no "=== instancebench stressng pass" marker: not the stressng '
                             'job\'s output, or cut before its first pass'))
        return {}, checks, {}
    if expected.get('version'):
        checks.append(_check('stress_ng_version', parsed['version'] == str(expected['version']),
                             'expected stress-ng %s, the binary says %s'
                             % (expected['version'], parsed['version_line'])))
    by_key = {}
    for found in parsed['passes']:
        by_key.setdefault((found['method'], metric_suffix(found['label'])), found)
    metrics = {}
    for want in wanted:
        if expected.get('seconds') and 'seconds' not in want:
            want['seconds'] = float(expected['seconds'])
        if 'workers' in want:
            want['workers'] = int(want['workers'])
        suffix = metric_suffix(want['label'])
        found = by_key.get((want['method'], suffix))
        if found is None:
            checks.append(_check('metrics_row.%s.%s' % (want['method'], suffix), False,
                                 'no pass of method %s with label %s in the output (truncated, or the job ran other '
                                 'passes)' % (want['method'], want['label'])))
            continue
        pass_checks = _pass_checks(found, want)
        checks.extend(pass_checks)
        row = found['rows'].get('cpu')
        if row is not None:
            metrics['%s_ops_per_s_%s' % (metric_suffix(found['method']), suffix)] = (
                row['ops_per_s_real'], 'bogo-ops/s', True)
            metrics['%s_ops_per_cpu_s_%s' % (metric_suffix(found['method']), suffix)] = (
                row['ops_per_s_cpu'], 'bogo-ops/CPU-s', True)
    checks.extend(_numbers.plausible_metrics(metrics))
    observed = {'stress_ng': parsed['version_line']} if parsed['version_line'] else {}
    return metrics, checks, observed
