# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: one collect pass — store rows streamed into the dataset, aggregated, reported."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.instancebench.aws.plugins.module_utils import _collect
from ansible_collections.instancebench.aws.plugins.module_utils import _dataset
from ansible_collections.instancebench.aws.plugins.module_utils import _ownership
from ansible_collections.instancebench.aws.plugins.module_utils import _plan_progress
from ansible_collections.instancebench.aws.plugins.module_utils import _report
from ansible_collections.instancebench.aws.plugins.module_utils import _report_data
from ansible_collections.instancebench.aws.plugins.module_utils import _store

DATASET_FILES = ('dataset.jsonl', 'dataset.csv')
REPORT_FILES = ('report.md', 'report.html')


def _plans_progress(store, by_run):
    """Progress of each run that was launched from a schedule (it has schedule.json)."""
    out = []
    for run_id in sorted(by_run):
        try:
            schedule = store.get_json(_store.schedule_key(run_id))
        except (_store.StoreError, ValueError):
            continue  # not a scheduled run
        out.append(_plan_progress.plan_progress(run_id, schedule, by_run[run_id]))
    return out


def write_collection(store, run_ids, dest, now, workers=16, commit=True, processes=1, store_factory=None):
    """Returns {changed, summary, headline, job_states, finished_instances, table, files}.
    commit=False writes nothing. processes/store_factory: see _collect.collect_rows."""
    writer = _dataset.DatasetWriter(dest, commit)
    aggregate = _dataset.Aggregate()
    plotted = _report_data.ReportData()
    states = {}
    by_run = {}  # {run id: {job id: {state, cost_usd}}} for a scheduled plan's progress
    # {region: [{instance_id, run_id, job_id}]} of jobs that are over (EC2 jobs only): what the
    # store says; collect.yml terminates only the instances whose own tags agree.
    finished_instances = {}
    for row in _collect.collect_rows(store, run_ids, now, workers, processes, store_factory):
        aggregate.add(row)
        plotted.add(row)
        states[row['job_id']] = row['state']
        by_run.setdefault(row['run_id'], {})[row['job_id']] = {'state': row['state'], 'cost_usd': row.get('cost_usd')}
        if row['state'] in _collect.TERMINAL_STATES and row.get('instance_id') and row['region'] != 'local':
            finished_instances.setdefault(row['region'], []).append(
                {'instance_id': row['instance_id'], 'run_id': row['run_id'], 'job_id': row['job_id'],
                 'well_formed': _ownership.is_instance_id(row['instance_id'])})
        for record in _dataset.records(row):
            writer.write(record)
    summary, headline = aggregate.summary(), aggregate.headline_table()
    summary['plans'] = _plans_progress(store, by_run)
    changed = writer.close()['changed']
    figures = plotted.finish(store)
    for name, text in (('report.md', _report.markdown(summary, headline, DATASET_FILES, figures)),
                       ('report.html', _report.html_page(summary, headline, DATASET_FILES, figures))):
        changed = _dataset.write_text_if_different(os.path.join(dest, name), text, commit) or changed
    return {'changed': changed, 'summary': summary, 'headline': headline, 'job_states': states,
            'finished_instances': finished_instances,
            'table': _report.text_lines(summary, headline, figures=figures),
            'files': [os.path.join(dest, name) for name in DATASET_FILES + REPORT_FILES]}
