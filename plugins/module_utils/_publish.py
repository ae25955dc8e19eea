# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: every run of a results store as one dataset — its tables and how they are kept.

Four tables (columns in COLUMNS, the dataset schema, versioned by SCHEMA_VERSION):
`results` (one row per valid job x metric, with everything it takes to reproduce it), `jobs`
(one row per job, whatever became of it), `aggregates` (per instance type x benchmark x variant x
metric, over every run: only counted results) and `changes` (the newest run against the earlier
ones); _summaries holds the rules of the last two, in SQL. Runs are read incrementally: a run
whose jobs are all over and whose listing did not change since the last publish comes from the
publish cache (checked by its sha256) and is not read again (_snapshot writes the files).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor

from ansible_collections.instancebench.aws.plugins.module_utils import _collect
from ansible_collections.instancebench.aws.plugins.module_utils import _dataset
from ansible_collections.instancebench.aws.plugins.module_utils import _references
from ansible_collections.instancebench.aws.plugins.module_utils import _states
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils import _summaries
from ansible_collections.instancebench.aws.plugins.module_utils import _tables

SCHEMA_VERSION = '1.1'   # 1.1: results.counted
CACHE_DIR = 'cache'
MANIFEST = 'manifest.json'

# (name, type, description); types are the portable ones SQLite and DuckDB both know.
_JOB = [
    ('run_id', 'TEXT', 'the run (one launch.yml invocation or a scheduled plan)'),
    ('job_id', 'TEXT', 'the job, unique in its run'),
    ('attempt', 'INTEGER', 'which attempt of the planned job (0 first; a retry is a new job)'),
    ('replica', 'INTEGER', 'which of identical instances of one plan (instances_per_type)'),
    ('region', 'TEXT', 'AWS region, or local for a host that is not an EC2 instance'),
    ('availability_zone', 'TEXT', 'the zone the instance ran in'),
    ('instance_type', 'TEXT', 'EC2 instance type (a host name for other hosts)'),
    ('family', 'TEXT', 'the instance family (the part of the type before the dot)'),
    ('benchmark', 'TEXT', 'stream, fftw, hpl, ...'),
    ('variant', 'TEXT', 'the benchmark variant (default, one-thread, ...)'),
]
_MEASURED = [
    ('uarch', 'TEXT', 'the CPU microarchitecture the host reported (znver4, sapphirerapids, neoverse-v2, ...)'),
    ('arch', 'TEXT', 'x86_64 or aarch64'),
    ('cpu_model', 'TEXT', 'the CPU model string of /proc/cpuinfo'),
    ('market', 'TEXT', 'on-demand or spot (none for other hosts)'),
    ('price_per_hour_usd', 'DOUBLE', 'what the instance cost per hour as launched'),
    ('instance_id', 'TEXT', 'the EC2 instance id'),
]
COLUMNS = {
    'results': _JOB + [
        ('metric', 'TEXT', 'the metric name (triad_bandwidth, gflops, ...)'),
        ('value', 'DOUBLE', "the job's figure: the median of its repetitions"),
        ('unit', 'TEXT', 'its unit'),
        ('higher_is_better', 'BOOLEAN', 'whether a larger value is better (false for times)'),
        ('n', 'INTEGER', 'repetitions behind the figure'),
        ('cv', 'DOUBLE', 'coefficient of variation over the repetitions'),
        ('ci_low', 'DOUBLE', "lower end of the median's confidence interval over the repetitions"),
        ('ci_high', 'DOUBLE', 'its upper end'),
        ('ci_level', 'DOUBLE', 'the coverage that interval achieves (below 0.95 with few repetitions)'),
        ('quality', 'TEXT', 'stable, noisy or unjudged (the CV gate of the benchmark)'),
        ('compliant', 'BOOLEAN', "whether the job kept the benchmark's run rules"),
        ('value_per_usd_hour', 'DOUBLE', 'value / price_per_hour_usd: work per dollar as paid'),
        ('measured_at', 'TEXT', 'when the job finished (UTC, ISO 8601)'),
    ] + _MEASURED + [
        ('ami', 'TEXT', 'the machine image'),
        ('kernel', 'TEXT', 'the Linux kernel release'),
        ('compiler', 'TEXT', 'the compiler that built the benchmark'),
        ('compiler_version', 'TEXT', 'its version'),
        ('flags', 'TEXT', 'the compiler flags, space-separated'),
        ('flag_source', 'TEXT', 'where the flags came from (catalog, override, ...)'),
        ('blas', 'TEXT', 'the BLAS library (HPL)'),
        ('blas_kernel', 'TEXT', 'the kernel OpenBLAS reported it chose'),
        ('source_name', 'TEXT', 'the benchmark source'),
        ('source_version', 'TEXT', 'its version'),
        ('source_sha256', 'TEXT', 'the sha256 of the source archive it was built from'),
        ('binary_sha256', 'TEXT', 'the sha256 of the binary that ran'),
        ('parameters', 'TEXT', 'the benchmark parameters, JSON'),
        ('environment', 'TEXT', 'library settings found in the environment (OPENBLAS_CORETYPE, ...), JSON'),
        ('result_sha256', 'TEXT', "the sha256 of the job's result.json in the store"),
        ('raw_log_key', 'TEXT', "the store key of the job's raw log"),
        ('reference_status', 'TEXT', 'within, below or above its reference range (none without a reference); '
                                     'a figure outside is kept out of the aggregates'),
        ('reference_low', 'DOUBLE', "the reference range's lower end"),
        ('reference_high', 'DOUBLE', 'its upper end'),
        ('counted', 'BOOLEAN', 'whether the result enters the aggregates: it kept the run rules, was not noisy and is '
                               'within its reference (or has none)'),
    ],
    'jobs': _JOB + [
        ('state', 'TEXT', 'completed, failed, timed_out, running, launched or leased'),
        ('state_reason', 'TEXT', 'why, when the state needs explaining'),
        ('valid', 'BOOLEAN', 'whether the job has numbers that checked out'),
        ('compliant', 'BOOLEAN', "whether it kept the benchmark's run rules"),
        ('quality', 'TEXT', 'stable, noisy or unjudged'),
        ('problems', 'TEXT', 'what did not check out, "; "-separated'),
    ] + _MEASURED + [
        ('launched_at', 'TEXT', 'when the instance was launched'),
        ('finished_at', 'TEXT', 'when the job finished'),
        ('runtime_s', 'DOUBLE', 'seconds paid for: launch to the end of the job'),
        ('cost_usd', 'DOUBLE', 'runtime x price'),
        ('result_sha256', 'TEXT', "the sha256 of the job's result.json"),
    ],
    'aggregates': [
        ('instance_type', 'TEXT', 'EC2 instance type'),
        ('family', 'TEXT', 'its family'),
        ('arch', 'TEXT', 'x86_64 or aarch64'),
        ('uarch', 'TEXT', 'the microarchitecture its jobs reported (several: comma-separated)'),
        ('benchmark', 'TEXT', 'the benchmark'),
        ('variant', 'TEXT', 'its variant'),
        ('metric', 'TEXT', 'the metric'),
        ('unit', 'TEXT', 'its unit'),
        ('higher_is_better', 'BOOLEAN', 'whether a larger value is better'),
        ('jobs', 'INTEGER', 'valid, compliant, stable jobs behind the figures'),
        ('noisy_jobs', 'INTEGER', 'valid jobs left out because their repetitions were noisy'),
        ('outside_reference_jobs', 'INTEGER', 'valid jobs left out because their figure fell outside its reference'),
        ('launches', 'INTEGER', 'distinct instances those jobs ran on'),
        ('days', 'INTEGER', 'distinct days they were measured on'),
        ('availability_zones', 'INTEGER', 'distinct zones'),
        ('median', 'DOUBLE', "the median over jobs of each job's figure"),
        ('ci_low', 'DOUBLE', "lower end of the median's distribution-free confidence interval over jobs "
         "(one job: its own interval over repetitions)"),
        ('ci_high', 'DOUBLE', 'its upper end'),
        ('ci_level', 'DOUBLE', 'the coverage achieved (95 % needs 6 jobs or more)'),
        ('cv', 'DOUBLE', 'coefficient of variation across jobs (0 for one job)'),
        ('min', 'DOUBLE', 'smallest job figure'),
        ('max', 'DOUBLE', 'largest job figure'),
        ('first_measured', 'TEXT', 'the earliest job (UTC)'),
        ('last_measured', 'TEXT', 'the latest job'),
        ('latest_value', 'DOUBLE', "the latest job's figure"),
        ('on_demand_price_per_hour_usd', 'DOUBLE', 'the median on-demand price its jobs were launched at'),
        ('value_per_usd_hour_on_demand', 'DOUBLE', 'median / on-demand price'),
        ('value_per_usd_hour_paid', 'DOUBLE', 'median over jobs of value / price as paid (spot included)'),
    ],
    'changes': [
        ('instance_type', 'TEXT', 'EC2 instance type'),
        ('benchmark', 'TEXT', 'the benchmark'),
        ('variant', 'TEXT', 'its variant'),
        ('metric', 'TEXT', 'the metric'),
        ('kind', 'TEXT', 'regression (worse) or improvement'),
        ('unit', 'TEXT', 'the unit'),
        ('before_median', 'DOUBLE', "the earlier runs' median"),
        ('before_jobs', 'INTEGER', 'jobs behind it'),
        ('before_runs', 'TEXT', 'those runs, comma-separated'),
        ('after_median', 'DOUBLE', "the newest run's median"),
        ('after_jobs', 'INTEGER', 'jobs behind it'),
        ('after_run', 'TEXT', 'the newest run'),
        ('change_pct', 'DOUBLE', 'after against before, in percent'),
        ('threshold_pct', 'DOUBLE', "the shift that counts: max(k x spread, tolerance x the earlier median); spread: "
         "the earlier jobs' stdev, or their repetitions' median CV x median when larger"),
    ],
}
TABLES = ('results', 'jobs', 'aggregates', 'changes')


