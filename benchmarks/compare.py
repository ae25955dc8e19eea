# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every comparison of `make compare` in one run on this machine, printed as one table.

Each row holds one of our figures against another figure measured on the same machine in the
same run, both sides interleaved over --rounds rounds (so drift and the neighbours' load hit
both alike): the ratio's median and min-max over the rounds, each side's median, the goal the
issue sets and whether it is met. Rows (goals from issue #18; the rest informational, issue #16):

  STREAM   the role's standard build vs the best flag variant (>= 0.97); the tuned build vs
           likwid-bench's non-temporal stream_mem kernel (>= 0.97)    stream_build_comparison.py
  HPL      the hpl role vs DGEMM of the same BLAS on the same cores (>= 0.92)   hpl_vs_dgemm.py
  FFTW     the role's default (plans from its wisdom) vs a patient plan, per default problem
           (>= 0.95); the SIMD build vs a build without SIMD           fftw_simd_comparison.py
  GEMM     our gemm driver's DGEMM/SGEMM vs numpy's matmul (its own OpenBLAS), same n and threads
  BLAS 1   our vector_ops DAXPY/DDOT vs likwid-bench's daxpy/ddot at the same working set
  latency  our L1/L2 pointer-chase latency in cycles (ns x clock) vs published load-to-use cycles

A row that could not be measured says why instead of a ratio. Progress goes to stderr. A
measurement, not a test (`make compare`; `--quick` is the small smoke run the tests use):

    python benchmarks/compare.py [--rounds 3] [--quick] [--markdown PATH]
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

import _local_launch
import fftw_simd_comparison
import hpl_vs_dgemm
import stream_build_comparison
from _local_launch import REPO
from ansible_collections.instancebench.aws.plugins.module_utils import _fftw, _gemm, _latency, _numbers

LOAD_TO_USE = os.path.join(REPO, 'benchmarks', 'references', 'latency', 'load_to_use_cycles.yml')
PEAK_TABLE = os.path.join(REPO, 'roles', 'hpl', 'vars', 'peak.yml')
# The table's comparisons, in its order: each gives one or more rows (per problem, size, level),
# or one row naming why it could not be measured.
FAMILIES = ('STREAM standard vs best flag variant', 'STREAM tuned vs likwid-bench', 'HPL vs DGEMM',
            'FFTW default vs patient', 'FFTW SIMD vs no-SIMD', 'GEMM vs numpy', 'BLAS 1 vs likwid-bench',
            'latency vs published cycles')
# The goals (#18); the other comparisons are informational.
GOALS = {'STREAM standard vs best flag variant': 0.97, 'STREAM tuned vs likwid-bench': 0.97, 'HPL vs DGEMM': 0.92,
         'FFTW default vs patient': 0.95}

# Sizes of a full run (about 20 minutes on 2 vCPUs) and of the --quick smoke run.
SETTINGS = {
    'full': {
        'hpl': {'n': 20000, 'nb': 0, 'dgemm_n': 6000, 'repeats': 3},
        'launch': {'fftw_repetitions': 3, 'fftw_max_repetitions': 3,
                   'gemm_kernels': ['dgemm', 'sgemm'], 'gemm_n': 2048, 'gemm_min_ms': 500,
                   'vector_ops_min_ms': 200, 'latency_min_ms': 20},
        'nosimd': True,
    },
    'quick': {
        'hpl': {'n': 2000, 'nb': 0, 'dgemm_n': 1000, 'repeats': 1},
        'launch': {'fftw_repetitions': 1, 'fftw_max_repetitions': 1, 'fftw_problems': ['icf1024'],
                   'fftw_thread_counts': [1], 'fftw_out_of_cache': False,
                   'gemm_kernels': ['dgemm', 'sgemm'], 'gemm_n': 256, 'gemm_min_ms': 50,
                   'vector_ops_min_ms': 20, 'vector_ops_dram_elements': 4194304, 'latency_min_ms': 5},
        'nosimd': False,
        'hpl_in_first_launch': True,
    },
}
# The benchmarks launched together once; latency up to 64 MiB is enough for L1 and L2.
COMMON_LAUNCH = {'instancebench_benchmarks': ['stream', 'fftw', 'gemm', 'vector_ops', 'latency'],
                 'stream_repetitions': 1, 'stream_max_repetitions': 1,
                 'gemm_repetitions': 1, 'gemm_max_repetitions': 1, 'gemm_thread_counts': [1, 0],
                 'vector_ops_repetitions': 1, 'vector_ops_max_repetitions': 1,
                 'latency_repetitions': 1, 'latency_max_repetitions': 1, 'latency_passes': ['random,4k'],
                 'latency_max_bytes': 64 * 2 ** 20}


def progress(message):
    print('[%s] %s' % (datetime.datetime.now().strftime('%H:%M:%S'), message), file=sys.stderr, flush=True)


def row(comparison, numerator, denominator, num=(), den=(), unit='', goal=None, reason=None, note=''):
    """One table row. num, den: each side's figure per round (paired by round: the ratio of each
    pair is a round's ratio); den of one value is a constant (a published figure)."""
    return {'comparison': comparison, 'numerator': numerator, 'denominator': denominator,
            'num': list(num), 'den': list(den), 'unit': unit, 'goal': goal, 'reason': reason, 'note': note}


def missing(comparison, reason):
    return dict(row(comparison, '-', '-', goal=GOALS.get(comparison), reason=reason), family=comparison)


def ratios(entry):
    num, den = entry['num'], entry['den']
    if entry['reason'] or not num or not den:
        return []
    if len(den) == 1:
        den = den * len(num)
    return [a / b for a, b in zip(num, den) if b]


def _figure(value):
    return '%.0f' % value if abs(value) >= 100 else '%.1f' % value if abs(value) >= 10 else '%.2f' % value


def cells(entry):
    """The row's cells: comparison, numerator, denominator, ratio median, min-max, medians, goal, met?"""
    goal = '>= %.2f' % entry['goal'] if entry['goal'] else 'informational'
    values = ratios(entry)
    if not values:
        return [entry['comparison'], entry['numerator'], entry['denominator'], '-', '-', '-', '-', goal,
                'no: %s' % entry['reason'] if entry['reason'] else 'no: nothing measured']
    median = statistics.median(values)
    unit = (' ' + entry['unit']) if entry['unit'] else ''
    met = ('yes' if median >= entry['goal'] else 'no') if entry['goal'] else '-'
    return [entry['comparison'], entry['numerator'], entry['denominator'], '%.3f' % median,
            '%.3f-%.3f' % (min(values), max(values)), _figure(statistics.median(entry['num'])) + unit,
            _figure(statistics.median(entry['den'])) + unit, goal, met]


HEADER = ['comparison', 'numerator', 'denominator', 'ratio median', 'ratio min-max', 'numerator median',
          'denominator median', 'goal', 'met?']


def text_table(rows):
    table = [HEADER] + [cells(entry) for entry in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    return '\n'.join('  '.join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in table)


def markdown(rows, context):
    """The table as Markdown, with the run's context above and the rows' notes below."""
    lines = [context, '', '| ' + ' | '.join(HEADER) + ' |', '|' + '---|' * len(HEADER)]
    lines += ['| ' + ' | '.join(cell.replace('|', '/') for cell in cells(entry)) + ' |' for entry in rows]
    notes = [entry for entry in rows if entry['note']]
    if notes:
        lines += [''] + ['- %s: %s' % (entry['comparison'], entry['note']) for entry in notes]
    return '\n'.join(lines) + '\n'


def completed(doc, what):
    if doc is None:
        raise RuntimeError('launch.yml stored no %s result' % what)
    if doc['job']['state'] != 'completed':
        raise RuntimeError('the %s job ended %s: %s' % (what, doc['job']['state'], doc['job']['reason']))
    # A completed job whose result did not validate (a failed residual, a timing error) is no figure.
    if not doc['validation']['passed']:
        failed = [c['name'] for c in doc['validation']['checks'] if not c['passed']]
        raise RuntimeError('the %s result did not validate (%s)' % (what, ', '.join(failed) or 'no check named'))
    return doc


def require_checks(checks, what):
    """Stop when a check that would invalidate a stored result failed: such a run is no figure."""
    failed = [c['name'] for c in checks if _numbers.invalidates(c)]
    if failed:
        raise RuntimeError('%s failed its checks: %s' % (what, ', '.join(failed)))


# --- STREAM ---------------------------------------------------------------------------------------------

def stream_rows(standard, tuned, rounds, workdir):
    measured = stream_build_comparison.measure(standard, tuned, rounds, workdir)
    triads = measured['triads']
    out = []
    if measured['variants']:
        best = max(measured['variants'], key=lambda name: statistics.median(triads[name]))
        out.append(row('STREAM standard vs best flag variant', 'role standard', best, triads['role standard'],
                       triads[best], 'GB/s', 0.97, note='triad; flag variants tried: %s' % ', '.join(
                           '%s %.1f' % (name, statistics.median(triads[name])) for name in measured['variants'])))
    else:
        out.append(missing('STREAM standard vs best flag variant', 'no flag variant compiled'))
    tuned_name = stream_build_comparison.tuned_name(measured)
    if measured['likwid']:
        out.append(row('STREAM tuned vs likwid-bench', tuned_name, measured['likwid'], triads[tuned_name],
                       triads[measured['likwid']], 'GB/s', 0.97,
                       note='STREAM publishes its best of NTIMES iterations, likwid-bench the mean of its run'))
    else:
        out.append(missing('STREAM tuned vs likwid-bench', 'likwid-bench is not installed or has no non-temporal '
                           'test for this CPU (scripts/install_system_deps.sh --compare)'))
    return out


# --- HPL ------------------------------------------------------------------------------------------------

def hpl_rows(store, workdir, rounds, settings, stamp, first=None):
    """HPL (a launch of its own per round) then DGEMM, `rounds` times; first: round 1's HPL result when
    it came with the first launch (--quick saves a launch so)."""
    hpl, dgemm, kernels, in_job = [], [], set(), []
    for number in range(rounds):
        progress('HPL vs DGEMM round %d of %d: HPL N=%d' % (number + 1, rounds, settings['n']))
        doc = completed(first if number == 0 and first else hpl_vs_dgemm.run_hpl(
            store, settings['n'], settings['nb'], 'compare-%s-hpl%d' % (stamp, number), repetitions=1), 'HPL')
        hpl.append(hpl_vs_dgemm.hpl_gflops(doc))
        in_job += [m['value'] for m in doc['metrics'] if m['name'] == 'hpl_dgemm_ratio']
        progress('HPL vs DGEMM round %d of %d: DGEMM n=%d' % (number + 1, rounds, settings['dgemm_n']))
        gflops, core = hpl_vs_dgemm.run_dgemm(doc, settings['dgemm_n'], settings['repeats'], workdir)
        dgemm.append(gflops)
        kernels.add('HPL %s, DGEMM %s' % (doc['build'].get('observed', {}).get('openblas_core'), core))
    params = doc['parameters']
    return [row('HPL vs DGEMM (same BLAS, same cores)', 'HPL N=%d NB=%d %dx%d' % (
        params['n'], params['nb'], params['p'], params['q']), 'DGEMM n=%d' % settings['dgemm_n'], hpl, dgemm,
        'GFLOP/s', 0.92, note='%s %s; kernels: %s; %d ranks x %d threads%s' % (
            doc['build']['blas']['name'], doc['build']['blas']['version'], '; '.join(sorted(kernels)),
            params['ranks'], params['threads'], '; the HPL job\'s own DGEMM ratio (hpl_dgemm_ratio): %s' % ', '.join(
                '%.3f' % value for value in in_job) if in_job else ''))]


# --- FFTW -----------------------------------------------------------------------------------------------

def fftw_rows(doc, rounds):
    figures = fftw_simd_comparison.default_vs_patient(doc, rounds, fresh_measure=False, plan_once=True)
    return [row('FFTW default vs patient, %s' % _fftw.metric_key(problem, threads),
                'default (%s, from wisdom)' % doc['parameters']['planner'], 'patient (planned once)',
                found['default'], found['patient'], 'Mflop/s', 0.95)
            for (problem, threads), found in sorted(figures.items())]


def fftw_simd_row(simd, plain):
    pairs = fftw_simd_comparison.simd_ratios(simd, plain)
    if not pairs:
        return missing('FFTW SIMD vs no-SIMD', 'the two jobs share no problem')
    keys = sorted(pairs)
    entry = row('FFTW SIMD vs no-SIMD', 'SIMD build', 'no-SIMD build', [pairs[k][0] for k in keys],
                [pairs[k][1] for k in keys], 'Mflop/s',
                note='pairs are the %d problem x thread cases (published medians of each job), not rounds: %s' % (
                    len(keys), ', '.join('%s %.2f' % (k, pairs[k][0] / pairs[k][1]) for k in keys)))
    return entry


# --- GEMM against numpy -----------------------------------------------------------------------------------

NUMPY_GEMM = r'''
import json, sys, time
import numpy
threads, n, dtype, min_s = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
info = []
try:
    import threadpoolctl
    limits = threadpoolctl.threadpool_limits(threads, user_api='blas')
    info = [i for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas']
except ImportError:
    pass
rng = numpy.random.default_rng(1)
a, b = (rng.uniform(-1.0, 1.0, (n, n)).astype(dtype) for _ in range(2))
c = numpy.empty((n, n), dtype)
numpy.matmul(a, b, out=c)
batch = 1
while True:
    start = time.perf_counter()
    for _ in range(batch):
        numpy.matmul(a, b, out=c)
    elapsed = time.perf_counter() - start
    if elapsed >= min_s:
        break
    batch = max(2 * batch, int(1.2 * min_s / (elapsed / batch)) + 1)
print(json.dumps({'gflops': 2.0 * n ** 3 * batch / elapsed / 1e9, 'numpy': numpy.__version__, 'blas': info}))
'''


def numpy_gemm(threads, n, kernel, min_ms):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, '-c', NUMPY_GEMM, str(threads), str(n),
                          {'dgemm': 'float64', 'sgemm': 'float32'}[kernel], str(min_ms / 1000.0)],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def numpy_missing():
    try:
        subprocess.run([sys.executable, '-c', 'import numpy'], check=True, capture_output=True)
        return None
    except subprocess.CalledProcessError:
        return 'numpy is not installed in %s (pip install -r benchmarks/requirements.txt)' % sys.prefix


def run_job(doc):
    """The job's command (its job script and binary, as the role ran them) once more: its output."""
    return subprocess.run(doc['_job']['command'], check=False, capture_output=True, text=True).stdout


def gemm_rows(doc, rounds):
    params = doc['parameters']
    passes = [found[:4] for found in params['passes']]
    expected = {'passes': passes, 'min_ms': params['min_ms']}
    ours, theirs, about = {}, {}, {}
    for number in range(rounds):
        progress('GEMM vs numpy round %d of %d' % (number + 1, rounds))
        metrics, checks, observed = _gemm.analyze(run_job(doc), expected)
        require_checks(checks, 'our gemm driver')
        for label, threads, kernels, sizes in passes:
            for kernel in kernels:
                key = (kernel, label, threads, max(sizes))
                ours.setdefault(key, []).append(metrics['%s_gflops_%s' % (kernel, label)][0])
                found = numpy_gemm(threads, max(sizes), kernel, params['min_ms'])
                theirs.setdefault(key, []).append(found['gflops'])
                about['numpy'] = 'numpy %s, %s' % (found['numpy'], ', '.join(
                    '%s %s %s' % (i['internal_api'], i['version'], i.get('architecture')) for i in found['blas']))
        about['ours'] = '%s %s %s' % (doc['build']['blas']['name'], doc['build']['blas']['version'],
                                      observed.get('openblas_core'))
    return [row('GEMM %s, %s thread(s), n=%d' % (kernel.upper(), threads, n), 'our gemm driver', 'numpy matmul',
                ours[key], theirs[key], 'GFLOP/s', note='ours: %s; numpy: %s' % (about['ours'], about['numpy']))
            for key in sorted(ours, key=lambda k: (k[0], k[2])) for kernel, _label, threads, n in [key]]


# --- BLAS level 1 against likwid-bench --------------------------------------------------------------------

def likwid_kernel(kernel, flags):
    """likwid-bench's test of `kernel` (daxpy, ddot) for the widest vector ISA this CPU has."""
    for isa, flag in (('avx512', 'avx512f'), ('avx', 'avx'), ('sse', 'sse2')):
        if flag in flags:
            return '%s_%s%s' % (kernel, isa, '_fma' if kernel == 'daxpy' and 'fma' in flags else '')
    return kernel


def run_likwid(test, size_bytes, threads):
    out = subprocess.run(['likwid-bench', '-t', test, '-w', 'S0:%dB:%d' % (size_bytes, threads)],
                         check=True, capture_output=True, text=True).stdout
    return float(re.search(r'^MByte/s:\s+(\S+)', out, re.M).group(1)) / 1000.0


def vector_rows(doc, rounds):
    if not shutil.which('likwid-bench'):
        return [missing('BLAS 1 vs likwid-bench', 'likwid-bench is not installed '
                        '(scripts/install_system_deps.sh --compare)')]
    params, system = doc['parameters'], doc['system']
    expected = {'passes': params['passes'], 'min_ms': params['min_ms'], 'caches': system['caches'],
                'llc_bytes': system['llc']['total_bytes']}
    flags = stream_build_comparison.cpu_flags()
    ours, theirs = {}, {}
    for number in range(rounds):
        progress('BLAS level 1 vs likwid-bench round %d of %d' % (number + 1, rounds))
        metrics, checks, _observed = _gemm.analyze_vector_ops(run_job(doc), expected)
        require_checks(checks, 'our vector_ops driver')
        for label, threads, level, n in params['passes']:
            for kernel in ('daxpy', 'ddot'):
                key = (kernel, level, label, threads, n)
                ours.setdefault(key, []).append(metrics['%s_%s_gbs_%s' % (kernel, level, label)][0])
                theirs.setdefault(key, []).append(run_likwid(likwid_kernel(kernel, flags), 16 * n, threads))
    return [row('BLAS 1 %s %s, %d thread(s)' % (kernel.upper(), level.upper(), threads), 'our vector_ops',
                'likwid-bench %s' % likwid_kernel(kernel, flags), ours[key], theirs[key], 'GB/s',
                note='both vectors %d KiB; both count %d bytes per element' % (16 * n // 1024,
                                                                               24 if kernel == 'daxpy' else 16))
            for key in ours for kernel, level, _label, threads, n in [key]]


# --- latency against published load-to-use cycles -----------------------------------------------------

def clocks(system):
    """[(GHz, what it is)]: the clock AWS states for the processor family (hpl role's table), then
    the clock /proc/cpuinfo reports. The first is the one the ratio uses."""
    with open(PEAK_TABLE) as handle:
        family = yaml.safe_load(handle)['_hpl_family_clock_ghz'].get(system['uarch'].get('family_name') or '')
    out = [(family['ghz'], '%s GHz, %s' % (family['ghz'], family['kind']))] if family else []
    if system['cpu'].get('mhz'):
        out.append((system['cpu']['mhz'] / 1000.0, '%.2f GHz, /proc/cpuinfo' % (system['cpu']['mhz'] / 1000.0)))
    return out


def latency_rows(doc, rounds):
    system, params = doc['system'], doc['parameters']
    uarch = system['uarch']['name']
    with open(LOAD_TO_USE) as handle:
        published = yaml.safe_load(handle).get(uarch)
    if not published:
        return [missing('latency vs published cycles', 'no published load-to-use latency for %s in %s'
                        % (uarch, os.path.relpath(LOAD_TO_USE, REPO)))]
    known = clocks(system)
    if not known:
        return [missing('latency vs published cycles', 'no clock for %s: neither a family clock nor '
                        '/proc/cpuinfo MHz' % uarch)]
    expected = {'passes': [['random', '4k']], 'caches': system['caches'], 'llc_bytes': system['llc']['total_bytes'],
                'min_ms': params['min_ms']}
    measured = {'l1': [], 'l2': []}
    for number in range(rounds):
        progress('latency vs published cycles round %d of %d' % (number + 1, rounds))
        metrics, _checks, _observed = _latency.analyze(run_job(doc), expected)
        for level in measured:
            if '%s_latency_ns' % level in metrics:
                measured[level].append(metrics['%s_latency_ns' % level][0])
    ghz, used = known[0]
    out = []
    for level, values in sorted(measured.items()):
        name = 'latency %s, %s' % (level.upper(), uarch)
        if not values:
            out.append(dict(missing(name, 'the chase read no %s point below its largest size' % level.upper()),
                            family='latency vs published cycles'))
            continue
        ns = statistics.median(values)
        other = '; '.join('at %s: %.1f cycles' % (what, ns * clock) for clock, what in known[1:])
        out.append(row(name, 'our chase, ns x %.2f GHz' % ghz, 'published load-to-use', [v * ghz for v in values],
                       [published[level]], 'cycles',
                       note='%.2f ns at %d KiB, random 4 KiB pages; clock %s (the cores\' real clock is unknown: '
                            'between the two, so the cycles are too); %s; published: %s' % (
                                ns, _latency.level_sizes(system['caches'])[level] // 1024, used, other,
                                ', '.join(published['sources']))))
    return out


# --- the run ----------------------------------------------------------------------------------------------

def guarded(rows, families, step, *args):
    """rows += step(*args), each row marked with its family (FAMILIES) in order; a step that fails
    becomes one row per family it should have given, naming the reason (the other steps still run)."""
    try:
        found = step(*args)
    except (Exception, SystemExit) as error:  # noqa: B902 - one failed comparison must not lose the others
        if isinstance(error, subprocess.CalledProcessError):
            detail = '%s exited with status %s' % (os.path.basename(error.cmd[0]), error.returncode)
        else:
            detail = (str(error).strip().splitlines() or [''])[-1][:300]
        progress('%s failed: %s' % (', '.join(families), detail))
        rows.extend(missing(family, '%s: %s' % (type(error).__name__, detail)) for family in families)
        return
    for entry in found:
        family = entry.get('family') or (entry['comparison'] if entry['comparison'] in families else families[0])
        rows.append(dict(entry, family=family))


def run(args):
    settings = SETTINGS['quick' if args.quick else 'full']
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    rows, context = [], {'load_before': os.getloadavg(), 'started': time.time()}
    with tempfile.TemporaryDirectory(prefix='ib-compare-') as workdir:
        store = os.path.join(workdir, 'store')
        first = dict(COMMON_LAUNCH, **settings['launch'])
        if settings.get('hpl_in_first_launch'):
            first.update(instancebench_benchmarks=first['instancebench_benchmarks'] + ['hpl'], hpl_n=settings['hpl']['n'],
                         hpl_nb=settings['hpl']['nb'], hpl_repetitions=1, hpl_max_repetitions=1)
        progress('launch.yml: %s' % ', '.join(first['instancebench_benchmarks']))
        docs = _local_launch.launch_each(store, 'compare-%s-a' % stamp, first)
        progress('launch.yml: STREAM (tuned)')
        tuned = _local_launch.launch_each(store, 'compare-%s-b' % stamp, {
            'instancebench_benchmarks': ['stream'], 'stream_tuned': True, 'stream_repetitions': 1,
            'stream_max_repetitions': 1}).get('stream')
        if docs.get('stream'):
            context['host'] = docs['stream']['system']
        guarded(rows, FAMILIES[:2], lambda: stream_rows(
            completed(docs.get('stream'), 'STREAM'), completed(tuned, 'tuned STREAM'), args.rounds, workdir))
        guarded(rows, ['HPL vs DGEMM'], hpl_rows, store, workdir, args.rounds, settings['hpl'], stamp, docs.get('hpl'))
        guarded(rows, ['FFTW default vs patient'], lambda: fftw_rows(completed(docs.get('fftw'), 'FFTW'), args.rounds))
        if settings['nosimd']:
            def simd():
                progress('launch.yml: FFTW without SIMD (builds FFTW once more)')
                plain = _local_launch.launch_each(store, 'compare-%s-c' % stamp, dict(
                    settings['launch'], instancebench_benchmarks=['fftw'], fftw_variant='nosimd',
                    fftw_simd=False)).get('fftw')
                return [fftw_simd_row(completed(docs.get('fftw'), 'FFTW'), completed(plain, 'no-SIMD FFTW'))]
            guarded(rows, ['FFTW SIMD vs no-SIMD'], simd)
        else:
            rows.append(missing('FFTW SIMD vs no-SIMD', 'left out of --quick: the no-SIMD build takes minutes'))
        reason = numpy_missing()
        if reason:
            rows.append(missing('GEMM vs numpy', reason))
        else:
            guarded(rows, ['GEMM vs numpy'], lambda: gemm_rows(completed(docs.get('gemm'), 'GEMM'), args.rounds))
        guarded(rows, ['BLAS 1 vs likwid-bench'],
                lambda: vector_rows(completed(docs.get('vector_ops'), 'vector_ops'), args.rounds))
        guarded(rows, ['latency vs published cycles'],
                lambda: latency_rows(completed(docs.get('latency'), 'latency'), args.rounds))
    context.update(load_after=os.getloadavg(), minutes=(time.time() - context['started']) / 60.0)
    return rows, context


def describe(context, args):
    host = context.get('host')
    machine = '%s (%s, %s), %d physical cores, gcc %s' % (
        host['cpu'].get('model_name'), host['uarch']['name'], host['uarch'].get('family_name'),
        host['topology']['physical_cores'], host['compiler'].get('version')) if host else 'this machine'
    return ('`make compare`%s, %s UTC, on %s: %d interleaved round(s), %.0f min, load average %.1f before and '
            '%.1f after.' % (' --quick' if args.quick else '', datetime.datetime.now(datetime.timezone.utc).strftime(
                '%Y-%m-%d %H:%M'), machine, args.rounds, context['minutes'], context['load_before'][0],
                context['load_after'][0]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=3, help='interleaved rounds of every comparison')
    parser.add_argument('--quick', action='store_true', help='small sizes: a smoke run of every row')
    parser.add_argument('--markdown', metavar='PATH', help='also write the table as Markdown here')
    parser.add_argument('--json', metavar='PATH', help='also write the rows (every round) as JSON here')
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error('--rounds must be at least 1')
    rows, context = run(args)
    print(describe(context, args))
    print(text_table(rows))
    for entry in rows:
        if entry['note']:
            print('- %s: %s' % (entry['comparison'], entry['note']))
    if args.markdown:
        with open(args.markdown, 'w') as handle:
            handle.write(markdown(rows, describe(context, args)))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump({'rows': [dict(entry, cells=cells(entry)) for entry in rows], 'header': HEADER}, handle, indent=1)


if __name__ == '__main__':
    main()
