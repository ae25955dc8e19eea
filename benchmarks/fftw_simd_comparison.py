# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FFTW bench: the fftw role's default against a fresh patient plan, and its SIMD build against one without.

1. Runs playbooks/launch.yml on this machine with the fftw role's defaults (variant `simd`: SIMD
   codelets + catalog -march/-mcpu, the default planner with its wisdom), then, with that build's
   bench, interleaves per problem and thread count for --rounds rounds: the role's plan from its
   wisdom (what the role publishes), a fresh `patient` plan with no time limit in an empty
   directory (the figure the issue holds the default to), and a fresh `measure` plan (the old
   default). Prints the medians, min-max and the ratios default / patient and measure / patient.
2. Unless --no-nosimd: the same launch with variant `nosimd` (fftw_simd=false: no
   --enable-sse2/avx/avx2/avx512/fma or neon, no -march), and the SIMD / no-SIMD ratio of the
   published medians.
A measurement, not a test (`make compare-fftw`):

    python benchmarks/fftw_simd_comparison.py [--repetitions 3] [--rounds 3] [--no-nosimd]
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile

import _local_launch  # noqa: E402
from ansible_collections.instancebench.aws.plugins.module_utils import _fftw  # noqa: E402


def run_variant(store, run_id, variant, simd, repetitions):
    doc = _local_launch.launch_one(store, '%s-%s' % (run_id, variant), {
        'instancebench_benchmarks': ['fftw'], 'fftw_variant': variant, 'fftw_simd': simd,
        'fftw_repetitions': repetitions, 'fftw_max_repetitions': repetitions})
    if not doc['validation']['passed']:
        sys.exit('%s result did not validate: %s' % (variant, doc['job']['reason']))
    return doc


def bench_path(doc):
    """The bench binary of the role's build: beside the job script, in the unpacked source tree."""
    build_dir = os.path.dirname(doc['_job']['command'][0])
    return os.path.join(build_dir, 'fftw-%s' % doc['build']['source']['version'], 'tests', 'bench')


