# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/schedule.yml against moto (offerings per region, Service Quotas): plan files that
launch.yml's plan check accepts, byte-identical on a second run; refusals before planning; and a
due window of a generated plan launched, its job run with its variant's variables."""

import datetime
import hashlib
import json
import os

import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _plan
from harness import ec2
from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.processes import pids_mentioning, terminate_pid
from harness.stored_jobs import job_dir
from harness.waiting import wait_for

with open(os.path.join(REPO, 'playbooks', 'schedules', 'example.yml')) as _handle:
    EXAMPLE = yaml.safe_load(_handle)['instancebench_schedule']
# The windows and plans are under test, not STREAM: small arrays, seconds a job (as test_controller_death).
SMALL_STREAM = {'stream_ntimes': 10, 'stream_array_size': 2 * 10 ** 6}


def _batch_planner(tmp_path, ansible_home, moto, request):
    return run_playbook('schedule.yml', write_inventory(str(tmp_path / 'hosts.yml'), {}), ansible_home,
                        {'instancebench_schedule': request, 'instancebench_plan_dir': str(tmp_path / 'plans')},
                        env=moto.env())


def test_the_example_schedule_becomes_a_plan_launch_accepts(tmp_path, ansible_home, moto):
    first = _batch_planner(tmp_path, ansible_home, moto, EXAMPLE)
    assert first.returncode == 0, first.stdout[-4000:]
    path = tmp_path / 'plans' / 'weekly-seed-us-east-1.yml'
    text = path.read_text()
    assert '60 jobs in' in first.stdout and 'USD all on-demand' in first.stdout
    plan = yaml.safe_load(text)['instancebench_plan']
    checked, problems = _plan.check_plan(plan)
    assert problems == [], problems
    jobs = [job for window in checked['schedule']['windows'] for job in window['jobs']]
    assert len(jobs) == 60 and plan['max_concurrency'] == 5
    hpl_blis = [job for job in jobs if job['benchmark'] == 'hpl' and job['variant'] == 'blis']
    assert hpl_blis and all(job['role_vars'] == {'hpl_blas': 'blis'} for job in hpl_blis)
    assert plan['results'] == EXAMPLE['plan']['results'], 'launch settings are carried into the plan'
    # The same request again: the same bytes (and no change reported).
    second = _batch_planner(tmp_path, ansible_home, moto, EXAMPLE)
    assert second.returncode == 0 and path.read_text() == text
    assert second.recap['localhost']['changed'] == 0


def test_a_family_not_offered_and_a_quota_below_one_instance_are_refused(tmp_path, ansible_home, moto):
    request = dict(EXAMPLE, families={'m7i': ['large'], 'zz9': ['large', 'xlarge']}, vcpu_quota={'m7i': 1})
    proc = _batch_planner(tmp_path, ansible_home, moto, request)
    assert proc.returncode != 0
    assert 'vcpu_quota.m7i: quota 1 vCPUs is smaller than one m7i.large (2 vCPUs)' in proc.stdout
    request = dict(EXAMPLE, families={'m7i': ['large'], 'zz9': ['large', 'xlarge']})
    proc = _batch_planner(tmp_path, ansible_home, moto, request)
    assert proc.returncode != 0
    assert 'families.zz9: no size of zz9 is offered in us-east-1' in proc.stdout, proc.stdout[-3000:]
    assert not (tmp_path / 'plans').exists(), 'nothing is written when the request is refused'