def names(table):
    return [column[0] for column in COLUMNS[table]]


def family(instance_type):
    return instance_type.split('.', 1)[0] if isinstance(instance_type, str) and '.' in instance_type else None


def _job_fields(row):
    repro = row.get('reproducibility') or {}
    out = dict((name, row.get(name)) for name, _type, _doc in _JOB + _MEASURED)
    out['availability_zone'] = repro.get('availability_zone')
    out['family'] = family(row.get('instance_type'))
    out['arch'], out['cpu_model'] = repro.get('arch'), repro.get('cpu_model')
    return out


def job_record(row):
    out = _job_fields(row)
    out.update((name, row.get(name)) for name in ('state', 'state_reason', 'valid', 'compliant', 'quality',
                                                  'launched_at', 'finished_at', 'runtime_s', 'cost_usd',
                                                  'result_sha256'))
    out['problems'] = '; '.join(row.get('problems') or []) or None
    return out


def result_records(row):
    """One record per metric of a valid job (an invalid job has no numbers: it is in `jobs` only)."""
    if not row.get('valid'):
        return []
    base = _job_fields(row)
    base.update((name, value) for name, value in (row.get('reproducibility') or {}).items() if name in RESULT_NAMES)
    base.update(quality=row.get('quality'), compliant=row.get('compliant'), measured_at=row.get('finished_at'),
                result_sha256=row.get('result_sha256'), raw_log_key=row.get('raw_log_key'))
    out = []
    for metric in row.get('metrics') or []:
        price = row.get('price_per_hour_usd')
        out.append(dict(base, metric=metric['name'], value=metric['value'], unit=metric['unit'],
                        higher_is_better=metric.get('higher_is_better'), n=metric.get('n'),
                        cv=metric.get('cv'), ci_low=metric.get('ci_low'), ci_high=metric.get('ci_high'),
                        ci_level=metric.get('ci_level'),
                        value_per_usd_hour=round(metric['value'] / price, 6) if price else None))
    return out


