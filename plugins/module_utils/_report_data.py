# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: what the report plots beyond the headline table, fed row by row during a collect.

Per benchmark section (the registry's `report_metrics`): each instance type's median of every
plotted metric with its confidence interval and quality, by the headline table's rules (valid
results that kept the run rules; one job: its own interval, several: the interval over jobs). Per
benchmark with `curves` (the latency curve): the curves of the first few instance types, read from
their result.json again (rows do not carry curves) and used only when its sha256 is the one the
collect checked. Which instance types are not EC2 instances (no price to give, and why).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import json
import math
import posixpath

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _dataset
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils._stats import summarize

# Curves of more instance types than this in one plot are a tangle; the rest are named as left out.
CURVE_TYPES = 4


def label(row):
    """Instance type, with the variant when it is not the default one (as the headline table)."""
    return _dataset.label(row['instance_type'], row.get('variant'))


def result_key(row):
    """Where the row's result.json is: beside its raw log (the writer's folder), else at the job's prefix."""
    return posixpath.join(posixpath.dirname(row['raw_log_key']) if row.get('raw_log_key') else row['prefix'],
                          'result.json')


class ReportData(object):
    """Fed every row of a collect (add), then read once (finish)."""

    def __init__(self, curve_types=CURVE_TYPES):
        self._cells = {}        # (benchmark, label, metric) -> values, intervals, qualities, unit
        self._curve_jobs = {}   # (benchmark, label) -> (result key, its checked sha256, instance type)
        self.curve_types = curve_types
        self.jobs, self.local_jobs, self.local_types = 0, 0, set()

    def add(self, row):
        self.jobs += 1
        if row.get('region') == 'local':
            self.local_jobs += 1
            self.local_types.add(row['instance_type'])
        found = _benchmarks.get(row['benchmark'])
        if found is None or not row.get('valid') or not row.get('headline'):
            return  # no number, or a result that broke a run rule: not in the headline table either
        for metric in row['metrics']:
            if not any(fnmatch.fnmatchcase(metric['name'], pattern) for pattern in found.report_metrics):
                continue
            cell = self._cells.setdefault((found.name, label(row), metric['name']), {
                'values': [], 'intervals': [], 'qualities': [], 'unit': metric['unit'],
                'higher_is_better': metric.get('higher_is_better', True)})
            cell['values'].append(metric['value'])
            cell['intervals'].append((metric.get('ci_low'), metric.get('ci_high'), metric.get('ci_level')))
            cell['qualities'].append(row.get('quality') or 'unjudged')
        if found.curves and row.get('result_sha256'):
            self._curve_jobs.setdefault((found.name, label(row)), (result_key(row), row['result_sha256'],
                                                                   row['instance_type']))

    def figures(self):
        """{benchmark: [{metric, label, n, median, ci_low, ci_high, ci_level, quality, unit,
        higher_is_better}]} in metric then label order."""
        out = {}
        for (benchmark, name, metric), cell in sorted(self._cells.items()):
            low, high, level = _dataset._spread(cell)
            out.setdefault(benchmark, []).append({
                'benchmark': benchmark, 'metric': metric, 'label': name, 'n': len(cell['values']),
                'median': summarize(cell['values'])['median'], 'ci_low': low, 'ci_high': high, 'ci_level': level,
                'quality': _dataset._quality_of(cell['qualities']), 'unit': cell['unit'],
                'higher_is_better': cell['higher_is_better']})
        return out

    def curves(self, store):
        """{benchmark: {lines: [(label, curve name, points)], marks: [(bytes, level, label)],
        hidden: instance types left out, problems: [...]}} for the first curve_types instance types."""
        out = {}
        for (benchmark, name), (key, sha256, _type) in sorted(self._curve_jobs.items()):
            spec = _benchmarks.get(benchmark).curves
            entry = out.setdefault(benchmark, {'lines': [], 'marks': [], 'hidden': 0, 'problems': [], 'types': 0})
            if entry['types'] >= self.curve_types:
                entry['hidden'] += 1
                continue
            doc, problem = _read_checked(store, key, sha256)
            if problem:
                entry['problems'].append('%s: %s' % (name, problem))
                continue
            entry['types'] += 1
            curves = ((doc.get('build') or {}).get('observed') or {}).get('curves') or {}
            if not isinstance(curves, dict):
                entry['problems'].append('%s: its curves are not a mapping of name to points' % name)
                continue
            for curve in sorted(curves):
                if any(fnmatch.fnmatchcase(curve, pattern) for pattern in spec.get('lines', ())):
                    points, bad = _points(curves[curve])
                    if bad:   # the result came from the instance: bad data is said, never a crash
                        entry['problems'].append('%s %s: %d point(s) that are not two positive finite numbers left out'
                                                 % (name, curve, bad))
                    entry['lines'].append((name, curve, points))
            caches = (doc.get('system') or {}).get('caches') or {}
            for level in spec.get('marks', ()):
                size = caches.get(level)
                size = size.get('size_bytes') if isinstance(size, dict) else size
                if isinstance(size, int) and size > 0:
                    entry['marks'].append((size, level, name))
        return out

    def finish(self, store):
        """What the report functions take as `figures`."""
        return {'figures': self.figures(), 'curves': self.curves(store), 'local_types': sorted(self.local_types),
                'all_local': bool(self.jobs) and self.local_jobs == self.jobs}


def _read_checked(store, key, sha256):
    """(result document, None) when the object at key still has the sha256 the collect checked,
    else (None, why)."""
    try:
        data = store.get(key)
    except _store.StoreError as exc:
        return None, 'cannot read %s again: %s' % (key, exc)
    if _store.sha256_bytes(data) != sha256:
        return None, '%s changed since the collect checked it; its curve is left out' % key
    try:
        doc = json.loads(data.decode('utf-8'))
    except ValueError as exc:
        return None, '%s is not JSON: %s' % (key, exc)
    return (doc, None) if isinstance(doc, dict) else (None, '%s is not a JSON object' % key)


def _points(raw):
    """([[x, y], ...] of two finite numbers with x > 0 and y >= 0, how many others were left out)."""
    if not isinstance(raw, list):
        return [], 1
    good = [[float(p[0]), float(p[1])] for p in raw
            if isinstance(p, (list, tuple)) and len(p) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in p)
            and p[0] > 0 and p[1] >= 0]
    return good, len(raw) - len(good)
