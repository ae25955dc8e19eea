#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: schedule_plan
short_description: Plan a batch of benchmark jobs into daily time windows, within quotas and caps
version_added: "0.1.0"
description:
  - Turns a schedule request (instance families and sizes or types, regions, benchmarks and
    their variants, days, daily windows, caps) into one plan per region that
    C(playbooks/launch.yml) runs window by window.
  - The request is checked first, every problem at once, each naming its field; then, per
    region, DescribeInstanceTypeOfferings confirms every requested type is offered and Service
    Quotas (when it answers) caps the vCPUs per family. Nothing is planned while a problem remains.
  - Placement rules (deterministic, same request gives the same plan) - size waves (all
    C(.large) first, sizes never share a window), each window's benchmark focus with rotation,
    at most C(max_concurrency) jobs at once, per-family vCPU quotas at every moment, at
    most C(max_jobs_per_day) jobs a day. Jobs that do not fit are refused, naming the
    cap to raise.
  - Each job carries its estimated duration and cost (on-demand, and with the spot policy).
author:
  - instancebench.aws contributors (@instancebench)
options:
  request:
    description:
      - The schedule request. Keys C(name), C(regions), C(families) (family to sizes) and/or
        C(instance_types), C(benchmarks) (a list, or benchmark to variant names), C(days),
        C(start_date) (YYYY-MM-DD), C(windows) (each C(name), C(start) HH:MM UTC, C(hours),
        C(focus)), C(max_jobs_per_day), C(max_concurrency), C(size_waves), C(rotation),
        C(spot_from_size), C(vcpu_quota) (family to vCPUs), C(default_vcpu_quota), C(retry_limit)
        and C(retry_backoff_minutes) (a failed or timed-out job comes back in a later launch), and C(plan)
        (launch settings copied into every plan - results, networking, os, tags, ...).
    type: dict
    required: true
  data:
    description: The planner's data (the schedule role's C(vars/main.yml) - sizes, waves, variants, default windows).
    type: dict
    required: true
  price_table:
    description: On-demand prices as in the ec2_provision role's C(vars/prices.yml); types it lacks get no cost.
    type: dict
    default: {}
  use_service_quotas:
    description: Read the Running On-Demand Standard instances vCPU quota (L-1216C47A) per region and cap the family quotas with it.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Read-only on AWS; supports check mode.
"""

EXAMPLES = r"""
- name: Plan a week of benchmarks
  instancebench.aws.schedule_plan:
    request:
      name: weekly
      regions: [us-east-1]
      families: {m7i: [large, xlarge], c7g: [large, xlarge]}
      days: 7
      start_date: "2026-12-01"
      max_jobs_per_day: 30
      max_concurrency: 5
      plan: {results: {bucket: my-bench-results, prefix: instancebench}, networking: {public_key_file: ~/.ssh/id_ed25519.pub}}
    data: "{{ _schedule_data }}"
    price_table: "{{ _ec2_provision_prices }}"
  register: planned
"""

RETURN = r"""
plans:
  description: Region to plan (what launch.yml takes as C(instancebench_plan)), each with its C(schedule) of windows and jobs.
  returned: success
  type: dict
summary:
  description: Jobs, windows, days, jobs per window, estimated cost with and without spot.
  returned: success
  type: dict
  sample: {jobs: 60, windows: 21, windows_used: 6, days: 7, days_used: 2, estimated_cost_usd: 6.81,
           estimated_cost_on_demand_usd: 16.09, jobs_without_price: 0, jobs_per_window: ["d1-morning: 6"]}
quotas:
  description: The vCPU quota used per region and family, and where it came from.
  returned: success
  type: dict
