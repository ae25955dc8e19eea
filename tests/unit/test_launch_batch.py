# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""launch.yml's batch decisions: why launch options failed, which instances a batch terminates."""

from ansible_collections.instancebench.aws.plugins.module_utils._launch_batch import (
    instances_to_terminate, launch_failures)

RETRYABLE = ['InsufficientInstanceCapacity', 'VcpuLimitExceeded']


def attempt(zone, code=None, msg=''):
    result = {'__ec2_provision_option': {'market': 'spot', 'availability_zone': zone, 'price_per_hour_usd': 0.05},
              'failed': False, 'msg': msg}
    if code:
        result['error'] = {'code': code, 'message': msg}
    return result


def test_capacity_errors_are_noted_per_option_and_none_is_fatal():
    noted = launch_failures([attempt('us-east-1a', 'InsufficientInstanceCapacity', 'no room'),
                             attempt('us-east-1b', 'VcpuLimitExceeded', 'quota')], RETRYABLE)
    assert noted['fatal'] is None
    assert [(a['availability_zone'], a['code'], a['message']) for a in noted['attempts']] == [
        ('us-east-1a', 'InsufficientInstanceCapacity', 'no room'), ('us-east-1b', 'VcpuLimitExceeded', 'quota')]
    assert noted['attempts'][0]['market'] == 'spot' and noted['attempts'][0]['price_per_hour_usd'] == 0.05


def test_an_error_no_other_zone_can_fix_is_fatal_with_its_message():
    noted = launch_failures([attempt('us-east-1a', 'InsufficientInstanceCapacity'),
                             attempt('us-east-1b', 'UnauthorizedOperation', 'not allowed')], RETRYABLE)
    assert noted['fatal'] == {'code': 'UnauthorizedOperation', 'message': 'not allowed'}


def test_a_failure_without_an_aws_error_code_is_unknown_and_fatal():
    noted = launch_failures([{'__ec2_provision_option': {'availability_zone': 'a'}, 'msg': 'bad parameter'}], RETRYABLE)
    assert noted['fatal'] == {'code': 'unknown', 'message': 'bad parameter'}
    assert noted['attempts'][0]['code'] == 'unknown'


def test_no_failed_attempt_gives_nothing():
    assert launch_failures([], RETRYABLE) == {'attempts': [], 'fatal': None}


def instance(instance_id):
    return {'id': instance_id, 'type': 'c7a.large'}


def test_done_and_failed_jobs_are_terminated_running_and_unreachable_ones_are_not():
    instances = [instance('i-0000000000000001'), instance('i-0000000000000002'), instance('i-0000000000000003'),
                 instance('i-0000000000000004'), None, False]
    outcomes = [{'state': 'done'}, {'state': 'running'}, {'state': 'failed'}, None, {'state': 'not_launched'},
                {'state': 'skipped'}]
    assert instances_to_terminate(instances, outcomes) == ['i-0000000000000001', 'i-0000000000000003']
    # Unset host variables arrive as false (Jinja's map(attribute, default=false)).
    assert instances_to_terminate([instance('i-0000000000000005')], [False]) == []


def test_an_earlier_batch_terminated_instance_is_not_terminated_again():
    instances = [instance('i-0000000000000001'), instance('i-0000000000000002')]
    outcomes = [{'state': 'done'}, {'state': 'done'}]
    assert instances_to_terminate(instances, outcomes, ['i-0000000000000001']) == ['i-0000000000000002']
    assert instances_to_terminate(instances, outcomes, ['i-0000000000000001', 'i-0000000000000002']) == []
