# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batch planner: properties over generated requests (hypothesis) and refusals of bad input."""

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.instancebench.aws.plugins.module_utils import _batch_planner

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(REPO, 'roles', 'schedule', 'vars', 'main.yml')) as _handle:
    DATA = yaml.safe_load(_handle)['_schedule_data']
SIZES = list(DATA['size_vcpus'])


def _plan(request, prices=None):
    checked, problems = _batch_planner.check_request(request, DATA)
    assert problems == []
    jobs = _batch_planner.expand(checked, DATA, prices or {})
    return checked, jobs, _batch_planner.plan_schedule(checked, jobs)


requests = st.fixed_dictionaries({
    'regions': st.lists(st.sampled_from(['us-east-1', 'us-west-2', 'eu-west-1']), min_size=1, max_size=2, unique=True),
    'families': st.dictionaries(st.sampled_from(['m7i', 'c7g', 'r7a', 'c7a']),
                                st.lists(st.sampled_from(SIZES[:5]), min_size=1, max_size=4, unique=True),
                                min_size=1, max_size=3),
    'benchmarks': st.lists(st.sampled_from(['stream', 'hpl', 'fftw']), min_size=1, max_size=3, unique=True),
    'days': st.integers(1, 14),
    'max_jobs_per_day': st.integers(1, 40),
    'max_concurrency': st.integers(1, 8),
    'start_date': st.just('2026-12-01'),
    'size_waves': st.booleans(),
    'rotation': st.booleans(),
    'vcpu_quota': st.dictionaries(st.sampled_from(['m7i', 'c7g', 'r7a', 'c7a']), st.integers(32, 128), max_size=4),
})


def _attempt(request):
    """(checked, jobs, windows) or None when the request is refused for lack of room."""
    checked, problems = _batch_planner.check_request(request, DATA)
    assert problems == [], problems
    jobs = _batch_planner.expand(checked, DATA, {})
    try:
        return checked, jobs, _batch_planner.plan_schedule(checked, jobs)
    except _batch_planner.Refusal as refusal:
        assert 'do not fit' in str(refusal)
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_every_job_once_and_no_cap_broken(request):
    outcome = _attempt(request)
    if outcome is None:
        return
    checked, jobs, windows = outcome
    placed = [job for window in windows for job in window['jobs']]
    keys = [_batch_planner.job_key(job) for job in placed]
    assert sorted(keys) == sorted(_batch_planner.job_key(job) for job in jobs), 'every job exactly once'
    assert len(set(keys)) == len(keys)
    for day in set(w['day'] for w in windows):
        assert sum(len(w['jobs']) for w in windows if w['day'] == day) <= checked['max_jobs_per_day']
    for window in windows:
        spec = [w for w in checked['windows'] if w['name'] == window['window']][0]
        assert all(job['benchmark'] in spec['focus'] for job in window['jobs'])
        if checked['size_waves']:
            assert len(set(job['wave'] for job in window['jobs'])) <= 1, 'sizes do not share a window'
        for job in window['jobs']:
            assert job['start_offset_minutes'] + job['estimated_minutes'] <= spec['end_minute'] - spec['start_minute']
        # At every start in the window: concurrency and per-region family vCPU quotas hold.
        for moment in set(job['start_offset_minutes'] for job in window['jobs']):
            running = [j for j in window['jobs']
                       if j['start_offset_minutes'] <= moment < j['start_offset_minutes'] + j['estimated_minutes']]
            assert len(running) <= checked['max_concurrency']
            for region, family in set((j['region'], j['family']) for j in running):
                used = sum(j['vcpus'] for j in running if (j['region'], j['family']) == (region, family))
                assert used <= checked['vcpu_quota'][family]


@settings(max_examples=100, deadline=None)
@given(requests)
def test_size_waves_are_ordered(request):
    request = dict(request, size_waves=True)
    outcome = _attempt(request)
    if outcome is None:
        return
    _checked, _jobs, windows = outcome
    waves = [w['jobs'][0]['wave'] for w in windows if w['jobs']]
    assert waves == sorted(waves), 'a wave starts only once the one before is placed'


@settings(max_examples=50, deadline=None)
@given(requests)
def test_same_request_same_plan(request):
    first, second = _attempt(request), _attempt(dict(request))
    assert (first is None) == (second is None)
    if first:
        assert first[2] == second[2]


