# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Spot interruptions end to end on a real sshd host: launch.yml runs sysbench (the distribution's
binary, short cpu passes) as a job on a spot instance, whose metadata service is a loopback IMDSv2
stand-in. EC2's two-minute warning after the first repetition stops the job: the partial log,
the failed sentinel with reason spot-interruption and the notice are stored, and the next plan
retries the job on-demand. A rebalance recommendation alone is recorded and the job completes;
collect's dataset says spot for both."""

import csv
import glob
import json
import os
import threading
import time

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _collect, _job, _plan, _scheduled_jobs
from ansible_collections.instancebench.aws.plugins.module_utils import _states, _store
from harness.ansible_runner import run_playbook, write_inventory
from harness.imds import ACTION, REBALANCE, ImdsStandIn
from harness.waiting import wait_for

POLL_S = 1
SECONDS_PER_PASS = 3
MAX_REPETITIONS = 8   # uninterrupted: at least 8 x 3 s of sysbench


@pytest.fixture
def imds():
    server = ImdsStandIn().start()
    yield server
    server.stop()


def _launch_vars(tmp_path, run_id, imds, repetitions):
    return {
        'instancebench_run_id': run_id, 'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
        'instancebench_sources_mirror': '', 'instancebench_work_dir': str(tmp_path / 'work'),
        'instancebench_benchmarks': 'sysbench',
        # The instance record ec2_provision hands a job it launched on the spot market.
        'ec2_provision_instance': {'market': 'spot', 'id': 'i-0spotstandin000001', 'price_per_hour_usd': 0.0123},
        'instancebench_imds_endpoint': imds.url, 'instancebench_spot_poll_interval': POLL_S,
        'sysbench_source': 'distribution', 'sysbench_tests': ['cpu'], 'sysbench_thread_counts': [1],
        'sysbench_time': SECONDS_PER_PASS, 'sysbench_repetitions': repetitions, 'sysbench_max_repetitions': repetitions,
    }


def _job_dir(tmp_path, run_id):
    found = glob.glob(str(tmp_path / 'store' / 'runs' / ('run=%s' % run_id) / '*' / '*' / 'benchmark=sysbench' / 'job=*'))
    return found[0] if len(found) == 1 else None


def _read(job_dir, name):
    with open(os.path.join(job_dir, 'by=host', name)) as handle:
        return json.load(handle) if name.endswith('.json') else handle.read()


