# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The published dataset: runs read once (incremental), tables that agree across formats (DuckDB
over the Parquet files against the SQLite file), snapshots that match their manifest, aggregates
that count only stable, valid, compliant jobs. Result documents come from captured STREAM runs."""

import hashlib
import json
import os
import sqlite3
import subprocess

import duckdb

from ansible_collections.instancebench.aws.plugins.module_utils import _publish
from ansible_collections.instancebench.aws.plugins.module_utils import _result
from ansible_collections.instancebench.aws.plugins.module_utils import _snapshot
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from harness.stored_jobs import STREAM_SERIAL, host_objects, store_job

NOW = 1764151200.0 + 86400


class CountingStore(object):
    """A file store that counts the objects read, per run."""

    def __init__(self, root):
        self.inner = _store.FileStore(root)
        self.reads = []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def get(self, key):
        self.reads.append(key)
        return self.inner.get(key)

    def get_json(self, key):
        self.reads.append(key)
        return self.inner.get_json(key)

    def get_with_sha256(self, key):
        self.reads.append(key)
        return self.inner.get_with_sha256(key)


def _publish_once(store, root, now=NOW, **kwargs):
    tables, runs, cache = _publish.read_runs(store, str(root), now, workers=1, **kwargs)
    written = _snapshot.write(str(root), tables, runs.pop('fingerprints'), now)
    cache.save(True)
    return tables, runs, written


def _two_types(store, run_id, serial_job=None):
    store_job(store, run_id, run_id + '-a', 'c7a.large', price=0.10264)
    store_job(store, run_id, run_id + '-b', 'c7a.large', price=0.10264, output=STREAM_SERIAL)
    store_job(store, run_id, run_id + '-c', 'm7i.large', price=0.1008)


def test_a_second_publish_reads_only_the_new_run(tmp_path):
    store = CountingStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _tables, runs, first = _publish_once(store, tmp_path / 'dataset')
    assert runs == {'read': ['r1'], 'reused': []} and first['changed']
    _two_types(store, 'r2')
    store.reads[:] = []
    tables, runs, second = _publish_once(store, tmp_path / 'dataset', now=NOW + 3600)
    assert runs == {'read': ['r2'], 'reused': ['r1']}
    assert store.reads and not [k for k in store.reads if '/run=r1/' in k], 'the published run was read again'
    assert second['changed'] and second['snapshot'] != first['snapshot']
    assert sorted(set(r['run_id'] for r in tables['results'])) == ['r1', 'r2']
    assert second['counts'] == {'results': 24, 'jobs': 6, 'aggregates': 8}
    # The first snapshot is untouched, latest points at the second.
    assert os.path.isdir(tmp_path / 'dataset' / 'snapshots' / first['snapshot'])
    assert json.loads((tmp_path / 'dataset' / 'latest.json').read_text())['snapshot'] == second['snapshot']
    assert os.path.realpath(tmp_path / 'dataset' / 'latest') == os.path.realpath(second['path'])


def test_nothing_new_writes_nothing_and_a_tampered_cache_is_read_again(tmp_path):
    store = CountingStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _publish_once(store, tmp_path / 'dataset')
    _tables, runs, again = _publish_once(store, tmp_path / 'dataset', now=NOW + 60)
    assert not again['changed'] and runs['reused'] == ['r1']
    assert os.listdir(tmp_path / 'dataset' / 'snapshots') == [again['snapshot']]
    cached = tmp_path / 'dataset' / 'cache' / 'run=r1.json'
    records = json.loads(cached.read_text())
    records['results'][0]['value'] *= 2   # someone "improves" the cache
    cached.write_text(json.dumps(records))
    tables, runs, _written = _publish_once(store, tmp_path / 'dataset', now=NOW + 120)
    assert runs['read'] == ['r1'], 'a cache file that does not match its sha256 is not trusted'
    assert max(r['value'] for r in tables['results']) < 40


def test_a_run_still_in_flight_is_read_every_time(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    store_job(store, 'r1', 'done', 'c7a.large')
    store_job(store, 'r1', 'going', 'c7a.large', states=('leased', 'launched', 'running'))
    _publish_once(store, tmp_path / 'dataset')
    _tables, runs, _written = _publish_once(store, tmp_path / 'dataset', now=NOW + 60)
    assert runs['read'] == ['r1'], 'its states change with time: never cached'


def test_the_snapshot_matches_its_manifest_and_its_formats_agree(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _two_types(store, 'r2')
    _tables, _runs, written = _publish_once(store, tmp_path / 'dataset')
    folder = written['path']
    check = subprocess.run(['sha256sum', '-c', '--quiet', 'SHA256SUMS'], cwd=folder, capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = set(line.split('  ', 1)[1] for line in open(os.path.join(folder, 'SHA256SUMS')).read().splitlines())
    on_disk = set(os.path.relpath(os.path.join(d, f), folder) for d, _s, fs in os.walk(folder) for f in fs)
    assert on_disk - listed == {'SHA256SUMS'}
    # DuckDB over the Parquet files gives the aggregates the SQLite file holds, column for column.
    columns = ', '.join('"%s"' % name for name in _publish.names('aggregates'))
    parquet = duckdb.connect().execute('SELECT %s FROM read_parquet(?) ORDER BY instance_type, metric' % columns,
                                       [os.path.join(folder, 'parquet', 'aggregates.parquet')]).fetchall()
    with sqlite3.connect(os.path.join(folder, 'dataset.sqlite')) as connection:
        lite = connection.execute('SELECT %s FROM aggregates ORDER BY instance_type, metric' % columns).fetchall()
    assert len(parquet) == 8 and parquet == lite
    # The results, partitioned by benchmark, read back with their partition column.
    count, = duckdb.connect().execute(
        "SELECT count(*) FROM read_parquet(?, hive_partitioning=true) WHERE benchmark = 'stream'",
        [os.path.join(folder, 'parquet', 'results', '*', '*.parquet')]).fetchone()
    assert count == written['counts']['results'] == 24
    index = json.loads(open(os.path.join(folder, 'api', 'index.json')).read())
    assert [t['instance_type'] for t in index['instance_types']] == ['c7a.large', 'm7i.large']
    typed = json.loads(open(os.path.join(folder, 'api', index['instance_types'][0]['href'])).read())
    assert len(typed['history']) == 16 and typed['aggregates'][0]['jobs'] == 4
    readme = open(os.path.join(folder, 'README.md')).read()
    assert all('`%s`' % name in readme for name in _publish.names('results'))
    assert 'CC BY 4.0' in open(os.path.join(folder, 'LICENSE')).read()


def test_aggregates_count_stable_compliant_jobs_and_set_noisy_ones_apart(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    noisy = store_job(store, 'r1', 'r1-noisy', 'c7a.large', price=0.10264)
    doc = store.get_json(host_objects(noisy) + '/result.json')
    # The gate's verdict on repetitions whose spread exceeds it (mutated copy of a captured run).
    doc['quality'] = {'status': 'noisy', 'gate': {'triad_bandwidth': 0.0}, 'cv': {'triad_bandwidth': 0.01},
                      'repetitions': 2, 'min_repetitions': 2, 'max_repetitions': 2, 'warnings': []}
    assert _result.validate(doc) == []
    store.put_json(host_objects(noisy) + '/result.json', doc)
    tables, _runs, _written = _publish_once(store, tmp_path / 'dataset')
    [triad] = [a for a in tables['aggregates'] if a['instance_type'] == 'c7a.large' and a['metric'] == 'triad_bandwidth']
    values = sorted(r['value'] for r in tables['results'] if r['instance_type'] == 'c7a.large'
                    and r['metric'] == 'triad_bandwidth' and r['quality'] != 'noisy')
    assert (triad['jobs'], triad['noisy_jobs']) == (2, 1)
    assert triad['median'] == sum(values) / 2 and (triad['min'], triad['max']) == (values[0], values[1])
    assert triad['value_per_usd_hour_on_demand'] == round(triad['median'] / 0.10264, 6)
    [m7i] = [a for a in tables['aggregates'] if a['instance_type'] == 'm7i.large' and a['metric'] == 'triad_bandwidth']
    job = [r for r in tables['results'] if r['instance_type'] == 'm7i.large' and r['metric'] == 'triad_bandwidth'][0]
    assert (m7i['ci_low'], m7i['ci_high']) == (job['ci_low'], job['ci_high']), 'one job: its own interval'
    # Every reproducibility field a result row promises is filled from the result document.
    assert job['compiler'] == 'gcc' and job['flags'] == '-O3' and len(job['source_sha256']) == 64
    assert job['result_sha256'] == hashlib.sha256(store.get(host_objects(
        _store.job_prefix('r1', 'us-east-1', 'm7i.large', 'stream', 'r1-c')) + '/result.json')).hexdigest()
    assert job['raw_log_key'].endswith('/by=%s/raw.log' % host_objects('x').split('/by=')[1])
    assert job['family'] == 'm7i' and job['attempt'] is None and job['replica'] is None
