# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: every run of a results store as one dataset — its tables and how they are kept.

Three tables (columns in COLUMNS, the dataset schema, versioned by SCHEMA_VERSION):
`results` (one row per valid job x metric, with everything it takes to reproduce it), `jobs`
(one row per job, whatever became of it) and `aggregates` (per instance type x benchmark x
variant x metric, over every run: only valid, compliant, stable results; noisy ones counted
apart). Runs are read incrementally: a run whose jobs are all over and whose listing did not
change since the last publish comes from the publish cache (checked by its sha256) and is not
read again (_snapshot writes the files).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os

from ansible_collections.instancebench.aws.plugins.module_utils import _collect
from ansible_collections.instancebench.aws.plugins.module_utils import _dataset
from ansible_collections.instancebench.aws.plugins.module_utils import _references
from ansible_collections.instancebench.aws.plugins.module_utils import _states
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils._stats import median_ci, summarize

SCHEMA_VERSION = '1.0'
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


def counted(record):
    """Whether a result enters the aggregates: compliant, not noisy, not outside its reference."""
    return record['compliant'] is not False and record['quality'] != 'noisy' and \
        record.get('reference_status') in (None, 'within')


def judge_references(results, references):
    """Set each result's reference_status/low/high (references can change between publishes:
    judged every time, never cached)."""
    for record in results:
        record['reference_status'], record['reference_low'], record['reference_high'] = \
            _references.judge(references, record)


def aggregates(results):
    """Per instance type x benchmark x variant x metric, over every run."""
    cells = {}
    for record in results:
        key = (record['instance_type'], record['benchmark'], record['variant'], record['metric'])
        cells.setdefault(key, []).append(record)
    out = []
    for key in sorted(cells, key=lambda k: tuple('' if v is None else str(v) for v in k)):
        records = cells[key]
        kept = [r for r in records if counted(r)]
        if not kept:
            continue
        outside = sum(1 for r in records if r.get('reference_status') in ('below', 'above'))
        kept.sort(key=lambda r: (r['measured_at'] or '', r['job_id']))
        values = [r['value'] for r in kept]
        stats = summarize(values)
        if len(values) == 1:
            low, high, level = kept[0]['ci_low'], kept[0]['ci_high'], kept[0]['ci_level']
        else:
            low, high, level = median_ci(values)
        on_demand = [r['price_per_hour_usd'] for r in kept if r['market'] == 'on-demand' and r['price_per_hour_usd']]
        price = summarize(on_demand)['median'] if on_demand else None
        paid = [r['value_per_usd_hour'] for r in kept if r['value_per_usd_hour'] is not None]
        out.append({
            'instance_type': key[0], 'family': family(key[0]), 'benchmark': key[1], 'variant': key[2], 'metric': key[3],
            'arch': _joined(r['arch'] for r in kept), 'uarch': _joined(r['uarch'] for r in kept),
            'unit': kept[-1]['unit'], 'higher_is_better': kept[-1]['higher_is_better'], 'jobs': len(kept),
            'noisy_jobs': sum(1 for r in records if r['quality'] == 'noisy'), 'outside_reference_jobs': outside,
            'launches': len(set(r['instance_id'] or r['job_id'] for r in kept)),
            'days': len(set((r['measured_at'] or '')[:10] for r in kept)),
            'availability_zones': len(set(r['availability_zone'] for r in kept if r['availability_zone'])),
            'median': stats['median'], 'ci_low': low, 'ci_high': high, 'ci_level': level,
            'cv': round(stats['cv'], 6), 'min': stats['min'], 'max': stats['max'],
            'first_measured': kept[0]['measured_at'], 'last_measured': kept[-1]['measured_at'],
            'latest_value': kept[-1]['value'], 'on_demand_price_per_hour_usd': price,
            'value_per_usd_hour_on_demand': round(stats['median'] / price, 6) if price else None,
            'value_per_usd_hour_paid': round(summarize(paid)['median'], 6) if paid else None,
        })
    return out


