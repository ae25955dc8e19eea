# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FFTW bench: the fftw role's SIMD build vs a build without SIMD flags, same problems, same run.

Runs playbooks/launch.yml on this machine twice with the fftw role: variant `simd` (the
default build: SIMD codelets + catalog -march/-mcpu) and variant `nosimd` (fftw_simd=false:
no --enable-sse2/avx/avx2/avx512/fma or neon, no -march). Same problems, planner and threads.
Prints FFTW-Mflop/s (median of repetitions) per problem and thread count, and the ratio.
A measurement, not a test (`make compare-fftw`):

    python benchmarks/fftw_simd_comparison.py [--repetitions 3]
"""

import argparse
import datetime
import sys
import tempfile

import _local_launch  # noqa: E402


def run_variant(store, run_id, variant, simd, repetitions):
    [doc] = _local_launch.launch(store, run_id, {'instancebench_benchmarks': ['fftw'], 'fftw_variant': variant,
                                                 'fftw_simd': simd, 'fftw_repetitions': repetitions,
                                                 'fftw_max_repetitions': repetitions})
    if not doc['validation']['passed']:
        sys.exit('%s result did not validate: %s' % (variant, doc['job']['reason']))
    return doc


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repetitions', type=int, default=3)
    args = parser.parse_args()
    run_id = 'fftw-compare-' + datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    with tempfile.TemporaryDirectory(prefix='ib-fftw-compare-') as store:
        simd = run_variant(store, run_id, 'simd', True, args.repetitions)
        plain = run_variant(store, run_id, 'nosimd', False, args.repetitions)
    host = simd['system']
    print('host: %s (%s), %d physical cores, gcc %s, planner %s, %d repetitions' % (
        host['cpu'].get('model_name'), host['uarch']['name'], host['topology']['physical_cores'],
        simd['build']['compiler_version'], simd['parameters']['planner'], args.repetitions))
    for name, doc in (('simd', simd), ('nosimd', plain)):
        print('%-7s configure: %s | CFLAGS: %s' % (name, ' '.join(doc['build']['configure']), ' '.join(doc['build']['flags'])))
    rows = dict((m['name'], [m['value']]) for m in simd['metrics'] if m['name'].startswith('mflops_'))
    for m in plain['metrics']:
        if m['name'] in rows:
            rows[m['name']].append(m['value'])
    print('%-28s %14s %14s %8s' % ('problem_threads', 'SIMD Mflop/s', 'no-SIMD', 'ratio'))
    for name in sorted(rows):
        with_simd, without = rows[name]
        print('%-28s %14.0f %14.0f %7.2fx' % (name[len('mflops_'):], with_simd, without, with_simd / without))


if __name__ == '__main__':
    main()
