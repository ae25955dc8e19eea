# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: what a region answers, as data - instance type hardware, the plan checked against the
region's zones and offerings, spot prices per attempt, the deadlines of a launch. Pure functions:
plan_info makes the AWS calls and hands their answers here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.instancebench.aws.plugins.module_utils import _plan

ARCHITECTURES = ('x86_64', 'arm64')


def hardware(entry):
    """The facts of one DescribeInstanceTypes entry a plan needs."""
    processor = entry.get('ProcessorInfo', {})
    vcpu = entry.get('VCpuInfo', {})
    arches = [arch for arch in ARCHITECTURES if arch in processor.get('SupportedArchitectures', [])]
    return {
        'architecture': arches[0] if arches else None,
        'vcpus': vcpu.get('DefaultVCpus'),
        'cores': vcpu.get('DefaultCores'),
        'threads_per_core': vcpu.get('DefaultThreadsPerCore'),
        'clock_ghz': processor.get('SustainedClockSpeedInGhz'),
        'manufacturer': processor.get('Manufacturer'),
        'memory_mib': entry.get('MemoryInfo', {}).get('SizeInMiB'),
    }


def check_against_region(plan, region_zones, found, offered):
    """Problems that need the region's data; returns (zones_in_use, offered_in_order, problems)."""
    problems = []
    zones = plan['availability_zones'] or region_zones
    for index, zone in enumerate(plan['availability_zones'] or []):
        if zone not in region_zones:
            problems.append(_plan.problem('availability_zones[%d]' % index, '%r is not an available zone of %s; '
                                          'choose from %s' % (zone, plan['region'], ', '.join(region_zones))))
    in_order = {}
    for index, name in enumerate(plan['instance_types']):
        where = 'instance_types[%d]' % index
        if name not in found:
            problems.append(_plan.problem(where, '%r does not exist in %s (DescribeInstanceTypes); check the '
                                                 'spelling or pick another region' % (name, plan['region'])))
            continue
        if found[name]['architecture'] is None:
            problems.append(_plan.problem(where, '%r supports neither x86_64 nor arm64' % name))
        in_order[name] = [zone for zone in zones if zone in offered.get(name, ())]
        if not in_order[name]:
            problems.append(_plan.problem(where, '%r is not offered in %s; it is offered in %s' % (
                name, ', '.join(zones), ', '.join(sorted(offered.get(name, ()))) or 'no zone of this region')))
    return zones, in_order, problems


def latest_spot_prices(history, zones):
    """{(type, zone): the latest Linux/UNIX spot price} from DescribeSpotPriceHistory entries."""
    latest = {}
    for entry in sorted(history, key=lambda item: item['Timestamp']):
        if entry['AvailabilityZone'] in zones:
            latest[(entry['InstanceType'], entry['AvailabilityZone'])] = float(entry['SpotPrice'])
    return latest


def price_launch_options(jobs, spot):
    """Each launch option carries the price it would pay: spot history for spot, on-demand otherwise."""
    for job in jobs:
        for option in job['launch_options']:
            if option['market'] == 'spot':
                option['price_per_hour_usd'] = spot.get((job['instance_type'], option['availability_zone']))
            else:
                option['price_per_hour_usd'] = job['on_demand_price_per_hour_usd']
    return jobs


def times(plan, now):
    """Deadlines for instances launched at `now`: failsafe power-off and the expiry tag."""
    failsafe_minutes = plan['max_runtime_minutes'] + _plan.EXPIRY_BUFFER_MINUTES
    expires = now + plan['expiry_hours'] * 3600
    return {'now_epoch': int(now), 'failsafe_minutes': failsafe_minutes,
            'failsafe_deadline_epoch': int(now + failsafe_minutes * 60),
            'expires_at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(expires))}
