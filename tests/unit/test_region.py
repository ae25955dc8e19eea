# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a region answers, as plan_info reads it: the real answers come from moto's copy of the EC2
catalog (DescribeInstanceTypes and the us-east-1 offerings, as AWS publishes them)."""

import gzip
import json
import os

import moto
import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _plan, _region

RESOURCES = os.path.join(os.path.dirname(moto.__file__), 'ec2', 'resources')


@pytest.fixture(scope='module')
def catalog():
    with gzip.open(os.path.join(RESOURCES, 'instance_types.json.gz')) as handle:
        return json.load(handle)


@pytest.fixture(scope='module')
def offered():
    with gzip.open(os.path.join(RESOURCES, 'instance_type_offerings', 'availability-zone', 'us-east-1.json.gz')) as handle:
        found = {}
        for entry in json.load(handle):
            found.setdefault(entry['InstanceType'], set()).add(entry['Location'])
        return found


def test_hardware_reads_every_catalog_entry(catalog):
    facts = dict((name, _region.hardware(entry)) for name, entry in catalog.items())
    assert facts['c7a.large'] == {'architecture': 'x86_64', 'vcpus': 2, 'cores': 2, 'threads_per_core': 1,
                                  'clock_ghz': catalog['c7a.large']['ProcessorInfo']['SustainedClockSpeedInGhz'],
                                  'manufacturer': 'AMD', 'memory_mib': 4096}
    assert facts['c7g.large']['architecture'] == 'arm64' and facts['m7i.large']['threads_per_core'] == 2
    assert facts['mac1.metal']['architecture'] is None, 'x86_64_mac is neither architecture a plan can run'
    assert all(f['architecture'] in ('x86_64', 'arm64', None) and f['vcpus'] for f in facts.values())


def _plan_for(types, zones=None):
    return {'region': 'us-east-1', 'instance_types': types, 'availability_zones': zones}


def test_the_plan_is_checked_against_the_regions_zones_and_offerings(catalog, offered):
    found = dict((name, _region.hardware(entry)) for name, entry in catalog.items())
    zones = sorted(set(z for locations in offered.values() for z in locations))
    used, in_order, problems = _region.check_against_region(_plan_for(['c7a.large', 'm7i.large']), zones, found, offered)
    assert problems == [] and used == zones
    assert in_order['c7a.large'] == [z for z in zones if z in offered['c7a.large']]
    _used, _order, problems = _region.check_against_region(
        _plan_for(['c7a.lrage', 'mac1.metal'], ['us-east-1a', 'us-east-9z']), zones, found, offered)
    where = [p.split(':')[0] for p in problems]
    assert where[:3] == ['availability_zones[1]', 'instance_types[0]', 'instance_types[1]']
    assert set(where[3:]) <= {'instance_types[1]'}, 'every problem of the Mac type is named, none of the others'
    assert "'c7a.lrage' does not exist in us-east-1" in problems[1] and 'neither x86_64 nor arm64' in problems[2]
    # A type offered only outside the zones the plan names: the zones where it is offered are named.
    only = sorted(offered['c7a.large'])
    missing = [z for z in zones if z not in only]
    if missing:
        _used, _order, problems = _region.check_against_region(_plan_for(['c7a.large'], [missing[0]]), zones, found,
                                                               offered)
        assert problems == [_plan.problem('instance_types[0]', "'c7a.large' is not offered in %s; it is offered in %s"
                                          % (missing[0], ', '.join(only)))]


def test_launch_options_pay_the_latest_spot_price_of_their_zone_or_on_demand():
    history = [{'InstanceType': 'c7a.large', 'AvailabilityZone': 'us-east-1a', 'SpotPrice': '0.05', 'Timestamp': 2},
               {'InstanceType': 'c7a.large', 'AvailabilityZone': 'us-east-1a', 'SpotPrice': '0.04', 'Timestamp': 1},
               {'InstanceType': 'c7a.large', 'AvailabilityZone': 'us-east-1f', 'SpotPrice': '0.01', 'Timestamp': 3}]
    spot = _region.latest_spot_prices(history, ['us-east-1a', 'us-east-1b'])
    assert spot == {('c7a.large', 'us-east-1a'): 0.05}
    jobs = [{'instance_type': 'c7a.large', 'on_demand_price_per_hour_usd': 0.10264,
             'launch_options': [{'market': 'spot', 'availability_zone': 'us-east-1a'},
                                {'market': 'spot', 'availability_zone': 'us-east-1b'},
                                {'market': 'on-demand', 'availability_zone': 'us-east-1a'}]}]
    _region.price_launch_options(jobs, spot)
    assert [a['price_per_hour_usd'] for a in jobs[0]['launch_options']] == [0.05, None, 0.10264]


def test_launch_deadlines_follow_the_plan():
    got = _region.times({'max_runtime_minutes': 60, 'expiry_hours': 2}, 1800000000.0)
    assert got['failsafe_minutes'] == 60 + _plan.EXPIRY_BUFFER_MINUTES
    assert got['failsafe_deadline_epoch'] == 1800000000 + got['failsafe_minutes'] * 60
    assert got['expires_at'] == '2027-01-15T10:00:00Z'
