# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A controller that dies between launch and start, and two controllers on one run: the lease (a
conditional create), the never-started grace, and what launch and collect make of them."""

import json
import os
import threading

from ansible_collections.instancebench.aws.plugins.module_utils import _collect, _collect_pass, _lease, _plan, _store
from ansible_collections.instancebench.aws.plugins.module_utils import _scheduled_jobs
from harness.stored_jobs import store_job

NOW = 1795000000.0


def test_a_file_store_creates_a_key_once_and_atomically(tmp_path):
    store = _store.FileStore(str(tmp_path))
    first = store.create_json('runs/run=r/job=j/status-leased.json', {'holder': 'a'})
    assert first['sha256'] == _store.sha256_bytes(store.get('runs/run=r/job=j/status-leased.json'))
    assert store.create_json('runs/run=r/job=j/status-leased.json', {'holder': 'b'}) is None
    assert store.get_json('runs/run=r/job=j/status-leased.json') == {'holder': 'a'}
    assert store.head('runs/run=r/job=j/status-leased.json')['sha256'] == first['sha256']
    assert store.list('runs/') == ['runs/run=r/job=j/status-leased.json'], 'no temp file left or listed'


def test_of_many_controllers_racing_for_one_lease_exactly_one_takes_it(tmp_path):
    store = _store.FileStore(str(tmp_path))
    key = 'runs/run=r/job=j/status-leased.json'
    outcomes = {}
    start = threading.Barrier(8)

    def contend(holder):
        start.wait()
        outcomes[holder] = _lease.take_lease(store, key, {'holder': holder})

    threads = [threading.Thread(target=contend, args=('c%d' % n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [holder for holder, (changed, held) in outcomes.items() if changed and held is None]
    assert len(winners) == 1
    assert store.get_json(key)['holder'] == winners[0]
    assert all(held == {'holder': winners[0]} for holder, (changed, held) in outcomes.items() if holder not in winners)
    assert _lease.take_lease(store, key, {'holder': winners[0]}) == (False, None), 'the holder finds its own lease again'


def test_check_mode_takes_no_lease(tmp_path):
    store = _store.FileStore(str(tmp_path))
    assert _lease.take_lease(store, 'k.json', {'holder': 'a'}, check_mode=True) == (True, None)
    assert not store.exists('k.json')


def _names(store, prefix):
    return set(key.rsplit('/', 1)[1] for key in store.list(prefix))


def test_a_job_launched_and_never_started_is_abandoned_after_its_grace(tmp_path):
    store = _store.FileStore(str(tmp_path))
    prefix = store_job(store, 'r1', 'stream-default-aaaa', 'c7a.large', states=('leased', 'launched'),
                       start_by_epoch=NOW - 1, deadline_epoch=NOW + 3600, instance_id='i-0123456789abcdef0')
    state, ended, record = _collect.store_state(store, prefix, _names(store, prefix), NOW)
    assert (state, ended, record['instance_id']) == ('abandoned', NOW - 1, 'i-0123456789abcdef0')
    assert _collect.store_state(store, prefix, _names(store, prefix), NOW - 2)[0] == 'in_flight', 'within its grace'
    states = {'stream-default-aaaa': (state, ended, record)}
    assert _scheduled_jobs.abandoned_instances(states, 'r1') == [
        {'instance_id': 'i-0123456789abcdef0', 'run_id': 'r1', 'job_id': 'stream-default-aaaa'}]


def test_a_job_that_started_is_never_called_abandoned(tmp_path):
    store = _store.FileStore(str(tmp_path))
    prefix = store_job(store, 'r1', 'stream-default-bbbb', 'c7a.large', states=('leased', 'launched', 'running'),
                       start_by_epoch=NOW - 600, deadline_epoch=NOW + 3600)
    assert _collect.store_state(store, prefix, _names(store, prefix), NOW)[0] == 'in_flight'


def test_a_lease_alone_is_the_controllers_own_record(tmp_path):
    """A controller that died between the lease and the launch: in flight within the grace (nobody
    launches it twice), abandoned after; collect counts it as this run's job, not a foreign one."""
    store = _store.FileStore(str(tmp_path))
    prefix = store_job(store, 'r1', 'stream-default-cccc', 'c7a.large', states=('leased',), start_by_epoch=NOW + 60)
    assert _collect.store_state(store, prefix, _names(store, prefix), NOW)[:2] == ('in_flight', None)
    assert _collect.store_state(store, prefix, _names(store, prefix), NOW + 61)[0] == 'abandoned'
    rows = _collect.collect_rows(store, ['r1'], now=NOW)
    assert [(r['state'], r['problems']) for r in rows] == [('leased', [])]


