# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: HPL output parser, problem sizing (N, NB, P x Q) and theoretical peak, and the job's
own DGEMM beside HPL (files/hpl_job.sh: the gemm role's driver on the same cores, ranks and BLAS).

Shared by both HPL sources (HPCC 1.5.0's HPL and netlib HPL 2.3): they print the same
`WR...` result lines and the same scaled-residual line ending in PASSED or FAILED.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _gemm
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
    if expected.get('variant'):
        checks.append(_check('variant', run['variant'] == expected['variant'],
                             'HPL.dat asked for %s (DEPTH, BCAST, RFACT, NDIV, PFACT, NBMIN), HPL ran %s'
                             % (expected['variant'], run['variant'])))
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
    if expected.get('dgemm'):
        dgemm_metrics, dgemm_checks = dgemm_analysis(text, expected['dgemm'], best['gflops'])
        metrics.update(dgemm_metrics)
        checks.extend(dgemm_checks)
    checks.extend(_numbers.plausible_metrics(metrics))
    return metrics, checks, {'openblas_core': parsed['openblas_core']} if parsed['openblas_core'] else {}


# The job script's markers around each DGEMM run (files/hpl_job.sh) and mpirun's --tag-output prefix.
_DGEMM_BEGIN = re.compile(r'^=== instancebench hpl dgemm begin when=(\w+)\b')
_DGEMM_END = re.compile(r'^=== instancebench hpl dgemm end rc=(\S+)\s*$')
_TAGGED = re.compile(r'^\[\d+,(\d+)\]<(stdout|stderr)>:(.*)$')
DGEMM_RATIO_UNIT = 'x'


def dgemm_outputs(text):
    """[{when, ranks: {rank: its lines as one text}, rc (None without an end marker), stray: [untagged
    lines]}] of each DGEMM run between the job script's markers (before and after HPL), in order."""
    sections, current = [], None
    for raw in text.splitlines():
        line = raw.strip()
        begin = _DGEMM_BEGIN.match(line)
        if begin:
            current = {'when': begin.group(1), 'ranks': {}, 'rc': None, 'stray': []}
            sections.append(current)
            continue
        end = _DGEMM_END.match(line)
        if end and current is not None:
            current['rc'], current = _numbers.integer(end.group(1)), None
            continue
        if current is None or not line:
            continue
        tagged = _TAGGED.match(line)
        if tagged:
            current['ranks'].setdefault(int(tagged.group(1)), []).append(tagged.group(3))
        else:
            current['stray'].append(line)
    for section in sections:
        section['ranks'] = dict((rank, '\n'.join(lines)) for rank, lines in section['ranks'].items())
    return sections


def _dgemm_run(section, ranks, threads, n, min_ms):
    """(the ranks' summed GFLOP/s or None, [rate per rank], checks) of one DGEMM run."""
    key = 'dgemm.%s' % section['when']
    outputs, stray = section['ranks'], section['stray']
    checks = [_check('%s.complete' % key, section['rc'] == 0 and sorted(outputs) == list(range(ranks)),
                     'DGEMM launch exit status %s, output from ranks %s of %d%s'
                     % (section['rc'], sorted(outputs), ranks, '; untagged: %s' % '; '.join(stray[:3]) if stray else ''))]
    rates = []
    for rank in range(ranks):
        passes = _gemm.read(outputs.get(rank, ''))
        found = passes['passes'][0] if passes['passes'] else None
        result = next((r for r in (found or {}).get('results', []) if r['kernel'] == 'dgemm' and r['n'] == n), None)
        name = '%s.rank%d' % (key, rank)
        if passes['malformed']:
            checks.append(_check('%s.format' % name, False, '; '.join(passes['malformed'][:3])))
        if result is None:
            checks.append(_check('%s.result' % name, False, 'no DGEMM result at n = %d from rank %d' % (n, rank)))
            continue
        bound = _gemm.error_bound('dgemm', n)
        error = result['max_rel_error']
        checks.append(_check('%s.reference' % name, not math.isnan(error) and error <= bound and not result.get('nonfinite'),
                             '%d entries against a long double reference: largest relative error %.3g, bound %.3g'
                             % (result['checked'], error, bound)))
        if found['blas_threads']:
            checks.append(_check('%s.blas_threads' % name, found['blas_threads'] == threads,
                                 'the BLAS ran %s threads in rank %d, HPL ran %d per rank'
                                 % (found['blas_threads'], rank, threads)))
        else:
            # Only OpenBLAS says (openblas_get_num_threads); MKL or BLIS linked as custom do not.
            checks.append(_check('%s.blas_threads' % name, False, 'the BLAS (%s) does not say how many threads it ran; '
                                 '%d per rank were asked for' % (found['blas_config'], threads), severity='warning'))
        checks.append(_check('%s.timed_long_enough' % name, result['seconds'] >= 0.9 * min_ms / 1000.0,
                             '%d calls in %g s (at least %s ms)' % (result['calls'], result['seconds'], min_ms)))
        rates.append(_gemm.flops(result) * result['calls'] / result['seconds'] / 1e9 if result['seconds'] > 0 else 0.0)
    total = sum(rates)
    return (total if len(rates) == ranks and _numbers.finite_positive(total) else None), rates, checks


def dgemm_analysis(text, asked, hpl_gflops):
    """(metrics {dgemm_gflops, hpl_dgemm_ratio}, checks) of the DGEMM runs the job made before and
    after HPL: every rank at once on HPL's cores (asked: ranks, threads per rank, n, min_ms,
    ratio_warning, ratio_limit), each result checked against the driver's reference. A run's figure is
    its ranks' rates summed; dgemm_gflops is the faster run's (a neighbour's load during one of them is
    not the BLAS's rate). A ratio above ratio_limit (HPL faster than its BLAS's own DGEMM) is a timing
    error: invalid."""
    ranks, threads, n, min_ms = int(asked['ranks']), int(asked['threads']), int(asked['n']), float(asked['min_ms'])
    sections = dgemm_outputs(text)
    checks = [_check('dgemm.runs', [s['when'] for s in sections] == ['before', 'after'],
                     'DGEMM runs found: %s (one before and one after HPL asked)'
                     % (', '.join(s['when'] for s in sections) or 'none'))]
    totals = []
    for section in sections:
        total, rates, found = _dgemm_run(section, ranks, threads, n, min_ms)
        checks.extend(found)
        if total is not None:
            totals.append((total, section['when'], rates))
    if not totals or any(_numbers.invalidates(c) for c in checks):
        return {}, checks
    total, when, rates = max(totals)
    ratio = hpl_gflops / total
    limit, warning = float(asked['ratio_limit']), float(asked['ratio_warning'])
    runs = '; '.join('%s %.4g GFLOP/s (%s per rank)' % (w, t, ', '.join('%.4g' % r for r in rs)) for t, w, rs in totals)
    checks.append(_check('dgemm.ratio_plausible', ratio <= limit,
                         'HPL %.4g GFLOP/s over DGEMM %.4g GFLOP/s (the faster of %s) = %.3f%s'
                         % (hpl_gflops, total, runs, ratio,
                            '' if ratio <= limit else ': above %s, HPL faster than its own BLAS\'s DGEMM on the '
                            'same cores is a timing error' % limit)))
    checks.append(_check('dgemm.ratio_expected', ratio >= warning,
                         'HPL reached %.3f of DGEMM (a warning below %s: hpl_dgemm_ratio_warning)' % (ratio, warning),
                         severity='warning'))
    return {'dgemm_gflops': (round(total, 4), 'GFLOP/s', True),
            'hpl_dgemm_ratio': (round(ratio, 4), DGEMM_RATIO_UNIT, True)}, checks


def dgemm_size(nb, threads, ranks, target, available_bytes, memory_fraction):
    """n of the DGEMM beside HPL: the multiple of NB nearest `target` x cube root of the threads per
    rank (the same work per thread), at least one NB; ValueError naming the variable when every
    rank's three n x n matrices do not fit memory_fraction of the available memory."""
    nb, ranks = int(nb), max(1, int(ranks))
    n = max(nb, int(round(float(target) * float(threads) ** (1.0 / 3.0) / nb)) * nb)
    budget = float(available_bytes) * float(memory_fraction)
    while n > nb and 3.0 * DOUBLE_BYTES * n * n * ranks > budget:
        n -= nb
    if 3.0 * DOUBLE_BYTES * n * n * ranks > budget:
        raise ValueError('the DGEMM beside HPL needs %d x 3 matrices of %d x %d doubles, more than hpl_memory_fraction=%s '
                         'of the available memory: raise hpl_memory_fraction or set hpl_dgemm=false'
                         % (ranks, n, n, memory_fraction))
    return n


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
