#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: plan_info
short_description: Check a benchmark plan against its region and expand it into jobs
version_added: "0.1.0"
description:
  - Checks every field of a plan (see the C(ec2_provision) role's documentation for the format)
    and reports one problem per field, naming it and the fix. Nothing is created; only read-only
    EC2 calls are made (DescribeAvailabilityZones, DescribeInstanceTypes,
    DescribeInstanceTypeOfferings, DescribeSubnets, DescribeSecurityGroups, DescribeKeyPairs, S3
    HeadBucket and ListObjectsV2 on the run's prefix), and only once the plan itself is well formed.
  - Instance types are checked against DescribeInstanceTypes in the plan's region (unknown
    types are rejected, never guessed) and against the offerings of the chosen availability
    zones. The architecture, cores, threads per core and sustained clock of each type come from
    the same call.
  - Expands the plan into one job per (instance type, benchmark) with a deterministic job id and
    an ordered list of launch options (spot in every zone first, then on-demand, as the market
    allows).
  - The on-demand price per hour comes from the AWS Pricing API when it answers, else from
    O(price_table); the source is returned with each job.
author:
  - instancebench.aws contributors (@instancebench)
options:
  plan:
    description: The plan, as written by the user (the C(instancebench_plan) variable).
    type: dict
    required: true
  run_id:
    description: Run identifier (letters, digits, C(.), C(_), C(-)); part of every job id.
    type: str
    required: true
  price_table:
    description:
      - On-demand prices used when the Pricing API does not answer, as in the ec2_provision role's
        C(vars/prices.yml) (written by C(scripts/refresh_price_table.py)). Keys C(family_rate) (region, then
        family, then C(per) (C(vcpus) or C(memory_mib)) and C(usd) per unit and hour) and C(usd_per_hour)
        (region, then instance type, then USD per hour, for families not linear in size).
    type: dict
    default: {}
  use_pricing_api:
    description:
      - Ask the AWS Pricing API first for the region's whole Linux on-demand price list (paged, one attempt
        with short timeouts), kept in O(price_cache_dir) for the rest of the UTC day.
    type: bool
    default: true
  price_cache_dir:
    description: Where the Pricing API's price lists are kept, one file per region and UTC day.
    type: path
    default: ~/.cache/instancebench/prices
  pricing_region:
    description: Region of the Pricing API endpoint.
    type: str
    default: us-east-1
  window:
    description:
      - For a plan with a C(schedule) (from playbooks/schedule.yml), which windows' jobs to return;
        a window name, C(due) (every window whose start has passed; jobs already done or running
        are skipped by launch.yml) or C(all). Must be empty for a plan without a schedule.
    type: str
    default: ''
  defer_beyond_concurrency:
    description:
      - Keep the run within the plan's C(max_concurrency) jobs running at once (jobs started earlier
        and still running count); jobs beyond are returned with C(deferred=true) for a later
        invocation. False when launch.yml waits for each job (its batches limit instead).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode; it never changes anything.
"""

EXAMPLES = r"""
- name: Check the plan and list its jobs
  instancebench.aws.plan_info:
    plan:
      region: us-east-1
      instance_types: [c7g.large, c7a.large, m7i.large]
      benchmarks: [stream, hpl]
      market: spot-with-fallback
      max_runtime_minutes: 60
      results: {bucket: my-bench-results, prefix: instancebench}
    run_id: "20261125T120000Z"
  register: checked

- name: Show how many instances the plan launches
  ansible.builtin.debug:
    msg: "{{ checked.jobs | length }} jobs on {{ checked.architectures | join(', ') }}"
"""

RETURN = r"""
plan:
  description: The plan with every default filled in.
  returned: success
  type: dict
