# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The per-region aws_ec2 inventories find our instances by tag and group them (moto_server);
the bring-your-own example parses as a plain SSH inventory."""

import json
import os
import subprocess

from harness import ec2
from harness.ansible_runner import BIN, REPO, ansible_env


def _inventory(path, home, env):
    full = ansible_env(home)
    full.update(env)
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', os.path.join(REPO, path), '--list'],
                          env=full, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _run(client, image, instance_type, tags):
    return client.run_instances(ImageId=image, InstanceType=instance_type, MinCount=1, MaxCount=1,
                                TagSpecifications=[{'ResourceType': 'instance', 'Tags': [
                                    {'Key': key, 'Value': value} for key, value in tags.items()]}]
                                )['Instances'][0]['InstanceId']


def test_region_inventory_groups_instances_by_run_benchmark_and_arch(moto, ansible_home):
    client = ec2.client(moto, 'ec2')
    images = dict((image['Architecture'], image['ImageId']) for image in client.describe_images()['Images'])
    _run(client, images['x86_64'], 'c7a.large', {'instancebench:run-id': 'r1', 'instancebench:job-id': 'stream-default-aaa',
                                                 'instancebench:benchmark': 'stream'})
    _run(client, images['arm64'], 'c7g.large', {'instancebench:run-id': 'r1', 'instancebench:job-id': 'hpl-default-bbb',
                                                'instancebench:benchmark': 'hpl'})
    _run(client, images['x86_64'], 'm7i.large', {'Name': 'not ours'})
    found = _inventory('inventories/us-east-1/aws_ec2.yml', ansible_home, moto.env())
    assert sorted(found['run_r1']['hosts']) == ['hpl-default-bbb', 'stream-default-aaa']
    assert found['benchmark_stream']['hosts'] == ['stream-default-aaa']
    assert found['arch_arm64']['hosts'] == ['hpl-default-bbb']
    assert sorted(found['instancebench_instances']['hosts']) == ['hpl-default-bbb', 'stream-default-aaa']
    hostvars = found['_meta']['hostvars']['stream-default-aaa']
    # ansible-inventory marks values from the cloud as unsafe: {'__ansible_unsafe': value}
    assert hostvars['instancebench_instance_type'] in ('c7a.large', {'__ansible_unsafe': 'c7a.large'})
    assert hostvars['ansible_host']
    assert hostvars['ansible_user'] == 'ec2-user'   # from the region's group_vars


def test_bring_your_own_example_is_a_plain_ssh_inventory(ansible_home):
    found = _inventory('inventories/byo-example', ansible_home, {})
    assert sorted(found['benchmark_hosts']['hosts']) == ['lab-genoa-01', 'lab-grace-01']
    assert found['_meta']['hostvars']['lab-grace-01']['ansible_user'] == 'admin'
    assert found['_meta']['hostvars']['lab-genoa-01']['instancebench_results_store'].startswith('file:///')
