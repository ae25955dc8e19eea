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


def find_compiler(name):
    """`name` on PATH, else its newest versioned command (Debian installs clang as clang-16), else None."""
    if shutil.which(name):
        return name
    versioned = set()
    for folder in os.environ.get('PATH', '').split(os.pathsep):
        if os.path.isdir(folder):
            versioned.update(entry for entry in os.listdir(folder) if re.match(r'^%s-\d+$' % re.escape(name), entry))
    return max(versioned, key=lambda entry: int(entry.rsplit('-', 1)[1])) if versioned else None


def launch(store, run_id, tuned):
    return _local_launch.launch_one(store, run_id, {'stream_repetitions': 1, 'stream_max_repetitions': 1,
                                                    'stream_tuned': tuned, 'instancebench_benchmarks': ['stream']})


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
        command = find_compiler(compiler)
        if not command:
            print('skipped %s: %s is not installed' % (name, compiler), file=sys.stderr)
            continue
        proc = subprocess.run([command] + flags + defines + [source, '-o', binary], capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            print('skipped %s: %s' % (name, (proc.stderr.strip().splitlines() or ['failed'])[-1]), file=sys.stderr)
            continue
        built.append((name, ' '.join(flags), [binary]))
    return built


def measure(standard, tuned, rounds, workdir):
    """Every build and likwid-bench once per round, for `rounds` interleaved rounds. standard, tuned:
    the role's result documents (their `_job` command is the binary). Returns {'triads': {name: [GB/s
    per round]}, 'flags': {name: flags}, 'likwid': likwid-bench's name in triads or None, 'variants':
    the flag variants' names}."""
    params = standard['parameters']
    elements, threads = params['array_size_elements'], params['threads']
    source = os.path.join(REPO, '.cache', 'mirror', 'stream', 'stream.c')
    contenders = [('role standard', ' '.join(f for f in standard['build']['flags'] if not f.startswith('-D')),
                   standard['_job']['command'])]
    variants = build_variants(source, elements, params['ntimes'], workdir)
    contenders += variants
    contenders.append(('role tuned (%s)' % tuned['build']['observed']['tuned_kernels'],
                       ' '.join(f for f in tuned['build']['flags'] if not f.startswith('-DSTREAM')),
                       tuned['_job']['command']))
    test = likwid_test(cpu_flags()) if shutil.which('likwid-bench') else None
    likwid = 'likwid-bench ' + test if test else None
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_PROC_BIND=params.get('omp_proc_bind', 'spread'),
               OMP_PLACES=params.get('omp_places', 'cores'))
    triads = dict((name, []) for name, _flags, _argv in contenders)
    flags = dict((name, shown) for name, shown, _argv in contenders)
    if likwid:
        triads[likwid], flags[likwid] = [], '-w S0:%dB:%d' % (24 * elements, threads)
    for number in range(rounds):
        print('STREAM round %d of %d' % (number + 1, rounds), file=sys.stderr)
        for name, _flags, argv in contenders:
            triads[name].append(run_stream(argv, env))
        if likwid:
            triads[likwid].append(run_likwid(test, 3 * 8 * elements, threads))
    return {'triads': triads, 'flags': flags, 'likwid': likwid, 'variants': [name for name, _f, _a in variants]}


def tuned_name(measured):
    return [name for name in measured['triads'] if name.startswith('role tuned')][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    with tempfile.TemporaryDirectory(prefix='ib-compare-') as workdir:
        store = os.path.join(workdir, 'store')
        standard = launch(store, 'compare-standard-' + stamp, False)
        tuned = launch(store, 'compare-tuned-' + stamp, True)
        measured = measure(standard, tuned, args.rounds, workdir)
    params = standard['parameters']
    elements, threads = params['array_size_elements'], params['threads']
    triads = measured['triads']
    host = standard['system']
    print('host: %s (%s), %d physical cores, LLC %d MiB, gcc %s; OPENBLAS_CORETYPE=%s (not used by STREAM)' % (
        host['cpu'].get('model_name'), host['uarch']['name'], host['topology']['physical_cores'],
        host['llc']['total_bytes'] // 2 ** 20, standard['build']['compiler_version'],
        os.environ.get('OPENBLAS_CORETYPE', '-')))
    print('arrays: %d elements x 3 = %.0f MiB, NTIMES %d, %d threads, %d interleaved rounds' % (
        elements, 24.0 * elements / 2 ** 20, params['ntimes'], threads, args.rounds))
    print('%-28s %-58s %9s %7s %7s' % ('build', 'flags', 'triad GB/s', 'min', 'max'))
    for name, values in triads.items():
        print('%-28s %-58s %9.1f %7.1f %7.1f' % (name, measured['flags'][name][:58],
                                                 statistics.median(values), min(values), max(values)))
    medians = dict((name, statistics.median(values)) for name, values in triads.items())
    base = medians['role standard']
    if measured['variants']:
        best = max(measured['variants'], key=lambda name: medians[name])
        print('best flag variant / role standard: %.3f (%s)' % (medians[best] / base, best))
    print('role tuned / role standard: %.3f' % (medians[tuned_name(measured)] / base))
    if measured['likwid']:
        print('role tuned / %s: %.3f' % (measured['likwid'], medians[tuned_name(measured)] / medians[measured['likwid']]))
    else:
        print('likwid-bench: not installed or no non-temporal test for this CPU (apt-get install likwid)')


if __name__ == '__main__':
    main()
