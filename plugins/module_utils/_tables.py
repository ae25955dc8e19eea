# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the dataset's tables in one DuckDB database on disk, so that a store of a year of
weekly runs (a million result rows) is published in bounded memory.

Each run's records go into Parquet files once (`write_run`, the publish cache keeps them); the
tables are built from those files, and everything downstream - aggregates, changes, every export
of a snapshot - reads the tables in order, a batch at a time (`stream`), or copies them with
DuckDB itself (`copy`). Python decides (statistics, references, what counts); DuckDB stores,
sorts and writes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import tempfile

try:
    import duckdb
    HAS_DUCKDB = True
except ImportError:
    duckdb = None
    HAS_DUCKDB = False

from ansible_collections.instancebench.aws.plugins.module_utils import _store

DUCK_TYPES = {'TEXT': 'VARCHAR', 'INTEGER': 'BIGINT', 'DOUBLE': 'DOUBLE', 'BOOLEAN': 'BOOLEAN'}
BATCH = 20000
# DuckDB spills to its temporary folder beyond this: the publish stays well under 1 GB.
MEMORY_LIMIT = '384MB'


def _quote(path):
    return "'%s'" % path.replace("'", "''")


class Tables(object):
    """The tables named in `columns` ({table: [(name, type, doc)]}), in a DuckDB file under a work
    folder of its own (removed by close())."""

    def __init__(self, columns, work_parent=None):
        if not HAS_DUCKDB:
            raise RuntimeError('the duckdb Python package is needed to publish a dataset: pip install duckdb')
        self.columns = columns
        if work_parent:
            os.makedirs(work_parent, exist_ok=True)
        self.work = tempfile.mkdtemp(prefix='.publish-', dir=work_parent)
        self.db = duckdb.connect(os.path.join(self.work, 'tables.duckdb'))
        self.db.execute("SET memory_limit = '%s'" % MEMORY_LIMIT)
        self.db.execute('SET temp_directory = %s' % _quote(os.path.join(self.work, 'spill')))
        self.db.execute('SET preserve_insertion_order = true')

    def close(self):
        if self.db is not None:
            self.db.close()
            self.db = None
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def names(self, table):
        return [column[0] for column in self.columns[table]]

    def _struct(self, table):
        return '{%s}' % ', '.join("'%s': '%s'" % (name, DUCK_TYPES[kind]) for name, kind, _doc in self.columns[table])

    def _select_json(self, table, path):
        """The records of a JSON-lines file, typed and in the table's column order."""
        return "SELECT %s FROM read_json(%s, format='newline_delimited', columns=%s)" % (
            ', '.join('"%s"' % name for name in self.names(table)), _quote(path), self._struct(table))

    def write_parquet(self, table, records, path):
        """records (dicts) -> one Parquet file with the table's typed columns; its row count."""
        lines = path + '.jsonl'
        count = 0
        with open(lines, 'w') as handle:
            for record in records:
                handle.write(json.dumps(record))
                handle.write('\n')
                count += 1
        try:
            self.db.execute('COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)' % (self._select_json(table, lines),
                                                                                     _quote(path)))
        finally:
            os.unlink(lines)
        return count

    def run_folder(self, run_id):
        """Where a run read in this publish puts its files before the cache takes them."""
        path = os.path.join(self.work, 'runs', 'run=%s' % _store.partition(run_id))
        os.makedirs(path, exist_ok=True)
        return path

    def load_parquet(self, table, paths):
        """The table from Parquet files, rows in the order of the files and of their rows."""
        self.db.execute('DROP TABLE IF EXISTS %s' % table)
        if not paths:
            self.db.execute('CREATE TABLE %s (%s)' % (table, ', '.join(
                '"%s" %s' % (name, DUCK_TYPES[kind]) for name, kind, _doc in self.columns[table])))
            return
        self.db.execute('CREATE TABLE %s AS SELECT %s FROM read_parquet([%s])' % (
            table, ', '.join('"%s"' % name for name in self.names(table)), ', '.join(_quote(p) for p in paths)))

    def load_records(self, table, records):
        """A (small) table from records: aggregates, changes, reference ranges."""
        path = os.path.join(self.work, table + '.parquet')
        self.write_parquet(table, records, path)
        self.load_parquet(table, [path])

    def conform(self, table):
        """The table (made by SQL) in its declared columns: their order and types."""
        self.db.execute('CREATE TABLE _conformed AS SELECT %s FROM %s ORDER BY rowid' % (', '.join(
            'CAST("%s" AS %s) AS "%s"' % (name, DUCK_TYPES[kind], name) for name, kind, _doc in self.columns[table]),
            table))
        self.db.execute('DROP TABLE %s' % table)
        self.db.execute('ALTER TABLE _conformed RENAME TO %s' % table)

    def execute(self, sql, params=None):
        return self.db.execute(sql, params or [])

    def count(self, table):
        return self.db.execute('SELECT count(*) FROM %s' % table).fetchone()[0]

    def stream(self, table, columns=None, order=None, where=None, params=None):
        """The rows as dicts, `BATCH` at a time (bounded memory), in `order` (default: as stored)."""
        columns = columns or self.names(table)
        cursor = self.db.cursor()
        try:
            cursor.execute('SELECT %s FROM %s%s ORDER BY %s' % (
                ', '.join('"%s"' % name for name in columns), table, ' WHERE %s' % where if where else '',
                order or 'rowid'), params or [])
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                for row in rows:
                    yield dict(zip(columns, row))
        finally:
            cursor.close()

    def records(self, table, **equal):
        """Every row as a dict (tests, small tables), optionally only rows with column = value."""
        where = ' AND '.join('"%s" = ?' % name for name in sorted(equal)) or None
        return list(self.stream(table, where=where, params=[equal[name] for name in sorted(equal)]))

    def __getitem__(self, table):
        return self.records(table)

    def distinct(self, table, column):
        return [row[0] for row in self.db.execute(
            'SELECT DISTINCT "%s" FROM %s WHERE "%s" IS NOT NULL ORDER BY 1' % (column, table, column)).fetchall()]

    def copy(self, table, path, options, order=None):
        """DuckDB writes the table itself (CSV, Parquet): no row passes through Python."""
        self.db.execute('COPY (SELECT * FROM %s ORDER BY %s) TO %s (%s)' % (table, order or 'rowid', _quote(path),
                                                                             options))

    def batches(self, table):
        """Row tuples in stored order, a batch at a time (for another database's executemany)."""
        cursor = self.db.cursor()
        try:
            cursor.execute('SELECT %s FROM %s ORDER BY rowid' % (', '.join('"%s"' % n for n in self.names(table)), table))
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                yield rows
        finally:
            cursor.close()