RESULT_NAMES = set(names('results'))


def fingerprint(keys):
    """What a run holds, as one sha256 over its sorted keys: objects are written once, so a run
    whose listing is the same holds the same results."""
    return hashlib.sha256('\n'.join(sorted(keys)).encode('utf-8')).hexdigest()


def store_runs(store):
    """Run ids of a store, from one delimiter listing."""
    prefix = _store.RUNS_ROOT + 'run='
    return sorted(p[len(prefix):].rstrip('/') for p in store.list_dirs(_store.RUNS_ROOT) if p.startswith(prefix))


def _columns_digest():
    # Names and types only: a reworded description does not make cached records stale.
    shape = dict((table, [column[:2] for column in columns]) for table, columns in COLUMNS.items())
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode('utf-8')).hexdigest()


# Reference ranges per distinct cell, the join key of the results they judge.
_RANGES = [(name, 'TEXT', '') for name in ('instance_type', 'family', 'uarch', 'benchmark', 'variant', 'metric')] + [
    ('low', 'DOUBLE', ''), ('high', 'DOUBLE', '')]


def judge_references(tables, references, paths):
    """The runs' results files with each row's reference_status/low/high set: `paths` themselves
    without references, else judged copies in the work folder (rows in their order). References
    can change between publishes: judged every time, never cached. The most specific reference of
    each distinct cell is found here, in Python; the rows are compared with it in SQL, a run at a time."""
    if not any(references.values()) or not paths:
        return paths
    key = [name for name, _kind, _doc in _RANGES[:6]]
    ranges = []
    for row in tables.execute('SELECT DISTINCT %s FROM read_parquet([%s])' % (
            ', '.join(key), ', '.join(_tables.quote(p) for p in paths))).fetchall():
        cell = dict(zip(key, row))
        entry, _scope = _references.reference_for(references, cell)
        if entry is not None:
            cell['low'], cell['high'] = _references.bounds(entry)
            ranges.append(cell)
    if not ranges:
        return paths
    tables.load_records('reference_ranges', ranges)
    judged = []
    for index, path in enumerate(paths):
        judged.append(os.path.join(tables.work, 'judged-%d.parquet' % index))
        tables.execute('COPY (%s) TO %s (FORMAT parquet)' % (
            _summaries.judged_select(_tables.quote(path), key), _tables.quote(judged[-1])))
    return judged


