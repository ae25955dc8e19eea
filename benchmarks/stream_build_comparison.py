# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""STREAM triad on this machine, in one interleaved run: the stream role's standard build against
other flag choices for the same verified stream.c, and the role's tuned build (non-temporal stores)
against likwid-bench's non-temporal stream_mem kernel, the independent reference.

launch.yml builds the standard and the tuned binaries (as a user would get them); the flag
variants are compiled here from the same stream.c, same array size, NTIMES and threads. Then
every binary and likwid-bench run once per round, for --rounds rounds, so drift and noise hit
all of them alike; the table gives medians, spread and ratios. A measurement, not a test.
Usage (`make compare-stream`):

    python benchmarks/stream_build_comparison.py [--rounds 5]
"""

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import _local_launch
from _local_launch import REPO
from ansible_collections.instancebench.aws.plugins.module_utils import _stream

# Flag choices tried against the role's standard build (compiler, flags before the -D defines).
VARIANTS = [
    ('gcc -O2', 'gcc', ['-O2', '-fopenmp']),
    ('gcc -O3 native', 'gcc', ['-O3', '-march=native', '-fopenmp']),
    ('gcc -Ofast unroll', 'gcc', ['-Ofast', '-march=native', '-funroll-loops', '-fopenmp']),
    ('clang -O3 native', 'clang', ['-O3', '-march=native', '-fopenmp']),
]


def launch(store, run_id, tuned):
    doc = _local_launch.launch_one(store, run_id, {'stream_repetitions': 1, 'stream_max_repetitions': 1,
                                                   'stream_tuned': tuned, 'instancebench_benchmarks': ['stream']})
    doc['_command'] = doc['_job']['command']
    return doc


def likwid_test(flags):
    """likwid-bench's non-temporal triad for the widest vector ISA this CPU has."""
    if 'avx512f' in flags:
        return 'stream_mem_avx512'
    if 'avx' in flags:
        return 'stream_mem_avx'
    return 'stream_mem_sse' if 'sse2' in flags else None


def cpu_flags():
    with open('/proc/cpuinfo') as handle:
        for line in handle:
            if line.startswith(('flags', 'Features')):
                return set(line.split(':', 1)[1].split())
    return set()


def run_stream(argv, env):
    out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout
    parsed = _stream.parse(out)
    if not parsed['validates']:
        sys.exit('%s did not validate:\n%s' % (argv[0], out))
    return parsed['kernels']['Triad']['best_rate_mb_s'] / 1000.0


def run_likwid(test, total_bytes, threads):
    out = subprocess.run(['likwid-bench', '-t', test, '-w', 'S0:%dB:%d' % (total_bytes, threads)],
                         check=True, capture_output=True, text=True).stdout
    return float(re.search(r'^MByte/s:\s+(\S+)', out, re.M).group(1)) / 1000.0


def build_variants(source, elements, ntimes, workdir):
    built = []
    defines = ['-DSTREAM_ARRAY_SIZE=%d' % elements, '-DNTIMES=%d' % ntimes]
    defines += ['-mcmodel=medium'] if _stream.needs_medium_code_model(elements) else []
    for index, (name, compiler, flags) in enumerate(VARIANTS):
        binary = os.path.join(workdir, 'variant%d' % index)
        if not shutil.which(compiler):
            print('skipped %s: %s is not installed' % (name, compiler))
            continue
        proc = subprocess.run([compiler] + flags + defines + [source, '-o', binary], capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            print('skipped %s: %s' % (name, (proc.stderr.strip().splitlines() or ['failed'])[-1]))
            continue
        built.append((name, ' '.join(flags), [binary]))
    return built


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    with tempfile.TemporaryDirectory(prefix='ib-compare-') as workdir:
        store = os.path.join(workdir, 'store')
        standard = launch(store, 'compare-standard-' + stamp, False)
        tuned = launch(store, 'compare-tuned-' + stamp, True)
        params = standard['parameters']
        elements, threads = params['array_size_elements'], params['threads']
        source = os.path.join(REPO, '.cache', 'mirror', 'stream', 'stream.c')
        contenders = [('role standard', ' '.join(f for f in standard['build']['flags'] if not f.startswith('-D')),
                       standard['_command'])]
        contenders += build_variants(source, elements, params['ntimes'], workdir)
        contenders.append(('role tuned (%s)' % tuned['build']['observed']['tuned_kernels'],
                           ' '.join(f for f in tuned['build']['flags'] if not f.startswith('-DSTREAM')),
                           tuned['_command']))
        flags = cpu_flags()
        test = likwid_test(flags) if shutil.which('likwid-bench') else None
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_PROC_BIND=params.get('omp_proc_bind', 'spread'),
                   OMP_PLACES=params.get('omp_places', 'cores'))
        triads = dict((name, []) for name, _flags, _argv in contenders)
        if test:
            triads['likwid-bench ' + test] = []
        for _round in range(args.rounds):
            for name, _flags, argv in contenders:
                triads[name].append(run_stream(argv, env))
            if test:
                triads['likwid-bench ' + test].append(run_likwid(test, 3 * 8 * elements, threads))
    host = standard['system']
    print('host: %s (%s), %d physical cores, LLC %d MiB, gcc %s; OPENBLAS_CORETYPE=%s (not used by STREAM)' % (
        host['cpu'].get('model_name'), host['uarch']['name'], host['topology']['physical_cores'],
        host['llc']['total_bytes'] // 2 ** 20, standard['build']['compiler_version'],
        os.environ.get('OPENBLAS_CORETYPE', '-')))
    print('arrays: %d elements x 3 = %.0f MiB, NTIMES %d, %d threads, %d interleaved rounds' % (
        elements, 24.0 * elements / 2 ** 20, params['ntimes'], threads, args.rounds))
    print('%-28s %-58s %9s %7s %7s' % ('build', 'flags', 'triad GB/s', 'min', 'max'))
    shown = dict((name, flags) for name, flags, _argv in contenders)
    for name, values in triads.items():
        print('%-28s %-58s %9.1f %7.1f %7.1f' % (name, shown.get(name, '-w S0:%dB:%d' % (24 * elements, threads))[:58],
                                                 statistics.median(values), min(values), max(values)))
    medians = dict((name, statistics.median(values)) for name, values in triads.items())
    base = medians['role standard']
    standard_names = [name for name, _f, _a in contenders if not name.startswith('role')]
    if standard_names:
        best = max(standard_names, key=lambda name: medians[name])
        print('best flag variant / role standard: %.3f (%s)' % (medians[best] / base, best))
    tuned_name = [name for name in medians if name.startswith('role tuned')][0]
    print('role tuned / role standard: %.3f' % (medians[tuned_name] / base))
    if test:
        print('role tuned / likwid-bench %s: %.3f' % (test, medians[tuned_name] / medians['likwid-bench ' + test]))
    else:
        print('likwid-bench: not installed or no non-temporal test for this CPU (apt-get install likwid)')


if __name__ == '__main__':
    main()
