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
  - Instead of families, a request can take a catalog C(selection) (the fields of
    M(instancebench.aws.instance_catalog)); each region then plans its own offered, selected types,
    vCPUs from DescribeInstanceTypes, and a type above its family's vCPU quota is left out (said, not refused).
  - With C(coverage) (C(every_weeks), C(budget_usd_per_week)) the request plans one week of a rotation
    that measures the whole selection at least every C(every_weeks) weeks, oldest first, within the
    budget; the rotation state is read from the results store (see O(store)) and returned as
    C(rotation.state) for M(instancebench.aws.rotation_record) to keep once the plans are written.
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
      - Or, instead of C(families)/C(instance_types), C(selection) (a catalog selection) and, for a
        budget-capped rotation, C(coverage) (C(every_weeks), C(budget_usd_per_week)).
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
  store:
    description:
      - Results store holding the rotation state of a C(coverage) request (C(s3://bucket/prefix) or a
        directory). Default - the request's C(plan.results) bucket and prefix.
    type: str
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
name:
  description: The schedule's name (the plan files are C(<name>-<region>.yml)).
  returned: success
  type: str
regions_without_jobs:
  description: Regions of the request with no job this time (no plan file; an earlier one is stale).
  returned: success
  type: list
  elements: str
left_out:
  description: What a catalog selection or the rotation left for later, per reason (C(quota), C(budget), C(not due yet), ...).
  returned: success
  type: list
  sample: [{region: us-east-1, instance_type: m7i.48xlarge, reason: "quota: 192 vCPUs, the m7i quota is 64"}]
left_out_lines:
  description: The same, grouped by reason with a few examples, and the rotation's week in one line (for the terminal).
  returned: success
  type: list
  elements: str
rotation:
  description:
    - For a C(coverage) request - C(key) (where the state lives in the store), C(state) (the state after
      this week's plan) and C(figures) (candidates, chosen, share per week, estimated cost, full cycle cost,
      weeks needed at this budget, and a C(warning) when the budget cannot cover the selection in time).
  returned: when the request has coverage
  type: dict
"""

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.instancebench.aws.plugins.module_utils import _batch_planner
from ansible_collections.instancebench.aws.plugins.module_utils import _catalog
from ansible_collections.instancebench.aws.plugins.module_utils import _pricing
from ansible_collections.instancebench.aws.plugins.module_utils import _region
from ansible_collections.instancebench.aws.plugins.module_utils import _rotation
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule

STANDARD_QUOTA_CODE = 'L-1216C47A'  # Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances, vCPUs
_STANDARD_CLASSES = tuple('acdhimrtz')


def _hardware(module, region, types):
    """{type: the catalog's facts (vCPUs, memory, ...)}: a burstable family is priced by memory."""
    found = {}
    paginator = module.client('ec2', region=region).get_paginator('describe_instance_types')
    for page in paginator.paginate(Filters=[{'Name': 'instance-type', 'Values': types}]):
        found.update((item['InstanceType'], _region.hardware(item)) for item in page.get('InstanceTypes', []))
    return found


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
    too_small = [(name, '%s (%d vCPUs) exceeds the %s quota of %d vCPUs' % (
        name, _batch_planner.vcpus_of(checked, data, name, size), family, quotas[family]))
        for name, family, size in checked['types'] if _batch_planner.vcpus_of(checked, data, name, size) > quotas[family]]
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


def _fail(module, problems):
    module.fail_json(msg='The schedule request has %d problem(s); nothing was planned:\n- %s'
                     % (len(problems), '\n- '.join(problems)), problems=problems)


def _selected(module, checked, data):
    """A catalog selection made per region: (request with its types, left_out, problems)."""
    selected, left, problems = {}, [], []
    for region in checked['regions']:
        try:
            entries = _catalog.read_catalog(module.client('ec2', region=region))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            module.fail_json_aws(exc, msg='Could not read the EC2 catalog of %s' % region)
        problems.extend('%s (%s)' % (p, region) for p in _catalog.check_selection(checked['selection'], entries))
        selected[region], _counts = _catalog.select(checked['selection'] or {}, entries)
    quotas, more = _batch_planner.family_quotas(module.params['request'], data,
                                                set(e['family'] for chosen in selected.values() for e in chosen))
    problems.extend(more)
    if problems:
        return None, [], problems
    for region, chosen in selected.items():
        fits = [e for e in chosen if e['vcpus'] <= quotas[e['family']]]
        left.extend({'region': region, 'instance_type': e['instance_type'],
                     'reason': 'quota: %d vCPUs, the %s quota is %d' % (e['vcpus'], e['family'], quotas[e['family']])}
                    for e in chosen if e['vcpus'] > quotas[e['family']])
        selected[region] = fits
    request = _batch_planner.with_catalog_types(dict(checked, vcpu_quota=quotas), selected)
    request['hardware'] = dict((e['instance_type'], e) for chosen in selected.values() for e in chosen)
    return request, left, _batch_planner.too_many_jobs(request)


def _store_url(module, request):
    if module.params['store']:
        return module.params['store']
    results = (request.get('plan') or {}).get('results') or {}
    if not results.get('bucket'):
        _fail(module, ['coverage: the rotation state lives in the results store: give plan.results {bucket, prefix} '
                       '(or the store option)'])
    return 's3://%s/%s' % (results['bucket'], results.get('prefix', ''))


def _rotate(module, checked, data, prices):
    """This week's share of the rotation: the request narrowed to it, what was left, and the rotation."""
    key = _rotation.STATE_KEY % checked['name']
    url = _store_url(module, module.params['request'])
    try:
        store = module.results_store(url)
        state = store.get_json(key) if store.exists(key) else _rotation.empty_state(checked['name'])
    except (_store.StoreError, ValueError) as exc:
        module.fail_json(msg='cannot read the rotation state %s in %s: %s' % (key, url, exc))
    narrowed, left, figures, new_state = _batch_planner.rotation_week(checked, data, prices, state)
    if figures.get('warning'):
        module.warn('coverage: ' + figures['warning'])
    rotation = {'key': key, 'store': url, 'figures': figures, 'state': new_state}
    return narrowed, left, rotation


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            request=dict(type='dict', required=True),
            data=dict(type='dict', required=True),
            price_table=dict(type='dict', default={}),
            store=dict(type='str'),
            use_service_quotas=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    request, data = module.params['request'], module.params['data']
    checked, problems = _batch_planner.check_request(request, data)
    if problems:
        _fail(module, problems)
    left = []
    if checked['selection'] is not None:
        checked, left, problems = _selected(module, checked, data)
    else:
        names = sorted(name for name, _family, _size in checked['types'])
        try:
            offered = dict((region, _offered(module, region, names)) for region in checked['regions'])
            checked['hardware'] = _hardware(module, checked['regions'][0], names)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            module.fail_json_aws(exc, msg='Could not read the instance type offerings')
        problems = _offering_problems(checked, offered)
    if problems:
        _fail(module, problems)
    sources, too_small = _apply_quotas(module, checked, data)
    if checked['selection'] is None:
        problems.extend(_batch_planner.problem('vcpu_quota', message) for _name, message in too_small)
    else:   # the account's quota is below a selected type: left, like the request's own quota
        dropped = set(name for name, _message in too_small)
        left.extend({'region': region, 'instance_type': name, 'reason': 'quota: ' + message}
                    for name, message in too_small for region in checked['regions'] if name in checked['region_types'][region])
        checked['region_types'] = dict((r, [n for n in names if n not in dropped]) for r, names in checked['region_types'].items())
    if problems:
        _fail(module, problems)
    hardware = checked.get('hardware', {})
    prices = dict(((region, name), _pricing.table_price(
        module.params['price_table'], region, name,
        hardware.get(name) or {'vcpus': _batch_planner.vcpus_of(checked, data, name, size)}))
        for region in checked['regions'] for name, _family, size in checked['types'])
    rotation = None
    if checked['coverage']:
        checked, more, rotation = _rotate(module, checked, data, prices)
        left.extend(more)
    jobs = _batch_planner.expand(checked, data, prices)
    try:
        windows = _batch_planner.plan_schedule(checked, jobs)
    except _batch_planner.Refusal as refusal:
        module.fail_json(msg='The jobs do not fit: %s' % refusal)
    summary = _batch_planner.summarize(windows, checked)
    plans = _plans(request, checked, data, windows, summary)
    result = dict(changed=False, plans=plans, summary=summary, name=checked['name'],
                  regions_without_jobs=[region for region in checked['regions'] if region not in plans],
                  quotas=sources, left_out=left,
                  left_out_lines=_rotation.summary_lines(rotation['figures'] if rotation else None, left))
    if rotation:
        result['rotation'] = rotation
    module.exit_json(**result)


if __name__ == '__main__':
    main()