def test_collect_reports_a_never_started_job_as_failed_and_names_its_instance(tmp_path):
    store = _store.FileStore(str(tmp_path))
    store_job(store, 'r1', 'stream-default-dddd', 'c7a.large', states=('leased', 'launched'), start_by_epoch=NOW - 1,
              instance_id='i-0123456789abcdef1')
    outcome = _collect_pass.write_collection(store, ['r1'], str(tmp_path / 'report'), NOW, workers=2)
    assert outcome['job_states'] == {'stream-default-dddd': 'failed'}
    [row] = _collect.collect_rows(store, ['r1'], now=NOW)
    assert row['state_reason'].startswith(_collect.NEVER_STARTED) and row['state_derived']
    assert [i['instance_id'] for i in outcome['finished_instances']['us-east-1']] == ['i-0123456789abcdef1']


def test_the_plan_checks_its_start_grace():
    base = {'region': 'us-east-1', 'instance_types': ['c7a.large'], 'benchmarks': ['stream'],
            'max_runtime_minutes': 30, 'results': {'bucket': 'bench-results'}}
    plan, problems = _plan.check_plan(base)
    assert problems == [] and plan['start_grace_minutes'] == 30, 'never longer than the job may run'
    plan, problems = _plan.check_plan(dict(base, max_runtime_minutes=120))
    assert plan['start_grace_minutes'] == _plan.DEFAULT_START_GRACE_MINUTES
    _plan_, problems = _plan.check_plan(dict(base, start_grace_minutes=31))
    assert problems == ['start_grace_minutes: must be greater than 0 and at most 30 (max_runtime_minutes), got 31']
    _plan_, problems = _plan.check_plan(dict(base, start_grace_minutes='10'))
    assert problems == ["start_grace_minutes: must be an integer, got '10'"]


def test_the_record_names_the_start_by_time(tmp_path):
    """The controller's launched record (job_record) carries start_by = launch + grace."""
    from ansible_collections.instancebench.aws.plugins.modules import job_record
    params = {'job': {'job_id': 'j', 'instance_type': 'c7a.large', 'benchmark': 'stream'}, 'run_id': 'r',
              'instance': {'id': 'i-1', 'launched_at': '2026-11-26T10:00:00+00:00'}, 'plan': {},
              'instance_region': 'us-east-1', 'max_runtime_minutes': 60, 'start_grace_minutes': 20,
              'lease_holder': 'c1'}
    record = job_record.build_record(params)
    assert record['start_by'] == '2026-11-26T10:20:00Z' and record['deadline'] == '2026-11-26T11:00:00Z'
    lease = job_record.build_lease(params, 1795000000)
    assert lease['holder'] == 'c1' and lease['start_by_epoch'] == 1795000000 + 20 * 60
    assert json.loads(json.dumps(lease)) == lease and os.sep not in lease['holder']


def test_the_launch_summary_counts_only_what_this_invocation_started():
    from ansible_collections.instancebench.aws.plugins.module_utils._states import launch_summary
    outcomes = {'a': {'state': 'running'}, 'b': {'state': 'in_flight', 'reason': 'already running'},
                'c': {'state': 'deferred'}, 'd': {'state': 'done'}}
    summary = launch_summary(outcomes, 'r1', 's3://b/ib', 2)
    assert summary['problems'] == [] and summary['alive'] == 2
    assert summary['message'].startswith('1 jobs started and run on their own; 1 already running (started earlier, '
                                         'not again); 1 jobs completed; 1 jobs deferred (max_concurrency 2)')
    assert 'instancebench_run_id=r1' in summary['message']
    only_earlier = launch_summary({'a': {'state': 'in_flight'}, 'b': {'state': 'in_flight'}}, 'r1', 's3://b/ib', 2)
    assert only_earlier['message'].startswith('0 jobs started; 2 already running (started earlier, not again); '
                                              '0 jobs completed')
    assert only_earlier['alive'] == 2, 'what earlier launches started is alive: nothing is cleaned up under it'
    broken = launch_summary({'a': {'state': 'not_launched', 'reason': 'InsufficientInstanceCapacity'}, 'b': None},
                            'r1', 's3://b/ib', 2)
    assert broken['problems'] == ['a not_launched (InsufficientInstanceCapacity)',
                                  'b unreachable (the connection was lost)']
    assert broken['message'].startswith('2 of 2 jobs did not complete: a not_launched (InsufficientInstanceCapacity)')


def test_max_concurrency_counts_what_earlier_launches_left_running():
    def jobs(*states):
        return [{'job_id': str(n), 'store_state': state} for n, state in enumerate(states)]

    deferred = [j['deferred'] for j in _scheduled_jobs.defer_beyond(jobs('in_flight', 'none', 'none', 'stored'), 2)]
    assert deferred == [False, False, True, False], 'one slot left: the first new job takes it'
    assert not any(j['deferred'] for j in _scheduled_jobs.defer_beyond(jobs('none', 'none', 'none'), 0)), '0: no limit'
    assert [j['deferred'] for j in _scheduled_jobs.defer_beyond(jobs('in_flight', 'in_flight', 'none'), 1)] == \
        [False, False, True], 'over the limit already: nothing new starts'
