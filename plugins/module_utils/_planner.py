# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the planner's decisions, apart from the AWS calls plan_info makes.

`check_request` is everything that needs no AWS answer (the plan, the run id, which windows of a
scheduled plan); `existing_network_problems` judges what EC2 said about a plan's own network;
`plan_jobs` turns the region's answers and the store's states into the jobs launch.yml runs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _plan
from ansible_collections.instancebench.aws.plugins.module_utils import _region
from ansible_collections.instancebench.aws.plugins.module_utils import _scheduled_jobs
from ansible_collections.instancebench.aws.plugins.module_utils import _states

RUN_ID = re.compile(r'^[A-Za-z0-9._-]{1,48}\Z')  # IAM names: 'instancebench-' + run id <= 64


def check_request(raw_plan, run_id, window, now):
    """(checked plan, windows of a scheduled plan or None, problems) before any AWS call."""
    plan, problems = _plan.check_plan(raw_plan)
    windows = None
    if plan.get('schedule'):
        windows, why = _scheduled_jobs.select_windows(plan['schedule'], window, now)
        problems.extend([why] if why else [])
    elif window:
        problems.append(_plan.problem('window', 'this plan has no schedule; leave instancebench_window out, or make '
                                      'a schedule with playbooks/schedule.yml'))
    if not isinstance(run_id, str) or not RUN_ID.match(run_id):
        problems.append(_plan.problem('run_id', '%r: use 1-48 letters, digits, ".", "_" and "-"' % (run_id,)))
    return plan, windows, problems


def existing_network_problems(plan, subnets, groups, keys):
    """Networking mode existing: ({zone: the plan's first subnet there}, problems) from
    DescribeSubnets, DescribeSecurityGroups and DescribeKeyPairs answers for the plan's ids."""
    net, problems, by_zone = plan['networking'], [], {}
    zone_of = dict((subnet['SubnetId'], subnet['AvailabilityZone']) for subnet in subnets)
    for index, subnet in enumerate(net['subnet_ids']):
        if subnet not in zone_of:
            problems.append(_plan.problem('networking.subnet_ids[%d]' % index, '%s does not exist in %s'
                                          % (subnet, plan['region'])))
        else:
            by_zone.setdefault(zone_of[subnet], subnet)
    known = set(group['GroupId'] for group in groups)
    for index, group in enumerate(net['security_group_ids']):
        if group not in known:
            problems.append(_plan.problem('networking.security_group_ids[%d]' % index, '%s does not exist in %s'
                                          % (group, plan['region'])))
    if not keys:
        problems.append(_plan.problem('networking.key_name', 'no key pair %r in %s; import it first or use mode '
                                      'create' % (net['key_name'], plan['region'])))
    return by_zone, problems


def plan_jobs(plan, run_id, hardware, offered_in_order, prices, windows, states, now, defer, spot):
    """The jobs, in plan order, each as its current attempt, priced per launch option.

    hardware: {type: _region.hardware()}; offered_in_order: {type: [zones]}; prices: {type: (usd or
    None, source)}; states: {job id: store state tuple} (_collect.store_state); defer: bound the jobs
    started to max_concurrency (background mode); spot: {(type, zone): usd}."""
    jobs = _plan.expand_jobs(plan, run_id, hardware, offered_in_order,
                             dict((name, usd) for name, (usd, _source) in prices.items()), windows)
    # A job its controller abandoned (launched, never started) comes back as its next attempt (new
    # job id); a scheduled job also when it failed or timed out.
    jobs = _scheduled_jobs.resolve_attempts(jobs, states, now, _scheduled_jobs.retry_policy(plan.get('schedule')), run_id)
    for job in jobs:
        job['price_source'] = prices[job['instance_type']][1]
        job['result_stored'] = job['store_state'] == 'stored'
    _scheduled_jobs.defer_beyond(jobs, plan['max_concurrency'] if defer else 0)
    for job in jobs:
        job['skip'] = _states.skip_outcome(job)
    return _region.price_launch_options(jobs, spot)
