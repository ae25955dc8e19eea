# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ec2_job_instance against moto_server, the amazon.aws way: check mode, real run, repeat."""

import json
import os
import subprocess

from harness import ec2
from harness.ansible_runner import BIN, REPO, ansible_env


def _module(args, home, server, check=False):
    env = ansible_env(home)
    env.update(server.env(), ANSIBLE_STDOUT_CALLBACK='ansible.builtin.json', ANSIBLE_LOAD_CALLBACK_PLUGINS='1')
    argv = [os.path.join(BIN, 'ansible'), 'localhost', '-m', 'instancebench.aws.ec2_job_instance', '-a', json.dumps(args)]
    proc = subprocess.run(argv + (['--check'] if check else []), env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # stdout is the json callback's document alone: the progress callback stays quiet beside it.
    return json.loads(proc.stdout)['plays'][0]['tasks'][0]['hosts']['localhost']


def test_check_then_launch_then_nothing_more(moto, ansible_home):
    client = ec2.client(moto, 'ec2')
    vpc = client.create_vpc(CidrBlock='10.9.0.0/16')['Vpc']['VpcId']
    subnet = client.create_subnet(VpcId=vpc, CidrBlock='10.9.1.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
    group = client.create_security_group(GroupName='t', Description='t', VpcId=vpc)['GroupId']
    client.import_key_pair(KeyName='k', PublicKeyMaterial=b'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1VGRaVbvo0xQmMkFCvL2VCUnHfpWxOsr2oSiyaG5AT t')
    ec2.client(moto, 'iam').create_instance_profile(InstanceProfileName='p')
    args = {'region': ec2.REGION, 'job_id': 'stream-default-0123456789ab', 'instance_type': 'c7a.large',
            'image_id': client.describe_images()['Images'][0]['ImageId'], 'subnet_id': subnet,
            'security_group_ids': [group], 'key_name': 'k', 'instance_profile': 'p', 'user_data': '#!/bin/sh\ntrue\n',
            'tags': {'instancebench:run-id': 'r'}, 'wait_timeout': 60}

    predicted = _module(args, ansible_home, moto, check=True)
    assert predicted['changed'] is True
    assert not client.describe_instances()['Reservations'], 'check mode launches nothing'

    launched = _module(args, ansible_home, moto)
    assert launched['changed'] is True
    instance = launched['instance']
    assert instance['placement']['availability_zone'] == 'us-east-1b' and instance['state']['name'] == 'running'
    assert instance['metadata_options']['http_tokens'] == 'required'
    assert {'Key': 'instancebench:job-id', 'Value': 'stream-default-0123456789ab'} in instance['tags']

    again = _module(args, ansible_home, moto)
    assert again['changed'] is False and again['instance']['instance_id'] == instance['instance_id']
    assert len(client.describe_instances()['Reservations']) == 1
