# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Spot fallback, capacity and quota errors. moto never runs out of capacity and launches spot
launch templates as on-demand, so these errors are INJECTED by tests/harness/fault_proxy.py
in front of moto; everything else is moto's real answer."""

import json

import pytest

from harness import ec2
from harness.ansible_runner import run_playbook, write_inventory
from harness.fault_proxy import FaultProxy
from harness.moto import CREDENTIALS


@pytest.fixture
def proxy(moto):
    front = FaultProxy(moto.url, {'aws_access_key_id': CREDENTIALS['AWS_ACCESS_KEY_ID'],
                                  'aws_secret_access_key': CREDENTIALS['AWS_SECRET_ACCESS_KEY']}).start()
    yield front
    front.stop()


def _launch(tmp_path, ansible_home, moto, proxy, extra):
    ec2.client(moto, 's3').create_bucket(Bucket='bench-results')
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    return run_playbook('launch.yml', inventory, ansible_home, extra, env=dict(
        moto.env(), AWS_ENDPOINT_URL=proxy.url, INSTANCEBENCH_RUN_LOG=str(tmp_path / 'run-log.jsonl')))


def test_spot_falls_back_zone_then_market_and_a_job_without_capacity_does_not_stop_the_plan(
        tmp_path, ansible_home, moto, proxy, instance_host, mirror):
    proxy.fail('VcpuLimitExceeded', instance_type=ec2.OTHER_TYPE)                  # no quota for it (first rule wins)
    proxy.fail('InsufficientInstanceCapacity', launch_template=True)              # no spot anywhere
    proxy.fail('InsufficientInstanceCapacity', instance_type=ec2.INSTANCE_TYPE, zone='us-east-1a')
    plan = ec2.plan(instance_host, instance_types=[ec2.INSTANCE_TYPE, ec2.OTHER_TYPE], market='spot-with-fallback',
                    availability_zones=['us-east-1a', 'us-east-1b'])
    extra = ec2.launch_vars('ec2-capacity', plan, [instance_host, instance_host], mirror, tmp_path / 'work')
    proc = _launch(tmp_path, ansible_home, moto, proxy, extra)

    ours = [(l['launch_template'], l['zone'], l['error']) for l in proxy.launches if l['instance_type'] == ec2.INSTANCE_TYPE]
    assert ours == [(True, 'us-east-1a', 'InsufficientInstanceCapacity'), (True, 'us-east-1b', 'InsufficientInstanceCapacity'),
                    (False, 'us-east-1a', 'InsufficientInstanceCapacity'), (False, 'us-east-1b', None)]
    other = [l['error'] for l in proxy.launches if l['instance_type'] == ec2.OTHER_TYPE]
    assert other == ['VcpuLimitExceeded'] * 4, 'every attempt of the job without quota is tried, then it is given up'

    # The plan went on: the first job ran; the run reports the other as not launched, with why.
    assert proc.returncode != 0
    assert '1 of 2 jobs did not complete' in proc.stdout
    assert 'not_launched (VcpuLimitExceeded)' in proc.stdout
    [instance] = ec2.instances(moto, 'ec2-capacity')
    assert instance['Placement']['AvailabilityZone'] == 'us-east-1b' and instance['InstanceType'] == ec2.INSTANCE_TYPE
    s3 = ec2.client(moto, 's3')
    job = ec2.tags(instance)['instancebench:job-id']
    role_id = ec2.client(moto, 'iam').get_role(RoleName='instancebench-ec2-capacity')['Role']['RoleId']
    key = 'ib/runs/run=ec2-capacity/region=us-east-1/type=%s/benchmark=stream/job=%s/by=%s:%s/result.json' % (
        ec2.INSTANCE_TYPE, job, role_id, instance['InstanceId'])
    result = json.loads(s3.get_object(Bucket='bench-results', Key=key)['Body'].read())
    assert result['instance']['availability_zone'] == 'us-east-1b'
    assert result['instance']['market'] == 'on-demand', 'the market actually used is recorded, not the one asked for'
    assert result['instance']['price_per_hour_usd'] == ec2.table_price(ec2.INSTANCE_TYPE)

    # The progress callback: a line per job change, and the JSON Lines run log.
    assert 'instancebench 0:' in proc.stdout and '1 not launched' in proc.stdout
    with open(tmp_path / 'run-log.jsonl') as handle:
        events = [json.loads(line) for line in handle]
    steps = dict((j, [e['state'] for e in events if e.get('job') == j and e['event'] == 'job_state']) for j in (job,))
    assert steps[job] == ['launched', 'running', 'completed', 'done']
    assert events[0]['event'] == 'run_start' and events[-1]['event'] == 'run_end'
    assert events[-1]['counts'] == {'done': 1, 'not_launched': 1}


def test_an_error_no_other_zone_can_fix_fails_the_job_at_once(tmp_path, ansible_home, moto, proxy, instance_host, mirror):
    proxy.fail('UnauthorizedOperation', instance_type=ec2.INSTANCE_TYPE)
    extra = ec2.launch_vars('ec2-denied', ec2.plan(instance_host), [instance_host], mirror, tmp_path / 'work')
    proc = _launch(tmp_path, ansible_home, moto, proxy, extra)
    assert proc.returncode != 0
    assert len(proxy.launches) == 1, 'a permission error is not retried in other zones'
    assert 'Launching %s failed' % ec2.INSTANCE_TYPE in proc.stdout and '1 of 1 jobs did not complete' in proc.stdout
    assert ec2.instances(moto, 'ec2-denied') == []