def timed(bench, problem, threads, options, cwd):
    """FFTW-Mflop/s of one `bench -s` run in `cwd` (where it reads and writes wis.dat)."""
    out = subprocess.run([bench, '-onthreads=%d' % threads] + options + ['-s', problem], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout
    marker = '=== instancebench fftw problem=%s threads=%d planner=compare\n' % (problem, threads)
    [section] = _fftw.parse(marker + out)
    if section['mflops'] is None:
        sys.exit('bench -s %s printed no timing line:\n%s' % (problem, out))
    return section['mflops']


def default_vs_patient(doc, rounds, fresh_measure=True, plan_once=False):
    """{(problem, threads): {'default': [...], 'patient': [...], 'measure': [...]}} over interleaved rounds.
    plan_once: the patient plan is made once, in an empty directory, and read from its wisdom in
    every round (the same plan, without paying its search each round); fresh_measure=False leaves
    out the old default."""
    bench, params = bench_path(doc), doc['parameters']
    role_options = ['-owisdom'] + ([] if params['planner'] == 'measure' else ['-o' + params['planner']]) + \
        (['-otimelimit=%s' % params['plan_time_limit_s']] if params['plan_time_limit_s'] else [])
    figures = {}
    with tempfile.TemporaryDirectory(prefix='ib-fftw-patient-') as planned:
        for number in range(rounds):
            print('FFTW default vs patient, round %d of %d' % (number + 1, rounds), file=sys.stderr)
            for problem in params['problems']:
                for threads in params['thread_counts']:
                    row = figures.setdefault((problem, threads), {'default': [], 'patient': [], 'measure': []})
                    wisdom = os.path.join(params['wisdom'], '%s-t%d' % (problem, threads))
                    row['default'].append(timed(bench, problem, threads, role_options, wisdom))
                    if plan_once:
                        folder = os.path.join(planned, '%s-t%d' % (problem, threads))
                        os.makedirs(folder, exist_ok=True)
                        row['patient'].append(timed(bench, problem, threads, ['-opatient', '-owisdom'], folder))
                    else:
                        with tempfile.TemporaryDirectory(prefix='ib-fftw-fresh-') as empty:
                            row['patient'].append(timed(bench, problem, threads, ['-opatient'], empty))
                    if fresh_measure:
                        with tempfile.TemporaryDirectory(prefix='ib-fftw-fresh-') as empty:
                            row['measure'].append(timed(bench, problem, threads, [], empty))
    return figures


def simd_ratios(simd, plain):
    """{problem_threads: (SIMD Mflop/s, no-SIMD Mflop/s)} of the two jobs' published medians."""
    rows = dict((m['name'], [m['value']]) for m in simd['metrics'] if m['name'].startswith('mflops_'))
    for m in plain['metrics']:
        if m['name'] in rows:
            rows[m['name']].append(m['value'])
    return dict((name[len('mflops_'):], tuple(values)) for name, values in rows.items() if len(values) == 2)


def _spread(values):
    return '%.0f (%.0f-%.0f)' % (statistics.median(values), min(values), max(values))


def print_default_vs_patient(doc, figures, rounds):
    params = doc['parameters']
    published = dict((m['name'], m['value']) for m in doc['metrics'])
    print('default: %s planner from wisdom, time limit %s s; patient: fresh plan, no time limit; measure: fresh plan; '
          'median (min-max) of %d interleaved rounds, FFTW-Mflop/s' % (params['planner'], params['plan_time_limit_s'],
                                                                       rounds))
    print('%-18s %10s %22s %22s %22s %8s %8s' % ('problem_threads', 'published', 'default', 'patient', 'measure',
                                                 'def/pat', 'mea/pat'))
    for (problem, threads), row in sorted(figures.items()):
        key = _fftw.metric_key(problem, threads)
        patient = statistics.median(row['patient'])
        print('%-18s %10.0f %22s %22s %22s %8.2f %8.2f' % (
            key, published.get('mflops_' + key, float('nan')), _spread(row['default']), _spread(row['patient']),
            _spread(row['measure']), statistics.median(row['default']) / patient,
            statistics.median(row['measure']) / patient))
    plans = (doc['build'].get('observed') or {}).get('plans') or {}
    if plans:
        print('planning (first repetition): ' + ', '.join(
            '%s %s %.3g s' % (key, 'from wisdom' if plan['from_wisdom'] else 'fresh', plan['planning_s'] or 0)
            for key, plan in sorted(plans.items())))


def print_simd_vs_nosimd(simd, plain):
    for name, doc in (('simd', simd), ('nosimd', plain)):
        print('%-7s configure: %s | CFLAGS: %s' % (name, ' '.join(doc['build']['configure']), ' '.join(doc['build']['flags'])))
    print('%-28s %14s %14s %8s' % ('problem_threads', 'SIMD Mflop/s', 'no-SIMD', 'ratio'))
    for name, (with_simd, without) in sorted(simd_ratios(simd, plain).items()):
        print('%-28s %14.0f %14.0f %7.2fx' % (name, with_simd, without, with_simd / without))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repetitions', type=int, default=3)
    parser.add_argument('--rounds', type=int, default=3, help='interleaved rounds of default / patient / measure')
    parser.add_argument('--no-nosimd', action='store_true', help='skip the build without SIMD')
    args = parser.parse_args()
    run_id = 'fftw-compare-' + datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    with tempfile.TemporaryDirectory(prefix='ib-fftw-compare-') as store:
        simd = run_variant(store, run_id, 'simd', True, args.repetitions)
        figures = default_vs_patient(simd, args.rounds)
        plain = None if args.no_nosimd else run_variant(store, run_id, 'nosimd', False, args.repetitions)
    host = simd['system']
    print('host: %s (%s), %d physical cores, gcc %s, %d repetitions, load average %.2f at the end' % (
        host['cpu'].get('model_name'), host['uarch']['name'], host['topology']['physical_cores'],
        simd['build']['compiler_version'], args.repetitions, os.getloadavg()[0]))
    print_default_vs_patient(simd, figures, args.rounds)
    if plain is not None:
        print_simd_vs_nosimd(simd, plain)


if __name__ == '__main__':
    main()