"""

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.instancebench.aws.plugins.module_utils import _pricing
from ansible_collections.instancebench.aws.plugins.module_utils import _batch_planner
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule

STANDARD_QUOTA_CODE = 'L-1216C47A'  # Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances, vCPUs
_STANDARD_CLASSES = tuple('acdhimrtz')


def _offered(module, region, types):
    ec2 = module.client('ec2', region=region)
    offered = set()
    paginator = ec2.get_paginator('describe_instance_type_offerings')
    for page in paginator.paginate(LocationType='region', Filters=[{'Name': 'instance-type', 'Values': types}]):
        offered.update(item['InstanceType'] for item in page.get('InstanceTypeOfferings', []))
    return offered


def _offering_problems(checked, offered_by_region):
    problems = []
    families = sorted(set(family for _name, family, _size in checked['types']))
    for region in checked['regions']:
        offered = offered_by_region[region]
        for family in families:
            mine = [name for name, fam, _size in checked['types'] if fam == family]
            missing = [name for name in mine if name not in offered]
            if len(missing) == len(mine):
                problems.append(_batch_planner.problem('families.%s' % family, 'no size of %s is offered in %s (asked: %s); '
                                                       'drop the family or the region' % (family, region, ', '.join(mine))))
            elif missing:
                problems.append(_batch_planner.problem('families.%s' % family, '%s not offered in %s; drop them'
                                                       % (', '.join(missing), region)))
    return problems


def _service_quota(module, region):
    try:
        answer = module.client('service-quotas', region=region).get_service_quota(
            ServiceCode='ec2', QuotaCode=STANDARD_QUOTA_CODE)
        return int(answer['Quota']['Value'])
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError, KeyError, ValueError) as exc:
        module.warn('Service Quotas did not answer for %s (%s); using the configured vCPU quotas'
                    % (region, str(exc).splitlines()[0][:120]))
        return None


def _apply_quotas(module, checked, data):
    """Per region the configured quota, capped by the account's Standard quota when known. The
    planner checks quotas per (region, family): keep the smallest over the regions."""
    quotas, sources = {}, {}
    for region in checked['regions']:
        standard = _service_quota(module, region) if module.params['use_service_quotas'] else None
        for family, configured in checked['vcpu_quota'].items():
            value, source = configured, 'configured'
            if standard is not None and family.startswith(_STANDARD_CLASSES) and standard < configured:
                value, source = standard, 'service-quotas %s' % STANDARD_QUOTA_CODE
            sources.setdefault(region, {})[family] = {'vcpus': value, 'source': source}
            quotas[family] = min(quotas.get(family, value), value)
    checked['vcpu_quota'] = quotas
    too_small = ['%s (%d vCPUs) exceeds the %s quota of %d vCPUs' % (name, data['size_vcpus'][size], family,
                                                                     quotas[family])
                 for name, family, size in checked['types'] if data['size_vcpus'][size] > quotas[family]]
    return sources, too_small


def _plans(request, checked, data, windows, summary):
    """One launch.yml plan per region: the request's launch settings plus the region's windows."""
    plans = {}
    for region in checked['regions']:
        mine = [dict(window, jobs=[dict(job, role_vars=data['variants'][job['benchmark']][job['variant']].get('vars', {}))
                                   for job in window['jobs'] if job['region'] == region]) for window in windows]
        jobs = [job for window in mine for job in window['jobs']]
        if not jobs:
            continue
        plan = dict(request.get('plan') or {})
        longest = max(job['estimated_minutes'] for job in jobs)
        plan.update({
            'name': checked['name'], 'region': region,
            'instance_types': sorted(set(job['instance_type'] for job in jobs)),
            'benchmarks': sorted(set(job['benchmark'] for job in jobs)),
            'market': 'spot-with-fallback' if any(job['market'] != 'on-demand' for job in jobs) else 'on-demand',
            'max_runtime_minutes': plan.get('max_runtime_minutes', min(24 * 60, 2 * longest)),
            'max_concurrency': checked['max_concurrency'],
            'schedule': {'name': checked['name'], 'start_date': checked['start_date'],
                         'retry_limit': checked['retry_limit'], 'retry_backoff_minutes': checked['retry_backoff_minutes'],
                         'windows': [w for w in mine if w['jobs']], 'summary': summary},
        })
        plans[region] = plan
    return plans


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            request=dict(type='dict', required=True),
            data=dict(type='dict', required=True),
            price_table=dict(type='dict', default={}),
            use_service_quotas=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    request, data = module.params['request'], module.params['data']
    checked, problems = _batch_planner.check_request(request, data)
    if problems:
        module.fail_json(msg='The schedule request has %d problem(s); nothing was planned:\n- %s'
                         % (len(problems), '\n- '.join(problems)), problems=problems)
    names = sorted(name for name, _family, _size in checked['types'])
    try:
        offered = dict((region, _offered(module, region, names)) for region in checked['regions'])
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg='Could not read the instance type offerings')
    problems = _offering_problems(checked, offered)
    sources, too_small = _apply_quotas(module, checked, data)
    problems.extend(_batch_planner.problem('vcpu_quota', message) for message in too_small)
    if problems:
        module.fail_json(msg='The schedule request has %d problem(s); nothing was planned:\n- %s'
                         % (len(problems), '\n- '.join(problems)), problems=problems)
    prices = dict(((region, name), _pricing.table_price(module.params['price_table'], region, name))
                  for region in checked['regions'] for name in names)
    jobs = _batch_planner.expand(checked, data, prices)
    try:
        windows = _batch_planner.plan_schedule(checked, jobs)
    except _batch_planner.Refusal as refusal:
        module.fail_json(msg='The jobs do not fit: %s' % refusal)
    summary = _batch_planner.summarize(windows, checked)
    module.exit_json(changed=False, plans=_plans(request, checked, data, windows, summary), summary=summary,
                     quotas=sources)


if __name__ == '__main__':
    main()
