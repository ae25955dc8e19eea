# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the GEMM and BLAS level 1 benchmarks (roles/gemm/files: our driver against the installed
CBLAS, run once per pass by gemm_job.sh): the passes a host runs, the peaks per precision, and the
output read into GFLOP/s and GB/s, each figure checked against the driver's reference computation.

Two benchmarks, one driver and one parser: `gemm` (DGEMM, SGEMM, bf16 SBGEMM at n/2 and n, at 1
thread and every logical CPU) and `vector_ops` (DAXPY and DDOT in L1, L2 and DRAM). A pass is one
run of the driver at one thread count, between marker lines.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils import _passes
from ansible_collections.instancebench.aws.plugins.module_utils import _topology

_PASS_MARK = re.compile(r'^=== instancebench gemm pass threads=(\S+) count=(\S+) mode=(gemm|vector)\s*$')
_END_MARK = _passes.end_marker('gemm')
_FIELDS = re.compile(r'^(blas_config|blas_core|blas_threads|cpu_bf16|timer_resolution_ns)=(.*)$')
_ENV = re.compile(r'^env OPENBLAS_CORETYPE=(\S*) OPENBLAS_L2_SIZE=(\S*)$')
_RESULT = re.compile(r'^result ((?:\w+=\S+ ?)+)$')
_SKIP = re.compile(r'^skip kernel=(\w+) reason=(.+)$')
_RESULT_INTS = ('n', 'calls', 'checked', 'nonfinite', 'bytes_per_call')
_RESULT_REALS = ('seconds', 'max_rel_error')

# Unit roundoff of the arithmetic each kernel accumulates in (bf16 products are exact in FP32).
UNIT_ROUNDOFF = {'dgemm': 2.0 ** -53, 'sgemm': 2.0 ** -24, 'sbgemm': 2.0 ** -24, 'daxpy': 2.0 ** -53, 'ddot': 2.0 ** -53}
# FLOP per cycle relative to FP64 (the hpl role's table): FP32 lanes are twice as many; a bf16 dot
# product (AVX-512 BF16 VDPBF16PS) twice FP32's at the FMA rate. AMX or Arm BFMMLA can go beyond
# that, so the bf16 figure is an assumed rate, not a ceiling.
PRECISION_FACTOR = {'dgemm': (1, 'FP64', True), 'sgemm': (2, 'FP32', True), 'sbgemm': (4, 'bf16', False)}
KERNELS = ('dgemm', 'sgemm', 'sbgemm')
# The registry's headline: its peaks come first (collect's summary states the first efficiency).
HEADLINE = 'dgemm_gflops_all'
# A size this much faster than the size before it: the kernel had not reached its plateau.
PLATEAU_GAIN = 1.10
# One core reaches DGEMM's plateau by n = 2048 on the CPUs measured; n doubles the work per call
# and keeps the timer honest. All threads: the same work per thread (n x cube root of threads).
DEFAULT_N = 4096
N_STEP = 256
TIMER_LIMIT_NS = 1000


def gemm_size(threads, available_bytes, memory_fraction, requested=0):
    """n for `threads`: `requested` if given, else DEFAULT_N x cube root of threads, rounded to
    N_STEP; ValueError naming the variable when three n x n FP64 matrices do not fit."""
    budget = float(available_bytes) * float(memory_fraction)
    largest = int(math.sqrt(budget / 24.0)) // N_STEP * N_STEP
    if requested:
        n = int(requested)
        if n < 8:
            raise ValueError('gemm_n must be 0 (automatic) or at least 8, got %d' % n)
        if 24.0 * n * n > budget:
            raise ValueError('gemm_n=%d needs %.2f GiB for three FP64 matrices but gemm_memory_fraction=%s of the '
                             '%.2f GiB available allows n up to %d: lower gemm_n or raise gemm_memory_fraction'
                             % (n, 24.0 * n * n / 2 ** 30, memory_fraction, available_bytes / 2.0 ** 30, largest))
        return n
    want = int(round(DEFAULT_N * float(threads) ** (1.0 / 3.0) / N_STEP)) * N_STEP
    if largest < N_STEP:
        raise ValueError('gemm_memory_fraction=%s of %.2f GiB available does not hold three %d x %d FP64 matrices: '
                         'raise it or set a smaller gemm_n' % (memory_fraction, available_bytes / 2.0 ** 30,
                                                               N_STEP, N_STEP))
    return min(want, largest)


