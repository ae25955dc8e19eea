# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""After a spot interruption: the next plan retries the job on-demand (with a schedule or
without), other failures keep their rules, and the dataset tells spot from on-demand results."""

import time

from ansible_collections.instancebench.aws.plugins.module_utils import _collect, _dataset, _job, _planner, _publish
from ansible_collections.instancebench.aws.plugins.module_utils import _scheduled_jobs, _states, _store
from ansible_collections.instancebench.aws.plugins.modules import run_benchmark
from harness.stored_jobs import host_objects, store_job

NOW = 1790000000.0
RUN = 'run-1'
PLAN = {'region': 'us-east-1', 'instance_types': ['c7a.large'], 'benchmarks': ['stream'], 'market': 'spot',
        'max_runtime_minutes': 60, 'max_concurrency': 2, 'results': {'bucket': 'bench-results'},
        'instances_per_type': 2}
HARDWARE = {'c7a.large': {'architecture': 'x86_64', 'vcpus': 2, 'cores': 2, 'threads_per_core': 1,
                          'clock_ghz': 3.7, 'manufacturer': 'AMD', 'memory_mib': 4096}}
ZONES = {'c7a.large': ['us-east-1a', 'us-east-1b']}
PRICES = {'c7a.large': (0.10264, 'table')}
SPOT = {('c7a.large', 'us-east-1a'): 0.04, ('c7a.large', 'us-east-1b'): 0.05}
NOTICE = {'action': 'terminate', 'time': '2026-09-21T13:30:00Z', 'seen_at': '2026-09-21T13:28:01Z'}


def _job_id(replica, attempt=0):
    return _job.job_id(RUN, 'us-east-1', 'c7a.large', 'stream', 'default', replica, attempt)


def _ended(store, job_id, reason):
    """A job that ran on spot and ended failed, its sentinel written as run_benchmark writes it."""
    prefix = store_job(store, RUN, job_id, 'c7a.large', price=0.04, states=('leased', 'launched', 'running'),
                       market='spot')
    run_benchmark._sentinel(store, host_objects(prefix), 'failed', reason,
                            NOTICE if reason == _states.SPOT_INTERRUPTION else None)
    return prefix


def _states_of(store, now):
    return dict((parts['job_id'], _collect.store_state(store, prefix, names, now))
                for prefix, names, parts in _collect.group_jobs(store.list(_store.run_prefix(RUN))))


def _plan(schedule=None):
    plan, _windows, problems = _planner.check_request(dict(PLAN), RUN, '', NOW)
    assert problems == []
    return dict(plan, schedule=schedule) if schedule else plan


def _options(job):
    return [(o['market'], o['availability_zone'], o['price_per_hour_usd']) for o in job['launch_options']]


def test_without_a_schedule_a_spot_interrupted_job_comes_back_on_demand_and_a_failed_one_does_not(tmp_path):
    store = _store.FileStore(str(tmp_path))
    _ended(store, _job_id(0), _states.SPOT_INTERRUPTION)
    _ended(store, _job_id(1), 'solution_validates: no "Solution Validates" line')
    now = time.time() + 1   # the sentinels carry the time they were written
    states = _states_of(store, now)
    assert states[_job_id(0)][0] == 'over' and states[_job_id(0)][2]['notice'] == NOTICE, 'the sentinel reaches the planner'

    interrupted, failed = _planner.plan_jobs(_plan(), RUN, HARDWARE, ZONES, PRICES, None, states, now, True, SPOT)
    assert (interrupted['attempt'], interrupted['job_id'], interrupted['retry_of']) == (1, _job_id(0, 1), _job_id(0))
    assert interrupted['retry_reason'] == _states.SPOT_INTERRUPTION and interrupted['skip'] is None
    assert _options(interrupted) == [('on-demand', 'us-east-1a', 0.10264), ('on-demand', 'us-east-1b', 0.10264)], \
        'a spot plan: the retry launches on-demand, in the same zones, at the on-demand price'
    assert failed['attempt'] == 0 and failed['store_state'] == 'over' and failed['skip']['state'] == 'failed'
    assert _options(failed)[0][0] == 'spot', 'a job that failed on its own is not retried without a schedule'


def test_with_a_schedule_every_later_attempt_stays_on_demand_and_other_failures_keep_spot():
    spot = [{'market': 'spot', 'availability_zone': z} for z in ('us-east-1a', 'us-east-1b')]
    jobs = [dict(job_id=_job_id(replica), region='us-east-1', instance_type='c7a.large', benchmark='stream',
                 variant='default', replica=replica, launch_options=spot) for replica in (0, 1)]
    interrupted = {'state': 'failed', 'reason': _states.SPOT_INTERRUPTION}
    states = {_job_id(0): ('over', NOW - 7200, interrupted),
              _job_id(0, 1): ('over', NOW - 3600, {'state': 'failed', 'reason': 'exit_status: rc=1'}),
              _job_id(1): ('over', NOW - 3600, {'state': 'failed', 'reason': 'exit_status: rc=1'})}
    policy = {'retry_limit': 3, 'retry_backoff_minutes': 30, 'retry_states': _scheduled_jobs.SCHEDULED_RETRY_STATES}
    first, second = _scheduled_jobs.resolve_attempts(jobs, states, NOW, policy, RUN)
    assert first['attempt'] == 2 and first['store_state'] == 'none'
    assert [o['market'] for o in first['launch_options']] == ['on-demand', 'on-demand'], \
        'attempt 1 failed on-demand for another reason: attempt 2 does not go back to spot'
    assert second['attempt'] == 1 and [o['market'] for o in second['launch_options']] == ['spot', 'spot']
    assert 'retry_reason' not in second

    waiting = _scheduled_jobs.resolve_attempts(jobs[:1], {_job_id(0): ('over', NOW - 60, interrupted)}, NOW, policy, RUN)
    assert waiting[0]['store_state'] == 'waiting', 'a scheduled retry still waits its back-off'


def test_interruptions_are_retried_only_up_to_the_limit():
    spot = [{'market': 'spot', 'availability_zone': 'us-east-1a'}]
    job = dict(job_id=_job_id(0), region='us-east-1', instance_type='c7a.large', benchmark='stream',
               variant='default', replica=0, launch_options=spot)
    interrupted = ('over', NOW - 60, {'reason': _states.SPOT_INTERRUPTION})
    states = dict((_job_id(0, attempt), interrupted) for attempt in range(5))
    [last] = _scheduled_jobs.resolve_attempts([job], states, NOW, _scheduled_jobs.retry_policy(None), RUN)
    assert (last['attempt'], last['store_state']) == (_scheduled_jobs.UNSCHEDULED_RETRIES['retry_limit'], 'over')
    assert not _scheduled_jobs.spot_interrupted(('over', None, None))
    assert not _scheduled_jobs.spot_interrupted(('abandoned', None, {'reason': _states.SPOT_INTERRUPTION}))


def test_the_dataset_tells_spot_from_on_demand(tmp_path):
    store = _store.FileStore(str(tmp_path / 'store'))
    store_job(store, RUN, 'stream-spot', 'c7a.large', price=0.04, market='spot')
    store_job(store, RUN, 'stream-od', 'c7a.large', price=0.10264)
    rows = _collect.collect(store, RUN, NOW)
    collected = dict((r['job_id'], r['market']) for row in rows for r in _dataset.records(row))
    assert collected == {'stream-spot': 'spot', 'stream-od': 'on-demand'}
    assert 'market' in _dataset.FIELDS

    tables, _runs, _cache = _publish.read_runs(store, str(tmp_path / 'dataset'), NOW, workers=1)
    try:
        published = sorted(set((r['job_id'], r['market']) for r in tables.records('results')))
        jobs = sorted((r['job_id'], r['market']) for r in tables.records('jobs'))
    finally:
        tables.close()
    assert published == jobs == [('stream-od', 'on-demand'), ('stream-spot', 'spot')]