# The cache's layout: bumped when the cached files change form (they are read again, once).
CACHE_FORMAT = 2
# A run over for longer than this is not listed again: a week covers every job deadline and late upload.
RELIST_AFTER = 7 * 86400
_RUN_TABLES = ('jobs', 'results')


class Cache(object):
    """Each run's records as last read, as Parquet files under `<root>/cache/run=<id>/`, with
    `<root>/manifest.json` saying which listing (fingerprint) they came from and their sha256."""

    def __init__(self, root):
        self.root = root
        self.manifest = {'schema_version': SCHEMA_VERSION, 'columns_sha256': _columns_digest(),
                         'cache_format': CACHE_FORMAT, 'runs': {}}
        path = os.path.join(root, MANIFEST)
        if os.path.isfile(path):
            with open(path) as handle:
                manifest = json.load(handle)
            # Records made for other columns or another layout (another version of this code): read every run again,
            # remembering which runs' metrics went out (sent once, whatever the cache's form).
            if all(manifest.get(key) == self.manifest[key] for key in ('columns_sha256', 'cache_format')):
                self.manifest = manifest
            else:
                self.discarded = manifest.get('runs') or {}

    discarded = {}

    def folder(self, run_id):
        return os.path.join(self.root, CACHE_DIR, 'run=%s' % _store.partition(run_id))

    def settled(self, run_id, now, relist_after):
        """The cached fingerprint of a run over for longer than `relist_after` seconds, else None:
        such a run is not listed again (its instances are long gone; its objects are written once).
        `full` lists and reads every run anyway."""
        entry = self.manifest['runs'].get(run_id) or {}
        since = entry.get('over_since')
        if relist_after is None or since is None or now - since < relist_after:
            return None
        return entry.get('fingerprint')

    def get(self, run_id, print_):
        """{table: path} of the run's cached files when its listing is `print_` and they check out, else None."""
        entry = self.manifest['runs'].get(run_id)
        if not entry or entry.get('fingerprint') != print_:
            return None
        paths = dict((table, os.path.join(self.folder(run_id), table + '.parquet')) for table in _RUN_TABLES)
        for table, path in paths.items():
            if not os.path.isfile(path) or _store.sha256_file(path) != (entry.get('sha256') or {}).get(table):
                return None
        return paths

    def put(self, run_id, print_, paths, counts, now, commit):
        """Record the run's files (moved into the cache when committing); their paths from now on."""
        before = self.manifest['runs'].get(run_id) or self.discarded.get(run_id) or {}
        entry = self.manifest['runs'][run_id] = {
            'fingerprint': print_, 'sha256': dict((t, _store.sha256_file(p)) for t, p in paths.items()),
            'over_since': before.get('over_since', now) if before.get('fingerprint') == print_ else now}
        entry.update(counts)
        if before.get('fingerprint') == print_ and before.get('metrics_sent'):
            # The same run read again (a new version of this code): its metrics went out already.
            entry['metrics_sent'] = before['metrics_sent']
        if not commit:
            return paths
        folder = self.folder(run_id)
        os.makedirs(folder, exist_ok=True)
        moved = {}
        for table, path in paths.items():
            moved[table] = os.path.join(folder, table + '.parquet')
            shutil.move(path, moved[table])
        return moved

    def save(self, commit):
        if commit:
            _dataset.write_bytes_if_different(os.path.join(self.root, MANIFEST), _store.json_bytes(self.manifest))
            self._prune()

    def _prune(self):
        """Cached files no run of the manifest names (a run gone from the store, an older layout)."""
        top = os.path.join(self.root, CACHE_DIR)
        if not os.path.isdir(top):
            return
        kept = set(os.path.basename(self.folder(run_id)) for run_id in self.manifest['runs'])
        for name in os.listdir(top):
            if name not in kept:
                path = os.path.join(top, name)
                shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)