def test_seed_scenario_fits_and_rotates(tmp_path):
    request = {'regions': ['us-east-1'], 'families': {'m7i': SIZES[:4], 'c7g': SIZES[:4], 'r7a': SIZES[:4]},
               'days': 7, 'max_jobs_per_day': 30, 'max_concurrency': 5, 'start_date': '2026-12-01'}
    prices = dict((('us-east-1', '%s.%s' % (f, s)), 0.1 * DATA['size_vcpus'][s] / 2) for f in ('m7i', 'c7g', 'r7a')
                  for s in SIZES[:4])
    checked, jobs, windows = _plan(request, prices)
    assert len(jobs) == 3 * 4 * 5  # 2 STREAM + 2 HPL + 1 FFTW variants (HPL single is opt-in)
    assert 'single' not in set(j['variant'] for j in jobs)
    summary = _batch_planner.summarize(windows, checked)
    assert summary['jobs'] == 60 and summary['windows'] == 21 and summary['estimated_cost_usd'] < summary['estimated_cost_on_demand_usd']
    large = [j for w in windows for j in w['jobs'] if j['size'] == 'large']
    assert set(j['market'] for j in large) == {'on-demand'}, 'spot only from xlarge up'
    assert set(j['market'] for w in windows for j in w['jobs'] if j['size'] != 'large') == {'spot-with-fallback'}
    afternoons = [w for w in windows if w['window'] == 'afternoon' and len(w['jobs']) > 1]
    firsts = [w['jobs'][0]['benchmark'] for w in afternoons]
    assert len(set(firsts)) > 1 or len(afternoons) < 2, 'rotation: not always the same benchmark first'


def test_an_opt_in_variant_runs_only_when_named():
    request = {'regions': ['us-east-1'], 'families': {'m7i': SIZES[:1]}, 'days': 7, 'max_jobs_per_day': 30,
               'max_concurrency': 5, 'start_date': '2026-12-01', 'benchmarks': {'hpl': ['single', 'openblas']}}
    _checked, jobs, _windows = _plan(request, {('us-east-1', 'm7i.large'): 0.1})
    assert sorted(j['variant'] for j in jobs) == ['openblas', 'single']
    _checked, jobs, _windows = _plan(dict(request, benchmarks=['hpl']), {('us-east-1', 'm7i.large'): 0.1})
    assert sorted(j['variant'] for j in jobs) == ['blis', 'openblas']


@pytest.mark.parametrize('change, field, fix', [
    ({'days': 0}, 'days', 'at least 1'),
    ({'max_jobs_per_day': 0}, 'max_jobs_per_day', 'at least 1'),
    ({'max_concurrency': -1}, 'max_concurrency', 'at least 1'),
    ({'windows': [{'name': 'night', 'start': '22:00', 'hours': 2, 'focus': []}]}, 'windows[0].focus', 'runs nothing'),
    ({'windows': [{'name': 'night', 'start': '23:00', 'hours': 2, 'focus': ['stream', 'hpl', 'fftw']}]}, 'windows[0]',
     'ends after midnight'),
    ({'windows': [{'name': 'a', 'start': '06:00', 'hours': 4, 'focus': ['stream', 'hpl', 'fftw']},
                  {'name': 'b', 'start': '08:00', 'hours': 4, 'focus': ['stream']}]}, 'windows[1]', 'overlaps window a'),
    ({'windows': [{'name': 'a', 'start': '06:00', 'hours': 4, 'focus': ['stream']}]}, 'windows', 'no window runs fftw, hpl'),
    ({'vcpu_quota': {'m7i': 4}}, 'vcpu_quota.m7i', 'smaller than one m7i.2xlarge (8 vCPUs)'),
    ({'families': {'m7i': ['huge']}}, 'families.m7i', "size 'huge' is unknown"),
    ({'families': {}}, 'families', 'required'),
    ({'benchmarks': {'hpl': ['essl']}}, 'benchmarks.hpl', 'unknown variant(s) essl; defined: armpl, blis, mkl, openblas, single'),
    ({'regions': []}, 'regions', 'required'),
    ({'start_date': '1 Dec'}, 'start_date', 'YYYY-MM-DD'),
])
def test_bad_input_is_refused_before_planning(change, field, fix):
    request = dict({'regions': ['us-east-1'], 'families': {'m7i': ['large', '2xlarge']}, 'days': 2,
                    'max_jobs_per_day': 10, 'max_concurrency': 2, 'start_date': '2026-12-01'}, **change)
    _checked, problems = _batch_planner.check_request(request, DATA)
    assert any(p.startswith(field + ':') and fix in p for p in problems), problems


def test_too_little_room_is_refused_naming_the_caps():
    checked, problems = _batch_planner.check_request(
        {'regions': ['us-east-1'], 'families': {'m7i': SIZES[:4]}, 'days': 1, 'max_jobs_per_day': 3,
         'max_concurrency': 1, 'start_date': '2026-12-01'}, DATA)
    assert problems == []
    with pytest.raises(_batch_planner.Refusal, match=r'17 of 20 jobs do not fit in 1 days .*max_jobs_per_day 3'):
        _batch_planner.plan_schedule(checked, _batch_planner.expand(checked, DATA, {}))


