# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: parser of the openssl job's output (`openssl speed -mr`, OpenSSL 3).

One repetition is roles/openssl/files/openssl_job.sh: `openssl version -a` between two markers,
then one `openssl speed -elapsed -mr -seconds S -bytes B [-multi N] ALGORITHM...` pass per
process count, each between a start marker and an end marker with the exit status:

    === instancebench openssl version
    OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)
    ...
    === instancebench openssl version end
    === instancebench openssl pass label=all processes=2 seconds=3 bytes=16384
    Forked child 0
    +DT:sha256:3:16384                        (stderr: what is timed next)
    +R:108050:sha256:3.010000                 (stderr: count, name, seconds)
    Got: +F:6:sha256:893747200.00 from 0      (-multi: each child's result line)
    +F:6:sha256:1788701354.67                 (the result: bytes/s per block size)
    +F2:2:2048:3439.333333:55138.666667       (RSA bits: sign/s, verify/s)
    +F4:3:256:49821.626800:16843.666667       (ECDSA curve index, bits: sign/s, verify/s)
    === instancebench openssl pass end rc=0

The +F lines are the figures (with -multi: the sum over the children's "Got:" lines, which
is checked). A single-process pass's +F figures are checked against its +R counts and times.
Supported result lines: +F (ciphers and digests, by name), +F2 (RSA, by bits), +F4 (ECDSA,
prime curves by OpenSSL's index, others by bits and index) and +F6 (EdDSA, by name).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils import _passes

_VERSION_START = '=== instancebench openssl version'
_VERSION_END = '=== instancebench openssl version end'
_PASS_MARK = re.compile(r'^=== instancebench openssl pass label=(\S+) processes=(\S+) seconds=(\S+) bytes=(\S+)\s*$')
_END_MARK = _passes.end_marker('openssl')
_LIBRARY = re.compile(r'^OpenSSL (\S+) .*?\(Library: OpenSSL (\S+)')
_OPENSSL_LINE = re.compile(r'^OpenSSL (\S+)')
_GOT = re.compile(r'^Got: (\+\S+) from (\S+)$')
_FORKED = re.compile(r'^Forked child (\S+)$')
# OpenSSL 3's ecdsa_choices: the prime curves come first in every build (binary curves, which
# shift the brainpool indices, may be compiled out).
ECDSA_PRIME_CURVES = ('ecdsap160', 'ecdsap192', 'ecdsap224', 'ecdsap256', 'ecdsap384', 'ecdsap521')
SIGN_VERIFY = ('sign', 'verify')


def sanitize(name):
    """An algorithm as openssl or a user spells it -> the metric name stem ('AES-256-GCM' ->
    'aes_256_gcm'; 'evp:aes-256-gcm' -> 'aes_256_gcm')."""
    name = str(name)
    name = name[4:] if name.lower().startswith('evp:') else name
    return re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')


def _new_pass(match):
    return {'label': match.group(1), 'processes': _numbers.integer(match.group(2)),
            'seconds': _numbers.number(match.group(3)), 'bytes': _numbers.integer(match.group(4)),
            'rc': None, 'sizes': None, 'results': {}, 'children': {}, 'forked': [], 'counts': [],
            'timed': [], 'foreign': []}


def _fields(line, prefix):
    return line[len(prefix):].split(':')


def _result_line(line, sizes):
    """A +F/+F2/+F4/+F6 line -> (stem, {'bytes_per_s': {block: value}} or {'sign': .., 'verify': ..}),
    None for a result kind this parser does not read, or raises ValueError when malformed."""
    if line.startswith('+F:'):
        fields = _fields(line, '+F:')
        if len(fields) < 3 or _numbers.integer(fields[0]) is None:
            raise ValueError('a +F line')
        values = [_numbers.number(token) for token in fields[2:]]
        if None in values or (sizes is not None and len(values) != len(sizes)):
            raise ValueError('a +F line with one figure per +H block size')
        blocks = sizes if sizes is not None else list(range(len(values)))
        return sanitize(fields[1]), {'bytes_per_s': dict(zip(blocks, values))}
    for prefix in ('+F2:', '+F4:', '+F6:'):
        if line.startswith(prefix):
            fields = _fields(line, prefix)
            named = prefix == '+F6:'
            if len(fields) != (5 if named else 4):
                raise ValueError('a %s line' % prefix.rstrip(':'))
            index, bits = _numbers.integer(fields[0]), _numbers.integer(fields[1])
            sign, verify = _numbers.number(fields[-2]), _numbers.number(fields[-1])
            if None in (index, bits, sign, verify):
                raise ValueError('a %s line of whole numbers' % prefix.rstrip(':'))
            if prefix == '+F2:':
                stem = 'rsa%d' % bits
            elif prefix == '+F4:':
                stem = ECDSA_PRIME_CURVES[index] if index < len(ECDSA_PRIME_CURVES) else 'ecdsa%d_k%d' % (bits, index)
            else:
                stem = sanitize(fields[2])
            return stem, {'sign': sign, 'verify': verify, 'bits': bits}
    if re.match(r'^\+F\d+:', line):
        return None
    raise ValueError('an openssl speed result line')


def _header(line):
    sizes = [_numbers.integer(token) for token in line[len('+H:'):].split(':')]
    if not sizes or None in sizes:
        raise ValueError('a +H line of block sizes')
    return sizes


def _pass_line(current, lineno, line, malformed):
    got = _GOT.match(line)
    if got:
        child = _numbers.integer(got.group(2))
        entry = current['children'].setdefault(child, {'sizes': None, 'results': {}})
        body = got.group(1)
        try:
            if body.startswith('+H:'):
                entry['sizes'] = _header(body)
                # The -multi parent prints no +H of its own: its +F lines use the children's sizes.
                if current['sizes'] is None:
                    current['sizes'] = entry['sizes']
            elif body.startswith('+F'):
                result = _result_line(body, entry['sizes'])
                if result:
                    entry['results'][result[0]] = result[1]
        except ValueError as exc:
            malformed.append(_numbers.malformed(lineno, line, str(exc) + " from a -multi child"))
        return
    forked = _FORKED.match(line)
    if forked:
        current['forked'].append(_numbers.integer(forked.group(1)))
        return
    try:
        if line.startswith('+H:'):
            current['sizes'] = _header(line)
        elif line.startswith('+F'):
            result = _result_line(line, current['sizes'])
            if result:
                current['results'][result[0]] = result[1]
        elif line.startswith('+DT:') or line.startswith('+DTP:'):
            current['timed'].append(line)
        elif re.match(r'^\+R\d*:', line):
            kind, rest = line.split(':', 1)
            fields = rest.split(':')
            count, seconds = _numbers.integer(fields[0]), _numbers.number(fields[-1])
            if len(fields) < 3 or count is None or seconds is None:
                raise ValueError('a %s line (count, ..., seconds)' % kind)
            current['counts'].append({'kind': kind, 'count': count, 'what': fields[1:-1], 'seconds': seconds})
        else:
            current['foreign'].append(line)
    except ValueError as exc:
        malformed.append(_numbers.malformed(lineno, line, str(exc)))


def read(text):
    """The job's stdout -> {'version_text': [lines of `openssl version -a`], 'version',
    'library_version', 'platform', 'compiler', 'cpuinfo', 'passes': [pass], 'malformed', 'outside'};
    each pass: label, processes, seconds, bytes, rc (None without an end marker), sizes (+H),
    results {stem: figures}, children {index: {sizes, results}}, forked [child indices],
    counts [+R lines], foreign [other lines]."""
    parsed = {'version_text': [], 'version': None, 'library_version': None, 'platform': None,
              'compiler': None, 'cpuinfo': None, 'passes': [], 'malformed': [], 'outside': []}
    current, in_version = None, False
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if line == _VERSION_START:
            in_version = True
            continue
        if line == _VERSION_END:
            in_version = False
            continue
        if in_version:
            parsed['version_text'].append(line)
            library = _LIBRARY.match(line)
            if library:
                parsed['version'], parsed['library_version'] = library.group(1), library.group(2)
            elif _OPENSSL_LINE.match(line) and parsed['version'] is None:
                parsed['version'] = parsed['library_version'] = _OPENSSL_LINE.match(line).group(1)
            for field in ('platform', 'compiler', 'CPUINFO'):
                if line.startswith(field + ':'):
                    parsed[field.lower()] = line[len(field) + 1:].strip()
            continue
        match = _PASS_MARK.match(line)
        if match:
            current = _new_pass(match)
            if None in (current['processes'], current['seconds'], current['bytes']):
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
        _pass_line(current, lineno, line, parsed['malformed'])
    return parsed


_check = _numbers.check


def _children_checks(found, key):
    """-multi: every child reported, and the +F figures are the sums of the children's."""
    want = found['processes']
    if want is None or want <= 1:
        return [_check('processes.%s' % key, not found['forked'] and not found['children'],
                       'one process (no -multi children)' if not found['forked'] else
                       'asked 1 process but %d children were forked' % len(found['forked']))]
    reported = sorted(child for child, entry in found['children'].items() if entry['results'])
    checks = [_check('processes.%s' % key, reported == list(range(want)) and sorted(found['forked']) == reported,
                     'asked %d processes; forked %s, results from %s' % (want, sorted(found['forked']), reported))]
    for stem, figures in sorted(found['results'].items()):
        parts = [entry['results'].get(stem) for entry in found['children'].values()]
        ok = all(parts) and bool(parts)
        detail = []
        for field, total in _flat(figures):
            summed = sum(_lookup(part, field) or 0.0 for part in parts if part)
            agrees = abs(summed - total) <= 1e-6 * max(abs(total), 1.0) + 0.01
            ok = ok and agrees
            detail.append('%s %s: %s reported, %s summed over %d of %d children'
                          % (stem, field, total, round(summed, 6), len([p for p in parts if p]), want))
        checks.append(_check('sum_consistent.%s.%s' % (key, stem), ok, '; '.join(detail[:2])))
    return checks


def _flat(figures):
    if 'bytes_per_s' in figures:
        return [('bytes_per_s.%s' % block, value) for block, value in sorted(figures['bytes_per_s'].items())]
    return [(field, figures[field]) for field in SIGN_VERIFY]


def _lookup(figures, field):
    if field.startswith('bytes_per_s.'):
        block = field.split('.', 1)[1]
        return dict((str(k), v) for k, v in figures.get('bytes_per_s', {}).items()).get(block)
    return figures.get(field)


def _count_checks(found, key):
    """Single process: each +F figure is the +R count (x block bytes) over the +R seconds."""
    checks = []
    by_name = {}
    for entry in found['counts']:
        if entry['kind'] == '+R':
            by_name.setdefault(sanitize(entry['what'][0]), []).append(entry)
    asym = {'+R1': ('rsa', 'sign'), '+R2': ('rsa', 'verify'), '+R5': ('ecdsa', 'sign'), '+R6': ('ecdsa', 'verify'),
            '+R8': ('eddsa', 'sign'), '+R9': ('eddsa', 'verify')}
    for stem, figures in sorted(found['results'].items()):
        if 'bytes_per_s' in figures:
            counted = by_name.get(stem, [])
            sizes = sorted(figures['bytes_per_s'])
            if len(counted) != len(sizes):
                checks.append(_check('rate_consistent.%s.%s' % (key, stem), False,
                                     '%d +R lines for %d block sizes' % (len(counted), len(sizes))))
                continue
            ok = all(_numbers.finite_positive(entry['seconds'])
                     and _numbers.agrees(figures['bytes_per_s'][size], entry['count'] * size / entry['seconds'], 1e-5)
                     for size, entry in zip(sizes, counted))
            checks.append(_check('rate_consistent.%s.%s' % (key, stem), ok,
                                 '%s: %s bytes/s from %s' % (stem, figures['bytes_per_s'],
                                                             ['%d x %d B / %s s' % (e['count'], s, e['seconds'])
                                                              for s, e in zip(sizes, counted)])))
            continue
        family = 'rsa' if stem.startswith('rsa') else 'ecdsa' if stem.startswith('ecdsa') else 'eddsa'
        same_bits = [s for s, f in found['results'].items() if s.startswith(family) and f.get('bits') == figures['bits']]
        for kind, (fam, field) in sorted(asym.items()):
            if fam != family:
                continue
            if family == 'eddsa':   # +R8/+R9 name their curve: count, bits, name, seconds
                same_bits = [stem]
                entries = [e for e in found['counts'] if e['kind'] == kind and len(e['what']) == 2
                           and sanitize(e['what'][1]) == stem]
            else:
                entries = [e for e in found['counts'] if e['kind'] == kind and e['what'] == [str(figures['bits'])]]
            if len(same_bits) != 1 or len(entries) != 1:
                ok, detail = False, '%d %s lines for %s %s (bits %s)' % (len(entries), kind, stem, field, figures['bits'])
            else:
                entry = entries[0]
                # +R1/+R2/+R5/+R6 print seconds with 2 decimals.
                ok = _numbers.finite_positive(entry['seconds']) and _numbers.agrees(
                    figures[field], entry['count'] / entry['seconds'], 0.001 + 0.005 / entry['seconds'])
                detail = '%s %s: %s/s reported, %d in %s s counted' % (stem, field, figures[field], entry['count'],
                                                                       entry['seconds'])
            checks.append(_check('rate_consistent.%s.%s.%s' % (key, stem, field), ok, detail))
    return checks


def _timing_check(found, key):
    """Every timed measurement ran about -seconds (an alarm that fired early, or a child cut
    short, shows here)."""
    seconds = found['seconds']
    times = [entry['seconds'] for entry in found['counts']]
    if not times or not _numbers.finite_positive(seconds):
        return _check('timing.%s' % key, False, 'no +R line with a duration (output cut, or not openssl speed -mr)')
    low, high = min(times), max(times)
    ok = low >= seconds - max(0.1, 0.02 * seconds) and high <= seconds + max(1.0, 0.1 * seconds)
    return _check('timing.%s' % key, ok, '%d measurements of %s to %s s for -seconds %s' % (len(times), low, high,
                                                                                            seconds))


def _pass_checks(found, want, stems, key):
    why_cut = '' if found['rc'] is not None else ' (no end marker: the job was cut during this pass)'
    foreign = ' (%s)' % found['foreign'][0][:160] if found['foreign'] else ''
    completed = found['rc'] == 0
    checks = [_check('completed.%s' % key, completed, 'openssl speed exited 0' if completed else
                     'exit status %s%s%s' % (found['rc'], why_cut, foreign))]
    processes = want.get('processes', found['processes'])
    checks.append(_check('processes_asked.%s' % key, processes == found['processes'],
                         'asked %s processes, the marker says %s' % (processes, found['processes'])))
    block = want.get('bytes', found['bytes'])
    has_blocks = any('bytes_per_s' in figures for figures in found['results'].values())
    if has_blocks:
        checks.append(_check('block_bytes.%s' % key, found['sizes'] == [block],
                             'asked -bytes %s, openssl measured block sizes %s' % (block, found['sizes'])))
    for stem in stems:
        checks.append(_check('result.%s.%s' % (key, stem), stem in found['results'],
                             '%s figures present' % stem if stem in found['results'] else
                             'no result line for %s%s%s' % (stem, why_cut, foreign)))
    checks.append(_timing_check(found, key))
    checks.extend(_children_checks(found, key))
    if not found['processes'] or found['processes'] <= 1:
        # With -multi the children's +R lines interleave and cannot be told apart.
        checks.extend(_count_checks(found, key))
    return checks


def _metrics(found, stems, suffix):
    metrics = {}
    for stem in stems:
        figures = found['results'].get(stem)
        if not figures:
            continue
        if 'bytes_per_s' in figures:
            largest = max(figures['bytes_per_s'])
            metrics['%s_gb_per_s_%s' % (stem, suffix)] = (round(figures['bytes_per_s'][largest] / 1e9, 4), 'GB/s', True)
        else:
            for field in SIGN_VERIFY:
                metrics['%s_%s_per_s_%s' % (stem, field, suffix)] = (round(figures[field], 2), '%s/s' % field, True)
    return metrics


def _scaling_checks(passes, metrics):
    """Warnings: N processes delivering less than one process did means the run shared the CPUs
    with other load (or the vCPUs are fewer than asked); the figures are kept."""
    single = [sanitize(p['label']) for p in passes if p['processes'] == 1]
    if not single:
        return []
    checks = []
    base = '_' + single[0]
    for found in passes:
        suffix = sanitize(found['label'])
        if not found['processes'] or found['processes'] <= 1:
            continue
        for name in sorted(metrics):
            if not name.endswith(base) or '%s%s' % (name[:-len(base)], '_' + suffix) not in metrics:
                continue
            stem = name[:-len(base)]
            one, many = metrics[name][0], metrics['%s_%s' % (stem, suffix)][0]
            checks.append(_check('scaling.%s.%s' % (suffix, stem), many >= 0.9 * one,
                                 '%s: %s with %d processes, %s with 1' % (stem, many, found['processes'], one),
                                 severity='warning'))
    return checks


def plan(expected):
    """The passes `expected` asks for: its `passes` [{label, processes}] or its `processes`
    {label: count} (what the role passes); [] for none."""
    if expected.get('passes'):
        return [dict(p) for p in expected['passes']]
    return [{'label': str(label), 'processes': int(count)} for label, count in (expected.get('processes') or {}).items()]


def analyze(text, expected):
    """One repetition's output -> (metrics {name: (value, unit, higher_is_better)}, checks, observed).

    `expected` may hold `algorithms` (as given to openssl speed, evp:NAME for -evp NAME), the
    plan (see plan()), `seconds`, `bytes` and `version` (the library version the
    binary must report, e.g. '3.0.20'). Metrics per pass label: <alg>_gb_per_s_<label> (bytes/s
    at the largest block size measured, 1e9 bytes) for ciphers and digests,
    <alg>_sign_per_s_<label> and <alg>_verify_per_s_<label> for signatures.
    """
    parsed = read(text)
    checks = [_numbers.format_check(parsed['malformed'])]
    wanted = plan(expected) or [{'label': p['label']} for p in parsed['passes']]
    if not wanted:
        checks.append(_check('passes_found', False, 'no "=== instancebench openssl pass" marker: not the openssl '
                             'job\'s output, or cut before its first pass'))
        return {}, checks, {}
    checks.append(_check('version_reported', parsed['library_version'] is not None,
                         ' / '.join(parsed['version_text'][:1]) or 'no "OpenSSL x.y.z" line from openssl version -a'))
    if expected.get('version'):
        checks.append(_check('openssl_version', parsed['library_version'] == str(expected['version']),
                             'expected OpenSSL %s, the binary runs library %s' % (expected['version'],
                                                                                  parsed['library_version'])))
    requested = [sanitize(name) for name in (expected.get('algorithms') or [])]
    by_label = {}
    for found in parsed['passes']:
        by_label.setdefault(sanitize(found['label']), found)
    metrics = {}
    for want in wanted:
        suffix = sanitize(want['label'])
        for field in ('processes', 'bytes'):
            if field in want:
                want[field] = int(want[field])
        if 'bytes' not in want and expected.get('bytes'):
            want['bytes'] = int(expected['bytes'])
        found = by_label.get(suffix)
        if found is None:
            checks.append(_check('completed.%s' % suffix, False, 'no pass labelled %s in the output (truncated, or the '
                                 'job ran other passes)' % want['label']))
            continue
        if expected.get('seconds') and found['seconds'] != float(expected['seconds']):
            checks.append(_check('seconds.%s' % suffix, False, 'asked -seconds %s, the marker says %s'
                                 % (expected['seconds'], found['seconds'])))
        stems = requested or sorted(found['results'])
        checks.extend(_pass_checks(found, want, stems, suffix))
        metrics.update(_metrics(found, stems, suffix))
    checks.extend(_scaling_checks(parsed['passes'], metrics))
    checks.extend(_numbers.plausible_metrics(metrics))
    observed = {}
    if parsed['version_text']:
        observed['openssl'] = parsed['version_text'][0]
    for field in ('platform', 'compiler', 'cpuinfo'):
        if parsed[field]:
            observed['openssl_%s' % field] = parsed[field]
    return metrics, checks, observed