def test_launch_runs_the_due_window_of_a_schedule_with_its_variant(
        tmp_path, ansible_home, moto, seaweed, s3_instance_host, mirror):
    """schedule.yml -> plan file -> launch.yml -e instancebench_window=due: the window's job runs
    with its variant's role variables (STREAM one-thread: 1 thread) and lands in S3 by its job id."""
    bucket = seaweed.create_bucket('schedule-run')
    today = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')
    plan_settings = ec2.plan(s3_instance_host, results={'bucket': bucket, 'prefix': 'ib'})
    request = {'name': 'sched-run', 'regions': ['us-east-1'], 'families': {ec2.FAMILY: [ec2.INSTANCE_TYPE.split('.')[1]]},
               'benchmarks': {'stream': ['one-thread']}, 'days': 1, 'start_date': today,
               'windows': [{'name': 'allday', 'start': '00:00', 'hours': 24, 'focus': ['stream']}],
               'max_jobs_per_day': 5, 'max_concurrency': 2,
               'plan': dict((k, plan_settings[k]) for k in ('results', 'networking', 'tags'))}
    env = dict(moto.env(), AWS_ENDPOINT_URL_S3=seaweed.url)
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    planned = run_playbook('schedule.yml', inventory, ansible_home, {'instancebench_schedule': request,
                                                                     'instancebench_plan_dir': str(tmp_path / 'plans')},
                           env=env)
    assert planned.returncode == 0, planned.stdout[-3000:]
    plan = yaml.safe_load((tmp_path / 'plans' / 'sched-run-us-east-1.yml').read_text())['instancebench_plan']
    extra = ec2.launch_vars('sched-run', plan, [s3_instance_host], mirror, tmp_path / 'work', instancebench_wait=False,
                            **SMALL_STREAM,
                            instancebench_window='due', instancebench_manifest_dir=str(tmp_path / 'manifests'))
    no_window = run_playbook('launch.yml', inventory, ansible_home, dict(extra, instancebench_window=''), env=env)
    assert no_window.returncode != 0 and 'window: this plan is a schedule' in no_window.stdout
    launch = run_playbook('launch.yml', inventory, ansible_home, extra, env=env)
    assert launch.returncode == 0, launch.stdout[-5000:]
    client = seaweed.client()
    wait_for(lambda: any(k.endswith('/status-completed.json') for k in seaweed.keys(bucket)), 300, 'the job')
    [result_key] = [k for k in seaweed.keys(bucket) if k.endswith('/result.json')]
    assert '/type=%s/benchmark=stream/job=stream-one-thread-' % ec2.INSTANCE_TYPE in result_key
    doc = json.loads(client.get_object(Bucket=bucket, Key=result_key)['Body'].read())
    assert doc['job']['variant'] == 'one-thread' and doc['parameters']['threads'] == 1, 'the variant set 1 thread'
    record = json.loads(client.get_object(Bucket=bucket, Key=job_dir(result_key) + '/status-launched.json')
                        ['Body'].read())
    assert record['window'] == 'd1-allday' and record['schedule'] == 'sched-run'
    assert 'schedule' not in record['plan'], "every job's record must not carry the whole schedule"
    stored = client.get_object(Bucket=bucket, Key='ib/runs/run=sched-run/schedule.json')
    body = stored['Body'].read()
    assert stored['Metadata']['sha256'] == hashlib.sha256(body).hexdigest(), 'the schedule carries its sha256 too'
    assert json.loads(body)['max_concurrency'] == plan['max_concurrency'] and json.loads(body)['run_id'] == 'sched-run'
    collect = run_playbook('collect.yml', inventory, ansible_home, {
        'instancebench_results_store': 's3://%s/ib' % bucket, 'instancebench_run_id': 'sched-run',
        'instancebench_report_dir': str(tmp_path / 'report')}, env=env)
    assert collect.returncode == 0, collect.stdout[-3000:]
    assert 'plan sched-run (run sched-run): 1 jobs: 1 completed, 0 running, 0 failed, 0 pending; 100.0 % done' \
        in collect.stdout


