# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The published dataset: runs read once (incremental), tables that agree across formats (DuckDB
over the Parquet files against the SQLite file), snapshots that match their manifest, aggregates
that count only stable, valid, compliant jobs. Result documents come from captured STREAM runs."""

import hashlib
import json
import os
import re
import sqlite3
import statistics
import subprocess

import duckdb
import jsonschema
import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _metrics
from ansible_collections.instancebench.aws.plugins.module_utils import _publish
from ansible_collections.instancebench.aws.plugins.module_utils import _references
from ansible_collections.instancebench.aws.plugins.module_utils import _result
from ansible_collections.instancebench.aws.plugins.module_utils import _snapshot
from ansible_collections.instancebench.aws.plugins.module_utils import _stats
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils import _tables
from harness.ansible_runner import REPO
from harness.stored_jobs import STREAM_SERIAL, host_objects, store_job, store_scaled_job

NOW = 1764151200.0 + 86400


class CountingStore(object):
    """A file store that counts the objects read, per run."""

    parallel_reads = True   # read in this process (threads), where the reads are counted, not in forked ones

    def __init__(self, root):
        self.inner = _store.FileStore(root)
        self.reads = []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def get(self, key):
        self.reads.append(key)
        return self.inner.get(key)

    def list(self, prefix=''):
        self.reads.append('list ' + prefix)
        return self.inner.list(prefix)

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
    _OPEN.append(tables)
    return tables, runs, written


_OPEN = []


@pytest.fixture(autouse=True)
def _close_tables():
    """Tables stay readable for the test's asserts; their work folders go with the test."""
    yield
    while _OPEN:
        _OPEN.pop().close()


def _two_types(store, run_id, serial_job=None):
    store_job(store, run_id, run_id + '-a', 'c7a.large', price=0.10264)
    store_job(store, run_id, run_id + '-b', 'c7a.large', price=0.10264, output=STREAM_SERIAL)
    store_job(store, run_id, run_id + '-c', 'm7i.large', price=0.1008)


def test_a_second_publish_reads_only_the_new_run(tmp_path):
    store = CountingStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _tables, runs, first = _publish_once(store, tmp_path / 'dataset')
    assert runs == {'read': ['r1'], 'reused': [], 'unlisted': []} and first['changed']
    _two_types(store, 'r2')
    store.reads[:] = []
    tables, runs, second = _publish_once(store, tmp_path / 'dataset', now=NOW + 3600)
    assert runs == {'read': ['r2'], 'reused': ['r1'], 'unlisted': []}
    assert store.reads and not [k for k in store.reads if '/run=r1/' in k and not k.startswith('list ')], \
        'the published run was read again (listed only: its listing tells whether it changed)'
    assert second['changed'] and second['snapshot'] != first['snapshot']
    assert sorted(set(r['run_id'] for r in tables['results'])) == ['r1', 'r2']
    assert second['counts'] == {'results': 24, 'jobs': 6, 'aggregates': 8, 'changes': 0}, 'the same figures twice'
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
    cached = str(tmp_path / 'dataset' / 'cache' / 'run=r1' / 'results.parquet')
    connection = duckdb.connect()   # someone "improves" the cache
    connection.execute("CREATE TABLE t AS SELECT * REPLACE (value * 2 AS value) FROM read_parquet(?)", [cached])
    connection.execute("COPY t TO '%s' (FORMAT parquet)" % cached)
    tables, runs, _written = _publish_once(store, tmp_path / 'dataset', now=NOW + 120)
    assert runs['read'] == ['r1'], 'a cache file that does not match its sha256 is not trusted'
    assert max(r['value'] for r in tables['results']) < 40