jobs:
  description: One entry per (instance type, benchmark), in plan order.
  returned: success
  type: list
  elements: dict
  contains:
    job_id:
      description: Deterministic job identifier.
      type: str
      sample: stream-default-3f2a9c0d1e4b
    instance_type:
      description: EC2 instance type.
      type: str
      sample: c7a.large
    benchmark:
      description: Benchmark the instance runs.
      type: str
      sample: stream
    hardware:
      description: architecture, vcpus, cores, threads_per_core, clock_ghz, manufacturer, memory_mib from DescribeInstanceTypes.
      type: dict
    skip:
      description:
        - Null when this launch launches the job; else its outcome, C(state) (done, in_flight, failed or deferred)
          and C(reason), from C(store_state) and C(deferred).
      type: dict
    launch_options:
      description:
        - Ordered launch options (market and zone), each with market, availability_zone and price_per_hour_usd;
          the first that launches is used. Not retries of a job (those are C(attempt)).
      type: list
      elements: dict
    on_demand_price_per_hour_usd:
      description: On-demand price, or null when unknown.
      type: float
    price_source:
      description: C(pricing-api), C(table) (a listed price), C(table-rate) (the family's rate times the type's size) or C(unknown).
      type: str
    result_stored:
      description: This run already has a result for the job in the results bucket; launch.yml launches nothing for it.
      type: bool
    store_state:
      description:
        - What the results store says of the job in this run. C(none) (not started), C(in_flight)
          (leased or launched by a controller, no terminal sentinel, deadline not passed; never launched
          twice), C(over) (failed, timed out or past its deadline; for a scheduled job, no retry left),
          C(abandoned) (launched, never started within the plan's C(start_grace_minutes), no retry left),
          C(waiting) (a scheduled job's retry, not before C(retry_at)), C(stored) (completed).
      type: str
    attempt:
      description:
        - Which attempt this is (0 first; a retry gets a new job id). Any job whose controller abandoned
          it is retried at once (twice at most); a scheduled job also after it failed or timed out.
      type: int
    deferred:
      description: Not to be launched now, to keep within the plan's C(max_concurrency) (O(defer_beyond_concurrency)).
      type: bool
results_run_prefix:
  description:
    - The S3 key prefix under which everything of this run is stored (the results prefix, then the
      store's C(runs/run=<run_id>/)); the instance role's policy is scoped to it.
  returned: success
  type: str
  sample: instancebench/runs/run=20261126T101500Z/
results_write_scope:
  description:
    - The keys an instance of this run may write and read, as an IAM resource pattern after the bucket
      name - any job's folder named after the caller's own C(aws:userid) (C(<role id>:<instance id>)),
      so an instance cannot write another job's results or sentinels.
  returned: success
  type: str
  sample: instancebench/runs/run=20261126T101500Z/*/by=${aws:userid}/*
results_cache_prefix:
  description:
    - The S3 key prefix of the build-artifact cache (instancebench.aws.build_cache); an instance reads any
      entry there and writes none.
  returned: success
  type: str
  sample: instancebench/cache/
results_cache_staging_prefix:
  description:
    - Where an instance stages the binaries it built (only in folders named after its own C(aws:userid)); the
      controller promotes them to the cache once their job checked out.
  returned: success
  type: str
  sample: instancebench/cache-staging/
abandoned:
  description:
    - Instances of this run's jobs that were launched and never started their benchmark within the
      plan's C(start_grace_minutes) (the controller stopped in between), each with the run and job
      it must carry in its own tags before anything terminates it.
  returned: success
  type: list
  elements: dict
  sample: [{instance_id: i-0123456789abcdef0, run_id: 20261126T101500Z, job_id: stream-default-5b0c1f8e9a2d}]
architectures:
  description: Architectures the plan needs (C(x86_64), C(arm64)), sorted.
  returned: success
  type: list
  elements: str
  sample: [arm64, x86_64]
zones:
  description: Availability zones used, in order.
  returned: success
  type: list
  elements: str
network:
  description:
    - With networking mode C(create), C(subnet_cidrs) (zone to CIDR of the subnet to create).
    - With mode C(existing), C(subnets) (zone to the user's subnet id in it).
  returned: success
  type: dict
times:
  description:
    - C(now_epoch), C(failsafe_minutes) (max runtime plus the buffer), C(failsafe_deadline_epoch)
      (when an instance launched now powers itself off) and C(expires_at) (ISO 8601 UTC, the
      expiry tag the orphan reaper reads).
  returned: success
  type: dict
problems:
  description: One message per problem found (the module fails when there is any).
  returned: failure
  type: list
  elements: str
"""

import time

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.instancebench.aws.plugins.module_utils import _collect
from ansible_collections.instancebench.aws.plugins.module_utils import _plan
from ansible_collections.instancebench.aws.plugins.module_utils import _planner
from ansible_collections.instancebench.aws.plugins.module_utils import _scheduled_jobs
from ansible_collections.instancebench.aws.plugins.module_utils import _build_cache
from ansible_collections.instancebench.aws.plugins.module_utils import _pricing
from ansible_collections.instancebench.aws.plugins.module_utils import _region
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule

_CHUNK = 100  # values per DescribeInstanceTypes filter


@AWSRetry.jittered_backoff()
def _paginate(client, operation, key, **kwargs):
    return client.get_paginator(operation).paginate(**kwargs).build_full_result()[key]


@AWSRetry.jittered_backoff()
def _call(call, key, **kwargs):
    return call(**kwargs)[key]


def _zones(ec2):
    found = _call(ec2.describe_availability_zones, 'AvailabilityZones',
                  Filters=[{'Name': 'zone-type', 'Values': ['availability-zone']}])
    return [zone['ZoneName'] for zone in found if zone.get('State', 'available') == 'available']


def _describe(ec2, types):
    found = {}
    for start in range(0, len(types), _CHUNK):
        chunk = types[start:start + _CHUNK]
        for entry in _paginate(ec2, 'describe_instance_types', 'InstanceTypes',
                               Filters=[{'Name': 'instance-type', 'Values': chunk}]):
            found[entry['InstanceType']] = _region.hardware(entry)
    offered = dict((name, set()) for name in types)
    for start in range(0, len(types), _CHUNK):
        chunk = types[start:start + _CHUNK]
        for entry in _paginate(ec2, 'describe_instance_type_offerings', 'InstanceTypeOfferings',
                               LocationType='availability-zone',
                               Filters=[{'Name': 'instance-type', 'Values': chunk}]):
            offered.setdefault(entry['InstanceType'], set()).add(entry['Location'])
    return found, offered


def _existing_network(ec2, plan):
    """mode existing: the subnets, security groups and key pair must exist; returns ({zone: subnet}, problems)."""
    net = plan['networking']
    subnets = _call(ec2.describe_subnets, 'Subnets', Filters=[{'Name': 'subnet-id', 'Values': net['subnet_ids']}])
    groups = _call(ec2.describe_security_groups, 'SecurityGroups',
                   Filters=[{'Name': 'group-id', 'Values': net['security_group_ids']}])
    keys = _call(ec2.describe_key_pairs, 'KeyPairs', Filters=[{'Name': 'key-name', 'Values': [net['key_name']]}])
    return _planner.existing_network_problems(plan, subnets, groups, keys)


def _api_prices(module, region):
    """{type: usd} of the region from the Pricing API (one paged price list, cached per UTC day), or
    {} with a warning when it does not answer."""
    config = botocore.config.Config(retries={'max_attempts': 1}, connect_timeout=3, read_timeout=10)
    pricing = module.client('pricing', region=module.params['pricing_region'], config=config)

    def fetch():
        items = []
        pages = pricing.get_paginator('get_products').paginate(ServiceCode='AmazonEC2',
                                                               Filters=_pricing.region_filters(region))
        for page in pages:
            items.extend(page.get('PriceList', []))
        return items
    try:
        prices, _cached = _pricing.cached_region_prices(module.params['price_cache_dir'], region,
                                                        time.strftime('%Y-%m-%d', time.gmtime()), fetch,
                                                        write=not module.check_mode)
        return prices
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.warn('Pricing API did not answer (%s); on-demand prices come from the price table'
                    % str(exc).splitlines()[0][:160])
        return {}


def _prices(module, plan, found):
    """{type: (usd_or_None, basis)}: the Pricing API's price when it answers, else the table's."""
    listed = _api_prices(module, plan['region']) if module.params['use_pricing_api'] else {}
    prices = {}
    for name in plan['instance_types']:
        if name in listed:
            prices[name] = (listed[name], 'pricing-api')
            continue
        prices[name] = _pricing.table_quote(module.params['price_table'], plan['region'], name, found.get(name))
        if prices[name][0] is None:
            module.warn('No on-demand price known for %s in %s: its cost will be empty' % (name, plan['region']))
    return prices


def _check_buckets(s3, plan):
    """The results bucket (and the mirror's) must exist and be reachable with these credentials."""
    problems = []
    wanted = [('results.bucket', plan['results']['bucket'])]
    if plan['sources_mirror']:
        wanted.append(('sources_mirror', plan['sources_mirror']['bucket']))
    for field, bucket in wanted:
        try:
            s3.head_bucket(Bucket=bucket)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            problems.append(_plan.problem(field, 'bucket %r cannot be reached (%s); create it or fix the name'
                                          % (bucket, str(exc).splitlines()[0][:120])))
    return problems


def _store_states(s3, plan, run_id, now):
    """{job id: (stored | in_flight | over | abandoned, ended epoch, controller record)} for the jobs
    this run already has in the results store (see _collect.store_state)."""
    store = _store.S3Store(plan['results']['bucket'], plan['results']['prefix'], client=s3)
    return dict((parts['job_id'], _collect.store_state(store, prefix, names, now))
                for prefix, names, parts in _collect.group_jobs(store.list(_store.run_prefix(run_id))))


def _spot_prices(ec2, plan, zones):
    """{(type, zone): latest Linux/UNIX spot price} when the plan may use spot; else {}."""
    if plan['market'] == 'on-demand':
        return {}
    history = _paginate(ec2, 'describe_spot_price_history', 'SpotPriceHistory',
                        InstanceTypes=plan['instance_types'], ProductDescriptions=['Linux/UNIX'],
                        StartTime=time.time() - 3600)
    return _region.latest_spot_prices(history, zones)


def _fail(module, problems):
    module.fail_json(msg='The plan has %d problem(s); nothing was created:\n- %s' % (len(problems), '\n- '.join(problems)),
                     problems=problems)


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            plan=dict(type='dict', required=True),
            run_id=dict(type='str', required=True),
            price_table=dict(type='dict', default={}),
            use_pricing_api=dict(type='bool', default=True),
            price_cache_dir=dict(type='path', default='~/.cache/instancebench/prices'),
            pricing_region=dict(type='str', default='us-east-1'),
            defer_beyond_concurrency=dict(type='bool', default=False),
            window=dict(type='str', default=''),
        ),
        supports_check_mode=True,
    )
    plan, windows, problems = _planner.check_request(module.params['plan'], module.params['run_id'],
                                                     module.params['window'], time.time())
    if problems:
        _fail(module, problems)

    ec2 = module.client('ec2', region=plan['region'])
    try:
        region_zones = _zones(ec2)
        found, offered = _describe(ec2, plan['instance_types'])
        if plan['networking']['mode'] == 'existing':
            subnets, problems = _existing_network(ec2, plan)
            # Only zones where the user gave us a subnet can take instances.
            region_zones = [zone for zone in region_zones if zone in subnets]
        else:
            subnets, problems = {}, []
        s3 = module.client('s3', region=plan['region'])
        problems.extend(_check_buckets(s3, plan))
    except is_boto3_error_code('AuthFailure') as exc:
        module.fail_json_aws(exc, msg='AWS refused the credentials while reading %s' % plan['region'])
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:  # pylint: disable=duplicate-except
        module.fail_json_aws(exc, msg='Could not read instance types, zones and network of %s' % plan['region'])
    zones, in_order, more = _region.check_against_region(plan, region_zones, found, offered)
    problems.extend(more)
    if problems:
        _fail(module, problems)
    if plan['networking']['mode'] == 'create':
        network = {'subnet_cidrs': _plan.subnet_cidrs(plan['networking']['vpc_cidr'], zones)}
    else:
        network = {'subnets': subnets}

    prices = _prices(module, plan, found)
    try:
        states = _store_states(s3, plan, module.params['run_id'], time.time())
    except (_store.StoreError, ValueError) as exc:
        module.fail_json(msg='Could not read the results of run %s: %s' % (module.params['run_id'], exc))
    try:
        spot = _spot_prices(ec2, plan, zones)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg='Could not read the spot price history of %s' % plan['region'])
    jobs = _planner.plan_jobs(plan, module.params['run_id'], found, in_order, prices, windows, states, time.time(),
                              module.params['defer_beyond_concurrency'], spot)
    results = _store.S3Store(plan['results']['bucket'], plan['results']['prefix'])
    run_prefix = results.full_key(_store.run_prefix(module.params['run_id']))
    module.exit_json(changed=False, plan=plan, jobs=jobs, zones=zones, network=network, times=_region.times(plan, time.time()),
                     abandoned=_scheduled_jobs.abandoned_instances(states, module.params['run_id']),
                     results_run_prefix=run_prefix, results_write_scope=_store.instance_write_scope(run_prefix),
                     results_cache_prefix=results.full_key(_build_cache.PREFIX),
                     results_cache_staging_prefix=results.full_key(_build_cache.STAGING),
                     architectures=sorted(set(found[name]['architecture'] for name in plan['instance_types'])))


if __name__ == '__main__':
    main()
