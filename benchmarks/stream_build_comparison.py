# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""STREAM triad: the stream role's build vs a plain `gcc -O2` single-thread build, same run.

Runs playbooks/launch.yml on this machine (the role: -O3, catalog flags, -fopenmp, all
physical cores), then builds the same verified stream.c with `gcc -O2` only, same array size
and NTIMES, runs it single-threaded as many times, and parses both with the same parser.
Prints a table. A measurement, not a test: numbers vary from run to run. Usage (`make compare`):

    python benchmarks/stream_build_comparison.py [--repetitions 3]
"""

import argparse
import datetime
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, '.cache', 'collections'))

from ansible_collections.instancebench.aws.plugins.module_utils import _stream  # noqa: E402


def run_role(store, repetitions):
    run_id = 'compare-' + datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'))
    subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
                    os.path.join(REPO, 'playbooks', 'launch.yml'),
                    '-e', json.dumps({'instancebench_run_id': run_id, 'instancebench_results_store': 'file://' + store,
                                      'stream_repetitions': repetitions, 'instancebench_benchmarks': ['stream']})],
                   cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    path = glob.glob(os.path.join(store, 'runs', 'run=%s' % run_id, 'job=*', 'result.json'))[0]
    with open(path) as handle:
        return json.load(handle)


def run_plain(source, elements, ntimes, repetitions, workdir):
    binary = os.path.join(workdir, 'stream_plain_O2')
    flags = ['-O2', '-DSTREAM_ARRAY_SIZE=%d' % elements, '-DNTIMES=%d' % ntimes]
    if _stream.needs_medium_code_model(elements):
        flags.append('-mcmodel=medium')
    subprocess.run(['gcc'] + flags + [source, '-o', binary], check=True)
    triads = []
    for _rep in range(repetitions):
        out = subprocess.run([binary], check=True, capture_output=True, text=True).stdout
        parsed = _stream.parse(out)
        if not parsed['validates']:
            sys.exit('plain build did not validate:\n' + out)
        triads.append(parsed['kernels']['Triad']['best_rate_mb_s'] / 1000.0)
    return flags, triads


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repetitions', type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='ib-compare-') as workdir:
        doc = run_role(os.path.join(workdir, 'store'), args.repetitions)
        if not doc['validation']['passed']:
            sys.exit('role result did not validate: %s' % doc['job']['reason'])
        params = doc['parameters']
        source = os.path.join(REPO, '.cache', 'mirror', 'stream', 'stream.c')
        flags, plain = run_plain(source, params['array_size_elements'], params['ntimes'], args.repetitions, workdir)
    role_triad = [m for m in doc['metrics'] if m['name'] == 'triad_bandwidth'][0]
    host = doc['system']
    print('host: %s (%s), %d physical cores, LLC %d MiB, gcc %s' % (
        host['cpu'].get('model_name'), host['uarch']['name'], host['topology']['physical_cores'],
        host['llc']['total_bytes'] // 2 ** 20, doc['build']['compiler_version']))
    print('array: %d elements x 3 arrays = %.1f MiB, NTIMES %d, %d repetitions each' % (
        params['array_size_elements'], params['array_bytes_total'] / 2 ** 20, params['ntimes'], args.repetitions))
    rows = [
        ('role build', params['threads'], ' '.join(f for f in doc['build']['flags'] if not f.startswith('-D')),
         role_triad['median'], role_triad['min'], role_triad['max']),
        ('plain gcc -O2', 1, ' '.join(f for f in flags if not f.startswith('-D')),
         statistics.median(plain), min(plain), max(plain)),
    ]
    print('%-14s %7s  %-36s %12s %10s %10s' % ('build', 'threads', 'flags', 'triad GB/s', 'min', 'max'))
    for name, threads, shown, median, low, high in rows:
        print('%-14s %7d  %-36s %12.1f %10.1f %10.1f' % (name, threads, shown, median, low, high))
    print('role / plain: %.2fx' % (rows[0][3] / rows[1][3]))
    for warning in doc['build']['flag_warnings']:
        print('flag warning: %s' % warning)


if __name__ == '__main__':
    main()
