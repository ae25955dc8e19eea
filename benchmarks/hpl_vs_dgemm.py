# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPL of the hpl role vs DGEMM of the same BLAS on the same cores, in one run.

Runs playbooks/launch.yml with the hpl role on this machine (N and NB as given; ranks = physical
cores), then times cblas_dgemm (C = A x B, n x n) with the same library the role linked, threads
= physical cores, best of --repeats. HPL's goal here: >= 90 % of DGEMM. OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE are left as the environment has them; the OpenBLAS kernel each side used is
printed. A measurement, not a test (`make compare-hpl`):

    python benchmarks/hpl_vs_dgemm.py [--n 20000] [--nb 256] [--dgemm-n 6000]
"""

import argparse
import datetime
import os
import subprocess
import sys
import tempfile

import _local_launch  # noqa: E402

DGEMM_C = r'''
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cblas.h>
/* Time C = A x B for n x n doubles; print the best GFLOP/s (2 n^3 flops) of `repeats`. */
int main(int argc, char **argv) {
  int n = atoi(argv[1]), repeats = atoi(argv[2]);
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n), *c = malloc(sizeof(double) * n * n);
  for (long i = 0; i < (long)n * n; i++) { a[i] = (double)rand() / RAND_MAX; b[i] = (double)rand() / RAND_MAX; c[i] = 0.0; }
  double best = 0.0;
  for (int r = 0; r < repeats; r++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    double gflops = 2.0 * n * (double)n * n / s / 1e9;
    if (gflops > best) best = gflops;
  }
  printf("%.3f\n", best);
  return 0;
}
'''


def run_hpl(store, n, nb, run_id=None, repetitions=None):
    """One HPL job (N and NB as given; 0: the role decides) in a run of its own: its result document.
    repetitions: exactly that many HPL runs (None: the role's adaptive default)."""
    run_id = run_id or 'hpl-compare-' + datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    extra = {'instancebench_benchmarks': ['hpl'], 'hpl_n': n, 'hpl_nb': nb}
    if repetitions:
        extra.update(hpl_repetitions=repetitions, hpl_max_repetitions=repetitions)
    return _local_launch.launch_one(store, run_id, extra)


def hpl_gflops(doc):
    return [m for m in doc['metrics'] if m['name'] == 'gflops'][0]['value']


def run_dgemm(doc, n, repeats, workdir):
    source = os.path.join(workdir, 'dgemm.c')
    binary = os.path.join(workdir, 'dgemm')
    with open(source, 'w') as handle:
        handle.write(DGEMM_C)
    blas = doc['build']['blas']
    subprocess.run(['gcc', '-O2'] + blas['cflags'] + [source, '-o', binary] + blas['libs'], check=True)
    threads = str(doc['parameters']['ranks'] * doc['parameters']['threads'])
    env = dict(os.environ, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads, BLIS_NUM_THREADS=threads,
               OPENBLAS_VERBOSE='2')
    proc = subprocess.run([binary, str(n), str(repeats)], env=env, check=True, capture_output=True, text=True)
    # OpenBLAS prints its "Core: <kernel>" line on stderr.
    core = [line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith('Core:')]
    return float(proc.stdout.split()[-1]), (core[0].split(':', 1)[1].strip() if core else None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--n', type=int, default=20000)
    parser.add_argument('--nb', type=int, default=256)
    parser.add_argument('--dgemm-n', type=int, default=6000)
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='ib-hpl-compare-') as workdir:
        doc = run_hpl(os.path.join(workdir, 'store'), args.n, args.nb)
        if not doc['validation']['passed']:
            sys.exit('HPL result did not validate: %s' % doc['job']['reason'])
        dgemm, dgemm_core = run_dgemm(doc, args.dgemm_n, args.repeats, workdir)
    params = doc['parameters']
    hpl = hpl_gflops(doc)
    residual = [c for c in doc['validation']['checks'] if c['name'].endswith('residual_passed')][0]['detail']
    blas = doc['build']['blas']
    print('host: %s (%s), %d physical cores; %s %s; OPENBLAS_CORETYPE=%s' % (
        doc['system']['cpu'].get('model_name'), doc['system']['uarch']['name'],
        doc['system']['topology']['physical_cores'], blas['name'], blas['version'],
        os.environ.get('OPENBLAS_CORETYPE', '(unset)')))
    print('HPL  : %.1f GFLOP/s  N=%d NB=%d P=%d Q=%d, %d ranks x %d threads, %s; kernel %s' % (
        hpl, params['n'], params['nb'], params['p'], params['q'], params['ranks'], params['threads'], residual,
        doc['build'].get('observed', {}).get('openblas_core')))
    print('DGEMM: %.1f GFLOP/s  n=%d, %d threads, best of %d; kernel %s' % (
        dgemm, args.dgemm_n, params['ranks'] * params['threads'], args.repeats, dgemm_core))
    print('HPL / DGEMM: %.1f %%' % (100.0 * hpl / dgemm))
    for entry in (doc.get('efficiency') or {}).get('entries', []):
        print('HPL efficiency: %.1f %% of %.1f GFLOP/s (%s)'
              % (100 * entry['efficiency'], entry['peak'], entry['assumption']))


if __name__ == '__main__':
    main()
