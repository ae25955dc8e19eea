# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: a snapshot's table files - `<table>.csv`, `dataset.sqlite` and `parquet/` - written
anew, or grown from the latest snapshot's when this one extends it.

A snapshot extends the latest one when every row the latest holds is still right: the same judge
(columns, references, change settings) and its runs, with the same content, the first of ours.
Then results and jobs are the latest's rows plus the new runs' rows: the CSV and SQLite files are
copied and appended to, the Parquet files (one per run, and per benchmark for results) are hard
links to the latest's, and only aggregates and changes are written in full. A weekly publish of a
year of runs then copies and appends instead of writing a million rows again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import sqlite3

from ansible_collections.instancebench.aws.plugins.module_utils import _publish
from ansible_collections.instancebench.aws.plugins.module_utils import _store

GROWING = ('results', 'jobs')   # rows per run: they grow with the store
SUMMARY = ('aggregates', 'changes')   # recomputed every time
_SQL_TYPES = {'TEXT': 'TEXT', 'INTEGER': 'INTEGER', 'DOUBLE': 'REAL', 'BOOLEAN': 'INTEGER'}
_CSV = "HEADER, DELIMITER ','"


def base(folder, meta, tables, files_version):
    """What of the snapshot in `folder` (its dataset.json: `meta`) this one can grow from:
    {'folder', 'new': [run ids it lacks], 'sums': {file: sha256}}, or None when it must be written anew."""
    parts = meta.get('parts')
    if meta.get('files_version') != files_version or meta.get('judge_sha256') != tables.judge_sha256 \
            or not parts or tables.parts[:len(parts)] != parts or len(tables.parts) == len(parts):
        return None
    with open(os.path.join(folder, 'SHA256SUMS'), 'rb') as handle:
        sums = _store.parse_sums(handle.read())
    return {'folder': folder, 'new': [part[0] for part in tables.parts[len(parts):]], 'sums': sums}


def write(work, tables, grow):
    """The table files into `work`; {file: sha256} of every one of them (hashed here, or known:
    links to the grown-from snapshot's files). Runs in a thread of its own beside the per-type
    files: its time is spent in DuckDB, SQLite, file copies and hashing, which release the GIL."""
    for table in SUMMARY:
        tables.copy(table, os.path.join(work, table + '.csv'), _CSV)
    for table in GROWING:
        _write_csv(work, tables, table, grow)
    _write_sqlite(work, tables, grow)
    sums = _write_parquet(work, tables, grow)
    for name in ['%s.csv' % table for table in SUMMARY + GROWING] + ['dataset.sqlite'] + [
            os.path.relpath(os.path.join(d, f), work) for d, _s, fs in os.walk(os.path.join(work, 'parquet')) for f in fs]:
        if name not in sums:
            sums[name] = _store.sha256_file(os.path.join(work, name))
    return sums


def _runs_in(runs):
    return 'run_id IN (%s)' % ', '.join("'%s'" % run.replace("'", "''") for run in runs)


def _write_csv(work, tables, table, grow):
    path = os.path.join(work, table + '.csv')
    if grow is None:
        tables.copy(table, path, _CSV)
        return
    shutil.copyfile(os.path.join(grow['folder'], table + '.csv'), path)
    extra = path + '.new'
    tables.copy(table, extra, "HEADER false, DELIMITER ','", where=_runs_in(grow['new']))
    with open(path, 'ab') as out, open(extra, 'rb') as rows:
        shutil.copyfileobj(rows, out, 1 << 20)
    os.unlink(extra)


def _write_sqlite(work, tables, grow):
    path = os.path.join(work, 'dataset.sqlite')
    if grow is not None:
        shutil.copyfile(os.path.join(grow['folder'], 'dataset.sqlite'), path)
    connection = sqlite3.connect(path)
    try:
        connection.execute('PRAGMA journal_mode = OFF')
        connection.execute('PRAGMA synchronous = OFF')
        if grow is None:
            for table in _publish.TABLES:
                connection.execute('CREATE TABLE %s (%s)' % (table, ', '.join(
                    '"%s" %s' % (name, _SQL_TYPES[kind]) for name, kind, _doc in _publish.COLUMNS[table])))
            connection.execute('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)')
            connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", (_publish.SCHEMA_VERSION,))
        for table in SUMMARY:
            connection.execute('DELETE FROM %s' % table)
        for table in _publish.TABLES:
            where = None if grow is None or table in SUMMARY else _runs_in(grow['new'])
            insert = 'INSERT INTO %s VALUES (%s)' % (table, ', '.join('?' * len(_publish.COLUMNS[table])))
            for rows in tables.batches(table, where):
                connection.executemany(insert, rows)
        connection.commit()
    finally:
        connection.close()


def run_file(run_id):
    """A run's Parquet file name (partition-safe), with DuckDB's {i} for the files it may split into."""
    return 'run-%s-{i}' % _store.partition(run_id).replace('{', '_').replace('}', '_')


def _write_parquet(work, tables, grow):
    """results: parquet/results/benchmark=<b>/run-<run>-<i>.parquet; jobs: parquet/jobs/run-<run>-<i>.parquet;
    aggregates and changes: one file each. Returns {file: sha256} of the files linked from `grow`."""
    out = os.path.join(work, 'parquet')
    os.makedirs(os.path.join(out, 'jobs'), exist_ok=True)
    linked = {}
    if grow is not None:
        for name, digest in grow['sums'].items():
            if name.startswith(tuple('parquet/%s/' % table for table in GROWING)):
                target = os.path.join(work, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                try:
                    os.link(os.path.join(grow['folder'], name), target)
                except OSError:   # another file system: a copy holds the same bytes
                    shutil.copyfile(os.path.join(grow['folder'], name), target)
                linked[name] = digest
    runs = grow['new'] if grow is not None else [part[0] for part in tables.parts]
    for run_id in runs:
        where = _runs_in([run_id])
        tables.copy('results', os.path.join(out, 'results'), "FORMAT parquet, COMPRESSION zstd, PARTITION_BY (benchmark), "
                    "OVERWRITE_OR_IGNORE, FILENAME_PATTERN '%s'" % run_file(run_id), where=where)
        tables.copy('jobs', os.path.join(out, 'jobs', run_file(run_id).replace('{i}', '0') + '.parquet'),
                    'FORMAT parquet, COMPRESSION zstd', where=where)
    for table in SUMMARY:
        os.makedirs(os.path.join(out, table), exist_ok=True)
        tables.copy(table, os.path.join(out, table, table + '.parquet'), 'FORMAT parquet')
    return linked


def read_meta(folder):
    path = os.path.join(folder, 'dataset.json')
    if not os.path.isfile(path):
        return {}
    with open(path) as handle:
        return json.load(handle)
