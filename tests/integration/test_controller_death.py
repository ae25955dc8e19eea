# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A controller killed between `launched` and the background start, and two controllers on one
run id, on the stand-ins (moto for EC2, SeaweedFS for S3, an sshd test host as the instances).

Counted as the issue asks: jobs planned / terminal / lost / duplicated / leaked."""

import json
import os
import signal
import subprocess
import time

from ansible_collections.instancebench.aws.plugins.module_utils import _store
from harness import ec2
from harness.ansible_runner import REPO, BIN, ansible_env, run_playbook, write_inventory
from harness.processes import pids_mentioning, terminate_pid
from harness.stored_jobs import job_dir
from harness.waiting import wait_for


def _start_launch(inventory, home, extra, env):
    """launch.yml as its own process group, so the test can kill it whole, as a crash would."""
    full_env = ansible_env(home)
    full_env.update(env)
    argv = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, os.path.join(REPO, 'playbooks', 'launch.yml'),
            '-e', json.dumps(extra)]
    return subprocess.Popen(argv, env=full_env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


def _two_job_run(run, tmp_path, moto, seaweed, host, mirror):
    """Two background STREAM jobs of one plan on the test host (small arrays: seconds each).
    Returns (bucket, launch.yml variables, environment, inventory, the run's key prefix)."""
    bucket = seaweed.create_bucket(run)
    plan = ec2.plan(host, results={'bucket': bucket, 'prefix': 'ib'}, instances_per_type=2, max_concurrency=2)
    extra = ec2.launch_vars(run, plan, [host, host], mirror, tmp_path / 'work', instancebench_wait=False,
                            stream_ntimes=10, stream_array_size=2 * 10 ** 6)
    env = dict(moto.env(), AWS_ENDPOINT_URL_S3=seaweed.url)
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    return bucket, extra, env, inventory, 'ib/runs/run=%s/' % run


def _names(seaweed, bucket, prefix, name):
    return [k for k in seaweed.keys(bucket, prefix) if k.endswith('/' + name)]


def _job_dirs(seaweed, bucket, prefix):
    return sorted(set(job_dir(k) for k in seaweed.keys(bucket, prefix)))


def _count(seaweed, bucket, prefix, moto, run, planned):
    """(planned, terminal, lost, duplicated, leaked): per planned job (a replica), how many of its
    attempts completed; lost = replicas with none; duplicated = replicas with more than one, or an
    attempt that ran twice (two running sentinels cannot exist: count contradictory terminals);
    leaked = instances of the run still running."""
    completed = _names(seaweed, bucket, prefix, 'status-completed.json')
    by_replica = {}
    for key in completed:
        record = json.loads(seaweed.client().get_object(Bucket=bucket, Key=job_dir(key) + '/status-launched.json')
                            ['Body'].read())
        by_replica.setdefault(record['replica'], []).append(key)
    contradictory = [d for d in _job_dirs(seaweed, bucket, prefix)
                     if sum(1 for k in seaweed.keys(bucket, d + '/')
                            for s in ('completed', 'failed', 'timed_out') if k.endswith('/status-%s.json' % s)) > 1]
    lost = planned - len(by_replica)
    duplicated = sum(1 for keys in by_replica.values() if len(keys) > 1) + len(contradictory)
    leaked = len(ec2.instances(moto, run, states=('pending', 'running')))
    return planned, len(completed), lost, duplicated, leaked


def test_a_controller_killed_between_launch_and_start_loses_and_leaks_nothing(
        tmp_path, ansible_home, moto, seaweed, s3_instance_host, mirror):
    run = 'killed-controller'
    bucket, extra, env, inventory, prefix = _two_job_run(run, tmp_path, moto, seaweed, s3_instance_host, mirror)

    controller = _start_launch(inventory, ansible_home, extra, env)
    try:
        wait_for(lambda: len(_names(seaweed, bucket, prefix, 'status-launched.json')) == 2, 300,
                 'both jobs recorded as launched')
    finally:
        os.killpg(controller.pid, signal.SIGKILL)   # the controller dies, as a crash or a lost laptop would
        controller.wait()
        for pid in pids_mentioning(s3_instance_host.control_dir):
            terminate_pid(pid)
    assert not _names(seaweed, bucket, prefix, 'status-running.json'), \
        'the controller must die before any benchmark started for this test to mean anything'
    orphans = sorted(i['InstanceId'] for i in ec2.instances(moto, run, states=('running',)))
    assert len(orphans) == 2

    # Within the grace: the jobs count as in flight; nothing starts twice, and the report says so.
    again = run_playbook('launch.yml', inventory, ansible_home, extra, env=env)
    assert again.returncode == 0, again.stdout[-6000:]
    assert '0 jobs started; 2 already running (started earlier, not again)' in again.stdout
    assert len(ec2.instances(moto, run)) == 2 and len(_names(seaweed, bucket, prefix, 'status-leased.json')) == 2

    # The grace passes (start_grace_minutes, 30 here): the records say so, as time would.
    store = _store.S3Store(bucket, 'ib', client=seaweed.client())
    for directory in _job_dirs(seaweed, bucket, prefix):
        for name in ('status-leased.json', 'status-launched.json'):
            key = directory[len('ib/'):] + '/' + name
            record = store.get_json(key)
            record['start_by_epoch'] = int(time.time()) - 1
            store.put_json(key, record)

    collect_vars = {'instancebench_results_store': 's3://%s/ib' % bucket, 'instancebench_run_id': run,
                    'instancebench_report_dir': str(tmp_path / 'report0'), 'instancebench_collect_fail_on_problems': False}
    early = run_playbook('collect.yml', inventory, ansible_home, collect_vars, env=env)
    assert early.returncode == 0 and '2 jobs (2 failed)' in early.stdout, early.stdout[-4000:]

    retry = run_playbook('launch.yml', inventory, ansible_home, extra, env=env)
    assert retry.returncode == 0, retry.stdout[-6000:]
    assert '2 jobs started and run on their own' in retry.stdout
    states = dict((i['InstanceId'], i['State']['Name']) for i in ec2.instances(moto, run))
    assert [states[i] for i in orphans] == ['terminated', 'terminated'], 'the abandoned instances go first'
    assert len(states) == 4, 'one new instance per retried job'
    wait_for(lambda: len(_names(seaweed, bucket, prefix, 'status-completed.json')) == 2, 300, 'the retried jobs')
    abandoned = set(job_dir(k) for k in _names(seaweed, bucket, prefix, 'status-leased.json')) - \
        set(job_dir(k) for k in _names(seaweed, bucket, prefix, 'status-completed.json'))
    assert len(abandoned) == 2 and not any(k.endswith('/status-running.json') for d in abandoned
                                           for k in seaweed.keys(bucket, d + '/')), \
        'the retries run under their own job ids; the abandoned attempts never start'

    report = tmp_path / 'report'
    collect = run_playbook('collect.yml', inventory, ansible_home,
                           dict(collect_vars, instancebench_report_dir=str(report), instancebench_collect_terminate=True),
                           env=env)
    assert collect.returncode == 0, collect.stdout[-4000:]
    assert 'runs %s: 4 jobs (2 completed, 2 failed)' % run in collect.stdout
    counts = _count(seaweed, bucket, prefix, moto, run, planned=2)
    print('planned/terminal/lost/duplicated/leaked', counts)
    assert counts == (2, 2, 0, 0, 0)


def test_two_controllers_racing_for_the_same_jobs_each_take_a_job_once(tmp_path, ansible_home, seaweed):
    """The lease itself, across processes, on a real S3 (conditional writes): two job_record
    modules started at once for the same 6 jobs; every job is leased by exactly one of them."""
    bucket = seaweed.create_bucket('lease-race')
    env = ansible_env(ansible_home)
    env.update(seaweed.env(), AWS_ENDPOINT_URL_S3=seaweed.url)
    jobs = [{'job_id': 'stream-default-%012d' % n, 'instance_type': 'c7a.large', 'benchmark': 'stream'}
            for n in range(6)]

    def contender(holder):
        tasks = [{'name': 'lease %s' % job['job_id'], 'instancebench.aws.job_record': {
            'store': 's3://%s/ib' % bucket, 'run_id': 'race', 'instance_region': 'us-east-1', 'job': job,
            'max_runtime_minutes': 30, 'lease_holder': holder, 'state': 'leased'}} for job in jobs]
        playbook = tmp_path / ('%s.yml' % holder)
        playbook.write_text(json.dumps([{'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
                                         'tasks': tasks}]))
        argv = [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', str(playbook),
                '-e', 'ansible_python_interpreter=' + os.path.join(BIN, 'python')]
        return subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    procs = [contender('controller-a'), contender('controller-b')]
    outputs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    store = _store.S3Store(bucket, 'ib', client=seaweed.client())
    leases = [k for k in store.list('runs/run=race/') if k.endswith('/status-leased.json')]
    assert len(leases) == 6
    holders = [store.get_json(key)['holder'] for key in leases]
    changed = [output.count('changed: [localhost]') for output in outputs]
    assert sum(changed) == 6, 'each lease is taken once: %s' % changed
    assert sorted(holders.count(h) for h in ('controller-a', 'controller-b')) == sorted(changed)


def test_a_second_controller_on_a_running_run_starts_nothing_again(
        tmp_path, ansible_home, moto, seaweed, s3_instance_host, mirror):
    run = 'two-controllers'
    bucket, extra, env, inventory, prefix = _two_job_run(run, tmp_path, moto, seaweed, s3_instance_host, mirror)
    second_home = str(tmp_path / 'second-home')
    os.makedirs(second_home)

    first = _start_launch(inventory, ansible_home, extra, env)
    # The second controller comes while the first is launching: the jobs are leased, not started.
    wait_for(lambda: len(_names(seaweed, bucket, prefix, 'status-leased.json')) == 2 or first.poll() is not None, 300,
             'the first controller to lease both jobs')
    second = _start_launch(inventory, second_home, extra, env)
    outputs = [proc.communicate(timeout=900)[0] for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs[0][-3000:] + outputs[1][-3000:]
    assert '2 jobs started and run on their own' in outputs[0]
    assert '0 jobs started; 2 already running (started earlier, not again)' in outputs[1], outputs[1][-3000:]
    assert len(ec2.instances(moto, run)) == 2, 'one instance per job'
    wait_for(lambda: len(_names(seaweed, bucket, prefix, 'status-completed.json')) == 2, 300, 'both jobs')
    assert len(_names(seaweed, bucket, prefix, 'status-running.json')) == 2
    for pid in pids_mentioning(s3_instance_host.control_dir):
        terminate_pid(pid)
    collect = run_playbook('collect.yml', inventory, ansible_home,
                           {'instancebench_results_store': 's3://%s/ib' % bucket, 'instancebench_run_id': run,
                            'instancebench_report_dir': str(tmp_path / 'report'),
                            'instancebench_collect_terminate': True}, env=env)
    assert collect.returncode == 0 and 'runs %s: 2 jobs (2 completed)' % run in collect.stdout, collect.stdout[-4000:]
    counts = _count(seaweed, bucket, prefix, moto, run, planned=2)
    print('planned/terminal/lost/duplicated/leaked', counts)
    assert counts == (2, 2, 0, 0, 0)