def test_a_notice_stops_the_job_keeps_its_log_and_the_next_plan_retries_it_on_demand(
        tmp_path, ssh_host, imds, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    run_id = 'spot-interrupted'
    finished = {}
    launch = threading.Thread(target=lambda: finished.update(proc=run_playbook(
        'launch.yml', inventory, ansible_home, _launch_vars(tmp_path, run_id, imds, MAX_REPETITIONS))))
    launch.start()

    # EC2's warning arrives once the first repetition is stored.
    def first_stored():
        job_dir = _job_dir(tmp_path, run_id)
        return job_dir and os.path.exists(os.path.join(job_dir, 'by=host', 'raw-rep1.log'))
    wait_for(first_stored, 600, 'the first repetition of the spot job', every=0.1)
    imds.interrupt('terminate', '2026-12-05T09:02:00Z')
    noticed = time.time()
    launch.join(600)
    proc = finished['proc']
    job_dir = _job_dir(tmp_path, run_id)

    assert proc.returncode != 0 and 'failed: spot-interruption' in proc.stdout, proc.stdout[-4000:]
    sentinel = _read(job_dir, 'status-failed.json')
    assert sentinel['reason'] == _states.SPOT_INTERRUPTION
    assert (sentinel['notice']['action'], sentinel['notice']['time']) == ('terminate', '2026-12-05T09:02:00Z')
    stopped = _job.parse_utc(sentinel['timestamp']).timestamp()
    assert stopped - noticed < POLL_S + 10, 'stopped %.1f s after the notice' % (stopped - noticed)
    assert not os.path.exists(os.path.join(job_dir, 'by=host', 'status-completed.json'))

    doc = _read(job_dir, 'result.json')
    assert doc['job']['state'] == 'failed' and doc['job']['reason'] == _states.SPOT_INTERRUPTION
    assert doc['instance']['market'] == 'spot' and doc['metrics'] == [], 'a cut run gives no number'
    ran = doc['parameters']['repetitions']   # 2 unless this machine lagged behind the job
    assert 2 <= ran < MAX_REPETITIONS, 'stopped in repetition %d of %d' % (ran, MAX_REPETITIONS)
    assert doc['job']['duration_s'] < (MAX_REPETITIONS - 1) * SECONDS_PER_PASS, 'well before its natural end'
    [check] = [c for c in doc['validation']['checks'] if c['name'] == 'spot.interruption']
    assert not check['passed'] and 'terminate at 2026-12-05T09:02:00Z' in check['detail']

    # The partial log: the first repetitions whole, the last one cut, the notice said after it.
    first = _read(job_dir, 'raw-rep1.log')
    raw = _read(job_dir, 'raw.log')
    assert raw.startswith(first), 'raw.log holds the stored first repetition as it was'
    assert 'events per second' in first
    last = raw[raw.rindex('=== instancebench repetition '):]
    assert last.startswith('=== instancebench repetition %d ' % ran) and 'signal=SIGTERM' in last.splitlines()[0]
    assert 'General statistics' not in last, 'the cut repetition did not finish'
    assert raw.count('spot interruption notice: action terminate at 2026-12-05T09:02:00Z') == 1
    assert last.count('spot interruption notice') == 1
    assert imds.count('PUT', '/latest/api/token', 200) >= 1 and imds.count('GET', ACTION, 200) >= 1
    assert imds.count('GET', ACTION, 401) == 0, 'every read carries the IMDSv2 token'

    # The next plan: the interrupted job comes back as attempt 1, on-demand in the plan's zones.
    store = _store.FileStore(str(tmp_path / 'store'))
    states = dict((parts['job_id'], _collect.store_state(store, prefix, names, time.time() + 1))
                  for prefix, names, parts in _collect.group_jobs(store.list(_store.run_prefix(run_id))))
    [(job_id, state)] = states.items()
    assert state[0] == 'over' and state[2]['reason'] == _states.SPOT_INTERRUPTION
    planned = dict(job_id=job_id, region='local', instance_type=doc['instance']['type'], benchmark='sysbench',
                   variant='default', replica=0, launch_options=_plan.launch_options('spot', ['us-east-1a', 'us-east-1b']))
    [retry] = _scheduled_jobs.resolve_attempts([planned], states, time.time() + 1, _scheduled_jobs.retry_policy(None),
                                               run_id)
    assert (retry['attempt'], retry['store_state'], retry['retry_of']) == (1, 'none', job_id)
    assert [(o['market'], o['availability_zone']) for o in retry['launch_options']] == [
        ('on-demand', 'us-east-1a'), ('on-demand', 'us-east-1b')]


def test_a_rebalance_recommendation_is_recorded_and_the_job_completes(tmp_path, ssh_host, imds, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    run_id = 'spot-rebalance'
    imds.recommend_rebalance('2026-12-05T09:05:00Z')
    proc = run_playbook('launch.yml', inventory, ansible_home, _launch_vars(tmp_path, run_id, imds, 2))
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert 'spot.rebalance_recommendation' in proc.stdout, 'the task line says it (quality warnings)'
    job_dir = _job_dir(tmp_path, run_id)
    assert os.path.exists(os.path.join(job_dir, 'by=host', 'status-completed.json'))
    doc = _read(job_dir, 'result.json')
    assert doc['validation']['passed'] is True and doc['metrics'] and doc['parameters']['repetitions'] == 2
    [check] = [c for c in doc['validation']['checks'] if c['name'] == 'spot.rebalance_recommendation']
    assert check['severity'] == 'warning' and '2026-12-05T09:05:00Z' in check['detail']
    assert any(w.startswith('spot.rebalance_recommendation') for w in doc['quality']['warnings'])
    raw = _read(job_dir, 'raw.log')
    assert raw.count('spot rebalance recommendation (notice time 2026-12-05T09:05:00Z') == 1, 'said once'
    assert imds.count('GET', REBALANCE, 200) == 1, 'read until seen, then no more'

    collect = run_playbook('collect.yml', inventory, ansible_home, {
        'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
        'instancebench_report_dir': str(tmp_path / 'report')})
    assert collect.returncode == 0, collect.stdout[-3000:]
    with open(str(tmp_path / 'report' / 'dataset.csv')) as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(r['market'] for r in rows) == {'spot'} and set(r['state'] for r in rows) == {'completed'}
