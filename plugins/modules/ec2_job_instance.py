#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ec2_job_instance
short_description: Launch the one EC2 instance of a benchmark job, in one zone and market, once
version_added: "0.1.0"
description:
  - Finds the pending or running instance tagged with O(job_id), or launches it with a single
    RunInstances call in the subnet (zone) and market given. It is idempotent, a job has at most one
    live instance.
  - Why not M(amazon.aws.ec2_instance) for this one call - it retries C(InsufficientInstanceCapacity)
    ten times with back-off up to a minute in the same zone, which is right for a single server
    and wrong for a benchmark fleet that should move to the next zone or market at once. Capacity
    and quota errors therefore fail fast here, with their AWS error code in RV(error.code), and the
    ec2_provision role tries the next attempt. Throttling is still retried.
  - Always requires IMDSv2 and sets the instance-initiated shutdown behaviour to C(terminate), so a
    job's own power-off deletes its instance.
author:
  - instancebench.aws contributors (@instancebench)
options:
  job_id:
    description: Job identifier; the instance carries it in the C(instancebench:job-id) tag.
    type: str
    required: true
  instance_type:
    description: EC2 instance type.
    type: str
    required: true
  image_id:
    description: AMI id.
    type: str
    required: true
  subnet_id:
    description: Subnet to launch in; it decides the availability zone.
    type: str
    required: true
  security_group_ids:
    description: Security groups of the instance.
    type: list
    elements: str
    required: true
  key_name:
    description: EC2 key pair for SSH.
    type: str
    required: true
  instance_profile:
    description: Name of the IAM instance profile (the instance's only credentials).
    type: str
    required: true
  user_data:
    description: User data script (plain text; encoded by the SDK).
    type: str
    default: ""
  market:
    description: V(spot) launches from O(spot_launch_template) (it carries the market options).
    type: str
    choices: [on-demand, spot]
    default: on-demand
  spot_launch_template:
    description: Name of the launch template with spot market options; required with O(market=spot).
    type: str
  tags:
    description: Tags for the instance and its volumes (the job id tag is added).
    type: dict
    default: {}
  wait_timeout:
    description: Seconds to wait for the instance to be running.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode (reports whether an instance would be launched).
"""

EXAMPLES = r"""
- name: Launch the instance of a STREAM job in one zone
  instancebench.aws.ec2_job_instance:
    region: us-east-1
    job_id: stream-default-3f2a9c0d1e4b
    instance_type: c7a.large
    image_id: ami-0123456789abcdef0
    subnet_id: subnet-0123456789abcdef0
    security_group_ids: [sg-0123456789abcdef0]
    key_name: instancebench-1a2b3c4d5e6f
    instance_profile: instancebench-20261125T120000Z
    user_data: "{{ lookup('ansible.builtin.template', 'user_data.sh.j2') }}"
    market: on-demand
    tags:
      instancebench:run-id: 20261125T120000Z
  register: launched
"""

RETURN = r"""
instance:
  description: The instance, as DescribeInstances returns it (snake_case keys).
  returned: success, and in check mode when it exists
  type: dict
  contains:
    instance_id:
      description: Instance id.
      type: str
      sample: i-0123456789abcdef0
    placement:
      description: Contains availability_zone.
      type: dict
    instance_lifecycle:
      description: C(spot) for spot instances; absent for on-demand.
      type: str
    public_ip_address:
      description: Public address, when the subnet maps one.
      type: str
    private_ip_address:
      description: Private address.
      type: str
error:
  description: The AWS error when the launch failed.
  returned: failure
  type: dict
  contains:
    code:
      description: AWS error code, e.g. C(InsufficientInstanceCapacity) or C(VcpuLimitExceeded).
      type: str
      sample: InsufficientInstanceCapacity
    message:
      description: AWS error message.
      type: str
"""

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

import time

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule

JOB_TAG = 'instancebench:job-id'


def find(ec2, job_id):
    answer = ec2.describe_instances(aws_retry=True, Filters=[
        {'Name': 'tag:%s' % JOB_TAG, 'Values': [job_id]},
        {'Name': 'instance-state-name', 'Values': ['pending', 'running']}])
    live = [instance for reservation in answer['Reservations'] for instance in reservation['Instances']]
    return live[0] if live else None


def run_spec(params):
    tags = ansible_dict_to_boto3_tag_list(dict(params['tags'], **{JOB_TAG: params['job_id']}))
    spec = {
        'MinCount': 1, 'MaxCount': 1,
        'InstanceType': params['instance_type'], 'ImageId': params['image_id'], 'SubnetId': params['subnet_id'],
        'SecurityGroupIds': params['security_group_ids'], 'KeyName': params['key_name'],
        'IamInstanceProfile': {'Name': params['instance_profile']}, 'UserData': params['user_data'],
        'InstanceInitiatedShutdownBehavior': 'terminate',
        'MetadataOptions': {'HttpTokens': 'required', 'HttpEndpoint': 'enabled', 'HttpPutResponseHopLimit': 1},
        'TagSpecifications': [{'ResourceType': 'instance', 'Tags': tags}, {'ResourceType': 'volume', 'Tags': tags}],
    }
    if params['market'] == 'spot':
        spec['LaunchTemplate'] = {'LaunchTemplateName': params['spot_launch_template'], 'Version': '$Latest'}
    return spec


def run_instance(ec2, spec, attempts=6, delay=2.0):
    """One RunInstances. Throttling is retried by the client wrapper; capacity errors are not.
    A just-created instance profile takes seconds to become visible to EC2: that is waited for."""
    for attempt in range(attempts):
        try:
            return ec2.run_instances(aws_retry=True, **spec)['Instances'][0]
        except botocore.exceptions.ClientError as exc:
            if attempt + 1 < attempts and 'iam instance profile' in str(exc).lower():
                time.sleep(delay * (attempt + 1))
                continue
            raise
    return None  # not reached: the last attempt returns or raises


def launch(module, ec2):
    where = 'Launching %s for job %s in %s failed' % (module.params['instance_type'], module.params['job_id'],
                                                      module.params['subnet_id'])
    try:
        instance = run_instance(ec2, run_spec(module.params))
        ec2.get_waiter('instance_running').wait(InstanceIds=[instance['InstanceId']], WaiterConfig={
            'Delay': 3, 'MaxAttempts': max(1, module.params['wait_timeout'] // 3)})
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg=where)
    return find(ec2, module.params['job_id']) or instance


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            job_id=dict(type='str', required=True),
            instance_type=dict(type='str', required=True),
            image_id=dict(type='str', required=True),
            subnet_id=dict(type='str', required=True),
            security_group_ids=dict(type='list', elements='str', required=True),
            key_name=dict(type='str', required=True, no_log=False),
            instance_profile=dict(type='str', required=True),
            user_data=dict(type='str', default=''),
            market=dict(type='str', choices=['on-demand', 'spot'], default='on-demand'),
            spot_launch_template=dict(type='str'),
            tags=dict(type='dict', default={}),
            wait_timeout=dict(type='int', default=600),
        ),
        required_if=[('market', 'spot', ['spot_launch_template'])],
        supports_check_mode=True,
    )
    ec2 = module.client('ec2', retry_decorator=AWSRetry.jittered_backoff())
    try:
        existing = find(ec2, module.params['job_id'])
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg='Could not look for the instance of job %s' % module.params['job_id'])
    if existing:
        module.exit_json(changed=False, instance=camel_dict_to_snake_dict(existing, ignore_list=['Tags']))
    if module.check_mode:
        module.exit_json(changed=True, instance={})
    instance = launch(module, ec2)
    module.exit_json(changed=True, instance=camel_dict_to_snake_dict(instance, ignore_list=['Tags']))


if __name__ == '__main__':
    main()
