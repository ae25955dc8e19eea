# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: parser of the compile job's output (a timed Linux kernel build).

One repetition is roles/compile/files/compile_job.sh: an untimed `make <config>` into a fresh
object directory, the source tree read through the page cache, then the timed `make -j<jobs>`;
make's own output stays in a log file, the job prints marker lines:

    === instancebench compile compiler: gcc (Debian 12.2.0-14+deb12u1) 12.2.0
    === instancebench compile kernelrelease: 6.1.176
    === instancebench compile build config=tinyconfig jobs=2 target=vmlinux start=1796470511.97 end=1796470678.60 rc=0
    === instancebench compile cpu before: 0m3.920000s 0m3.150000s
    === instancebench compile cpu after: 2m1.610000s 0m37.440000s
    === instancebench compile warnings: 0
    === instancebench compile vmlinux bytes=1533208

A build counts only when make exited 0 and vmlinux exists. The figure is builds per hour
(3600 / the timed build's wall seconds); the CPU seconds the build's processes used (the shell's
`times` for finished children, after minus before) tell whether it had the CPUs it asked for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers

_MARK = re.compile(r'^=== instancebench compile (\S+?)(?::| |$)\s*(.*)$')
_FIELD = re.compile(r'(\w+)=(\S+)')
_TIMES = re.compile(r'^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s$')
# Below this share of the asked CPUs (CPU seconds / wall seconds / jobs) the build waited for CPU
# (other tenants, steal, I/O): the figure understates the hardware. A kernel build at -jN on N
# CPUs keeps them about 90-98 % busy (serial link and configure steps are outside the timing, but
# vmlinux's final link is inside).
MIN_CPU_SHARE = 0.75
_check = _numbers.check


def _times(text):
    """'2m1.61s 0m37.44s' -> user + sys seconds, or None."""
    match = _TIMES.match(text.strip())
    if not match:
        return None
    return int(match.group(1)) * 60 + float(match.group(2)) + int(match.group(3)) * 60 + float(match.group(4))


def read(text):
    """The job's stdout -> {compiler, kernelrelease, configure_failed, build {config, jobs, target,
    start, end, rc} or None, cpu_before, cpu_after, warnings, vmlinux_bytes (0: missing, None: no
    line), other [lines outside the markers: make's log tail on failure], malformed}."""
    parsed = {'compiler': None, 'kernelrelease': None, 'configure_failed': None, 'build': None, 'cpu_before': None,
              'cpu_after': None, 'warnings': None, 'vmlinux_bytes': None, 'other': [], 'malformed': []}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _MARK.match(line)
        if not match:
            parsed['other'].append(line)
            continue
        kind, rest = match.group(1), match.group(2).strip()
        if kind == 'compiler':
            parsed['compiler'] = rest
        elif kind == 'kernelrelease':
            parsed['kernelrelease'] = rest or None
        elif kind == 'configure':
            parsed['configure_failed'] = rest.replace('failed:', '').strip()
        elif kind == 'build':
            fields = dict(_FIELD.findall(rest))
            build = {'config': fields.get('config'), 'target': fields.get('target'),
                     'jobs': _numbers.integer(fields.get('jobs')), 'rc': _numbers.integer(fields.get('rc')),
                     'start': _numbers.number(fields.get('start')), 'end': _numbers.number(fields.get('end'))}
            if None in build.values():
                parsed['malformed'].append(_numbers.malformed(lineno, line, 'a build marker with config, jobs, target, '
                                                                            'start, end and rc'))
            parsed['build'] = build
        elif kind == 'cpu':
            which, _sep, figures = rest.partition(':')
            seconds = _times(figures)
            if which.strip() not in ('before', 'after') or seconds is None:
                parsed['malformed'].append(_numbers.malformed(lineno, line, "a cpu line with the shell's times"))
            else:
                parsed['cpu_' + which.strip()] = seconds
        elif kind == 'warnings':
            parsed['warnings'] = _numbers.integer(rest)
            if parsed['warnings'] is None:
                parsed['malformed'].append(_numbers.malformed(lineno, line, 'a warnings line with a whole count'))
        elif kind == 'vmlinux':
            if rest == 'missing':
                parsed['vmlinux_bytes'] = 0
            else:
                size = _numbers.integer(dict(_FIELD.findall(rest)).get('bytes'))
                if size is None:
                    parsed['malformed'].append(_numbers.malformed(lineno, line, 'a vmlinux line with bytes=N'))
                parsed['vmlinux_bytes'] = size
        else:
            parsed['malformed'].append(_numbers.malformed(lineno, line, 'a compile marker this parser knows'))
    return parsed


def _failure_excerpt(parsed):
    """make's first error lines (the job prints the log's tail when a step fails), for a check."""
    errors = [line for line in parsed['other'] if 'error' in line.lower() or '***' in line]
    shown = errors[:3] or parsed['other'][-3:]
    return (': ' + ' | '.join(line.strip()[:160] for line in shown)) if shown else ''


def analyze(text, expected):
    """One repetition's output -> (metrics {name: (value, unit, higher_is_better)}, checks, observed).

    `expected` may hold `config`, `jobs`, `target` and `version` (the kernel version the pin
    names, e.g. '6.1.176'). Metrics: builds_per_hour (builds/h) and build_seconds (s), only for a
    build that succeeded and left a vmlinux."""
    parsed = read(text)
    checks = [_numbers.format_check(parsed['malformed'])]
    observed = dict((key, parsed[key]) for key in ('compiler', 'kernelrelease', 'warnings') if parsed[key] is not None)
    if parsed['configure_failed'] is not None:
        why = 'make %s failed%s' % (parsed['configure_failed'], _failure_excerpt(parsed))
        checks.append(_check('configured', False, why))
        return {}, checks, observed
    build = parsed['build']
    if build is None:
        checks.append(_check('build_found', False, 'no "=== instancebench compile build" marker: not the compile job\'s '
                                                   'output, or cut during the build'))
        return {}, checks, observed
    for key, label in (('config', 'configuration'), ('jobs', 'make jobs'), ('target', 'target')):
        if expected.get(key) not in (None, ''):
            want = int(expected[key]) if key == 'jobs' else str(expected[key])
            checks.append(_check('%s_as_asked' % key, build[key] == want,
                                 'asked %s %s, the job built %s' % (label, want, build[key])))
    if expected.get('version'):
        release = parsed['kernelrelease'] or ''
        checks.append(_check('kernel_version', release.split('-', maxsplit=1)[0] == str(expected['version']),
                             'the pin is Linux %s, the tree says %s' % (expected['version'], release or 'nothing')))
    succeeded = build['rc'] == 0
    checks.append(_check('build_succeeded', succeeded, 'make exited 0' if succeeded else
                         'make exited %s%s' % (build['rc'], _failure_excerpt(parsed))))
    present = bool(parsed['vmlinux_bytes'])
    checks.append(_check('vmlinux_present', present, 'vmlinux of %s bytes' % parsed['vmlinux_bytes'] if present else
                         'no vmlinux after the build: it does not count'))
    seconds = (build['end'] - build['start']) if None not in (build['end'], build['start']) else None
    if not (succeeded and present) or seconds is None:
        return {}, checks, observed
    # date +%s.%N resolves nanoseconds; a kernel build of under a second is not a kernel build.
    checks.append(_check('timer_resolution', seconds >= 1.0, 'the timed build took %.3f s' % seconds))
    if None not in (parsed['cpu_before'], parsed['cpu_after']) and build['jobs']:
        cpu = parsed['cpu_after'] - parsed['cpu_before']
        share = cpu / seconds / build['jobs'] if seconds > 0 else 0.0
        observed.update({'cpu_seconds': round(cpu, 2), 'cpu_share': round(share, 3)})
        checks.append(_check('cpu_share', share >= MIN_CPU_SHARE,
                             '%.1f CPU-s in %.1f s at -j%d: %.0f %% of the asked CPUs busy%s'
                             % (cpu, seconds, build['jobs'], 100 * share,
                                '' if share >= MIN_CPU_SHARE else ' (below %.0f %%: the build waited for CPU, the figure '
                                'understates the hardware)' % (100 * MIN_CPU_SHARE)), severity='warning'))
    metrics = {'builds_per_hour': (3600.0 / seconds if seconds > 0 else 0.0, 'builds/h', True),
               'build_seconds': (seconds, 's', False)}
    checks.extend(_numbers.plausible_metrics(metrics))
    return metrics, checks, observed