def gemm_passes(logical_cpus, thread_counts, kernels, available_bytes, memory_fraction, requested=0):
    """[[label, threads, kernels, [n / 2, n]], ...]: one pass per thread count (0 = every logical
    CPU), each timing every kernel at two sizes (the smaller one shows whether n is on the plateau)."""
    unknown = [k for k in kernels or [] if k not in KERNELS]
    if not kernels or unknown:
        raise ValueError('gemm_kernels (%s) must be a non-empty list of %s' % (kernels, ', '.join(KERNELS)))
    out = []
    for label, count in _passes.runs(thread_counts, logical_cpus, 'gemm_thread_counts'):
        n = gemm_size(count, available_bytes, memory_fraction, requested)
        out.append([label, count, list(kernels), [n // 2, n]])
    return out


def vector_passes(caches, llc_bytes, logical_cpus, available_bytes, memory_fraction, dram_elements=0):
    """[[label, threads, level, n], ...]: DAXPY/DDOT with both vectors (16 n bytes) in half of L1d,
    half of L2 (one core's), and in DRAM at 4 x the last-level cache; L1 and L2 on one thread (they
    are per core), DRAM on one thread and on every logical CPU."""
    sizes = {}
    for level, name in (('l1', 'l1d'), ('l2', 'l2')):
        size = _topology.cache_size(caches, name)[0]
        if size:
            sizes[level] = max(1, size // 32)
    dram = int(dram_elements) or max(int(llc_bytes) // 4, 1 << 20)
    if 16.0 * dram > float(available_bytes) * float(memory_fraction):
        raise ValueError('vector_ops DRAM vectors of %d elements need %d bytes, more than vector_ops_memory_fraction=%s '
                         'of the %d bytes available: lower vector_ops_dram_elements or raise the fraction'
                         % (dram, 16 * dram, memory_fraction, int(available_bytes)))
    one = [['t1', 1, level, sizes[level]] for level in ('l1', 'l2') if level in sizes]
    return one + [[label, count, 'dram', dram]
                  for label, count in _passes.runs([1, 0], logical_cpus, 'vector_ops')]


def pass_argument(found):
    """The job script's argument for a pass: '<label> <threads> gemm <kernels> <sizes>' of a gemm
    pass [label, threads, kernels, sizes], '<label> <threads> vector <level> <n>' of a vector_ops
    pass [label, threads, level, n]."""
    label, threads, what, size = found[:4]
    if isinstance(what, (list, tuple)):
        return '%s %d gemm %s %s' % (label, int(threads), ','.join(what), ','.join(str(int(n)) for n in size))
    return '%s %d vector %s %d' % (label, int(threads), what, int(size))


def peaks(fp64_peaks_by_cores, passes):
    """run_benchmark's peaks for each (kernel, pass), the headline's first: the hpl role's FP64 peaks
    (_hpl.peaks, keyed by the cores a pass uses) scaled per precision. fp64_peaks_by_cores: {cores: [peak, ...]};
    passes: [[label, threads, kernels, sizes, cores], ...]."""
    out = []
    for label, _threads, kernels, _sizes, cores in passes:
        for peak in fp64_peaks_by_cores.get(cores) or fp64_peaks_by_cores.get(str(cores)) or []:
            for kernel in kernels:
                factor, precision, ceiling = PRECISION_FACTOR[kernel]
                scaled = '' if factor == 1 else ', x %d for %s%s' % (
                    factor, precision, '' if ceiling else ' (an assumed rate, not a ceiling)')
                entry = {'metric': '%s_gflops_%s' % (kernel, label), 'value': float(peak['value']) * factor,
                         'assumption': peak['assumption'] + scaled}
                if peak.get('ceiling') and ceiling:
                    entry['ceiling'] = True
                out.append(entry)
    return sorted(out, key=lambda entry: entry['metric'] != HEADLINE)


def _new_pass(match):
    return {'label': match.group(1), 'count': _numbers.integer(match.group(2)), 'mode': match.group(3), 'rc': None,
            'blas_config': None, 'blas_core': None, 'blas_threads': None, 'cpu_bf16': None, 'timer_ns': None,
            'env': {}, 'results': [], 'skips': {}, 'ended': False}


def read(text):
    """{'passes': [...], 'malformed': [...]}; each pass: label, count, mode, rc (None without an
    end marker), blas_config, blas_core, blas_threads, cpu_bf16, timer_ns, env, results [{kernel,
    n, calls, seconds, ...}], skips {kernel: reason}, ended."""
    return _passes.walk(text, _PASS_MARK, _END_MARK, _new_pass, _pass_line, 'instancebench gemm 1')


def _pass_line(current, lineno, line, malformed):
    match = _RESULT.match(line)
    if match:
        fields = dict(token.split('=', 1) for token in match.group(1).split())
        result = {'kernel': fields.get('kernel'), 'level': fields.get('level')}
        result.update((key, _numbers.integer(fields[key])) for key in _RESULT_INTS if key in fields)
        result.update((key, _numbers.number(fields[key])) for key in _RESULT_REALS if key in fields)
        if fields.get('max_rel_error', '').lstrip('-') in ('nan', 'inf'):
            result['max_rel_error'] = float('nan')   # what printf says of a NaN or infinite result: a wrong one
        needed = ('kernel', 'n', 'calls', 'checked', 'seconds', 'max_rel_error')
        if result['kernel'] not in UNIT_ROUNDOFF or any(result.get(key) is None for key in needed) or \
                any(key in fields and result[key] is None for key in _RESULT_INTS + _RESULT_REALS):
            malformed.append(_numbers.malformed(lineno, line, 'a result line with a known kernel and whole numbers'))
        else:
            current['results'].append(result)
        return
    match = _SKIP.match(line)
    if match:
        current['skips'][match.group(1)] = match.group(2)
        return
    match = _ENV.match(line)
    if match:
        current['env'] = {'OPENBLAS_CORETYPE': match.group(1), 'OPENBLAS_L2_SIZE': match.group(2)}
        return
    match = _FIELDS.match(line)
    if match:
        key, value = match.groups()
        if key in ('blas_config', 'blas_core'):
            current[key] = value
        else:
            current[{'timer_resolution_ns': 'timer_ns'}.get(key, key)] = _numbers.integer(value)
            if _numbers.integer(value) is None:
                malformed.append(_numbers.malformed(lineno, line, 'a whole number'))
        return
    if line == 'end':
        current['ended'] = True
        return
    malformed.append(_numbers.malformed(lineno, line, 'a line of the gemm driver'))


def error_bound(kernel, n):
    """The relative error a correct result stays within, whatever the summation order: gamma_k =
    k u / (1 - k u) of |terms| for a sum of k products (GEMM: k = n, DDOT: n; DAXPY: one product
    and one sum, k = 2), u the unit roundoff the kernel accumulates in."""
    k = 2 if kernel == 'daxpy' else int(n)
    ku = k * UNIT_ROUNDOFF[kernel]
    return ku / (1.0 - ku)


def flops(result):
    """Floating-point operations of one call: 2 n^3 for GEMM, 2 n for DAXPY and DDOT."""
    n = float(result['n'])
    return 2.0 * n ** 3 if result['kernel'] in KERNELS else 2.0 * n


_check = _numbers.check


def _pass_checks(key, found, min_ms):
    ended = 'ended' if found['ended'] else 'no end line: cut short'
    checks = [_check('%s.complete' % key, found['ended'] and found['rc'] == 0 and bool(found['results']),
                     'exit status %s, %d results, %s' % (found['rc'], len(found['results']), ended))]
    if found['blas_threads']:
        checks.append(_check('%s.blas_threads' % key, found['blas_threads'] == found['count'],
                             'the BLAS ran %s threads, the pass asked for %s' % (found['blas_threads'], found['count'])))
    else:
        checks.append(_check('%s.blas_threads' % key, False, 'the BLAS (%s) does not say how many threads it ran; %s '
                             'were asked for' % (found['blas_config'], found['count']), severity='warning'))
    if found['timer_ns'] is not None:
        checks.append(_check('%s.timer_resolution' % key, found['timer_ns'] <= TIMER_LIMIT_NS,
                             'CLOCK_MONOTONIC resolution %d ns (at most %d)' % (found['timer_ns'], TIMER_LIMIT_NS)))
    steered = ['%s=%s' % (name, value) for name, value in sorted(found['env'].items()) if value]
    checks.append(_check('%s.blas_not_steered' % key, not steered,
                         '%s set in the environment: recorded, not changed; the figures are those of the kernel it '
                         'forced' % ', '.join(steered) if steered else 'OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset',
                         severity='warning'))
    for result in found['results']:
        name = '%s.%s_%s' % (key, result['kernel'], result.get('level') or 'n%d' % result['n'])
        bound = error_bound(result['kernel'], result['n'])
        error = result['max_rel_error']
        correct = not math.isnan(error) and error <= bound and not result.get('nonfinite')
        checks.append(_check('%s.reference' % name, correct,
                             '%d entries checked against a long double reference: largest relative error %.3g, '
                             'bound %.3g (%s terms x unit roundoff %.3g)%s'
                             % (result['checked'], error, bound, 2 if result['kernel'] == 'daxpy' else result['n'],
                                UNIT_ROUNDOFF[result['kernel']],
                                '; %d entries not finite' % result['nonfinite'] if result.get('nonfinite') else '')))
        checks.append(_check('%s.timed_long_enough' % name, result['seconds'] >= 0.9 * min_ms / 1000.0,
                             '%d calls in %g s (at least %g ms)' % (result['calls'], result['seconds'], min_ms)))
    return checks


def _missing(name, detail):
    return _check('%s.complete' % name, False, detail)


def _rate(result):
    return flops(result) * result['calls'] / result['seconds'] / 1e9 if result['seconds'] > 0 else float('nan')


def _observed(parsed):
    first = next((p for p in parsed['passes'] if p['blas_config'] is not None), None)
    if first is None:
        return {}
    observed = {'blas_config': first['blas_config'], 'cpu_bf16': bool(first['cpu_bf16'])}
    if first['blas_core'] and first['blas_core'] != 'unknown':
        observed['openblas_core'] = first['blas_core']   # run_benchmark compares it with the CPU's vector ISA
    return observed


def analyze(text, expected):
    """One repetition of `gemm` -> (metrics {<kernel>_gflops_<label>: (GFLOP/s)}, checks, observed).

    expected: passes [[label, threads, kernels, sizes], ...] asked, min_ms. A kernel's figure is its
    rate at the largest size; the smaller size says whether that is the plateau. A kernel the
    driver skipped (bf16 without CPU or BLAS support) is a passed check with the reason, no figure."""
    parsed = read(text)
    min_ms = float(expected.get('min_ms') or 0)
    checks = [_numbers.format_check(parsed['malformed'])]
    by_label = dict((p['label'], p) for p in parsed['passes'] if p['mode'] == 'gemm')
    metrics, curves, skipped = {}, {}, {}
    for label, _threads, kernels, sizes in expected.get('passes') or []:
        found = by_label.get(label)
        if found is None:
            checks.append(_missing(label, 'no such pass in the output (cut short?)'))
            continue
        checks.extend(_pass_checks(label, found, min_ms))
        for kernel in kernels:
            if kernel in found['skips']:
                skipped[kernel] = found['skips'][kernel]
                checks.append(_check('%s.%s_skipped' % (label, kernel), True, found['skips'][kernel]))
                continue
            rates = dict((r['n'], _rate(r)) for r in found['results'] if r['kernel'] == kernel)
            absent = [n for n in sizes if n not in rates]
            if absent:
                checks.append(_missing('%s.%s' % (label, kernel), 'no result at n = %s' % absent))
                continue
            curves['%s_%s' % (kernel, label)] = [[n, round(rates[n], 3)] for n in sizes]
            largest = max(sizes)
            metrics['%s_gflops_%s' % (kernel, label)] = (round(rates[largest], 3), 'GFLOP/s', True)
            smaller = [n for n in sizes if n < largest]
            if smaller:
                before = rates[max(smaller)]
                checks.append(_check('%s.%s_plateau' % (label, kernel), rates[largest] <= PLATEAU_GAIN * before,
                                     '%.1f GFLOP/s at n = %d, %.1f at n = %d%s' % (
                                         rates[largest], largest, before, max(smaller),
                                         '' if rates[largest] <= PLATEAU_GAIN * before else
                                         ': still rising by more than %d %%, raise gemm_n'
                                         % round(100 * (PLATEAU_GAIN - 1))), severity='warning'))
    if not metrics and skipped:
        # Every kernel asked was skipped (gemm_kernels: [sbgemm] on a CPU without bf16): nothing measured.
        checks.append(_check('measured', False, 'every kernel asked was skipped: %s' % '; '.join(
            '%s: %s' % item for item in sorted(skipped.items()))))
    checks.extend(_numbers.plausible_metrics(metrics))
    observed = dict(_observed(parsed), curves=curves)
    if skipped:
        observed['skipped'] = skipped
    return metrics, checks, observed


def analyze_vector_ops(text, expected):
    """One repetition of `vector_ops` -> (metrics {<kernel>_<level>_gbs_<label>: GB/s,
    <kernel>_<level>_gflops_<label>: GFLOP/s}, checks, observed).

    expected: passes [[label, threads, level, n], ...] asked, min_ms, caches {l1d, l2: bytes of
    one instance}, llc_bytes. Bytes are those the kernel names: DAXPY reads x and y and writes y
    (24 n), DDOT reads x and y (16 n). A level whose vectors do not fit where it says (or DRAM
    below 4 x the last-level cache) is kept and marked against that rule."""
    parsed = read(text)
    min_ms = float(expected.get('min_ms') or 0)
    checks = [_numbers.format_check(parsed['malformed'])]
    passes = [p for p in parsed['passes'] if p['mode'] == 'vector']
    metrics = {}
    for label, _threads, level, n in expected.get('passes') or []:
        key = '%s_%s' % (level, label)
        found = next((p for p in passes if p['label'] == label and any(r.get('level') == level for r in p['results'])),
                     None)
        if found is None:
            checks.append(_missing(key, 'no such pass in the output (cut short?)'))
            continue
        checks.extend(_pass_checks(key, found, min_ms))
        for kernel in ('daxpy', 'ddot'):
            result = next((r for r in found['results'] if r['kernel'] == kernel and r.get('level') == level), None)
            if result is None or result['n'] != int(n):
                checks.append(_missing('%s.%s' % (key, kernel), 'no %s result at n = %s' % (kernel, n)))
                continue
            seconds = result['seconds']
            metrics['%s_%s_gbs_%s' % (kernel, level, label)] = (
                round(result.get('bytes_per_call', 0) * result['calls'] / seconds / 1e9, 3), 'GB/s', True)
            metrics['%s_%s_gflops_%s' % (kernel, level, label)] = (round(_rate(result), 3), 'GFLOP/s', True)
    checks.extend(_level_rules(expected))
    daxpy_l1, daxpy_dram = metrics.get('daxpy_l1_gbs_t1'), metrics.get('daxpy_dram_gbs_t1')
    if daxpy_l1 and daxpy_dram:
        checks.append(_check('l1_above_dram', daxpy_l1[0] > daxpy_dram[0],
                             'DAXPY %.1f GB/s in L1, %.1f GB/s in DRAM on one thread' % (daxpy_l1[0], daxpy_dram[0]),
                             severity='warning'))
    checks.extend(_numbers.plausible_metrics(metrics))
    return metrics, checks, _observed(parsed)


def _level_rules(expected):
    """Run rules: both vectors (16 n bytes) within L1d / within L2 and above L1d / at least 4 x the
    last-level cache, from the host's cache sizes."""
    caches = expected.get('caches') or {}
    l1, l2 = _topology.cache_size(caches, 'l1d')[0], _topology.cache_size(caches, 'l2')[0]
    llc = int(expected.get('llc_bytes') or 0)
    checks = []
    for label, _threads, level, n in expected.get('passes') or []:
        need = 16 * int(n)
        rule = {'l1': (l1 and need <= l1, 'within L1d (%d bytes)' % l1),
                'l2': (l2 and l1 < need <= l2, 'within L2 (%d bytes) and above L1d (%d)' % (l2, l1)),
                'dram': (llc and need >= 4 * llc, 'at least 4 x the last-level cache (%d bytes)' % (4 * llc))}.get(level)
        if rule:
            checks.append(_check('run_rule.%s_%s_size' % (level, label), bool(rule[0]),
                                 'both vectors take %d bytes; the rule: %s' % (need, rule[1]), severity='rule'))
    return checks
