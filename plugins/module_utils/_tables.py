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

import copy
import json
import os
import shutil
import tempfile
import time

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


WORK_PREFIX = '.publish-'
STALE_AFTER = 86400


def remove_stale(parent, prefix=WORK_PREFIX, now=None):
    """Work folders a killed publish left (a day old: a publish never runs that long)."""
    now = time.time() if now is None else now
    for name in os.listdir(parent) if os.path.isdir(parent) else []:
        path = os.path.join(parent, name)
        if name.startswith(prefix) and os.path.isdir(path) and now - os.path.getmtime(path) > STALE_AFTER:
            shutil.rmtree(path, ignore_errors=True)


def engine_version():
    """DuckDB's version: how it formats numbers in CSV is part of a snapshot's content."""
    return duckdb.__version__ if HAS_DUCKDB else None


def quote(path):
    """A path as an SQL string literal."""
    return "'%s'" % path.replace("'", "''")


def write_lines(records, path):
    """records (dicts) -> a JSON-lines file; the row count. Plain Python: a process reading runs
    beside the publish writes these and never touches DuckDB (which is not safe across fork)."""
    count = 0
    with open(path, 'w') as handle:
        for record in records:
            handle.write(json.dumps(record))
            handle.write('\n')
            count += 1
    return count


def lines_to_parquet(db, columns, lines, path):
    """JSON-lines files (a list, read in its order) -> one Parquet file with `columns` ([(name,
    type, doc)]) typed and in order (the lines files are removed)."""
    struct = '{%s}' % ', '.join("'%s': '%s'" % (name, DUCK_TYPES[kind]) for name, kind, _doc in columns)
    select = "SELECT %s FROM read_json([%s], format='newline_delimited', columns=%s)" % (
        ', '.join('"%s"' % name for name, _kind, _doc in columns), ', '.join(quote(p) for p in lines), struct)
    try:
        db.execute('COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)' % (select, quote(path)))
    finally:
        for name in lines:
            os.unlink(name)


