#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: results_report
short_description: Tell every job's state from a results store, re-check its result and write the dataset and report
version_added: "0.1.0"
description:
  - Lists each run once under C(runs/run=<run_id>/) and tells each job's state from its status
    sentinels (C(launched), C(running), C(completed), C(failed), C(timed_out)); a job without a
    terminal sentinel whose deadline (from the controller's C(launched) record) has passed is
    C(timed_out).
  - Re-checks each C(result.json) against the sha256 recorded when it was written (object
    metadata, else the job's C(SHA256SUMS)) and against the result schema. A result that does not
    check out is reported under C(problems) and contributes no number.
  - Writes into O(dest) C(dataset.jsonl) and C(dataset.csv) (one record per job and metric, with
    cost = runtime x price per hour), C(report.md) and C(report.html). Files are replaced only
    when their content changes, so a second collect of the same store changes nothing.
  - The report has a section per registered benchmark with results, in the registry's order, with what
    its figure means, the headline median per instance type with the confidence interval of each
    median as an error bar, the same per USD-hour (higher-is-better figures with a price), every
    figure the registry plots side by side (FFTW's problems, STREAM's kernels), the latency curve
    with the cache sizes marked, and tables. The HTML is self-contained (inline SVG, no script);
    a figure without a price says why (C(no price (not an EC2 instance)) for a local host).
  - Reads results in parallel and streams them to the dataset; raw logs are never downloaded.
author:
  - instancebench.aws contributors (@instancebench)
options:
  run_ids:
    description: Runs to collect; every run in the store when empty.
    type: list
    elements: str
    default: []
  dest:
    description: Directory for the dataset and the report (created if missing).
    type: path
    required: true
  now_epoch:
    description: The time deadlines are compared with, in seconds since the epoch; now when omitted.
    type: float
  workers:
    description: Parallel reads per process (each job costs one request to S3).
    type: int
    default: 16
  processes:
    description:
      - Processes reading the run's partitions (region and instance type) side by side; reading
        S3 answers is CPU work one Python process does one at a time. 0 for one per CPU, at most 4.
    type: int
    default: 0
extends_documentation_fragment:
  - instancebench.aws.results_store
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode (reads the store and tells whether the files would change; writes nothing).
  - AWS options apply to C(s3://) stores only.
"""

EXAMPLES = r"""
- name: Collect one run from S3 into reports/
  instancebench.aws.results_report:
    store: s3://my-bench-results/instancebench
    run_ids: [20261126T101500Z]
    dest: "{{ playbook_dir }}/reports/20261126T101500Z"
  register: report

- name: Print the terminal table
  ansible.builtin.debug:
    msg: "{{ report.table }}"
"""

RETURN = r"""
summary:
  description: Jobs per state, percent finished, total cost and the jobs whose result did not check out.
  returned: always
  type: dict
  sample: {runs: [r1], jobs: 3, states: {completed: 2, timed_out: 1}, finished: 3, percent_finished: 100.0,
           cost_usd: 0.0213, jobs_with_problems: 0, problems: []}
headline:
  description:
    - Median headline value (STREAM triad, HPL GFLOP/s, ...) per benchmark and instance type, with the
      confidence interval of the median, quality and per USD-hour.
  returned: always
  type: list
  elements: dict
  sample: [{benchmark: stream, metric: triad_bandwidth, instance_type: c7a.large, variant: default, label: c7a.large,
            uarch: znver4, n: 2, median: 41.6, ci_low: 41.2, ci_high: 42.0, ci_level: 0.5, quality: stable,
            unit: GB/s, price_per_hour_usd: 0.10264, per_usd_hour: 405.3}]
job_states:
  description: Job id to state.
  returned: always
  type: dict
  sample: {stream-default-5b0c1f8e9a2d: completed}
finished_instances:
  description:
    - Per region, the EC2 instances the store names for jobs that are over (completed, failed, timed out,
      including past their deadline), each with the run and job it should belong to. collect.yml terminates
      only those whose own tags say so (the store is written by the instances and is not trusted for that).
  returned: always
  type: dict
  sample: {us-east-1: [{instance_id: i-0123456789abcdef0, run_id: 20261126T101500Z, job_id: stream-default-5b0c1f8e9a2d,
                        well_formed: true}]}
table:
  description: The summary and headline table as text lines for the terminal.
  returned: always
  type: list
  elements: str
files:
  description: Paths of the dataset and report files.
  returned: always
  type: list
  elements: str
"""

import os
import time

from ansible_collections.instancebench.aws.plugins.module_utils import _collect_pass
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule


def _open(module):
    """The store; for S3 with the module's AWS settings and a connection per worker."""
    return module.results_store(module.params['store'], workers=module.params['workers'])


def _processes(module):
    wanted = module.params['processes'] or min(4, os.cpu_count() or 1)
    return max(1, wanted)


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            store=dict(type='str', required=True),
            run_ids=dict(type='list', elements='str', default=[]),
            dest=dict(type='path', required=True),
            now_epoch=dict(type='float'),
            workers=dict(type='int', default=16),
            processes=dict(type='int', default=0),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params['workers'] < 1 or params['processes'] < 0:
        module.fail_json(msg='workers must be at least 1 and processes 0 or more, got %s and %s'
                         % (params['workers'], params['processes']))
    now = params['now_epoch'] if params['now_epoch'] is not None else time.time()
    try:
        outcome = _collect_pass.write_collection(_open(module), params['run_ids'], params['dest'], now,
                                                 params['workers'], commit=not module.check_mode,
                                                 processes=_processes(module), store_factory=lambda: _open(module))
    except _store.StoreError as exc:
        module.fail_json(msg='cannot read the results store: %s' % exc)
    module.exit_json(**outcome)


if __name__ == '__main__':
    main()