def test_a_failed_job_comes_back_as_its_next_attempt_after_the_backoff_up_to_the_limit():
    from ansible_collections.instancebench.aws.plugins.module_utils import _job, _scheduled_jobs
    schedule = _scheduled_jobs.retry_policy({'retry_limit': 2, 'retry_backoff_minutes': 30})
    job = {'job_id': _job.job_id('r', 'us-east-1', 'm7i.large', 'hpl', 'blis', 0), 'region': 'us-east-1',
           'instance_type': 'm7i.large', 'benchmark': 'hpl', 'variant': 'blis', 'replica': 0}
    ids = [_job.job_id('r', 'us-east-1', 'm7i.large', 'hpl', 'blis', 0, n) for n in range(3)]
    now = 100000.0

    def resolve(states):
        [current] = _scheduled_jobs.resolve_attempts([job], states, now, schedule, 'r')
        return current['attempt'], current['job_id'], current['store_state']

    assert resolve({}) == (0, ids[0], 'none')
    assert resolve({ids[0]: ('in_flight', None)}) == (0, ids[0], 'in_flight')
    assert resolve({ids[0]: ('stored', None)}) == (0, ids[0], 'stored')
    assert resolve({ids[0]: ('over', now - 60)}) == (1, ids[1], 'waiting'), 'the backoff holds the retry'
    assert resolve({ids[0]: ('over', now - 31 * 60)}) == (1, ids[1], 'none'), 'after the backoff: attempt 1'
    assert resolve({ids[0]: ('over', 0), ids[1]: ('in_flight', None)}) == (1, ids[1], 'in_flight'), 'never twice'
    assert resolve({ids[0]: ('over', 0), ids[1]: ('over', 0)}) == (2, ids[2], 'none')
    assert resolve({ids[0]: ('over', 0), ids[1]: ('over', 0), ids[2]: ('over', 0)}) == (2, ids[2], 'over'), \
        'the retry limit is final'


class _Quotas(object):
    """Stands in for AnsibleAWSModule: its Service Quotas client answers `value` (moto has no
    Service Quotas for EC2; the integration tests take the unreachable path)."""

    def __init__(self, value, use=True):
        self.value, self.warnings = value, []
        self.params = {'use_service_quotas': use}

    def client(self, service, region=None):
        assert service == 'service-quotas'
        return self

    def get_service_quota(self, **request):
        assert request == {'ServiceCode': 'ec2', 'QuotaCode': 'L-1216C47A'}
        return {'Quota': {'Value': float(self.value)}}

    def warn(self, message):
        self.warnings.append(message)


def test_service_quotas_cap_the_configured_family_quotas():
    from ansible_collections.instancebench.aws.plugins.modules import schedule_plan
    checked, problems = _batch_planner.check_request(
        {'regions': ['us-east-1'], 'families': {'m7i': ['large', '4xlarge'], 'c7g': ['large']}, 'days': 1,
         'max_jobs_per_day': 5, 'max_concurrency': 2, 'start_date': '2026-12-01', 'vcpu_quota': {'m7i': 64, 'c7g': 8}},
        DATA)
    assert problems == []
    sources, too_small = schedule_plan._apply_quotas(_Quotas(12), checked, DATA)
    assert checked['vcpu_quota'] == {'m7i': 12, 'c7g': 8}, 'the account quota caps, a lower configured one stays'
    assert sources['us-east-1']['m7i'] == {'vcpus': 12, 'source': 'service-quotas L-1216C47A'}
    assert too_small == [('m7i.4xlarge', 'm7i.4xlarge (16 vCPUs) exceeds the m7i quota of 12 vCPUs')]


def test_a_retry_has_its_own_id_apart_from_every_replica():
    from ansible_collections.instancebench.aws.plugins.module_utils import _job
    replicas = [_job.job_id('r', 'us-east-1', 'c7a.large', 'stream', 'default', n) for n in range(3)]
    retries = [_job.job_id('r', 'us-east-1', 'c7a.large', 'stream', 'default', 0, n) for n in range(1, 3)]
    assert len(set(replicas + retries)) == 5
    assert _job.job_id('r', 'us-east-1', 'c7a.large', 'stream', 'default', 1, 0) == replicas[1], \
        'a first attempt keeps the id it had before attempts existed'


def test_a_plan_without_schedule_retries_only_what_its_controller_abandoned():
    from ansible_collections.instancebench.aws.plugins.module_utils import _job, _scheduled_jobs
    policy = _scheduled_jobs.retry_policy(None)
    job = {'job_id': _job.job_id('r', 'us-east-1', 'c7a.large', 'stream', 'default', 1), 'region': 'us-east-1',
           'instance_type': 'c7a.large', 'benchmark': 'stream', 'variant': 'default', 'replica': 1}
    ids = [job['job_id']] + [_job.job_id('r', 'us-east-1', 'c7a.large', 'stream', 'default', 1, n) for n in (1, 2)]
    now = 5000.0

    def resolve(states):
        [current] = _scheduled_jobs.resolve_attempts([job], states, now, policy, 'r')
        return current['attempt'], current['job_id'], current['store_state']

    assert resolve({ids[0]: ('over', now - 10, None)}) == (0, ids[0], 'over'), 'a job that failed by itself stays failed'
    assert resolve({ids[0]: ('abandoned', now - 10, {})}) == (1, ids[1], 'none'), 'no backoff: at once'
    assert resolve({ids[0]: ('abandoned', 0, {}), ids[1]: ('in_flight', None, {})}) == (1, ids[1], 'in_flight')
    assert resolve({ids[0]: ('abandoned', 0, {}), ids[1]: ('abandoned', 0, {}), ids[2]: ('abandoned', 0, {})}) == \
        (2, ids[2], 'abandoned'), 'two retries at most, then it stays abandoned'