def test_windows_run_one_by_one_nothing_twice_and_the_failed_job_is_retried_then_given_up(
        tmp_path, ansible_home, moto, seaweed, s3_instance_host, mirror):
    """Two windows (one job a day): the first window's job (this machine's stand-in type, runs in
    the background), the controller gone, the second window's job (the same family one size up:
    twice the vCPUs this test host has, so its CPU check fails every time; the controller records
    the failure); then the due windows: the first
    job is not started again, the failed one is retried as attempt 1 (a new job id, a new
    instance); once more: retry_limit 1 is final."""
    bucket = seaweed.create_bucket('schedule-windows')
    two_days_ago = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=2)).strftime('%Y-%m-%d')
    settings = ec2.plan(s3_instance_host, results={'bucket': bucket, 'prefix': 'ib'})
    request = {'name': 'sched-win', 'regions': ['us-east-1'], 'families': {ec2.FAMILY: [t.split('.')[1] for t in (ec2.INSTANCE_TYPE, ec2.BIGGER_TYPE)]},
               'benchmarks': {'stream': ['one-thread']}, 'days': 2, 'start_date': two_days_ago,
               'windows': [{'name': 'early', 'start': '00:00', 'hours': 2, 'focus': ['stream']}],
               'max_jobs_per_day': 1, 'max_concurrency': 2, 'retry_limit': 1, 'retry_backoff_minutes': 0,
               'plan': dict((k, settings[k]) for k in ('results', 'networking'))}
    env = dict(moto.env(), AWS_ENDPOINT_URL_S3=seaweed.url)
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    assert run_playbook('schedule.yml', inventory, ansible_home, {
        'instancebench_schedule': request, 'instancebench_plan_dir': str(tmp_path / 'plans')}, env=env).returncode == 0
    plan = yaml.safe_load((tmp_path / 'plans' / 'sched-win-us-east-1.yml').read_text())['instancebench_plan']
    assert [[j['instance_type'] for j in w['jobs']] for w in plan['schedule']['windows']] == [[ec2.INSTANCE_TYPE], [ec2.BIGGER_TYPE]]
    client = seaweed.client()

    def launch(window, jobs=1):
        # One connection override per job launch.yml sees (both windows' jobs when `due`).
        extra = ec2.launch_vars('sched-win', plan, [s3_instance_host] * jobs, mirror, tmp_path / 'work', **SMALL_STREAM,
                                instancebench_wait=False, instancebench_window=window,
                                instancebench_manifest_dir=str(tmp_path / 'manifests'))
        return run_playbook('launch.yml', inventory, ansible_home, extra, env=env)

    def instances(kind):
        return [i for i in ec2.instances(moto, 'sched-win') if i['InstanceType'] == kind]

    def sentinels(name):
        keys = [item['Key'] for item in client.list_objects_v2(Bucket=bucket).get('Contents', [])]
        return sorted(k.split('/job=')[1].split('/')[0] for k in keys if k.endswith('/status-%s.json' % name))

    first = launch('d1-early')
    assert first.returncode == 0 and '1 jobs started and run on their own' in first.stdout, first.stdout[-3000:]
    for pid in pids_mentioning(s3_instance_host.control_dir):  # the controller is gone between windows
        terminate_pid(pid)
    second = launch('d2-early')
    assert second.returncode != 0 and '%s should be' % ec2.BIGGER_TYPE in second.stdout
    assert len(instances(ec2.INSTANCE_TYPE)) == 1 and len(instances(ec2.BIGGER_TYPE)) == 1 and len(sentinels('failed')) == 1
    due = launch('due', jobs=2)
    assert due.returncode != 0, due.stdout[-3000:]
    assert len(instances(ec2.INSTANCE_TYPE)) == 1, 'the first window\'s job is done or running: never started twice'
    assert len(instances(ec2.BIGGER_TYPE)) == 2 and len(sentinels('failed')) == 2, 'the failed job retried as attempt 1'
    again = launch('due', jobs=2)
    assert again.returncode != 0 and 'no retry left' in again.stdout
    assert len(instances(ec2.BIGGER_TYPE)) == 2, 'retry_limit 1 is final'
    record = json.loads(client.get_object(Bucket=bucket, Key=[
        item['Key'] for item in client.list_objects_v2(Bucket=bucket)['Contents']
        if item['Key'].endswith('/status-failed.json')][0])['Body'].read())
    assert record['by'] == 'controller' and '%s should be' % ec2.BIGGER_TYPE in record['reason'], record


def test_a_two_region_schedule_is_launched_one_plan_per_region(
        tmp_path, ansible_home, moto, seaweed, s3_instance_host, mirror):
    """One request, two regions: schedule.yml writes a plan per region; each is launched on its own
    (its region's network, instance and run id) and both jobs land under their region's key."""
    bucket = seaweed.create_bucket('schedule-regions')
    today = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')
    plan_settings = ec2.plan(s3_instance_host, results={'bucket': bucket, 'prefix': 'ib'})
    regions = ['us-east-1', 'us-west-2']
    request = {'name': 'sched-2r', 'regions': regions, 'instance_types': [ec2.INSTANCE_TYPE],
               'benchmarks': {'stream': ['one-thread']}, 'days': 1, 'start_date': today,
               'windows': [{'name': 'allday', 'start': '00:00', 'hours': 24, 'focus': ['stream']}],
               'max_jobs_per_day': 5, 'max_concurrency': 2,
               'plan': dict((k, plan_settings[k]) for k in ('results', 'networking', 'tags'))}
    env = dict(moto.env(), AWS_ENDPOINT_URL_S3=seaweed.url)
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    planned = run_playbook('schedule.yml', inventory, ansible_home, {'instancebench_schedule': request,
                                                                     'instancebench_plan_dir': str(tmp_path / 'plans')},
                           env=env)
    assert planned.returncode == 0, planned.stdout[-3000:]
    for region in regions:
        plan = yaml.safe_load((tmp_path / 'plans' / ('sched-2r-%s.yml' % region)).read_text())['instancebench_plan']
        assert plan['region'] == region
        extra = ec2.launch_vars('sched-2r-%s' % region, plan, [s3_instance_host], mirror, tmp_path / 'work', **SMALL_STREAM,
                                instancebench_wait=False, instancebench_window='due',
                                instancebench_manifest_dir=str(tmp_path / 'manifests'))
        launch = run_playbook('launch.yml', inventory, ansible_home, extra, env=env)
        assert launch.returncode == 0, launch.stdout[-5000:]
        launched = ec2.instances(moto, 'sched-2r-%s' % region, region=region)
        assert len(launched) == 1 and launched[0]['Placement']['AvailabilityZone'].startswith(region)
    wait_for(lambda: sum(k.endswith('/status-completed.json') for k in seaweed.keys(bucket)) == 2, 600, 'both jobs')
    results = sorted(k for k in seaweed.keys(bucket) if k.endswith('/result.json'))
    assert [('/region=%s/' % region) in key for key, region in zip(results, regions)] == [True, True], results
