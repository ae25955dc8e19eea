#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: job_record
short_description: Record a launched job in the results store (the C(launched) sentinel), from the controller
version_added: "0.1.0"
description:
  - Writes C(status-launched.json) under the job's directory
    C(runs/run=<run_id>/region=<region>/type=<instance type>/benchmark=<benchmark>/job=<job_id>/), with the
    run id, job id, the plan, instance id, market, price per hour, when the instance was started,
    and the job's deadline (launch time + O(max_runtime_minutes), as a time and in seconds since
    the epoch).
  - The deadline is what collect compares the clock with; a job with no terminal sentinel after
    its deadline is C(timed_out). The record also says by when the benchmark must have started
    (C(start_by_epoch), launch time + O(start_grace_minutes)); a job with no C(running) sentinel by
    then was abandoned by its controller, and the next launch terminates its instance and retries it.
  - With O(state=leased), before anything is launched, takes the job's lease C(status-leased.json)
    with a conditional write (S3 C(If-None-Match), a hard link in a file store). Of two controllers
    on one run, one takes each job and the other leaves it alone (RV(held_by)).
  - Idempotent; an existing record with the same content is left alone.
  - With O(jobs) instead of O(job), records every job of a batch in one module run (launch.yml takes
    the leases and writes the launched records of its batch of job hosts so, not one run per host);
    RV(jobs) returns each job's key, record and lease holder. A store error is that job's alone (its
    entry's C(error), and a warning); the other jobs of the batch are recorded, and the caller fails
    only that job.
author:
  - instancebench.aws contributors (@instancebench)
options:
  run_id:
    description: Run identifier.
    type: str
    required: true
  job:
    description:
      - The job, as M(instancebench.aws.plan_info) returns it (C(job_id), C(instance_type), C(benchmark), C(replica)).
      - Exactly one of O(job) and O(jobs) is required.
    type: dict
  jobs:
    description:
      - Several jobs, each as O(job) is, recorded in one run with the same O(state) and the other options.
      - With O(state=launched), O(instances) gives each one's instance.
    type: list
    elements: dict
  instances:
    description:
      - With O(jobs), each job's instance (as O(instance) is) by job id; a job without one is recorded
        as O(instance) would be when empty.
    type: dict
    default: {}
  instance_region:
    description: Region of the instance (C(local) for hosts that are not EC2 instances); part of the key.
    type: str
    default: local
  plan:
    description:
      - The checked plan the job belongs to, kept in the record without its C(schedule) (every
        window's jobs would otherwise be copied into every job's record); the record names the
        schedule and the job's window instead.
    type: dict
    default: {}
  instance:
    description:
      - The instance as the ec2_provision role records it (C(id), C(availability_zone), C(market), C(price_per_hour_usd), C(launched_at)).
      - C(writer), the instance role's C(aws:userid) (C(<role id>:<instance id>)), is recorded as the
        job's writer - readers take the job's results from C(by=<writer>/) only.
    type: dict
    default: {}
  max_runtime_minutes:
    description: The plan's maximum runtime; the deadline is the instance's launch time (now if unknown) plus this.
    type: int
    required: true
  start_grace_minutes:
    description:
      - Minutes from the lease (or the instance's launch) by which the benchmark must have started.
    type: int
    default: 45
  lease_holder:
    description:
      - Who takes the lease (with O(state=leased)). One value per launch.yml invocation, so that
        the same invocation finds its own lease again and another one does not.
    type: str
    default: ''
  state:
    description:
      - C(launched) writes the launched record. C(failed) writes C(status-failed.json) with
        O(reason) instead, for a job that failed on the controller's side (launch, CPU check,
        build) before its instance could report; collect and later launches then see it ended.
        C(leased) takes the job's lease before its instance is launched.
    type: str
    choices: [leased, launched, failed]
    default: launched
  reason:
    description: Why the job failed (with O(state=failed)).
    type: str
    default: ''
extends_documentation_fragment:
  - instancebench.aws.results_store
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode.
  - Runs on the controller with its own credentials; nothing is written from the instance here.
"""

EXAMPLES = r"""
- name: Take the leases of a batch of jobs in one run
  instancebench.aws.job_record:
    store: s3://my-bench-results/instancebench
    run_id: 20261126T101500Z
    instance_region: us-east-1
    jobs: "{{ ansible_play_batch | map('extract', hostvars, 'instancebench_job') | list }}"
    max_runtime_minutes: 120
    lease_holder: controller-20261126T101500-1
    state: leased
  delegate_to: localhost
  run_once: true

- name: Record the job as launched
  instancebench.aws.job_record:
    store: s3://my-bench-results/instancebench
    run_id: 20261126T101500Z
    instance_region: us-east-1
    job: "{{ instancebench_job }}"
    instance: "{{ ec2_provision_instance }}"
    plan: "{{ __ec2_provision_plan }}"
    max_runtime_minutes: 120
  delegate_to: localhost
"""

RETURN = r"""
key:
  description: Store key of the record.
  returned: always
  type: str
  sample: runs/run=r1/region=us-east-1/type=c7a.large/benchmark=stream/job=stream-default-5b0c1f8e9a2d/status-launched.json
record:
  description: The record written (with O(state=leased), the lease this controller holds).
  returned: always
  type: dict
held_by:
  description: With O(state=leased), the lease another controller holds on this job (then nothing was written); else null.
  returned: always
  type: dict
jobs:
  description:
    - With O(jobs), by job id, what each job's record returns alone (C(key), C(record), C(held_by), C(changed)).
    - A job the store refused has C(error) (the message) and null C(key), C(record) and C(held_by).
  returned: when O(jobs) is given
  type: dict
  sample:
    stream-default-5b0c1f8e9a2d:
      key: runs/run=r1/region=us-east-1/type=c7a.large/benchmark=stream/job=stream-default-5b0c1f8e9a2d/status-leased.json
      record: {state: leased, holder: controller-1}
      held_by: null
      changed: true
"""

import datetime
import json
import time

from ansible_collections.instancebench.aws.plugins.module_utils import _job
from ansible_collections.instancebench.aws.plugins.module_utils import _lease
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule


def _stamp(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def build_lease(params, now):
    job = params['job']
    start_by_epoch = int(now) + 60 * params['start_grace_minutes']
    return {'state': 'leased', 'run_id': params['run_id'], 'job_id': job['job_id'], 'holder': params['lease_holder'],
            'taken_at': _stamp(int(now)), 'start_by': _stamp(start_by_epoch), 'start_by_epoch': start_by_epoch,
            'window': job.get('window')}


def build_record(params):
    job, instance = params['job'], params['instance']
    launched = _job.parse_utc(instance.get('launched_at'))
    started = launched.timestamp() if launched else time.time()
    deadline_epoch = int(started) + 60 * params['max_runtime_minutes']
    start_by_epoch = int(started) + 60 * params['start_grace_minutes']
    return {
        'state': 'launched', 'run_id': params['run_id'], 'job_id': job['job_id'],
        'plan': dict((k, v) for k, v in params['plan'].items() if k != 'schedule'),
        'schedule': (params['plan'].get('schedule') or {}).get('name'), 'window': job.get('window'),
        'variant': job.get('variant', 'default'),
        'region': params['instance_region'], 'instance_type': job.get('instance_type'), 'benchmark': job.get('benchmark'),
        'replica': job.get('replica', 0), 'attempt': job.get('attempt', 0), 'instance_id': instance.get('id'),
        # The only folder of the job whose objects count (readers ignore any other writer's).
        'writer': instance.get('writer'),
        'availability_zone': instance.get('availability_zone'), 'market': instance.get('market'),
        'price_per_hour_usd': instance.get('price_per_hour_usd'), 'started_at': instance.get('launched_at'),
        'deadline': _stamp(deadline_epoch), 'deadline_epoch': deadline_epoch,
        'start_by': _stamp(start_by_epoch), 'start_by_epoch': start_by_epoch,
    }


def check_job(module, job):
    for field in ('job_id', 'instance_type', 'benchmark'):
        if not job.get(field):
            module.fail_json(msg='job.%s is missing: pass the job as plan_info returns it' % field)


def record_job(module, store, params):
    """(changed, key, record, held_by) for params['job'] (and params['instance']) in the given state;
    a store error fails the module."""
    try:
        return store_job(module, store, params)
    except _store.StoreError as exc:
        module.fail_json(msg=str(exc))


def store_job(module, store, params):
    """record_job's work; raises StoreError naming the job and the store."""
    record = build_record(params)
    key = _store.job_prefix(params['run_id'], params['instance_region'], record['instance_type'], record['benchmark'],
                            record['job_id']) + '/status-launched.json'
    if params['state'] == 'failed':
        key = key.replace('/status-launched.json', '/status-failed.json')
        record = {'state': 'failed', 'run_id': params['run_id'], 'job_id': record['job_id'],
                  'reason': params['reason'][:2000], 'by': 'controller', 'window': record['window'],
                  'timestamp': _job.utc_now()}
    try:
        if params['state'] == 'leased':
            record = build_lease(params, time.time())
            key = key.replace('/status-launched.json', '/status-leased.json')
            changed, held_by = _lease.take_lease(store, key, record, module.check_mode)
            return changed, key, record, held_by
        current = store.get_json(key) if store.exists(key) else None
        changed = current != json.loads(json.dumps(record))
        if changed and not module.check_mode:
            store.put_json(key, record)
    except _store.StoreError as exc:
        raise _store.StoreError('cannot record job %s in %s: %s' % (record['job_id'], params['store'], exc))
    return changed, key, record, None


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            store=dict(type='str', required=True),
            run_id=dict(type='str', required=True),
            job=dict(type='dict'),
            jobs=dict(type='list', elements='dict'),
            instances=dict(type='dict', default={}),
            instance_region=dict(type='str', default='local'),
            instance=dict(type='dict', default={}),
            plan=dict(type='dict', default={}),
            max_runtime_minutes=dict(type='int', required=True),
            start_grace_minutes=dict(type='int', default=45),
            lease_holder=dict(type='str', default=''),
            state=dict(type='str', choices=['leased', 'launched', 'failed'], default='launched'),
            reason=dict(type='str', default=''),
        ),
        required_one_of=[('job', 'jobs')],
        mutually_exclusive=[('job', 'jobs'), ('instance', 'jobs')],
        supports_check_mode=True,
    )
    params = module.params
    if params['max_runtime_minutes'] < 1 or params['start_grace_minutes'] < 1:
        module.fail_json(msg='max_runtime_minutes and start_grace_minutes must be at least 1, got %s and %s'
                         % (params['max_runtime_minutes'], params['start_grace_minutes']))
    if params['state'] == 'leased' and not params['lease_holder']:
        module.fail_json(msg='lease_holder is required with state=leased: one value per launch.yml invocation')
    try:
        store = module.results_store(params['store'])
    except _store.StoreError as exc:
        module.fail_json(msg='cannot open the results store %s: %s' % (params['store'], exc))
    for job in params['jobs'] if params['jobs'] is not None else [params['job']]:
        check_job(module, job)   # every job before anything is written
    if params['jobs'] is None:
        changed, key, record, held_by = record_job(module, store, params)
        module.exit_json(changed=changed, key=key, record=record, held_by=held_by)
    # One module run for a batch: one boto3 session and one fork on the controller instead of one per job.
    # A store error is that job's alone (its entry's `error`): the caller fails that job's host, never
    # the batch's other jobs, some of which may be done or running already.
    results, errors = {}, []
    for job in params['jobs']:
        instance = params['instances'].get(job.get('job_id')) or {}
        try:
            changed, key, record, held_by = store_job(module, store, dict(params, job=job, instance=instance))
        except _store.StoreError as exc:
            results[job['job_id']] = {'key': None, 'record': None, 'held_by': None, 'changed': False, 'error': str(exc)}
            errors.append(str(exc))
            continue
        results[record['job_id']] = {'key': key, 'record': record, 'held_by': held_by, 'changed': changed}
    for error in errors:
        module.warn(error)
    module.exit_json(changed=any(result['changed'] for result in results.values()), jobs=results)


if __name__ == '__main__':
    main()
