# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: a dataset snapshot on disk — a dated, immutable folder and a `latest` pointer.

    <root>/snapshots/<YYYYMMDDTHHMMSSZ>/
        results.csv  jobs.csv  aggregates.csv  changes.csv   one file per table (header = column names)
        dataset.sqlite                             the tables, typed, in one file
        parquet/results/benchmark=<b>/run-<run>-<i>.parquet   results partitioned by benchmark, a file per run
        parquet/jobs/run-<run>-0.parquet           jobs, a file per run
        parquet/<table>/<table>.parquet            aggregates, changes (a folder each: Athena reads folders)
        api/index.json  api/types/<type>.json  api/benchmarks/<benchmark>.json   static JSON API
        computecompass/memory-benchmarks.json  cpu-benchmarks.json  price-performance.json
        site/index.html  site/types/<type>.html    a static site (sortable table, plots; no network)
        athena.sql                                 Athena tables over the Parquet files (partition projection)
        README.md  LICENSE  dataset.json  SHA256SUMS
    <root>/latest.json                             which snapshot is the latest (and <root>/latest)

A snapshot is written under a temporary name and renamed when complete; SHA256SUMS covers every
other file of it (`sha256sum -c SHA256SUMS` checks it). A publish made from the same inputs as the
latest snapshot (the same run files, references and settings) writes nothing; one that only adds
runs grows the latest's table files (_snapshot_tables). The tables are read from DuckDB a batch
at a time or copied by DuckDB itself, so memory stays bounded at any size.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _compass
from ansible_collections.instancebench.aws.plugins.module_utils import _publish
from ansible_collections.instancebench.aws.plugins.module_utils import _site
from ansible_collections.instancebench.aws.plugins.module_utils import _snapshot_tables
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils import _tables

# Bumped when the files of a snapshot change shape: a publish then writes a new snapshot even if
# the tables did not change.
FILES_VERSION = 5
SNAPSHOTS = 'snapshots'
LATEST = 'latest.json'
LICENSE_TEXT = """The instancebench.aws dataset in this folder is licensed under the Creative Commons
Attribution 4.0 International License (CC BY 4.0).

You may share and adapt it for any purpose, even commercially, provided you give appropriate
credit ("instancebench.aws open dataset, snapshot {name}"), link to the license and indicate
whether changes were made. Legal code: https://creativecommons.org/licenses/by/4.0/legalcode
"""
# What a type's JSON file and page show of each of its figures over time: one list per field, a job each.
HISTORY_FIELDS = ('run_id', 'job_id', 'measured_at', 'value', 'ci_low', 'ci_high', 'counted', 'market',
                  'availability_zone')


def content_sha256(tables):
    """One digest of what the tables were made from and the files' shape: equal inputs, equal
    tables, equal digest (no time in it)."""
    return hashlib.sha256(('files %d\n%s' % (FILES_VERSION, tables.inputs_sha256)).encode('utf-8')).hexdigest()


