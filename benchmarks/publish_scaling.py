# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/publish.yml's work at scale: full publish, incremental publish of one new run, sizes.

Builds a file store of TYPES instance types x RUNS weekly runs x 3 benchmarks (STREAM, FFTW, HPL:
one job each), every result a captured run's document with its figures scaled per job (so the
aggregates have spread), laid out as instances write them (launched record naming the writer,
result.json in the writer's folder, completed sentinel). Then, each in a child process so its
peak memory is its own: a full publish (every run read), a second publish after one more run
(incremental: only the new run read), and prints wall times, peak resident memory and the
snapshot's size per format.

The incremental publish comes a week and an hour after the full one, as a weekly schedule does
(runs over for a week are not listed again); the second snapshot grows from the first.

Usage: .venv/bin/python benchmarks/publish_scaling.py [TYPES] [RUNS] [WORK]   (default 1000 52, ~156,000 jobs)
WORK: a folder to keep the synthetic store in and reuse on the next call (it takes minutes to write).
"""

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, '.cache', 'collections'))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from ansible_collections.instancebench.aws.plugins.module_utils import _store  # noqa: E402
from harness.stored_jobs import LAUNCHED_AT, result_document  # noqa: E402

OUTPUTS = [('stream', 'znver4-omp2-o3-native.txt', {'threads': 2, 'array_size_elements': 33554432}),
           ('fftw', 'znver4-measure-t1-t2.txt', {}),
           ('hpl', 'znver4-hpcc-openblas-n6000-nb256-1x2.txt', {})]
FAMILIES = ['c7a', 'c7i', 'c7g', 'm7a', 'm7i', 'm7g', 'r7a', 'r7i', 'r7g', 'c6i', 'c6a', 'c6g', 'm6i', 'm6a']
SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge']


def types(count):
    names = ['%s.%s' % (f, s) for s in SIZES for f in FAMILIES]
    while len(names) < count:   # more than the real catalog's shape: numbered families
        names += ['x%d.%s' % (len(names), s) for s in SIZES]
    return names[:count]


def templates():
    """One result document per benchmark, from the captured outputs (parsed once)."""
    instance = {'type': 't', 'id': 'i-0', 'region': 'us-east-1', 'availability_zone': 'us-east-1a',
                'market': 'on-demand', 'price_per_hour_usd': 0.1, 'ami': 'ami-1', 'hostname': 'h',
                'launched_at': LAUNCHED_AT}
    return dict((output[0], result_document('run', 'job', instance, output)) for output in OUTPUTS)


def write_run(store, docs, run_index, type_names, seed):
    rng = random.Random(seed)
    run_id = 'w%03d' % run_index
    finished = '2026-%02d-%02dT10:00:00.000000Z' % (1 + run_index // 28 % 12, 1 + run_index % 28)

    def one(item):
        index, instance_type = item
        for benchmark, doc in docs.items():
            job_id = '%s-%s-%06d' % (benchmark, run_id, index)
            prefix = _store.job_prefix(run_id, 'us-east-1', instance_type, benchmark, job_id)
            writer = 'AROASCALE:i-%012x' % (run_index * 100000 + index)
            store.put_json(prefix + '/status-launched.json', {
                'state': 'launched', 'job_id': job_id, 'writer': writer, 'deadline_epoch': 4102444800,
                'start_by_epoch': 4102444800, 'instance_id': writer.split(':')[1], 'market': 'on-demand',
                'price_per_hour_usd': 0.1 + index % 9 * 0.05, 'replica': 0, 'attempt': 0})
            factor = (1 + index % 9) * rng.uniform(0.95, 1.05)
            copy = json.loads(json.dumps(doc))
            copy['job'].update(run_id=run_id, job_id=job_id, finished_at=finished)
            copy['instance'].update(type=instance_type, price_per_hour_usd=0.1 + index % 9 * 0.05)
            for metric in copy['metrics']:
                for field in ('value', 'median', 'min', 'max', 'ci_low', 'ci_high'):
                    metric[field] = round(metric[field] * factor, 4)
                metric['values'] = [round(v * factor, 4) for v in metric['values']]
            host = _store.writer_prefix(prefix, writer)
            store.put_json(host + '/result.json', copy)
            store.put_json(host + '/status-completed.json', {'state': 'completed'})

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, enumerate(type_names)))


CHILD = """
import json, resource, sys, time
sys.path.insert(0, %(collections)r)
from ansible_collections.instancebench.aws.plugins.module_utils import _publish, _snapshot, _store
started = time.monotonic()
store = _store.FileStore(%(store)r)
tables, runs, cache = _publish.read_runs(store, %(dest)r, %(now)r, workers=8, work_parent=%(dest)r)
read_s = time.monotonic() - started
with tables:
    written = _snapshot.write(%(dest)r, tables, runs.pop('fingerprints'), %(now)r)
cache.save(True)
print(json.dumps({'wall_s': time.monotonic() - started, 'read_s': read_s, 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                  'reader_peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
                  'read': len(runs['read']), 'reused': len(runs['reused']), 'unlisted': len(runs['unlisted']),
                  'counts': written['counts'],
                  'path': written['path']}))
"""


def publish(store_dir, dest, now):
    code = CHILD % {'collections': os.path.join(REPO, '.cache', 'collections'), 'store': store_dir, 'dest': dest,
                    'now': now}
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _size_mb(path):
    if os.path.isfile(path):
        return os.path.getsize(path) / 1e6
    return sum(os.path.getsize(os.path.join(d, f)) for d, _s, fs in os.walk(path) for f in fs) / 1e6


def main():
    type_count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    run_count = int(sys.argv[2]) if len(sys.argv) > 2 else 52
    work = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix='ib-publish-scaling-')
    store_dir, dest = os.path.join(work, 'store'), os.path.join(work, 'dataset')
    store = _store.FileStore(store_dir)
    docs, names = templates(), types(type_count)
    started = time.monotonic()
    shutil.rmtree(dest, ignore_errors=True)
    shutil.rmtree(os.path.join(store_dir, 'runs', 'run=w%03d' % run_count), ignore_errors=True)
    if len(store.list_dirs('runs/')) != run_count:
        shutil.rmtree(store_dir, ignore_errors=True)
        for run_index in range(run_count):
            write_run(store, docs, run_index, names, seed=run_index)
    print('store: %d types x %d runs x %d benchmarks = %d jobs, written in %.0f s (%s)' % (
        type_count, run_count, len(docs), type_count * run_count * len(docs), time.monotonic() - started, store_dir))
    full = publish(store_dir, dest, 1800000000.0)
    print('full publish: %.1f s (tables %.1f s, snapshot files %.1f s), peak %.0f MB (run readers %.0f MB each), '
          '%d runs read; %s'
          % (full['wall_s'], full['read_s'], full['wall_s'] - full['read_s'], full['peak_mb'], full['reader_peak_mb'],
             full['read'],
             full['counts']))
    write_run(store, docs, run_count, names, seed=run_count)
    incremental = publish(store_dir, dest, 1800000000.0 + 7 * 86400 + 3600)
    print('incremental publish (one new run): %.1f s (tables %.1f s, snapshot files %.1f s), peak %.0f MB, '
          '%d read, %d from the cache (%d not listed)'
          % (incremental['wall_s'], incremental['read_s'], incremental['wall_s'] - incremental['read_s'],
             incremental['peak_mb'], incremental['read'], incremental['reused'], incremental['unlisted']))
    snapshot = incremental['path']
    for name in ('results.csv', 'dataset.sqlite', 'parquet', 'api', 'site', 'computecompass'):
        print('  %-15s %8.1f MB' % (name, _size_mb(os.path.join(snapshot, name))))
    print('  (the Parquet files of earlier runs are hard links to the first snapshot\'s: on disk once)')
    print('publish cache: %.1f MB; controller own RSS %.0f MB' % (
        _size_mb(os.path.join(dest, 'cache')), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0))


if __name__ == '__main__':
    main()
