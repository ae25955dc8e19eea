# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: how far a scheduled plan has come, from its schedule and what collect read.

A scheduled job is done once one of its attempts completed; failed once its last allowed attempt
failed or timed out; running while an attempt runs; pending otherwise (not launched yet, or
waiting for a retry).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.instancebench.aws.plugins.module_utils import _job


def plan_progress(run_id, schedule, rows_by_job):
    """rows_by_job: {job id: {'state', 'cost_usd'}} for the run. Returns one summary dict."""
    counts = {'completed': 0, 'running': 0, 'failed': 0, 'pending': 0}
    minutes_left, cost, estimated_done, estimated_all = 0, 0.0, 0.0, 0.0
    limit = schedule.get('retry_limit', 2)
    jobs = [job for window in schedule.get('windows', []) for job in window.get('jobs', [])]
    for job in jobs:
        attempts = [rows_by_job.get(_job.job_id(run_id, job['region'], job['instance_type'], job['benchmark'],
                                                job['variant'], 0, n)) for n in range(limit + 1)]
        seen = [row for row in attempts if row]
        cost += sum(row.get('cost_usd') or 0.0 for row in seen)
        estimated_all += job.get('estimated_cost_usd') or 0.0
        states = [row['state'] for row in seen]
        if 'completed' in states:
            kind = 'completed'
            estimated_done += job.get('estimated_cost_usd') or 0.0
        elif any(state in ('leased', 'launched', 'running') for state in states):
            kind = 'running'
        elif len(seen) > limit and all(state in ('failed', 'timed_out') for state in states):
            kind = 'failed'
        else:
            kind = 'pending'
        counts[kind] += 1
        if kind in ('pending', 'running'):
            minutes_left += job.get('estimated_minutes') or 0
    total = len(jobs)
    # Stores written before 0.4 call it max_concurrent.
    concurrent = max(1, int(schedule.get('max_concurrency', schedule.get('max_concurrent')) or 1))
    return dict(counts, run_id=run_id, schedule=schedule.get('name'), jobs=total,
                percent_done=round(100.0 * (counts['completed'] + counts['failed']) / total, 1) if total else 0.0,
                # Machine time left spread over the concurrent slots; window waits not counted.
                estimated_hours_left=round(minutes_left / 60.0 / concurrent, 1),
                cost_usd=round(cost, 4), estimated_cost_of_completed_usd=round(estimated_done, 4),
                estimated_cost_usd=round(estimated_all, 4))
