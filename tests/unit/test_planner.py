# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planner's decisions without AWS: what plan_info refuses before any call, how it judges an
existing network, and the jobs it makes of the region's and the store's answers."""

from ansible_collections.instancebench.aws.plugins.module_utils import _job, _planner

PLAN = {'region': 'us-east-1', 'instance_types': ['c7a.large', 'm7i.large'], 'benchmarks': ['stream'],
        'market': 'spot-with-fallback', 'max_runtime_minutes': 60, 'max_concurrency': 2,
        'results': {'bucket': 'bench-results'}}
HARDWARE = dict((name, {'architecture': 'x86_64', 'vcpus': 2, 'cores': cores, 'threads_per_core': 2 // cores,
                        'clock_ghz': 3.7, 'manufacturer': maker, 'memory_mib': 4096})
                for name, cores, maker in (('c7a.large', 2, 'AMD'), ('m7i.large', 1, 'Intel')))
ZONES = {'c7a.large': ['us-east-1a', 'us-east-1b'], 'm7i.large': ['us-east-1b']}
PRICES = {'c7a.large': (0.10264, 'table'), 'm7i.large': (None, 'unknown')}
NOW = 1790000000.0


def _checked():
    plan, windows, problems = _planner.check_request(PLAN, 'run-1', '', NOW)
    assert problems == [] and windows is None
    return plan


def test_refusals_before_any_aws_call_name_the_field():
    _plan, _windows, problems = _planner.check_request(PLAN, 'run 1/..', 'morning', NOW)
    assert problems == [
        'window: this plan has no schedule; leave instancebench_window out, or make a schedule with playbooks/schedule.yml',
        "run_id: 'run 1/..': use 1-48 letters, digits, \".\", \"_\" and \"-\""]
    assert _planner.check_request(PLAN, 'r' * 49, '', NOW)[2][0].startswith('run_id:')


def test_an_existing_network_is_judged_id_by_id():
    plan = dict(_checked(), networking={'mode': 'existing', 'subnet_ids': ['subnet-a', 'subnet-gone', 'subnet-a2'],
                                        'security_group_ids': ['sg-1', 'sg-gone'], 'key_name': 'mine'})
    subnets = [{'SubnetId': 'subnet-a', 'AvailabilityZone': 'us-east-1a'},
               {'SubnetId': 'subnet-a2', 'AvailabilityZone': 'us-east-1a'}]
    by_zone, problems = _planner.existing_network_problems(plan, subnets, [{'GroupId': 'sg-1'}], [])
    assert by_zone == {'us-east-1a': 'subnet-a'}, 'the first subnet given for a zone'
    assert problems == ['networking.subnet_ids[1]: subnet-gone does not exist in us-east-1',
                        'networking.security_group_ids[1]: sg-gone does not exist in us-east-1',
                        "networking.key_name: no key pair 'mine' in us-east-1; import it first or use mode create"]


def test_jobs_from_the_answers_stored_skipped_abandoned_retried_rest_deferred_and_priced():
    plan = dict(_checked(), instances_per_type=2)
    ids = dict(((name, replica), _job.job_id('run-1', 'us-east-1', name, 'stream', 'default', replica))
               for name in HARDWARE for replica in (0, 1))
    states = {ids[('c7a.large', 0)]: ('stored', 1.0),
              ids[('c7a.large', 1)]: ('abandoned', NOW - 600, {'instance_id': 'i-gone'})}
    jobs = _planner.plan_jobs(plan, 'run-1', HARDWARE, ZONES, PRICES, None, states, NOW, True,
                              {('c7a.large', 'us-east-1a'): 0.04})
    by_key = dict(((job['instance_type'], job['replica']), job) for job in jobs)
    stored, retried = by_key[('c7a.large', 0)], by_key[('c7a.large', 1)]
    assert stored['result_stored'] and stored['store_state'] == 'stored' and not stored['deferred']
    assert retried['attempt'] == 1 and retried['job_id'] == _job.job_id(
        'run-1', 'us-east-1', 'c7a.large', 'stream', 'default', 1, 1), 'an abandoned job comes back as attempt 1'
    assert [job['deferred'] for job in jobs if job['store_state'] == 'none'] == [False, False, True], \
        'max_concurrency 2: the third job to launch waits'
    assert [(o['market'], o['availability_zone'], o['price_per_hour_usd']) for o in retried['launch_options']] == [
        ('spot', 'us-east-1a', 0.04), ('spot', 'us-east-1b', None),
        ('on-demand', 'us-east-1a', 0.10264), ('on-demand', 'us-east-1b', 0.10264)]
    assert by_key[('m7i.large', 0)]['price_source'] == 'unknown'
    assert stored['skip'] == {'state': 'done', 'reason': 'result already stored'} and retried['skip'] is None
    assert [job['skip']['state'] for job in jobs if job['deferred']] == ['deferred']
    assert not any(job['deferred'] for job in _planner.plan_jobs(
        plan, 'run-1', HARDWARE, ZONES, PRICES, None, states, NOW, False, {})), 'waiting for each: nothing deferred'


def test_every_store_state_plan_info_can_give_has_an_outcome_that_says_why():
    from ansible_collections.instancebench.aws.plugins.module_utils import _states
    assert _states.skip_outcome({'store_state': 'none', 'deferred': False}) is None
    waiting = _states.skip_outcome({'store_state': 'waiting', 'attempt': 2, 'retry_at': '2026-12-05T10:00:00Z'})
    assert waiting == {'state': 'deferred', 'reason': 'retry 2 waits until 2026-12-05T10:00:00Z'}
    for state in ('stored', 'in_flight', 'over', 'abandoned'):
        outcome = _states.skip_outcome({'store_state': state})
        assert outcome['state'] in _states.LAUNCH_OUTCOMES and outcome['reason']
