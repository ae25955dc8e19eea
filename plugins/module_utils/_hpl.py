# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: HPL output parser, problem sizing (N, NB, P x Q) and theoretical peak.

Shared by both HPL sources (HPCC 1.5.0's HPL and netlib HPL 2.3): they print the same
`WR...` result lines and the same scaled-residual line ending in PASSED or FAILED.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers

_RESULT = re.compile(r'^W[RC]\S*\s')
_RESIDUAL = re.compile(r'^\|\|Ax-b\|\|.*=\s*(\S+)\s*\.+\s*(PASSED|FAILED)\s*$')
_CORE = re.compile(r'^Core:\s*(\S+)')
_THRESHOLD = re.compile(r'scaled residuals are less than\s+(\S+)\s*$')
DOUBLE_BYTES = 8
# The method's own bound on the scaled residual (HPL's default threshold): a run above it did
# not solve the system, whatever threshold its HPL.dat stated.
METHOD_THRESHOLD = 16.0


def parse(text):
    """{'runs': [{variant, n, nb, p, q, time_s, gflops, residual, passed}], 'openblas_core', 'threshold',
    'malformed': [line problems]}.

    A result line with no residual line after it (killed mid-check) has `passed` None.
    """
    runs, cores, malformed = [], set(), []
    threshold = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if _RESULT.match(line):
            tokens = line.split()
            ints = [_numbers.integer(t) for t in tokens[1:5]]
            reals = [_numbers.number(t) for t in tokens[5:]]
            if len(tokens) != 7 or None in ints or None in reals:
                malformed.append(_numbers.malformed(lineno, line, 'an HPL result line (T/V N NB P Q Time Gflops)'))
                continue
            runs.append({'variant': tokens[0], 'n': ints[0], 'nb': ints[1], 'p': ints[2], 'q': ints[3],
                         'time_s': reals[0], 'gflops': reals[1], 'residual': None, 'passed': None})
            continue
        if line.startswith('||Ax-b||') and line.endswith(('PASSED', 'FAILED')):
            residual = _RESIDUAL.match(line)
            value = _numbers.number(residual.group(1)) if residual else None
            if value is None:
                malformed.append(_numbers.malformed(lineno, line, 'an HPL residual line (value, PASSED or FAILED)'))
            elif runs and runs[-1]['passed'] is None:
                runs[-1].update(residual=value, passed=residual.group(2) == 'PASSED')
            continue
        core = _CORE.match(line)
        if core:
            cores.add(core.group(1))
        match = _THRESHOLD.search(line)
        if match:
            threshold = _numbers.number(match.group(1))
            if threshold is None:
                malformed.append(_numbers.malformed(lineno, line, "HPL's residual threshold line"))
    return {'runs': runs, 'openblas_core': ','.join(sorted(cores)) or None, 'threshold': threshold,
            'malformed': malformed}


_check = _numbers.check


def operations(n):
    """Floating-point operations HPL credits for an N x N solve: 2/3 N^3 + 3/2 N^2."""
    return 2.0 / 3.0 * n ** 3 + 1.5 * n ** 2


def _run_checks(run, threshold, expected):
    label = '%s N=%d NB=%d P=%d Q=%d' % (run['variant'], run['n'], run['nb'], run['p'], run['q'])
    verdict = 'PASSED' if run['passed'] else 'FAILED' if run['passed'] is False else 'missing'
    residual = run['residual']
    bounds = [bound for bound in (threshold, METHOD_THRESHOLD) if bound is not None]
    within = residual is not None and residual >= 0 and all(residual < bound for bound in bounds)
    derived = operations(run['n']) / run['time_s'] / 1e9 if _numbers.finite_positive(run['time_s']) else None
    # Time prints with 2 decimals and Gflops with 4 digits: their rounding on top of 1 %.
    tolerance = 0.01 + (0.006 / run['time_s'] if _numbers.finite_positive(run['time_s']) else 0)
    checks = [
        _check('result_line', True, label),
        _check('residual_passed', run['passed'] is True,
               'scaled residual %s %s (threshold %s)' % (residual, verdict, threshold)),
        _check('residual_below_threshold', within,
               'scaled residual %s must be below the stated threshold %s and the method\'s %s'
               % (residual, threshold, METHOD_THRESHOLD)),
        _check('gflops_consistent', _numbers.agrees(run['gflops'], derived, tolerance),
               '%s GFLOP/s reported, %s from (2/3 N^3 + 3/2 N^2) / %s s'
               % (run['gflops'], derived and round(derived, 4), run['time_s'])),
    ]
    for field in ('n', 'nb', 'p', 'q'):
        if expected.get(field):
            checks.append(_check(field, run[field] == int(expected[field]),
                                 'HPL.dat asked for %s, HPL reported %s' % (expected[field], run[field])))
    return checks


def analyze(text, expected):
    """(metrics, checks[, observed]) for one repetition; `expected` may hold n, nb, p, q as generated.

    Every run in the output is judged (a failed one makes the repetition invalid); with more than
    one, the best GFLOP/s is published, as HPL lists report Rmax, and a check says so.
    """
    parsed = parse(text)
    fmt = _numbers.format_check(parsed['malformed'])
    if not parsed['runs']:
        return {}, [fmt, _check('result_line', False, 'no WR result line in the output (truncated, or HPL did not start)')]
    checks = [fmt]
    several = len(parsed['runs']) > 1
    for index, run in enumerate(parsed['runs'], 1):
        for check in _run_checks(run, parsed['threshold'], expected):
            checks.append(dict(check, name='run%d.%s' % (index, check['name'])) if several else check)
    best = max(parsed['runs'], key=lambda run: run['gflops'])
    if several:
        checks.append(_check('runs', True, '%d HPL runs in one output: each judged; published: the best, %s GFLOP/s '
                             '(N=%d NB=%d)' % (len(parsed['runs']), best['gflops'], best['n'], best['nb'])))
    if expected.get('require_openblas_core'):
        checks.append(_check('openblas_core_reported', parsed['openblas_core'] is not None,
                             'OpenBLAS kernel: %s' % parsed['openblas_core']))
    metrics = {'gflops': (best['gflops'], 'GFLOP/s', True), 'time': (best['time_s'], 's', False)}
    checks.extend(_numbers.plausible_metrics(metrics))
    return metrics, checks, {'openblas_core': parsed['openblas_core']} if parsed['openblas_core'] else {}


def problem_size(available_bytes, memory_fraction, nb, ranks=1, requested=0):
    """N from a fraction of available memory (8 N^2 bytes), rounded down to a multiple of NB.

    Raises ValueError naming the variable to change when N is below one block per rank
    or a requested N does not fit.
    """
    budget = int(available_bytes) * float(memory_fraction)
    largest = int(math.sqrt(budget / DOUBLE_BYTES)) // nb * nb
    if requested:
        requested = int(requested)
        if DOUBLE_BYTES * requested * requested > budget:
            raise ValueError('hpl_n=%d needs %.2f GiB for the matrix but hpl_memory_fraction=%s of the %.2f GiB '
                             'available allows N up to %d: lower hpl_n or raise hpl_memory_fraction'
                             % (requested, DOUBLE_BYTES * requested ** 2 / 2.0 ** 30, memory_fraction,
                                available_bytes / 2.0 ** 30, largest))
        return requested
    if largest < nb * max(1, ranks):
        raise ValueError('hpl_memory_fraction=%s of %.2f GiB available gives N=%d, less than one %d-block per '
                         'rank: raise hpl_memory_fraction' % (memory_fraction, available_bytes / 2.0 ** 30,
                                                              largest, nb))
    return largest


def process_grid(ranks, p=0, q=0):
    """(P, Q) with P x Q = ranks: the given pair if it fits, else the most square grid with P <= Q."""
    ranks = int(ranks)
    if p or q:
        if int(p) * int(q) != ranks:
            raise ValueError('hpl_p x hpl_q = %s x %s = %d, but the layout runs %d MPI ranks: choose P and Q '
                             'whose product is %d, or set both to 0 to choose automatically'
                             % (p, q, int(p) * int(q), ranks, ranks))
        return int(p), int(q)
    best = 1
    for candidate in range(1, int(math.sqrt(ranks)) + 1):
        if ranks % candidate == 0:
            best = candidate
    return best, ranks // best


RANKS_PER = ('core', 'l3', 'socket', 'single')


def layout(topology, caches, ranks_per):
    """(ranks, threads per rank) for `core` (one rank per physical core), `l3` (one rank per
    last-level cache, threads inside), `socket`, or `single` (one rank, one thread: one core)."""
    cores = int(topology['physical_cores'])
    if ranks_per == 'single':
        return 1, 1
    if ranks_per == 'core':
        groups = cores
    elif ranks_per == 'socket':
        groups = int(topology['sockets'])
    elif ranks_per == 'l3':
        groups = int(caches.get('l3', {}).get('instances') or topology['sockets'])
    else:
        raise ValueError("hpl_ranks_per must be %s, got %r" % (', '.join(RANKS_PER), ranks_per))
    groups = max(1, min(groups, cores))
    return groups, max(1, cores // groups)


def matrix_memory(available_bytes, topology, ranks_per):
    """Bytes HPL's N is sized from: the host's available memory, or for `single` (one core of
    the host) that memory's share per physical core, as if every core ran its own copy."""
    if ranks_per == 'single':
        return int(available_bytes) // max(1, int(topology['physical_cores']))
    return int(available_bytes)


def peak_gflops(cores, clock_ghz, flops_per_cycle):
    return float(cores) * float(clock_ghz) * float(flops_per_cycle)


def peaks(uarch_name, family_name, cpu_mhz, cores, flops_per_cycle, family_clock_ghz):
    """HPL's theoretical peaks for run_benchmark's `peaks`: at the clock AWS states for the family
    (a ceiling for two cores or more: a result above it is wrong, not fast) and at the clock /proc/cpuinfo reports; each
    with its assumption. [] where the FLOP/cycle of the microarchitecture is not known.
    flops_per_cycle: {uarch: FP64 FLOP/cycle/core}; family_clock_ghz: {family: {ghz, kind}}."""
    flops = (flops_per_cycle or {}).get(uarch_name)
    if not flops:
        return []
    out = []
    family = (family_clock_ghz or {}).get(family_name or '')
    if family:
        # A ceiling only with several cores busy: one core alone may turbo above the all-core clock
        # AWS states (m7i: 3.2 GHz all-core, 3.8 GHz one core), so one core's figure may pass it.
        out.append({'metric': 'gflops', 'value': peak_gflops(cores, family['ghz'], flops), 'ceiling': int(cores) > 1,
                    'assumption': '%s cores x %s GHz (%s, %s) x %s FP64 FLOP/cycle'
                                  % (cores, family['ghz'], family['kind'], family_name, flops)})
    if cpu_mhz:
        ghz = float(cpu_mhz) / 1000.0
        out.append({'metric': 'gflops', 'value': peak_gflops(cores, ghz, flops),
                    'assumption': '%s cores x %s GHz (/proc/cpuinfo) x %s FP64 FLOP/cycle'
                                  % (cores, round(ghz, 3), flops)})
    return out


def blas_flags(name, link, pkgconfig_lines, package_version, multiarch, custom_cflags=(), custom_libs=()):
    """{version, cflags, libs} to build HPL with a BLAS.

    name: the BLAS (custom: the user's own cflags and libs, taken as given); link: its entry in the
    role's link table (pkg_config, libs, optional subdir); pkgconfig_lines: what `pkg-config --cflags
    --libs --modversion` printed ([] when it failed: [version, flags]); package_version: the
    package manager's answer ('' when none); multiarch: `cc -print-multiarch` ('' when not asked),
    which places a subdir BLAS (Debian's BLIS) under /usr/{include,lib}/<multiarch>/<subdir>."""
    if name == 'custom':
        return {'version': 'custom', 'cflags': list(custom_cflags), 'libs': list(custom_libs)}
    lines = list(pkgconfig_lines or [])
    flags = lines[1].split() if len(lines) > 1 else []
    subdir = []
    if multiarch:
        where = '%s/%s' % (multiarch, link.get('subdir', ''))
        subdir = ['-I/usr/include/' + where, '-L/usr/lib/' + where, '-Wl,-rpath,/usr/lib/' + where]
    cflags = [flag for flag in flags + subdir if flag.startswith('-I')]
    libs = [flag for flag in flags if not flag.startswith('-I')]
    if not libs:
        libs = [flag for flag in subdir if not flag.startswith('-I')] + list(link['libs'])
    version = (lines[0] if lines and lines[0] else '') or package_version or 'unknown'
    return {'version': version, 'cflags': cflags, 'libs': libs}