def test_a_run_over_for_a_week_is_not_even_listed_until_a_full_publish(tmp_path):
    store = CountingStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _publish_once(store, tmp_path / 'dataset')
    _two_types(store, 'r2')
    store.reads[:] = []
    _tables, runs, _written = _publish_once(store, tmp_path / 'dataset', now=NOW + 3 * 86400)
    assert runs['unlisted'] == [] and 'list runs/run=r1/' in store.reads, 'three days on, r1 is still listed'
    store.reads[:] = []
    tables, runs, written = _publish_once(store, tmp_path / 'dataset', now=NOW + 8 * 86400)
    assert runs == {'read': [], 'reused': ['r1', 'r2'], 'unlisted': ['r1']} and not written['changed']
    assert not [k for k in store.reads if 'run=r1' in k], 'a run over for a week is neither listed nor read'
    assert 'list runs/run=r2/' in store.reads
    store.reads[:] = []
    _tables, runs, _written = _publish_once(store, tmp_path / 'dataset', now=NOW + 9 * 86400, full=True)
    assert runs['read'] == ['r1', 'r2'] and 'list runs/run=r1/' in store.reads


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
                                       [os.path.join(folder, 'parquet', 'aggregates', 'aggregates.parquet')]).fetchall()
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
    triad = typed['history']['stream/default/triad_bandwidth']
    assert len(typed['history']) == 4 and len(triad['value']) == 4 and typed['aggregates'][0]['jobs'] == 4
    assert triad['measured_at'] == sorted(triad['measured_at']) and set(triad) >= {'run_id', 'ci_low', 'counted'}
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