def read_runs(store, root, now, run_ids=None, full=False, workers=16, commit=True, references=None,
              k=_references.DEFAULT_K, tolerance=_references.DEFAULT_TOLERANCE, work_parent=None,
              relist_after=RELIST_AFTER):
    """(tables, {'read': [...], 'reused': [...], 'unlisted': [...], 'fingerprints': {run: sha256 of its
    listing}}, cache).
    `tables` (a _tables.Tables holding results, jobs, aggregates, changes; close it) carries
    `inputs_sha256`: one digest of everything the tables were made from (`parts`: [run, jobs sha256,
    results sha256] per run; `judge_sha256`: the rest - columns, references, settings). A run is reused from the
    cache only when it is over (every job terminal: its states cannot change with time) and its
    listing is the one cached; a run over for longer than `relist_after` seconds is not even
    listed (`unlisted`, a part of `reused`)."""
    references = references or _references.check(None)
    cache = Cache(root)
    tables = _tables.Tables(dict(COLUMNS, reference_ranges=_RANGES, ci_ranks=_summaries.CI_RANKS), work_parent)
    try:
        outcome = {'read': [], 'reused': [], 'unlisted': [], 'fingerprints': {}}
        files, inputs, plan = [], [], []
        for run_id in _runs_to_read(store, run_ids, cache):
            print_, keys = None if full else cache.settled(run_id, now, relist_after), None
            paths = print_ and cache.get(run_id, print_)
            if paths:
                outcome['unlisted'].append(run_id)
            else:
                keys = store.list(_store.run_prefix(run_id))
                print_ = fingerprint(keys)
                paths = None if full else cache.get(run_id, print_)
            outcome['fingerprints'][run_id] = print_
            plan.append((run_id, print_, paths, keys))
        fresh = _read_runs(store, tables, [(run_id, keys) for run_id, _p, paths, keys in plan if paths is None],
                           now, workers)
        for run_id, print_, paths, _keys in plan:
            if paths is None:
                paths, counts, over = fresh[run_id]
                if over:
                    paths = cache.put(run_id, print_, paths, counts, now, commit)
                else:
                    cache.manifest['runs'].pop(run_id, None)
                outcome['read'].append(run_id)
            else:
                outcome['reused'].append(run_id)
            files.append(paths)
            known = (cache.manifest['runs'].get(run_id) or {}).get('sha256') or \
                dict((t, _store.sha256_file(p)) for t, p in paths.items())
            inputs.append([run_id] + [known[t] for t in _RUN_TABLES])
        tables.view_parquet('jobs', 'jobs', [paths['jobs'] for paths in files])
        tables.view_parquet('results_read', 'results',
                            judge_references(tables, references, [paths['results'] for paths in files]))
        tables.execute('CREATE OR REPLACE VIEW results AS %s' % _summaries.WITH_COUNTED)
        _summaries.summarize(tables, k, tolerance)
        # What the rows of each run depend on (parts) and what every row depends on (judge): a snapshot
        # whose judge is the latest one's and whose parts extend its parts adds to its files.
        tables.parts = inputs
        tables.judge_sha256 = hashlib.sha256(json.dumps(
            [_columns_digest(), SCHEMA_VERSION, _summaries.VERSION, _tables.engine_version(), references, k, tolerance],
            sort_keys=True).encode('utf-8')).hexdigest()
        tables.inputs_sha256 = hashlib.sha256(json.dumps(
            [tables.judge_sha256, inputs], sort_keys=True).encode('utf-8')).hexdigest()
    except BaseException:
        tables.close()
        raise
    return tables, outcome, cache