class Tables(object):
    """The tables named in `columns` ({table: [(name, type, doc)]}), in a DuckDB file under a work
    folder of its own (removed by close())."""

    def __init__(self, columns, work_parent=None):
        if not HAS_DUCKDB:
            raise RuntimeError('the duckdb Python package is needed to publish a dataset: pip install duckdb')
        self.columns = columns
        if work_parent:
            os.makedirs(work_parent, exist_ok=True)
        if work_parent:
            remove_stale(work_parent)
        self.work = tempfile.mkdtemp(prefix=WORK_PREFIX, dir=work_parent)
        self._db = None

    @property
    def db(self):
        """The connection, opened on first use: runs are read in forked processes before it
        exists (a process with DuckDB's threads running is not safe to fork)."""
        if self._db is None:
            try:
                self._db = duckdb.connect(os.path.join(self.work, 'tables.duckdb'))
                self._db.execute("SET memory_limit = '%s'" % MEMORY_LIMIT)
                self._db.execute('SET temp_directory = %s' % quote(os.path.join(self.work, 'spill')))
                self._db.execute('SET preserve_insertion_order = true')
            except Exception:
                self.close()
                raise
        return self._db

    def close(self):
        if self._db is not None:
            self._db.close()
            self._db = None
        if self.owner:
            shutil.rmtree(self.work, ignore_errors=True)

    owner = True

    def for_thread(self):
        """The same tables through a connection of its own, for another thread (a DuckDB connection
        serves one thread at a time); closing it leaves the tables as they are."""
        other = copy.copy(self)
        other._db, other.owner = self.db.cursor(), False
        return other

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def names(self, table):
        return [column[0] for column in self.columns[table]]

    def write_parquet(self, table, records, path):
        """records (dicts) -> one Parquet file with the table's typed columns; its row count."""
        count = write_lines(records, path + '.jsonl')
        lines_to_parquet(self.db, self.columns[table], [path + '.jsonl'], path)
        return count

    def run_folder(self, run_id):
        """Where a run read in this publish puts its files before the cache takes them."""
        path = os.path.join(self.work, 'runs', 'run=%s' % _store.partition(run_id))
        os.makedirs(path, exist_ok=True)
        return path

    def view_parquet(self, name, table, paths):
        """`name`: a view of Parquet files holding `table`'s columns, rows in the order of the files
        and of their rows. Not loaded into the database: a million rows are read where they lie,
        the columns a query needs (an empty table without files)."""
        self.db.execute('DROP VIEW IF EXISTS %s' % name)
        if not paths:
            self.db.execute('CREATE TABLE %s (%s)' % (name, ', '.join(
                '"%s" %s' % (column, DUCK_TYPES[kind]) for column, kind, _doc in self.columns[table])))
            return
        self.db.execute('CREATE VIEW %s AS SELECT %s FROM read_parquet([%s])' % (
            name, ', '.join('"%s"' % column for column in self.names(table)), ', '.join(quote(p) for p in paths)))

    def load_records(self, table, records):
        """A (small) table from records: aggregates, changes, reference ranges."""
        path = os.path.join(self.work, table + '.parquet')
        self.write_parquet(table, records, path)
        self.db.execute('CREATE OR REPLACE TABLE %s AS SELECT %s FROM read_parquet(%s)' % (
            table, ', '.join('"%s"' % column for column in self.names(table)), quote(path)))

    def conform(self, table, order):
        """The table (made by SQL) in its declared columns (their order and types), rows in `order`."""
        self.db.execute('CREATE TABLE _conformed AS SELECT %s FROM %s ORDER BY %s' % (', '.join(
            'CAST("%s" AS %s) AS "%s"' % (name, DUCK_TYPES[kind], name) for name, kind, _doc in self.columns[table]),
            table, order))
        self.db.execute('DROP TABLE %s' % table)
        self.db.execute('ALTER TABLE _conformed RENAME TO %s' % table)

    chunk_rows = 150000

    def chunks(self, table, column, scale=1):
        """WHERE clauses that split `table` by `column` into parts of about `chunk_rows` rows (all rows
        of one value in one part): DuckDB's sorted, distinct and list aggregates hold their groups
        in memory, so a year of runs is summarized a part at a time, within its memory limit.
        `scale`: how many times chunk_rows a query that holds less per row can take."""
        count = max(1, -(-self.count(table) // int(self.chunk_rows * scale)))
        return ['hash("%s") %% %d = %d' % (column, count, part) for part in range(count)]

    def execute(self, sql, params=None):
        return self.db.execute(sql, params or [])

    def count(self, table):
        return self.db.execute('SELECT count(*) FROM %s' % table).fetchone()[0]

    def _select(self, table, columns=None, where=None, order=None):
        """SELECT of `columns` (default: the table's, in order) from `table`, rows `where`, in `order`
        (default: as stored; DuckDB keeps insertion order with preserve_insertion_order)."""
        return 'SELECT %s FROM %s%s%s' % (
            ', '.join('"%s"' % name for name in columns or self.names(table)), table,
            ' WHERE %s' % where if where else '', ' ORDER BY %s' % order if order else '')

    def _fetch(self, sql, params=None):
        """(column names, row tuples) of a query, `BATCH` rows at a time (bounded memory), through a
        cursor of its own (another query may run while these are read)."""
        cursor = self.db.cursor()
        try:
            cursor.execute(sql, params or [])
            columns = [column[0] for column in cursor.description]
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                yield columns, rows
        finally:
            cursor.close()

    def stream(self, table, columns=None, order=None, where=None, params=None):
        """The rows as dicts, a batch at a time, in `order` (default: as stored)."""
        return self.query(self._select(table, columns, where, order), params)

    def query(self, sql, params=None):
        """The rows of a query as dicts, a batch at a time."""
        for columns, rows in self._fetch(sql, params):
            for row in rows:
                yield dict(zip(columns, row))

    def records(self, table, **equal):
        """Every row as a dict (tests, small tables), optionally only rows with column = value."""
        where = ' AND '.join('"%s" = ?' % name for name in sorted(equal)) or None
        return list(self.stream(table, where=where, params=[equal[name] for name in sorted(equal)]))

    def __getitem__(self, table):
        return self.records(table)

    def distinct(self, table, column):
        return [row[0] for row in self.db.execute(
            'SELECT DISTINCT "%s" FROM %s WHERE "%s" IS NOT NULL ORDER BY 1' % (column, table, column)).fetchall()]

    def copy(self, table, path, options, where=None):
        """DuckDB writes the table (or its rows `where`) itself, in stored order: no row passes through Python."""
        self.db.execute('COPY (%s) TO %s (%s)' % (self._select(table, where=where), quote(path), options))

    def batches(self, table, where=None):
        """Row tuples in stored order, a batch at a time (for another database's executemany)."""
        for _columns, rows in self._fetch(self._select(table, where=where)):
            yield rows