def test_the_recommender_export_validates_and_puts_each_benchmark_in_its_file(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _tables, _runs, written = _publish_once(store, tmp_path / 'dataset')
    with open(os.path.join(REPO, 'benchmarks', 'schema', 'computecompass-v1.schema.json')) as handle:
        schema = json.load(handle)
    docs = {}
    for name in ('memory-benchmarks.json', 'cpu-benchmarks.json', 'price-performance.json'):
        with open(os.path.join(written['path'], 'computecompass', name)) as handle:
            docs[name] = json.load(handle)
        jsonschema.validate(docs[name], schema)
        assert docs[name]['data_version'] == written['snapshot']
    memory = docs['memory-benchmarks.json']['instance_types']
    assert sorted(memory) == ['c7a.large', 'm7i.large'] and docs['cpu-benchmarks.json']['instance_types'] == {}
    triad = memory['c7a.large']['benchmarks']['stream/default']['triad_bandwidth']
    assert triad['jobs'] == 2 and triad['unit'] == 'GB/s' and triad['higher_is_better'] is True
    priced = docs['price-performance.json']['instance_types']['c7a.large']['benchmarks']['stream/default/triad_bandwidth']
    assert priced['per_usd_hour_on_demand'] == round(triad['median'] / 0.10264, 6)
    # A document that drifts from the schema is caught (the test can fail).
    broken = json.loads(json.dumps(docs['memory-benchmarks.json']))
    del broken['instance_types']['c7a.large']['benchmarks']['stream/default']['triad_bandwidth']['ci_low']
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_a_regression_in_the_newest_run_is_reported_with_its_runs(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    store_job(store, 'w1', 'w1-a', 'c7a.large', price=0.10264)
    store_job(store, 'w1', 'w1-b', 'c7a.large', price=0.10264, output=STREAM_SERIAL)
    store_scaled_job(store, 'w2', 'w2-a', 'c7a.large', 0.8, price=0.10264)
    tables, _runs, _written = _publish_once(store, tmp_path / 'dataset')
    triad = [c for c in tables['changes'] if c['metric'] == 'triad_bandwidth']
    assert [(c['kind'], c['after_run'], c['before_runs'], c['before_jobs']) for c in triad] == [
        ('regression', 'w2', 'w1', 2)]
    before = sorted(r['value'] for r in tables['results'] if r['metric'] == 'triad_bandwidth' and r['run_id'] == 'w1')
    after = [r['value'] for r in tables['results'] if r['metric'] == 'triad_bandwidth' and r['run_id'] == 'w2']
    assert triad[0]['change_pct'] == round(100 * (after[0] - sum(before) / 2) / (sum(before) / 2), 3)
    assert triad[0]['change_pct'] < -18 and triad[0]['threshold_pct'] >= 5
    line = _references.change_line(triad[0])
    assert line.startswith('REGRESSION c7a.large stream/default/triad_bandwidth') and 'run w2 against w1' in line
    # The same figures again: nothing to report.
    store2 = _store.FileStore(str(tmp_path / 'store2'))
    store_job(store2, 'w1', 'w1-a', 'c7a.large')
    store_job(store2, 'w2', 'w2-a', 'c7a.large')
    tables, _runs, _written = _publish_once(store2, tmp_path / 'dataset2')
    assert tables['changes'] == []


def test_a_figure_outside_its_reference_is_flagged_and_not_averaged_in(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    store_job(store, 'r1', 'r1-a', 'c7a.large', price=0.10264)                          # triad 30.52 GB/s
    store_job(store, 'r1', 'r1-b', 'c7a.large', price=0.10264, output=STREAM_SERIAL)    # triad 29.50 GB/s
    refs = tmp_path / 'references'
    refs.mkdir()
    (refs / 'c7a.yml').write_text('instance_types:\n  c7a.large:\n    stream/default/triad_bandwidth: '
                                  '{value: 30.5, lower: -0.02, upper: 0.02, unit: GB/s}\n')
    references = _references.load(str(refs), yaml.safe_load)
    tables, _runs, _written = _publish_once(store, tmp_path / 'dataset', references=references)
    flagged = dict((r['job_id'], r['reference_status']) for r in tables['results'] if r['metric'] == 'triad_bandwidth')
    assert flagged == {'r1-a': 'within', 'r1-b': 'below'}
    [triad] = [a for a in tables['aggregates'] if a['metric'] == 'triad_bandwidth']
    assert (triad['jobs'], triad['outside_reference_jobs'], triad['median']) == (1, 1, 30.5202)
    [copy] = [a for a in tables['aggregates'] if a['metric'] == 'copy_bandwidth']
    assert copy['jobs'] == 2, 'a metric without a reference is not judged'


@pytest.mark.parametrize('text, field', [
    ('instance_types:\n  c7a.large:\n    stream/triad: {value: 1}\n', 'c7a.large.stream/triad'),
    ('instance_types:\n  c7a.large:\n    stream/default/triad_bandwidth: {value: 1, lower: 0.1}\n', 'lower must be'),
    ('instance_types:\n  c7a.large:\n    stream/default/triad_bandwidth: {value: fast}\n', 'must be numbers'),
    ('instance_type: {}\n', 'unknown field instance_type'),
])
def test_a_reference_file_that_cannot_be_used_is_refused_naming_the_field(tmp_path, text, field):
    path = tmp_path / 'refs.yml'
    path.write_text(text)
    with pytest.raises(_references.ReferencesError, match=field.replace('.', r'\.').replace('/', '/')):
        _references.load(str(path), yaml.safe_load)


def test_the_same_reference_in_two_files_is_refused(tmp_path):
    for name in ('a.yml', 'b.yml'):
        (tmp_path / name).write_text('uarchs:\n  znver4:\n    hpl/default/gflops: {value: 90}\n')
    with pytest.raises(_references.ReferencesError, match='a.yml and in .*b.yml'):
        _references.load(str(tmp_path), yaml.safe_load)
    assert _references.load(str(tmp_path / 'missing'), yaml.safe_load)['uarchs'] == {}


def test_a_reference_file_that_is_not_yaml_is_named(tmp_path):
    (tmp_path / 'broken.yml').write_text('instance_types: {c7a.large: [\n')
    with pytest.raises(_references.ReferencesError, match='broken.yml is not valid YAML'):
        _references.load(str(tmp_path), yaml.safe_load)


def _readme_queries():
    """{where: sql} of the README's DuckDB examples (each under a `<!-- duckdb: where -->` marker)."""
    text = open(os.path.join(REPO, 'README.md')).read()
    found = {}
    for part in text.split('<!-- duckdb: ')[1:]:
        where, rest = part.split(' -->', 1)
        found[where] = rest.split('```sql', 1)[1].split('```', 1)[0]
    return found


def test_the_readme_duckdb_queries_run_on_a_published_store(tmp_path, monkeypatch):
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _tables, _runs, written = _publish_once(store, tmp_path / 'dataset')
    queries = _readme_queries()
    assert sorted(queries) == ['snapshot', 'store']
    monkeypatch.chdir(written['path'])
    rows = duckdb.connect().execute(queries['snapshot']).fetchall()
    assert sorted((r[0], r[2], r[3]) for r in rows) == [('c7a.large', 'triad_bandwidth', 2), ('m7i.large', 'triad_bandwidth', 1)]
    monkeypatch.chdir(tmp_path / 'store')
    rows = duckdb.connect().execute(queries['store']).fetchall()
    assert sorted((r[0], r[3]) for r in rows) == [('c7a.large', 'triad_bandwidth')] * 2 + [('m7i.large', 'triad_bandwidth')]


def test_a_run_too_old_for_cloudwatch_sends_nothing(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    store_job(store, 'old', 'old-a', 'c7a.large', price=0.10264)     # finished 2026-11-26
    tables, _runs, _written = _publish_once(store, tmp_path / 'dataset')
    finished = _metrics.parse_utc(tables['jobs'][0]['finished_at']).timestamp()
    datums, stale = _metrics.run_datums('old', tables['jobs'], tables['results'], finished + 15 * 86400)
    assert (datums, stale) == ([], True)
    datums, stale = _metrics.run_datums('old', tables['jobs'], tables['results'], finished + 3600)
    assert not stale and sorted(d['MetricName'] for d in datums) == ['CostUSD', 'Jobs', 'RuntimeSeconds',
                                                                     'stream.triad_bandwidth']
    assert len(_metrics.batches(list(range(45)))) == 3


def test_the_athena_ddl_names_every_column_and_projects_the_benchmark_partition(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _tables, _runs, written = _publish_once(store, tmp_path / 'dataset')
    ddl = open(os.path.join(written['path'], 'athena.sql')).read()
    assert ddl.count('CREATE EXTERNAL TABLE') == len(_publish.TABLES)
    for table in _publish.TABLES:
        assert all('`%s`' % name in ddl for name in _publish.names(table)), table
    assert "'projection.benchmark.values' = 'stream'" in ddl
    # Every LOCATION is a folder of the snapshot that holds Parquet files (Athena reads folders, not files).
    for location in re.findall(r"LOCATION 's3://YOUR-BUCKET/YOUR-PREFIX/([^']+)'", ddl):
        folder = os.path.join(str(tmp_path / 'dataset'), location)
        assert location.endswith('/') and any(f.endswith('.parquet') for _d, _s, fs in os.walk(folder) for f in fs), location


def test_duckdb_recomputes_the_aggregates_from_the_published_results(tmp_path):
    """An independent computation: DuckDB's median, count and min/max over the results Parquet
    (the rows the aggregates count) give the aggregates table's figures."""
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _two_types(store, 'r2')
    store_scaled_job(store, 'r3', 'r3-a', 'c7a.large', 0.97, price=0.10264)
    _tables, _runs, written = _publish_once(store, tmp_path / 'dataset')
    parquet = os.path.join(written['path'], 'parquet')
    connection = duckdb.connect()
    recomputed = connection.execute(
        "SELECT instance_type, metric, count(*), median(value), min(value), max(value) "
        "FROM read_parquet(?, hive_partitioning=true) "
        "WHERE compliant IS NOT false AND coalesce(quality, '') <> 'noisy' "
        "AND coalesce(reference_status, 'within') = 'within' "
        "GROUP BY ALL ORDER BY ALL", [os.path.join(parquet, 'results', '*', '*.parquet')]).fetchall()
    published = connection.execute(
        "SELECT instance_type, metric, jobs, median, min, max FROM read_parquet(?) ORDER BY ALL",
        [os.path.join(parquet, 'aggregates', 'aggregates.parquet')]).fetchall()
    assert len(recomputed) == len(published) == 8
    for mine, theirs in zip(recomputed, published):
        assert mine[:3] == theirs[:3] and all(abs(a - b) < 1e-9 for a, b in zip(mine[3:], theirs[3:])), (mine, theirs)


def _python_aggregate(records):
    """The aggregate of one cell as plain Python computes it (statistics, _stats.median_ci): an
    oracle for the SQL in _summaries."""
    kept = sorted((r for r in records if r['counted']), key=lambda r: (r['measured_at'] or '', r['job_id']))
    values = [r['value'] for r in kept]
    low, high, level = (kept[0]['ci_low'], kept[0]['ci_high'], kept[0]['ci_level']) if len(kept) == 1 \
        else _stats.median_ci(values)
    prices = [r['price_per_hour_usd'] for r in kept if r['market'] == 'on-demand' and r['price_per_hour_usd']]
    median = statistics.median(values)
    return {'jobs': len(kept), 'noisy_jobs': sum(r['quality'] == 'noisy' for r in records), 'median': median,
            'ci_low': low, 'ci_high': high, 'ci_level': level, 'min': min(values), 'max': max(values),
            'cv': round(statistics.stdev(values) / statistics.mean(values), 6) if len(values) > 1 else 0.0,
            'first_measured': kept[0]['measured_at'], 'last_measured': kept[-1]['measured_at'],
            'latest_value': kept[-1]['value'], 'launches': len(set(r['instance_id'] for r in kept)),
            'days': len(set(r['measured_at'][:10] for r in kept)),
            'on_demand_price_per_hour_usd': statistics.median(prices) if prices else None,
            'value_per_usd_hour_on_demand': round(median / statistics.median(prices), 6) if prices else None}


def test_the_sql_aggregates_agree_with_a_python_computation_of_every_column(tmp_path):
    """Seven jobs over three days in one cell (a 95 % interval from order statistics), one job in
    another (its own interval), a noisy one set apart: every column SQL computes, checked against
    statistics and _stats.median_ci."""
    store = _store.FileStore(str(tmp_path / 'store'))
    for index, factor in enumerate((1.0, 0.97, 1.02, 0.99, 1.05, 0.95, 1.01)):
        store_scaled_job(store, 'r%d' % (index % 3), 'j%d' % index, 'c7a.large', factor, price=0.10264 + index % 2 * 0.01,
                         finished_at='2026-12-0%dT10:%02d:00.000000Z' % (1 + index % 3, index))
    store_job(store, 'r0', 'single', 'm7i.large', price=0.1008)
    noisy = store_job(store, 'r1', 'noisy', 'm7i.large', price=0.1008)
    doc = store.get_json(host_objects(noisy) + '/result.json')
    doc['quality'] = {'status': 'noisy', 'gate': {'triad_bandwidth': 0.0}, 'cv': {'triad_bandwidth': 0.01},
                      'repetitions': 2, 'min_repetitions': 2, 'max_repetitions': 2, 'warnings': []}
    store.put_json(host_objects(noisy) + '/result.json', doc)
    tables, _runs, _written = _publish_once(store, tmp_path / 'dataset')
    results = tables['results']
    aggregates = tables['aggregates']
    assert len(aggregates) == 8
    for cell in aggregates:
        records = [r for r in results if (r['instance_type'], r['metric']) == (cell['instance_type'], cell['metric'])]
        expected = _python_aggregate(records)
        for column, value in expected.items():
            wanted = pytest.approx(value, rel=1e-12) if isinstance(value, float) else value
            assert cell[column] == wanted, (cell['instance_type'], cell['metric'], column)
    [triad] = [a for a in aggregates if a['instance_type'] == 'c7a.large' and a['metric'] == 'triad_bandwidth']
    assert triad['jobs'] == 7 and triad['ci_level'] == 0.984375, 'seven jobs: [x(1), x(7)], the narrowest with 95 %'
    [single] = [a for a in aggregates if a['instance_type'] == 'm7i.large' and a['metric'] == 'triad_bandwidth']
    assert (single['jobs'], single['noisy_jobs']) == (1, 1)


def _table_rows(folder):
    """Every table of a snapshot as DuckDB reads it from Parquet and as SQLite holds it."""
    connection = duckdb.connect()
    parquet = dict((table, connection.execute(
        'SELECT * EXCLUDE (benchmark) FROM read_parquet(?, hive_partitioning=true) ORDER BY ALL'
        if table == 'results' else 'SELECT * FROM read_parquet(?) ORDER BY ALL',
        [os.path.join(folder, 'parquet', table, '**', '*.parquet')]).fetchall()) for table in _publish.TABLES)
    lite = sqlite3.connect(os.path.join(folder, 'dataset.sqlite'))
    stored = dict((table, sorted(lite.execute('SELECT * FROM %s' % table).fetchall(), key=repr))
                  for table in _publish.TABLES)
    return parquet, stored


def test_a_snapshot_that_adds_a_run_grows_the_latest_files_into_what_a_fresh_one_writes(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _publish_once(store, tmp_path / 'grown')
    store_scaled_job(store, 'r2', 'r2-a', 'c7a.large', 0.8, price=0.10264)
    _tables, _runs, grown = _publish_once(store, tmp_path / 'grown', now=NOW + 3600)
    _tables, _runs, fresh = _publish_once(store, tmp_path / 'fresh', now=NOW + 3600)
    meta = json.loads(open(os.path.join(grown['path'], 'dataset.json')).read())
    assert meta['grown_from'] and json.loads(open(os.path.join(fresh['path'], 'dataset.json')).read())['grown_from'] is None
    for name in ('results.csv', 'jobs.csv', 'aggregates.csv', 'changes.csv'):
        assert open(os.path.join(grown['path'], name)).read() == open(os.path.join(fresh['path'], name)).read(), name
    assert _table_rows(grown['path']) == _table_rows(fresh['path'])
    subprocess.run(['sha256sum', '--quiet', '-c', 'SHA256SUMS'], cwd=grown['path'], check=True)
    [r1_file] = [f for f in grown['files'] if f.startswith('parquet/results/') and '/run-r1-' in f]
    assert os.stat(os.path.join(grown['path'], r1_file)).st_nlink == 2, "r1's Parquet file is the first snapshot's"
    # Other references: every row is judged again, the files are written anew.
    (tmp_path / 'refs.yml').write_text('instance_types:\n  c7a.large:\n    stream/default/triad_bandwidth: '
                                       '{value: 30, lower: -0.1, upper: 0.1, unit: GB/s}\n')
    references = _references.load(str(tmp_path / 'refs.yml'), yaml.safe_load)
    _tables, _runs, judged = _publish_once(store, tmp_path / 'grown', now=NOW + 7200, references=references)
    assert judged['changed'] and json.loads(open(os.path.join(judged['path'], 'dataset.json')).read())['grown_from'] is None


def test_summaries_made_a_chunk_of_types_at_a_time_are_the_same(tmp_path, monkeypatch):
    """At scale the aggregates, changes and type files are made a part of the instance types at a
    time (DuckDB's ordered aggregates hold their groups in memory): parts of 5 rows give the same."""
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    store_scaled_job(store, 'r2', 'r2-a', 'c7a.large', 0.8, price=0.10264)
    store_job(store, 'r2', 'r2-c', 'm7i.large', price=0.1008)
    whole, _runs, written = _publish_once(store, tmp_path / 'whole')
    monkeypatch.setattr(_tables.Tables, 'chunk_rows', 5)
    parts, _runs, chunked = _publish_once(store, tmp_path / 'parts')
    assert len(parts.chunks('results', 'instance_type')) > 1
    assert parts['aggregates'] == whole['aggregates'] and parts['changes'] == whole['changes'] != []
    for name in written['files']:
        if name.startswith(('api/types/', 'site/types/')):
            assert open(os.path.join(written['path'], name)).read().replace(written['snapshot'], 'S') == \
                open(os.path.join(chunked['path'], name)).read().replace(chunked['snapshot'], 'S'), name


def test_with_the_same_references_a_grown_snapshot_keeps_the_rows_judged_and_in_order(tmp_path):
    """Results joined with their reference ranges keep the order of the runs' files: the grown
    snapshot's files equal a fresh one's, flags and all."""
    (tmp_path / 'refs.yml').write_text('instance_types:\n  c7a.large:\n    stream/default/triad_bandwidth: '
                                       '{value: 30, lower: -0.1, upper: 0.1, unit: GB/s}\n')
    references = _references.load(str(tmp_path / 'refs.yml'), yaml.safe_load)
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _publish_once(store, tmp_path / 'grown', references=references)
    store_scaled_job(store, 'r2', 'r2-a', 'c7a.large', 0.8, price=0.10264)
    _two_types(store, 'r3')
    tables, _runs, grown = _publish_once(store, tmp_path / 'grown', now=NOW + 3600, references=references)
    _tables, _runs, fresh = _publish_once(store, tmp_path / 'fresh', now=NOW + 3600, references=references)
    assert json.loads(open(os.path.join(grown['path'], 'dataset.json')).read())['grown_from']
    flags = [r['reference_status'] for r in tables['results'] if r['metric'] == 'triad_bandwidth']
    assert 'below' in flags and 'within' in flags and None in flags, 'c7a judged (r2-a below), m7i without a reference'
    for name in ('results.csv', 'jobs.csv', 'aggregates.csv', 'changes.csv'):
        assert open(os.path.join(grown['path'], name)).read() == open(os.path.join(fresh['path'], name)).read(), name
    assert _table_rows(grown['path']) == _table_rows(fresh['path'])


def test_a_run_read_in_parts_by_several_processes_gives_the_rows_read_in_turn(tmp_path):
    """A local store is read on every core (a run split at job boundaries when there are fewer
    runs than cores): the rows and their order are those of one reader."""
    keys = ['runs/run=r/region=us-east-1/type=t/benchmark=stream/job=%s/%s' % (job, name)
            for job in ('a', 'b', 'c') for name in ('by=host/result.json', 'status-launched.json')]
    parts = _publish._split_jobs(keys, 2)
    assert len(parts) == 2 and sum(parts, []) == keys and all(len(p) % 2 == 0 for p in parts), 'whole jobs'
    assert _publish._split_jobs([], 2) == [[]]
    store = _store.FileStore(str(tmp_path / 'store'))
    for index in range(5):
        store_scaled_job(store, 'r1', 'j%d' % index, 'c7a.large', 1 + index / 10.0, price=0.10264)
    _tables, _runs, split = _publish_once(store, tmp_path / 'split')
    _tables, _runs, serial = _publish_once(CountingStore(str(tmp_path / 'store')), tmp_path / 'serial')
    for name in ('results.csv', 'jobs.csv'):
        assert open(os.path.join(split['path'], name)).read() == open(os.path.join(serial['path'], name)).read()


def test_run_ids_are_read_as_the_store_spells_them_once_and_must_exist(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _tables, runs, written = _publish_once(store, tmp_path / 'dataset', run_ids=['r1', 'r1'])
    assert runs['read'] == ['r1'] and written['counts']['jobs'] == 3
    with pytest.raises(_store.StoreError, match='run r9 is not in the store'):
        _publish.read_runs(store, str(tmp_path / 'dataset'), NOW, run_ids=['r9'])


def test_relisting_every_time_is_what_no_relist_age_means(tmp_path):
    store = CountingStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _publish_once(store, tmp_path / 'dataset')
    store.reads[:] = []
    _tables, runs, _written = _publish_once(store, tmp_path / 'dataset', now=NOW + 30 * 86400, relist_after=None)
    assert runs['unlisted'] == [] and 'list runs/run=r1/' in store.reads


def test_a_cache_of_another_form_is_read_again_but_its_runs_metrics_are_not_sent_again(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    _two_types(store, 'r1')
    _tables, runs, _written = _publish_once(store, tmp_path / 'dataset')
    manifest_path = tmp_path / 'dataset' / 'manifest.json'
    manifest = json.loads(manifest_path.read_text())
    manifest['cache_format'] = 1   # written by an older version of this code
    manifest['runs']['r1']['metrics_sent'] = 'instancebench'
    manifest_path.write_text(json.dumps(manifest))
    _tables, runs, _written = _publish_once(store, tmp_path / 'dataset', now=NOW + 60)
    assert runs['read'] == ['r1'], 'records cached in another form are read again'
    assert json.loads(manifest_path.read_text())['runs']['r1']['metrics_sent'] == 'instancebench'