def _runs_to_read(store, run_ids, cache):
    """The store's runs, or the ones asked for as the store spells them (partition-safe, once
    each); a run asked for that the store does not hold is an error. Without run_ids, cache entries
    of runs gone from the store are dropped (their files are pruned on save)."""
    present = store_runs(store)
    if not run_ids:
        for gone in set(cache.manifest['runs']) - set(present):
            del cache.manifest['runs'][gone]
        return present
    wanted = []
    for run_id in run_ids:
        safe = _store.partition(run_id)
        if safe not in present:
            raise _store.StoreError('run %s is not in the store (it holds %s)' % (
                run_id, ', '.join(present[-5:]) + (' and %d more' % (len(present) - 5) if len(present) > 5 else '')
                if present else 'no run'))
        if safe not in wanted:
            wanted.append(safe)
    return wanted


def _read_runs(store, tables, todo, now, workers):
    """{run: ({table: Parquet path}, {table: rows}, whether every job is over)} of the runs `todo`
    ([(run, its keys)]) read from the store. A store whose reads wait on the network (S3) reads
    each run with `workers` threads; a local one, whose reads are CPU work, reads on every core in
    processes of their own (a run each, or parts of one run), which write JSON lines that DuckDB,
    here, makes Parquet."""
    cpus = os.cpu_count() or 1
    local = not getattr(store, 'parallel_reads', True)
    pieces = max(1, cpus // len(todo)) if local and todo else 1
    units = [(store, run_id, index, part, now, workers, tables.run_folder(run_id))
             for run_id, keys in todo for index, part in enumerate(_split_jobs(keys, pieces))]
    if local and cpus > 1 and len(units) > 1:
        # fork: the children have this code already, whatever put it on sys.path (Ansible's module payload).
        with ProcessPoolExecutor(min(cpus, len(units)), mp_context=multiprocessing.get_context('fork')) as pool:
            done = list(pool.map(_read_part_star, units))
    else:
        done = [_read_part(*unit) for unit in units]
    out = {}
    for run_id, _keys in todo:
        parts = [(unit, found) for unit, found in zip(units, done) if unit[1] == run_id]
        folder = parts[0][0][6]
        paths = dict((table, os.path.join(folder, table + '.parquet')) for table in _RUN_TABLES)
        for table, path in paths.items():
            _tables.lines_to_parquet(tables.db, COLUMNS[table], [_lines(path, unit[2]) for unit, _f in parts], path)
        counts = dict((table, sum(found[0][table] for _u, found in parts)) for table in _RUN_TABLES)
        out[run_id] = (paths, counts, counts['jobs'] > 0 and all(found[1] for _u, found in parts))
    return out


def _split_jobs(keys, pieces):
    """Keys in `pieces` lists of whole jobs, grouped as collect groups them (a key of no job is
    left out, as collect leaves it out): read apart, they give the rows read together, in order."""
    jobs = _collect.group_jobs(keys)
    size = -(-len(jobs) // max(1, pieces)) or 1
    return [['%s/%s' % (prefix, name) for prefix, names, _parts in jobs[start:start + size] for name in sorted(names)]
            for start in range(0, len(jobs), size)] or [[]]


def _lines(path, index):
    return '%s.%d.jsonl' % (path, index)


def _read_part_star(unit):
    return _read_part(*unit)


def _read_part(store, run_id, index, keys, now, workers, folder):
    """({table: rows}, whether every job read is over) of (a part of) one run read from the store,
    its records written to JSON lines beside the run's Parquet files."""
    rows = _collect.inspect_keys(store, keys, now, workers)   # the listing just made, not another
    counts = {'jobs': _tables.write_lines((job_record(r) for r in rows),
                                          _lines(os.path.join(folder, 'jobs.parquet'), index)),
              'results': _tables.write_lines((rec for r in rows for rec in result_records(r)),
                                             _lines(os.path.join(folder, 'results.parquet'), index))}
    return counts, all(r['state'] in _states.TERMINAL_STATES for r in rows)
