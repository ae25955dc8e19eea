# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the dataset a collect writes — one record per job x metric — and its aggregates.

Records are written as they come (JSON Lines and CSV side by side) and only small per-type
figures are kept for the report, so a collect over thousands of jobs holds no documents.
Same store content in, byte-identical files out: no timestamps of the collect itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import json
import os
import tempfile

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils._stats import median_ci, summarize

FIELDS = ('run_id', 'job_id', 'region', 'instance_type', 'benchmark', 'variant', 'state', 'valid',
          'metric', 'value', 'unit', 'cv', 'ci_low', 'ci_high', 'ci_level', 'repetitions', 'quality', 'compliant',
          'uarch', 'market', 'price_per_hour_usd', 'runtime_s', 'cost_usd', 'value_per_usd_hour')


def records(row):
    """The job's dataset records: one per metric; one without metric for a job with none
    (failed, timed out, still running), so every job is accounted for."""
    base = dict((field, row.get(field)) for field in FIELDS if field in row)
    base.update(metric=None, value=None, unit=None, cv=None, ci_low=None, ci_high=None, ci_level=None,
                repetitions=None, value_per_usd_hour=None)
    if not row.get('metrics'):
        return [base]
    out = []
    for metric in row['metrics']:
        record = dict(base, metric=metric['name'], value=metric['value'], unit=metric['unit'],
                      cv=metric.get('cv'), ci_low=metric.get('ci_low'), ci_high=metric.get('ci_high'),
                      ci_level=metric.get('ci_level'), repetitions=metric.get('n'))
        price = row.get('price_per_hour_usd')
        if price:
            record['value_per_usd_hour'] = round(metric['value'] / price, 6)
        out.append(record)
    return out


class DatasetWriter(object):
    """Writes dataset.jsonl and dataset.csv into `directory` atomically; `changed` tells
    whether either differs from what was there."""

    def __init__(self, directory, commit=True):
        """commit=False (check mode): temp files outside `directory`, which is not created."""
        self.directory, self.commit = directory, commit
        if commit and not os.path.isdir(directory):
            os.makedirs(directory)
        where = directory if commit else None
        self._jsonl = tempfile.NamedTemporaryFile('w', dir=where, prefix='.tmp-', suffix='.jsonl', delete=False)
        self._csv_file = tempfile.NamedTemporaryFile('w', dir=where, prefix='.tmp-', suffix='.csv',
                                                     delete=False, newline='')
        self._csv = csv.DictWriter(self._csv_file, fieldnames=FIELDS, lineterminator='\n')
        self._csv.writeheader()
        self.count = 0

    def write(self, record):
        self._jsonl.write(json.dumps(record, sort_keys=True) + '\n')
        self._csv.writerow(dict((k, '' if v is None else v) for k, v in record.items()))
        self.count += 1

    def close(self):
        """Returns {'changed', 'files'}; without commit, only whether they would change."""
        commit = self.commit
        self._jsonl.close()
        self._csv_file.close()
        changed = False
        files = []
        for tmp, name in ((self._jsonl.name, 'dataset.jsonl'), (self._csv_file.name, 'dataset.csv')):
            changed = replace_if_different(tmp, os.path.join(self.directory, name), commit) or changed
            files.append(os.path.join(self.directory, name))
        return {'changed': changed, 'files': files}


def replace_if_different(tmp, path, commit=True):
    """Move `tmp` over `path` unless the content is the same; `tmp` is gone either way. Returns changed."""
    changed = not (os.path.isfile(path) and _same(tmp, path))
    if changed and commit:
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    else:
        os.unlink(tmp)
    return changed


def write_text_if_different(path, text, commit=True):
    return write_bytes_if_different(path, text.encode('utf-8'), commit)


def write_bytes_if_different(path, data, commit=True):
    handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path) if commit else None, prefix='.tmp-')
    with io.open(handle, 'wb') as out:
        out.write(data)
    return replace_if_different(tmp, path, commit)


def _same(first, second, chunk=1 << 20):
    if os.path.getsize(first) != os.path.getsize(second):
        return False
    with open(first, 'rb') as one, open(second, 'rb') as two:
        while True:
            a, b = one.read(chunk), two.read(chunk)
            if a != b:
                return False
            if not a:
                return True


def label(instance_type, variant):
    """How a table or plot names a cell: the instance type, with its variant when not the default one."""
    return instance_type if (variant or 'default') == 'default' else '%s (%s)' % (instance_type, variant)


def _spread(cell):
    """The interval shown beside a type's median: one job's own interval over its repetitions;
    over several jobs, the median's interval over the jobs' values."""
    if len(cell['values']) == 1:
        return cell['intervals'][0]
    return median_ci(cell['values'])