def snapshot_name(now):
    return datetime.datetime.fromtimestamp(now, datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')


def latest(root):
    path = os.path.join(root, LATEST)
    if not os.path.isfile(path):
        return None
    with open(path) as handle:
        return json.load(handle)


def write(root, tables, runs, now, commit=True):
    """{'changed', 'snapshot', 'path', 'files', 'parquet', 'content_sha256'}: the snapshot written,
    or the latest one when the tables did not change."""
    digest = content_sha256(tables)
    current = latest(root)
    if current and current.get('content_sha256') == digest and os.path.isdir(os.path.join(root, current['path'])):
        return dict(current, changed=False, path=os.path.join(root, current['path']))
    name = snapshot_name(now)
    final = os.path.join(root, SNAPSHOTS, name)
    if os.path.exists(final):   # two publishes in one second: the second takes the next free name
        name = '%s-%s' % (name, digest[:8])
        final = os.path.join(root, SNAPSHOTS, name)
    info = {'snapshot': name, 'path': os.path.join(SNAPSHOTS, name), 'content_sha256': digest,
            'schema_version': _publish.SCHEMA_VERSION, 'parquet': True,
            'counts': dict((t, tables.count(t)) for t in _publish.TABLES)}
    if not commit:
        return dict(info, changed=True, path=final, files=[])
    os.makedirs(os.path.join(root, SNAPSHOTS), exist_ok=True)
    grow = None
    if current and os.path.isdir(os.path.join(root, current['path'])):
        folder = os.path.join(root, current['path'])
        grow = _snapshot_tables.base(folder, _snapshot_tables.read_meta(folder), tables, FILES_VERSION)
    _tables.remove_stale(os.path.join(root, SNAPSHOTS), '.tmp-')   # a killed publish's half-written snapshot
    work = tempfile.mkdtemp(dir=os.path.join(root, SNAPSHOTS), prefix='.tmp-')
    try:
        files = _write_files(work, tables, runs, dict(info, grown_from=grow and current['snapshot']), now, grow)
        os.chmod(work, 0o755)
        os.rename(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _point_latest(root, info)
    return dict(info, changed=True, path=final, files=files)


def _write_files(work, tables, runs, info, now, grow=None):
    # The table files in a thread (DuckDB, SQLite, copies, hashing: the GIL is free) while this one
    # renders the per-type files (Python): two cores, half the time of one after the other.
    side = tables.for_thread()
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            table_files = pool.submit(_snapshot_tables.write, work, side, grow)
            _write_derived(work, tables, runs, info, now)   # an error here waits for the thread, then rises
            known = table_files.result()
    finally:
        side.close()
    files = sorted(os.path.relpath(os.path.join(d, f), work) for d, _s, fs in os.walk(work) for f in fs)
    with open(os.path.join(work, 'SHA256SUMS'), 'w') as handle:
        for name in files:
            digest = known.get(name) or _store.sha256_file(os.path.join(work, name))
            handle.write('%s  %s\n' % (digest, name))
    return files + ['SHA256SUMS']


def _write_derived(work, tables, runs, info, now):
    """Everything but the table files: ComputeCompass, JSON API, site, README, licence, dataset.json."""
    aggregates = tables.records('aggregates')
    by_type = _group(aggregates, 'instance_type')
    os.makedirs(os.path.join(work, 'computecompass'))
    for name, document in sorted(_compass.documents(aggregates, info).items()):
        _write_json(os.path.join(work, 'computecompass', name), document)
    _write_by_type(work, tables, by_type, info)
    _write_api_index(os.path.join(work, 'api'), aggregates, by_type, info)
    with open(os.path.join(work, 'site', 'index.html'), 'w') as handle:
        handle.write(_site.index_html(aggregates, info))
    with open(os.path.join(work, 'README.md'), 'w') as handle:
        handle.write(readme(info))
    with open(os.path.join(work, 'athena.sql'), 'w') as handle:
        handle.write(athena_ddl(info, tables.distinct('results', 'benchmark')))
    with open(os.path.join(work, 'LICENSE'), 'w') as handle:
        handle.write(LICENSE_TEXT.format(name=info['snapshot']))
    meta = dict(info, created=datetime.datetime.fromtimestamp(now, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
                runs=runs, license='CC-BY-4.0', files_version=FILES_VERSION, judge_sha256=tables.judge_sha256,
                parts=tables.parts)
    with open(os.path.join(work, 'dataset.json'), 'wb') as handle:
        handle.write(_store.json_bytes(meta))


def _group(records, field):
    out = {}
    for record in records:
        out.setdefault(record[field], []).append(record)
    return out


# A figure's jobs in time order: one list of structs sorted by their first fields (time, job), then
# a list per field (no ORDER BY in the aggregate: that keeps a sort state per group).
_FIGURES = """
WITH points AS (
  SELECT instance_type, benchmark, variant, metric, arg_min(unit, {key}) AS unit,
    list_sort(list({{'time': coalesce(measured_at, ''), 'job': job_id, {fields}}})) AS points
  FROM results WHERE {chunk} GROUP BY instance_type, benchmark, variant, metric
)
SELECT instance_type, benchmark, variant, metric, unit, {lists} FROM points
ORDER BY instance_type, benchmark, variant, metric
"""


def _write_by_type(work, tables, by_type, info):
    """Per instance type, from one pass over its figures (a list per field, its jobs in time order):
    its JSON file (api/types/<type>.json: aggregates and each figure's history) and its page
    (site/types/<type>.html). Types without aggregates (every job noisy) get neither."""
    os.makedirs(os.path.join(work, 'api', 'types'))
    os.makedirs(os.path.join(work, 'site', 'types'))
    key = "coalesce(measured_at, '') || chr(0) || job_id"
    fields = ', '.join("'%s': \"%s\"" % (f, f) for f in HISTORY_FIELDS)
    lists = ', '.join('list_transform(points, p -> p."%s") AS "%s"' % (f, f) for f in HISTORY_FIELDS)
    for chunk in tables.chunks('results', 'instance_type'):   # a type is in one chunk
        current, history = None, {}
        for figure in tables.query(_FIGURES.format(key=key, fields=fields, lists=lists, chunk=chunk)):
            instance_type = figure.pop('instance_type')
            if instance_type != current and history:
                _write_type(work, current, by_type.get(current), history, info)
                history = {}
            current = instance_type
            history[_benchmarks.figure_key(figure)] = dict((f, figure[f]) for f in ('unit',) + HISTORY_FIELDS)
        if history:
            _write_type(work, current, by_type.get(current), history, info)


def _write_type(work, instance_type, cells, history, info):
    if not cells:
        return
    safe = _store.partition(instance_type)
    with open(os.path.join(work, 'api', 'types', safe + '.json'), 'w') as handle:
        # Compact: a year of a type's figures, read by programs (index.json and the rest are indented).
        # json.dumps, not json.dump: only dumps uses the C encoder (dump streams through Python).
        handle.write(json.dumps({'instance_type': instance_type, 'snapshot': info['snapshot'], 'aggregates': cells,
                                 'history': history}, sort_keys=True, separators=(',', ':')))
        handle.write('\n')
    with open(os.path.join(work, 'site', 'types', safe + '.html'), 'w') as handle:
        handle.write(_site.type_html(instance_type, cells, history, info))


def _write_api_index(api, aggregates, by_type, info):
    """index.json (every type with its headline figures) and one file per benchmark."""
    os.makedirs(os.path.join(api, 'benchmarks'))
    by_benchmark = _group(aggregates, 'benchmark')
    index = {'schema_version': info['schema_version'], 'snapshot': info['snapshot'],
             'instance_types': [], 'benchmarks': sorted(by_benchmark)}
    for instance_type, cells in sorted(by_type.items()):
        index['instance_types'].append({
            'instance_type': instance_type, 'family': cells[0]['family'], 'arch': cells[0]['arch'],
            'uarch': cells[0]['uarch'], 'href': 'types/%s.json' % _store.partition(instance_type),
            'figures': dict((_benchmarks.figure_key(c),
                             {'median': c['median'], 'ci_low': c['ci_low'], 'ci_high': c['ci_high'],
                              'unit': c['unit'], 'jobs': c['jobs']}) for c in cells)})
    for benchmark, cells in sorted(by_benchmark.items()):
        _write_json(os.path.join(api, 'benchmarks', _store.partition(benchmark) + '.json'),
                    {'benchmark': benchmark, 'snapshot': info['snapshot'], 'aggregates': cells})
    _write_json(os.path.join(api, 'index.json'), index)


def _write_json(path, document):
    with open(path, 'wb') as handle:
        handle.write(_store.json_bytes(document))


def _point_latest(root, info):
    """latest.json (atomically replaced), and a `latest` symlink for people and tools on this disk."""
    _write_json_atomic(os.path.join(root, LATEST), info)
    link = os.path.join(root, 'latest')
    tmp = link + '.tmp'
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(info['path'], tmp)
    os.replace(tmp, link)


def _write_json_atomic(path, document):
    handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.tmp-')
    with os.fdopen(handle, 'wb') as out:
        out.write(_store.json_bytes(document))
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def readme(info):
    lines = ['# instancebench.aws dataset, snapshot %s' % info['snapshot'], '',
             'Dataset schema %s. %d results (valid job x metric), %d jobs, %d aggregates, %d changes between runs. '
             'Licence: CC BY 4.0 (LICENSE). Every file is listed with its sha256 in SHA256SUMS (`sha256sum -c SHA256SUMS`).'
             % (info['schema_version'], info['counts']['results'], info['counts']['jobs'], info['counts']['aggregates'],
                info['counts']['changes']),
             '', 'Aggregates count only valid jobs that kept the run rules, whose repetitions were stable and whose '
             'figure is within its reference (where one exists); the others are counted in `noisy_jobs` and '
             '`outside_reference_jobs`, never averaged in. `changes` lists, per instance type and metric, the newest '
             'run against the earlier ones where the shift exceeds max(k x spread, tolerance x the earlier median) '
             "(spread: the earlier jobs' stdev, or the repetitions' median CV x median when larger).", '']
    for table in _publish.TABLES:
        lines += ['## %s' % table, '', '| column | type | meaning |', '|---|---|---|']
        lines += ['| `%s` | %s | %s |' % (name, kind, doc) for name, kind, doc in _publish.COLUMNS[table]]
        lines.append('')
    return '\n'.join(lines)


def upload(root, written, store):
    """Copy the snapshot to a store (an S3 prefix): its files first, `latest.json` last, so a
    reader who follows latest.json finds every file. A snapshot already there (its SHA256SUMS
    present) is not sent again. Returns the keys written."""
    prefix = '%s/%s' % (SNAPSHOTS, written['snapshot'])
    if store.exists(prefix + '/SHA256SUMS'):
        return []
    folder = os.path.join(root, SNAPSHOTS, written['snapshot'])
    names = sorted(os.path.relpath(os.path.join(d, f), folder) for d, _s, fs in os.walk(folder) for f in fs)
    keys = []
    for name in [n for n in names if n != 'SHA256SUMS'] + ['SHA256SUMS']:
        with open(os.path.join(folder, name), 'rb') as handle:
            keys.append(store.put('%s/%s' % (prefix, name), handle.read())['key'])
    with open(os.path.join(root, LATEST), 'rb') as handle:
        keys.append(store.put(LATEST, handle.read())['key'])
    return keys


_ATHENA_TYPES = {'TEXT': 'string', 'INTEGER': 'bigint', 'DOUBLE': 'double', 'BOOLEAN': 'boolean'}


def athena_ddl(info, benchmarks, location='s3://YOUR-BUCKET/YOUR-PREFIX'):
    """CREATE EXTERNAL TABLE statements for Athena over this snapshot's Parquet files once it is in
    S3 (publish's upload_to): results partitioned by benchmark with partition projection (no
    MSCK REPAIR, no crawler), the other tables plain. Replace the location with the snapshot's."""
    base = '%s/%s/parquet' % (location.rstrip('/'), info['path'])
    out = ['-- Athena tables over snapshot %s (dataset schema %s). Set the location: the S3 prefix publish '
           'copied it to (upload_to).' % (info['snapshot'], info['schema_version'])]
    for table in _publish.TABLES:
        columns = [(n, k) for n, k, _d in _publish.COLUMNS[table] if not (table == 'results' and n == 'benchmark')]
        body = ',\n'.join('  `%s` %s' % (name, _ATHENA_TYPES[kind]) for name, kind in columns)
        if table == 'results':
            out.append("CREATE EXTERNAL TABLE instancebench_results (\n%s\n)\nPARTITIONED BY (`benchmark` string)\n"
                       "STORED AS PARQUET\nLOCATION '%s/results/'\nTBLPROPERTIES (\n  'projection.enabled' = 'true',\n"
                       "  'projection.benchmark.type' = 'enum',\n  'projection.benchmark.values' = '%s',\n"
                       "  'storage.location.template' = '%s/results/benchmark=${benchmark}/'\n);"
                       % (body, base, ','.join(benchmarks) or 'stream', base))
        else:
            out.append("CREATE EXTERNAL TABLE instancebench_%s (\n%s\n)\nSTORED AS PARQUET\nLOCATION '%s/%s/';"
                       % (table, body, base, table))
    return '\n\n'.join(out) + '\n'
