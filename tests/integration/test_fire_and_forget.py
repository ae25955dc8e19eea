# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end, fire and forget: moto (EC2) + SeaweedFS (S3) + an sshd test host as the instance.
launch.yml starts the job and returns; the controller is gone (its SSH connections killed too);
the job finishes on its own, stores everything and powers off; collect.yml finds it all."""

import csv
import json
import os
import time

from harness import ec2
from harness.ansible_runner import run_playbook, write_inventory
from harness.processes import pids_mentioning, terminate_pid
from harness.stored_jobs import job_dir
from harness.waiting import wait_for

RUN = 'ff-e2e'


def test_launch_returns_the_job_finishes_without_the_controller_and_collect_reports_it(
        tmp_path, ansible_home, moto, seaweed, s3_instance_host, mirror):
    bucket = seaweed.create_bucket('ff-e2e-results')
    s3 = seaweed.client()
    plan = ec2.plan(s3_instance_host, results={'bucket': bucket, 'prefix': 'ib'})
    work = tmp_path / 'work'
    extra = ec2.launch_vars(RUN, plan, [s3_instance_host], mirror, work, instancebench_wait=False,
                            instancebench_manifest_dir=str(tmp_path / 'manifests'),
                            # Long enough that the job is still running when launch.yml returns.
                            stream_ntimes=300, stream_repetitions=2, stream_max_repetitions=2)
    # The controller: EC2 calls go to moto, S3 calls (plan check, launched record) to SeaweedFS.
    env = dict(moto.env(), AWS_ENDPOINT_URL_S3=seaweed.url, INSTANCEBENCH_RUN_LOG=str(tmp_path / 'run-log.jsonl'))
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    launch = run_playbook('launch.yml', inventory, ansible_home, extra, env=env)
    returned = time.time()
    assert launch.returncode == 0, launch.stdout[-6000:]
    assert '1 jobs started and run on their own' in launch.stdout

    # The controller is gone: kill what it left behind (its SSH master connection) too.
    for pid in pids_mentioning(s3_instance_host.control_dir):
        terminate_pid(pid)
    prefix = 'ib/runs/run=%s/region=us-east-1/type=%s/benchmark=stream/' % (RUN, ec2.INSTANCE_TYPE)
    in_flight = [k.rsplit('/', 1)[1] for k in seaweed.keys(bucket, prefix)]
    assert 'status-launched.json' in in_flight and 'status-completed.json' not in in_flight, \
        'launch.yml should return while the job still runs: %s' % in_flight
    [instance] = ec2.instances(moto, RUN)
    assert instance['State']['Name'] == 'running', 'the controller must leave a background job alone'

    wait_for(lambda: any(k.endswith('/status-completed.json') for k in seaweed.keys(bucket, prefix)), 300,
             'the job to complete on its own')
    names = sorted(k.rsplit('/', 1)[1] for k in seaweed.keys(bucket, prefix))
    assert names == ['SHA256SUMS', 'job.json', 'raw-rep1.log', 'raw.log', 'result.json', 'status-completed.json',
                     'status-launched.json', 'status-leased.json', 'status-running.json', 'system.json']
    [launched_key] = [k for k in seaweed.keys(bucket, prefix) if k.endswith('/status-launched.json')]
    record = json.loads(s3.get_object(Bucket=bucket, Key=launched_key)['Body'].read())
    assert record['instance_id'] == instance['InstanceId'] and record['market'] == 'on-demand'
    # The instance wrote in its own folder only: the one named after its role session (aws:userid).
    profile = instance['IamInstanceProfile']['Arn'].rsplit('/', 1)[1]
    [role] = ec2.client(moto, 'iam').get_instance_profile(InstanceProfileName=profile)['InstanceProfile']['Roles']
    role_id = role['RoleId']
    assert record['writer'] == '%s:%s' % (role_id, instance['InstanceId'])
    host_keys = [k for k in seaweed.keys(bucket, prefix) if job_dir(k) != k.rsplit('/', 1)[0]]
    assert host_keys and all('/by=%s/' % record['writer'] in k for k in host_keys), host_keys
    assert record['price_per_hour_usd'] == ec2.table_price(ec2.INSTANCE_TYPE) and record['plan']['max_runtime_minutes'] == 30
    assert record['deadline_epoch'] - returned < 31 * 60
    poweroff_log = work / 'poweroff-standin.log'
    wait_for(poweroff_log.exists, 30, 'the power-off stand-in')
    assert len(poweroff_log.read_text().splitlines()) == 1
    # Ansible's status file of the background job sits in the one private directory asked for.
    assert (work / 'async').stat().st_mode & 0o777 == 0o700

    def statuses():
        return [json.loads(p.read_text()) for p in (work / 'async').iterdir() if p.is_file()]

    # async_wrapper replaces its interim status ({"started": 1, "finished": 0}) with the module's
    # answer a moment after the module (and its power-off) ended.
    wait_for(lambda: all(s.get('finished', 1) for s in statuses()), 30, "Ansible's job status to be final")
    statuses = statuses()
    assert [s.get('state') for s in statuses] == ['completed'] and statuses[0]['powered_off'] is True

    manifest = json.loads((tmp_path / 'manifests' / ('%s.json' % RUN)).read_text())
    assert manifest['results_store'] == 's3://%s/ib' % bucket
    assert [(j['state'], j['instance']['id']) for j in manifest['jobs']] == [('running', instance['InstanceId'])]

    report_dir = tmp_path / 'report'
    collect_vars = {'instancebench_results_store': 's3://%s/ib' % bucket, 'instancebench_run_id': RUN,
                    'instancebench_report_dir': str(report_dir), 'instancebench_collect_terminate': True}
    # The stand-in power-off does not reach moto: the instance still shows running, and collect's
    # optional clean-up terminates the instances of jobs that are over.
    assert ec2.instances(moto, RUN, states=('running',))
    collect = run_playbook('collect.yml', inventory, ansible_home, collect_vars, env=env)
    assert collect.returncode == 0, collect.stdout[-4000:]
    assert 'runs %s: 1 jobs (1 completed); 100.0 %% finished' % RUN in collect.stdout
    with open(str(report_dir / 'dataset.csv')) as handle:
        rows = list(csv.DictReader(handle))
    triad = [r for r in rows if r['metric'] == 'triad_bandwidth'][0]
    assert triad['state'] == 'completed' and triad['instance_type'] == ec2.INSTANCE_TYPE and float(triad['value']) > 1
    # Cost: launch to the job's end, at the price it ran at.
    assert 0 < float(triad['runtime_s']) < 600 and float(triad['cost_usd']) == \
        round(float(triad['runtime_s']) / 3600 * ec2.table_price(ec2.INSTANCE_TYPE), 6)
    assert ec2.INSTANCE_TYPE in (report_dir / 'report.html').read_text()
    assert not ec2.instances(moto, RUN, states=('pending', 'running'))
    events = [json.loads(line) for line in open(str(tmp_path / 'run-log.jsonl'))]
    assert (tmp_path / 'run-log.jsonl').stat().st_mode & 0o777 == 0o600, 'the run log is its owner\'s only'
    assert [e['state'] for e in events if e['event'] == 'job_state'][-1] == 'running'

    again = run_playbook('collect.yml', inventory, ansible_home, collect_vars, env=env)
    assert again.returncode == 0 and again.recap['localhost']['changed'] == 0, 'a second collect changes nothing'
    assert os.path.getsize(str(report_dir / 'dataset.jsonl')) > 0


def test_max_concurrency_holds_across_invocations_and_nothing_starts_twice(
        tmp_path, ansible_home, moto, seaweed, s3_instance_host, mirror):
    """Background jobs outlive launch.yml, so max_concurrency counts the run's jobs still running:
    the second job waits (deferred), a launch while the first runs starts nothing, the next one
    after it finished starts the second."""
    run = 'ff-limit'
    bucket = seaweed.create_bucket('ff-limit-results')
    plan = ec2.plan(s3_instance_host, results={'bucket': bucket, 'prefix': 'ib'}, instances_per_type=2,
                    max_concurrency=1)
    work = tmp_path / 'work'
    extra = ec2.launch_vars(run, plan, [s3_instance_host, s3_instance_host], mirror, work, instancebench_wait=False,
                            instancebench_manifest_dir=str(tmp_path / 'manifests'),
                            stream_ntimes=600, stream_repetitions=2, stream_max_repetitions=2,
                            stream_array_size=10 ** 7)   # fixed 240 MB (not 4 x this LLC): ~30 s, outlives the second launch's check
    env = dict(moto.env(), AWS_ENDPOINT_URL_S3=seaweed.url)
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    prefix = 'ib/runs/run=%s/' % run

    def completed():
        return sum(1 for k in seaweed.keys(bucket, prefix) if k.endswith('/status-completed.json'))

    first = run_playbook('launch.yml', inventory, ansible_home, extra, env=env)
    assert first.returncode == 0, first.stdout[-6000:]
    assert '1 jobs started and run on their own' in first.stdout and '1 jobs deferred (max_concurrency 1)' in first.stdout
    assert len(ec2.instances(moto, run)) == 1

    second = run_playbook('launch.yml', inventory, ansible_home, extra, env=env)
    assert second.returncode == 0, second.stdout[-6000:]
    assert completed() == 0, 'the first job must still be running for this check to mean anything'
    assert 'already running in this run' in second.stdout and '1 jobs deferred' in second.stdout
    assert len(ec2.instances(moto, run)) == 1, 'nothing may start while max_concurrency jobs run'

    wait_for(lambda: completed() == 1, 300, 'the first job')
    third = run_playbook('launch.yml', inventory, ansible_home, extra, env=env)
    assert third.returncode == 0, third.stdout[-6000:]
    assert '1 jobs started and run on their own' in third.stdout and 'deferred' not in third.stdout.split('TASK [Fail when')[-1]
    assert len(ec2.instances(moto, run)) == 2
    wait_for(lambda: completed() == 2, 300, 'the second job')
    launched = [k for k in seaweed.keys(bucket, prefix) if k.endswith('/status-launched.json')]
    assert len(launched) == 2 and len(set(k.split('/job=')[1] for k in launched)) == 2
    manifest = json.loads((tmp_path / 'manifests' / ('%s.json' % run)).read_text())
    assert sorted(j['state'] for j in manifest['jobs']) == ['done', 'running']