def _quality_of(qualities):
    """A type is stable only when all its jobs were; one noisy job makes it noisy."""
    if 'noisy' in qualities:
        return 'noisy'
    return 'stable' if all(q == 'stable' for q in qualities) else 'unjudged'


class Aggregate(object):
    """What the report needs, fed row by row: state counts, problems, and per (benchmark,
    instance type) the headline values, prices and costs."""

    def __init__(self, problem_limit=50, job_limit=30):
        self.job_lines = []  # a line per job while there are few (the demo, small runs)
        self.job_limit = job_limit
        self.states = {}
        self.jobs = 0
        self.problems = []
        self.problem_count = 0
        self.problem_limit = problem_limit
        self._cells = {}
        self.cost_usd = 0.0
        self.priced_jobs = 0  # cost is unknown (None), not 0, when no job had a price
        self.runs = set()
        self.unsuccessful = []  # failed and timed-out jobs, with why (the first problem_limit)
        self.unsuccessful_count = 0

    def add(self, row):
        self.jobs += 1
        self.runs.add(row['run_id'])
        self.states[row['state']] = self.states.get(row['state'], 0) + 1
        if len(self.job_lines) <= self.job_limit:
            self.job_lines.append({'job_id': row['job_id'], 'instance_type': row['instance_type'],
                                   'uarch': row.get('uarch'), 'state': row['state'], 'summary': row.get('summary') or '-'})
        if row.get('cost_usd'):
            self.cost_usd += row['cost_usd']
            self.priced_jobs += 1
        if row['state'] in ('failed', 'timed_out'):
            self.unsuccessful_count += 1
            if len(self.unsuccessful) < self.problem_limit:
                self.unsuccessful.append({'job_id': row['job_id'], 'instance_type': row['instance_type'],
                                          'state': row['state'], 'reason': row.get('state_reason') or '-'})
        if row['problems']:
            self.problem_count += 1
            if len(self.problems) < self.problem_limit:
                self.problems.append({'job_id': row['job_id'], 'problems': row['problems']})
        metric = _benchmarks.headline_metrics().get(row['benchmark'])
        if metric and metric in row.get('headline', {}):
            # Variants (one thread, tuned, another BLAS) are never mixed in one median.
            cell = self._cells.setdefault((row['benchmark'], row['instance_type'], row.get('variant') or 'default'),
                                          {'values': [], 'prices': [], 'unit': None, 'uarch': row.get('uarch'),
                                           'intervals': [], 'qualities': []})
            cell['values'].append(row['headline'][metric])
            entry = [m for m in row['metrics'] if m['name'] == metric][0]
            cell['unit'] = entry['unit']
            cell['intervals'].append((entry.get('ci_low'), entry.get('ci_high'), entry.get('ci_level')))
            cell['qualities'].append(row.get('quality') or 'unjudged')
            if row.get('price_per_hour_usd'):
                cell['prices'].append(row['price_per_hour_usd'])

    def headline_table(self):
        """[{benchmark, metric, instance_type, uarch, n, median, unit, price_per_hour_usd,
        per_usd_hour}] sorted by benchmark then median, best first."""
        out = []
        for (benchmark, instance_type, variant), cell in self._cells.items():
            stats = summarize(cell['values'])
            price = sorted(cell['prices'])[len(cell['prices']) // 2] if cell['prices'] else None
            low, high, level = _spread(cell)
            out.append({'benchmark': benchmark, 'metric': _benchmarks.headline_metrics()[benchmark], 'instance_type': instance_type,
                        'variant': variant, 'label': label(instance_type, variant),
                        'uarch': cell['uarch'], 'n': len(cell['values']), 'median': stats['median'],
                        'ci_low': low, 'ci_high': high, 'ci_level': level, 'quality': _quality_of(cell['qualities']),
                        'unit': cell['unit'], 'price_per_hour_usd': price,
                        'per_usd_hour': round(stats['median'] / price, 3) if price else None})
        return sorted(out, key=lambda e: (e['benchmark'], -e['median'], e['instance_type'], e['variant']))

    def summary(self):
        done = sum(self.states.get(s, 0) for s in ('completed', 'failed', 'timed_out'))
        return {'runs': sorted(self.runs), 'jobs': self.jobs, 'states': dict(sorted(self.states.items())),
                'finished': done, 'percent_finished': round(100.0 * done / self.jobs, 1) if self.jobs else 0.0,
                'cost_usd': round(self.cost_usd, 4) if self.priced_jobs else None,
                'jobs_with_problems': self.problem_count,
                'problems': self.problems, 'job_lines': self.job_lines if self.jobs <= self.job_limit else [],
                'unsuccessful': self.unsuccessful, 'unsuccessful_count': self.unsuccessful_count}