def _joined(values):
    found = sorted(set(v for v in values if v))
    return ','.join(found) or None


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


class Cache(object):
    """Each run's records as last read, under `<root>/cache/`, with `<root>/manifest.json`
    saying which listing (fingerprint) they came from and their sha256."""

    def __init__(self, root):
        self.root = root
        self.manifest = {'schema_version': SCHEMA_VERSION, 'columns_sha256': _columns_digest(), 'runs': {}}
        path = os.path.join(root, MANIFEST)
        if os.path.isfile(path):
            with open(path) as handle:
                manifest = json.load(handle)
            # Records made for other columns (another version of this code): read every run again.
            if manifest.get('columns_sha256') == self.manifest['columns_sha256']:
                self.manifest = manifest

    def _path(self, run_id):
        return os.path.join(self.root, CACHE_DIR, 'run=%s.json' % _store.partition(run_id))

    def get(self, run_id, print_):
        """The run's cached records when its listing is `print_` and the file checks out, else None."""
        entry = self.manifest['runs'].get(run_id)
        path = self._path(run_id)
        if not entry or entry.get('fingerprint') != print_ or not os.path.isfile(path):
            return None
        with open(path, 'rb') as handle:
            data = handle.read()
        if _store.sha256_bytes(data) != entry.get('sha256'):
            return None
        return json.loads(data.decode('utf-8'))

    def put(self, run_id, print_, records, commit):
        data = (json.dumps(records, sort_keys=True) + '\n').encode('utf-8')
        before = self.manifest['runs'].get(run_id) or {}
        self.manifest['runs'][run_id] = {'fingerprint': print_, 'sha256': _store.sha256_bytes(data),
                                         'jobs': len(records['jobs']), 'results': len(records['results'])}
        if before.get('fingerprint') == print_ and before.get('metrics_sent'):
            # The same run read again (a new version of this code): its metrics went out already.
            self.manifest['runs'][run_id]['metrics_sent'] = before['metrics_sent']
        if commit:
            path = self._path(run_id)
            if not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path))
            _dataset.write_bytes_if_different(path, data)

    def save(self, commit):
        if commit:
            _dataset.write_bytes_if_different(os.path.join(self.root, MANIFEST), _store.json_bytes(self.manifest))


def read_runs(store, root, now, run_ids=None, full=False, workers=16, commit=True, references=None,
              k=_references.DEFAULT_K, tolerance=_references.DEFAULT_TOLERANCE):
    """(tables {results, jobs, aggregates}, {'read': [...], 'reused': [...], 'fingerprints': {run: sha256
    of its listing}}, cache). A run is reused from the
    cache only when it is over (every job terminal: its states cannot change with time) and its
    listing is the one cached."""
    cache = Cache(root)
    tables = {'results': [], 'jobs': []}
    outcome = {'read': [], 'reused': [], 'fingerprints': {}}
    for run_id in (run_ids or store_runs(store)):
        keys = store.list(_store.run_prefix(run_id))
        print_ = outcome['fingerprints'][run_id] = fingerprint(keys)
        records = None if full else cache.get(run_id, print_)
        if records is None:
            rows = _collect.inspect_keys(store, keys, now, workers)   # the listing just made, not another
            records = {'jobs': [job_record(r) for r in rows],
                       'results': [rec for r in rows for rec in result_records(r)]}
            if rows and all(r['state'] in _states.TERMINAL_STATES for r in rows):
                cache.put(run_id, print_, records, commit)
            else:
                cache.manifest['runs'].pop(run_id, None)
            outcome['read'].append(run_id)
        else:
            outcome['reused'].append(run_id)
        tables['jobs'].extend(records['jobs'])
        tables['results'].extend(records['results'])
    judge_references(tables['results'], references or _references.check(None))
    tables['aggregates'] = aggregates(tables['results'])
    tables['changes'] = _references.changes(tables['results'], counted, k, tolerance)
    return tables, outcome, cache
