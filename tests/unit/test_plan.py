# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan a user writes: every malformed plan is rejected with a message naming the field.

The AWS-facing checks (type exists in the region, offered in the zone, subnets, bucket) run
against moto in tests/integration/test_plan_rejections.py; these are the pure ones.
"""

import copy
import os

import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _job, _plan

GOOD = {
    'region': 'us-east-1',
    'instance_types': ['c7a.large', 'c7g.large'],
    'benchmarks': ['stream', 'hpl'],
    'market': 'spot-with-fallback',
    'max_runtime_minutes': 60,
    'results': {'bucket': 'bench-results', 'prefix': 'team/hpc'},
}


def _with(**changes):
    plan = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is _DROP:
            plan.pop(key, None)
        else:
            plan[key] = value
    return plan


_DROP = object()

# (case id, plan, field the message must name, words the fix must contain)
MALFORMED = [
    ('trailing newline in the prefix', _with(results={'bucket': 'bench-results', 'prefix': 'team\n'}), 'results.prefix', ''),
    ('a wildcard prefix widens IAM', _with(results={'bucket': 'bench-results', 'prefix': 'team*'}), 'results.prefix', ''),
    ('expiry not a number', _with(expiry_hours=float('nan')), 'expiry_hours', 'number'),
    ('SSH open by halves', _with(networking={'ssh_ingress_cidrs': ['0.0.0.0/1', '128.0.0.0/1']}),
     'networking.ssh_ingress_cidrs', 'ssh_open_to_world'),
    ('region with a newline', _with(region='us-east-1\n'), 'region', ''),
    ('not-a-mapping', ['region'], 'plan', 'mapping'),
    ('unknown-top-level-field', _with(instance_type=['c7a.large']), 'instance_type', 'unknown field'),
    ('missing-region', _with(region=_DROP), 'region', 'required'),
    ('bad-region', _with(region='US East'), 'region', 'us-east-1'),
    ('missing-instance-types', _with(instance_types=_DROP), 'instance_types', 'required'),
    ('instance-types-not-a-list', _with(instance_types='c7a.large'), 'instance_types', 'non-empty list'),
    ('instance-types-empty', _with(instance_types=[]), 'instance_types', 'non-empty list'),
    ('instance-type-malformed', _with(instance_types=['c7a-large']), 'instance_types[0]', 'not a valid'),
    ('instance-type-not-a-string', _with(instance_types=[7]), 'instance_types[0]', 'not a valid'),
    ('duplicate-instance-type', _with(instance_types=['c7a.large', 'c7a.large']), 'instance_types[1]', 'twice'),
    ('missing-benchmarks', _with(benchmarks=_DROP), 'benchmarks', 'required'),
    ('unknown-benchmark', _with(benchmarks=['stream', 'linpack']), 'benchmarks[1]', 'choose from'),
    ('duplicate-benchmark', _with(benchmarks=['hpl', 'hpl']), 'benchmarks[1]', 'twice'),
    ('unknown-market', _with(market='reserved'), 'market', 'spot-with-fallback'),
    ('unknown-os', _with(os='windows'), 'os', 'al2023'),
    ('missing-runtime', _with(max_runtime_minutes=_DROP), 'max_runtime_minutes', 'required'),
    ('runtime-zero', _with(max_runtime_minutes=0), 'max_runtime_minutes', 'greater than 0'),
    ('runtime-negative', _with(max_runtime_minutes=-5), 'max_runtime_minutes', 'greater than 0'),
    ('runtime-above-cap', _with(max_runtime_minutes=3000), 'max_runtime_minutes', 'hard cap'),
    ('runtime-a-string', _with(max_runtime_minutes='60'), 'max_runtime_minutes', 'integer'),
    ('runtime-a-bool', _with(max_runtime_minutes=True), 'max_runtime_minutes', 'integer'),
    ('concurrency-zero', _with(max_concurrency=0), 'max_concurrency', 'greater than 0'),
    ('concurrency-float', _with(max_concurrency=2.5), 'max_concurrency', 'integer'),
    ('expiry-before-runtime', _with(expiry_hours=1), 'expiry_hours', 'shorter than'),
    ('expiry-above-cap', _with(expiry_hours=1000), 'expiry_hours', 'at most'),
    ('missing-results', _with(results=_DROP), 'results', 'bucket'),
    ('bucket-uppercase', _with(results={'bucket': 'Bench_Results'}), 'results.bucket', 'lowercase'),
    ('bucket-too-short', _with(results={'bucket': 'ab'}), 'results.bucket', '3-63'),
    ('bucket-ip-address', _with(results={'bucket': '192.168.1.10'}), 'results.bucket', 'IP address'),
    ('bucket-double-dot', _with(results={'bucket': 'bench..results'}), 'results.bucket', '".."'),
    ('bucket-reserved-prefix', _with(results={'bucket': 'xn--bench'}), 'results.bucket', 'reserved'),
    ('prefix-leading-slash', _with(results={'bucket': 'bench-results', 'prefix': '/runs'}), 'results.prefix', 'leading'),
    ('prefix-dot-dot', _with(results={'bucket': 'bench-results', 'prefix': 'a/../b'}), 'results.prefix', 'usable'),
    ('results-unknown-field', _with(results={'bucket': 'bench-results', 'region': 'x'}), 'results.region', 'unknown'),
    ('mirror-not-s3', _with(sources_mirror='https://example.org/src'), 'sources_mirror', 's3://'),
    ('zone-outside-region', _with(availability_zones=['eu-west-1a']), 'availability_zones', 'not in region'),
    ('duplicate-zone', _with(availability_zones=['us-east-1a', 'us-east-1a']), 'availability_zones[1]', 'twice'),
    ('networking-not-a-mapping', _with(networking='default'), 'networking', 'mapping'),
    ('networking-unknown-mode', _with(networking={'mode': 'peered'}), 'networking.mode', 'create'),
    ('networking-unknown-field', _with(networking={'vpc': 'vpc-1'}), 'networking.vpc', 'unknown'),
    ('ssh-open-to-world', _with(networking={'ssh_ingress_cidrs': ['0.0.0.0/0']}), 'networking.ssh_ingress_cidrs',
     'ssh_open_to_world'),
    ('ssh-cidr-malformed', _with(networking={'ssh_ingress_cidrs': ['203.0.113.7/33']}), 'networking.ssh_ingress_cidrs[0]',
     'not a CIDR'),
    ('ssh-cidr-host-bits', _with(networking={'ssh_ingress_cidrs': ['203.0.113.7/24']}), 'networking.ssh_ingress_cidrs[0]',
     'host bits'),
    ('open-world-not-bool', _with(networking={'ssh_open_to_world': 'yes'}), 'networking.ssh_open_to_world', 'true or false'),
    ('vpc-cidr-too-big', _with(networking={'vpc_cidr': '10.0.0.0/8'}), 'networking.vpc_cidr', '/16'),
    ('public-key-not-pub', _with(networking={'public_key_file': '~/.ssh/id_ed25519'}), 'networking.public_key_file', '.pub'),
    ('existing-without-subnets', _with(networking={'mode': 'existing', 'security_group_ids': ['sg-0123456789abcdef0'],
                                                   'key_name': 'mine'}), 'networking.subnet_ids', 'required'),
    ('existing-bad-subnet-id', _with(networking={'mode': 'existing', 'subnet_ids': ['subnet-xyz'],
                                                 'security_group_ids': ['sg-0123456789abcdef0'], 'key_name': 'mine'}),
     'networking.subnet_ids[0]', 'not a valid'),
    ('existing-without-key', _with(networking={'mode': 'existing', 'subnet_ids': ['subnet-0123456789abcdef0'],
                                               'security_group_ids': ['sg-0123456789abcdef0']}), 'networking.key_name',
     'required'),
    ('create-with-subnets', _with(networking={'subnet_ids': ['subnet-0123456789abcdef0']}), 'networking.subnet_ids',
     'mode existing'),
    ('tags-not-a-mapping', _with(tags=['team=hpc']), 'tags', 'mapping'),
    ('tag-reserved-prefix', _with(tags={'instancebench:run-id': 'x'}), 'tags.instancebench:run-id', 'reserved'),
    ('tag-value-number', _with(tags={'cost-center': 1234}), 'tags.cost-center', 'quote numbers'),
    ('bad-name', _with(name='My Plan!'), 'name', 'lowercase'),
    ('replicas-zero', _with(instances_per_type=0), 'instances_per_type', 'greater than 0'),
    ('replicas-above-cap', _with(instances_per_type=500), 'instances_per_type', 'at most 50'),
    ('bad-ssh-user', _with(ssh_user='root; rm'), 'ssh_user', 'login name'),
]


def test_a_good_plan_has_no_problems_and_gets_defaults():
    plan, problems = _plan.check_plan(GOOD)
    assert problems == []
    assert plan['os'] == 'al2023' and plan['max_concurrency'] == 10
    assert plan['networking']['mode'] == 'create' and plan['networking']['ssh_ingress_cidrs'] == 'auto'
    assert plan['networking']['ssh_open_to_world'] is False
    assert plan['networking']['private_key_file'] == '~/.ssh/id_ed25519'
    assert plan['results']['url'] == 's3://bench-results/team/hpc'
    # Expiry defaults to the runtime plus two failsafe buffers: later than the instance's own power-off.
    assert plan['expiry_hours'] * 60 == 60 + 2 * _plan.EXPIRY_BUFFER_MINUTES


def test_there_are_at_least_thirty_malformed_plans():
    assert len(MALFORMED) >= 30


@pytest.mark.parametrize('plan,field,fix', [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_malformed_plan_is_rejected_naming_the_field(plan, field, fix):
    _normalized, problems = _plan.check_plan(plan)
    named = [p for p in problems if p.startswith(field + ': ')]
    assert named, 'no problem names %s: %s' % (field, problems)
    assert any(fix in p for p in named), problems


def test_every_problem_is_reported_at_once():
    plan = _with(region='nowhere', benchmarks=['linpack'], max_runtime_minutes=0, results={'bucket': 'X'})
    _normalized, problems = _plan.check_plan(plan)
    fields = sorted(p.split(': ')[0] for p in problems)
    assert fields == ['benchmarks[0]', 'max_runtime_minutes', 'region', 'results.bucket']


def test_open_world_ssh_needs_the_loud_option():
    plan = _with(networking={'ssh_ingress_cidrs': ['0.0.0.0/0'], 'ssh_open_to_world': True})
    assert _plan.check_plan(plan)[1] == []


def test_existing_network_plan_is_accepted():
    plan = _with(networking={'mode': 'existing', 'subnet_ids': ['subnet-0123456789abcdef0'],
                             'security_group_ids': ['sg-0123456789abcdef0'], 'key_name': 'team key'})
    normalized, problems = _plan.check_plan(plan)
    assert problems == [] and normalized['networking']['key_name'] == 'team key'


def test_launch_options_try_spot_in_every_zone_before_on_demand():
    options = _plan.launch_options('spot-with-fallback', ['a', 'b'])
    assert [(a['market'], a['availability_zone']) for a in options] == [
        ('spot', 'a'), ('spot', 'b'), ('on-demand', 'a'), ('on-demand', 'b')]
    assert [a['market'] for a in _plan.launch_options('spot', ['a'])] == ['spot']
    assert [a['market'] for a in _plan.launch_options('on-demand', ['a', 'b'])] == ['on-demand', 'on-demand']


def test_jobs_one_per_type_and_benchmark_with_the_job_modules_ids():
    plan, _problems = _plan.check_plan(GOOD)
    hardware = {'architecture': 'x86_64'}
    jobs = _plan.expand_jobs(plan, 'run1', {'c7a.large': hardware, 'c7g.large': hardware},
                             {'c7a.large': ['us-east-1a'], 'c7g.large': ['us-east-1b']}, {'c7a.large': 0.10264})
    assert [(j['instance_type'], j['benchmark']) for j in jobs] == [
        ('c7a.large', 'stream'), ('c7a.large', 'hpl'), ('c7g.large', 'stream'), ('c7g.large', 'hpl')]
    # The same id run_benchmark derives on the instance: results and launches meet.
    assert jobs[0]['job_id'] == _job.job_id('run1', 'us-east-1', 'c7a.large', 'stream', 'default')
    assert len(set(j['job_id'] for j in jobs)) == 4
    assert jobs[2]['on_demand_price_per_hour_usd'] is None and jobs[0]['on_demand_price_per_hour_usd'] == 0.10264


def test_identical_instances_get_their_own_jobs_and_the_modules_replica_ids():
    plan, _problems = _plan.check_plan(_with(instances_per_type=3, benchmarks=['stream'], instance_types=['c7a.large']))
    jobs = _plan.expand_jobs(plan, 'run1', {'c7a.large': {}}, {'c7a.large': ['us-east-1a']})
    assert [j['replica'] for j in jobs] == [0, 1, 2] and [j['index'] for j in jobs] == [0, 1, 2]
    assert [j['job_id'] for j in jobs] == [_job.job_id('run1', 'us-east-1', 'c7a.large', 'stream', 'default', r)
                                           for r in range(3)]


def test_subnets_are_carved_per_zone_without_overlap():
    cidrs = _plan.subnet_cidrs('10.77.0.0/16', ['a', 'b', 'c'])
    assert cidrs == {'a': '10.77.0.0/20', 'b': '10.77.16.0/20', 'c': '10.77.32.0/20'}


def test_the_documented_example_plan_is_valid():
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'playbooks', 'plans', 'example.yml')
    with open(path) as handle:
        plan = yaml.safe_load(handle)['instancebench_plan']
    normalized, problems = _plan.check_plan(plan)
    assert problems == []
    assert normalized['market'] == 'spot-with-fallback' and normalized['networking']['ssh_ingress_cidrs'] == 'auto'


def test_a_misspelt_plan_field_is_named_with_the_closest_known_one():
    _checked, problems = _plan.check_plan(_with(max_runtime_minute=60, results={'bucket': 'bench-results', 'prefx': 'a'}))
    assert [p for p in problems if p.startswith('max_runtime_minute:')] == [
        'max_runtime_minute: unknown field; did you mean max_runtime_minutes? known fields are %s' % ', '.join(_plan.TOP_LEVEL)]
    assert any(p.startswith('results.prefx: unknown field; did you mean prefix?') for p in problems), problems
    assert [p for p in _plan.check_plan(_with(colour='blue'))[1] if p.startswith('colour:')] == [
        'colour: unknown field; known fields are %s' % ', '.join(_plan.TOP_LEVEL)], 'no hint when nothing is close'
