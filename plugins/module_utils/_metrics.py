# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: CloudWatch metrics of published runs (optional; publish sends them once per run).

Per run: `Jobs` by state, `RuntimeSeconds` and `CostUSD` (sums over its jobs); per run, instance
type, benchmark and variant: each headline metric's median over the run's counted jobs
(`<benchmark>.<metric>`, e.g. `stream.triad_bandwidth`). Datapoints carry the time the run's
jobs finished; CloudWatch refuses data older than two weeks, so such a run's datapoints are left
out and counted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils._job import parse_utc
from ansible_collections.instancebench.aws.plugins.module_utils._stats import summarize

MAX_AGE_S = 14 * 86400 - 3600
BATCH = 20   # datums per PutMetricData call (the API's long-standing limit)
_UNITS = {'GB/s': 'Gigabytes/Second', 's': 'Seconds'}


def _when(records, now):
    times = [parse_utc(r.get('finished_at') or r.get('measured_at')) for r in records]
    times = [t for t in times if t is not None]
    return max(times) if times else datetime.datetime.fromtimestamp(now, datetime.timezone.utc)


def run_datums(run_id, jobs, results, now):
    """(datums, stale): the run's datapoints, or ([], True) when they are too old for CloudWatch."""
    when = _when(jobs, now)
    if now - when.timestamp() > MAX_AGE_S:
        return [], True
    run = {'Name': 'Run', 'Value': run_id}
    datums = []
    states = {}
    for job in jobs:
        states[job['state']] = states.get(job['state'], 0) + 1
    for state, count in sorted(states.items()):
        datums.append({'MetricName': 'Jobs', 'Dimensions': [run, {'Name': 'State', 'Value': state}],
                       'Timestamp': when, 'Value': count, 'Unit': 'Count'})
    for name, field, unit in (('RuntimeSeconds', 'runtime_s', 'Seconds'), ('CostUSD', 'cost_usd', 'None')):
        values = [job[field] for job in jobs if job.get(field) is not None]
        if values:
            datums.append({'MetricName': name, 'Dimensions': [run], 'Timestamp': when, 'Value': round(sum(values), 6),
                           'Unit': unit})
    headlines = _benchmarks.headline_metrics()
    cells = {}
    for record in results:
        if headlines.get(record['benchmark']) == record['metric'] and record['counted']:
            cells.setdefault((record['instance_type'], record['benchmark'], record['variant'], record['metric']),
                             []).append(record)
    for (instance_type, benchmark, variant, metric), records in sorted(cells.items()):
        datums.append({'MetricName': '%s.%s' % (benchmark, metric), 'Timestamp': when,
                       'Dimensions': [run, {'Name': 'InstanceType', 'Value': instance_type},
                                      {'Name': 'Variant', 'Value': variant}],
                       'Value': summarize([r['value'] for r in records])['median'],
                       'Unit': _UNITS.get(records[0]['unit'], 'None')})
    return datums, False


def batches(datums):
    return [datums[i:i + BATCH] for i in range(0, len(datums), BATCH)]
