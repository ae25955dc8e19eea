# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plans that only the region can refute (moto_server answers DescribeInstanceTypes, offerings,
subnets, buckets): launch.yml rejects them naming each field, and creates nothing at all.
The pure checks (55 malformed plans) are in tests/unit/test_plan.py."""

from harness import ec2
from harness.ansible_runner import run_playbook, write_inventory


def _nothing_created(server):
    client = ec2.client(server, 'ec2')
    assert not client.describe_vpcs(Filters=[{'Name': 'tag:Name', 'Values': ['instancebench']}])['Vpcs']
    assert not [g for g in client.describe_security_groups()['SecurityGroups'] if g['GroupName'].startswith('instancebench')]
    assert not client.describe_key_pairs()['KeyPairs']
    assert not client.describe_instances()['Reservations']
    assert not ec2.client(server, 'iam').list_roles()['Roles']


def _launch(tmp_path, ansible_home, server, plan, **more):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    extra = dict({'instancebench_plan': plan, 'instancebench_run_id': 'rejected', 'ec2_provision_use_pricing_api': False},
                 **more)
    return run_playbook('launch.yml', inventory, ansible_home, extra, env=server.env())


def test_region_facts_refute_the_plan_before_anything_is_created(tmp_path, ansible_home, moto, instance_host):
    plan = ec2.plan(instance_host, instance_types=['c7z.large', 'c7a.large'],
                    availability_zones=['us-east-1e', 'us-east-1z'])      # no bucket created either
    proc = _launch(tmp_path, ansible_home, moto, plan)
    assert proc.returncode != 0
    for expected in ("instance_types[0]: 'c7z.large' does not exist in us-east-1",
                     "instance_types[1]: 'c7a.large' is not offered in us-east-1e",
                     "availability_zones[1]: 'us-east-1z' is not an available zone of us-east-1",
                     "results.bucket: bucket 'bench-results' cannot be reached"):
        assert expected in proc.stdout, proc.stdout[-3000:]
    assert 'nothing was created' in proc.stdout
    _nothing_created(moto)


def test_existing_network_that_does_not_exist_is_refuted(tmp_path, ansible_home, moto, instance_host):
    ec2.client(moto, 's3').create_bucket(Bucket='bench-results')
    plan = ec2.plan(instance_host, networking={'mode': 'existing', 'subnet_ids': ['subnet-0123456789abcdef0'],
                                               'security_group_ids': ['sg-0123456789abcdef0'], 'key_name': 'nobody',
                                               'public_key_file': instance_host.client_key + '.pub'})
    proc = _launch(tmp_path, ansible_home, moto, plan)
    assert proc.returncode != 0
    assert 'networking.subnet_ids[0]: subnet-0123456789abcdef0 does not exist' in proc.stdout
    assert 'networking.security_group_ids[0]: sg-0123456789abcdef0 does not exist' in proc.stdout
    assert "networking.key_name: no key pair 'nobody'" in proc.stdout
    _nothing_created(moto)


def test_missing_ssh_key_and_bad_overrides_are_refuted(tmp_path, ansible_home, moto, instance_host):
    ec2.client(moto, 's3').create_bucket(Bucket='bench-results')
    plan = ec2.plan(instance_host, networking={'public_key_file': str(tmp_path / 'absent.pub')})
    proc = _launch(tmp_path, ansible_home, moto, plan)
    assert proc.returncode != 0 and 'networking.public_key_file' in proc.stdout and 'ssh-keygen' in proc.stdout
    _nothing_created(moto)
    proc = _launch(tmp_path, ansible_home, moto, ec2.plan(instance_host), ec2_provision_connection_overrides=[{}, {}])
    assert proc.returncode != 0 and 'ec2_provision_connection_overrides has 2 entries for 1 jobs' in proc.stdout
    _nothing_created(moto)


def test_an_architecture_without_an_image_is_refuted(tmp_path, ansible_home, moto, instance_host):
    ec2.client(moto, 's3').create_bucket(Bucket='bench-results')
    proc = _launch(tmp_path, ansible_home, moto, ec2.plan(instance_host, instance_types=['c7g.large']),
                   ec2_provision_image_parameters={'al2023': {'x86_64': '/x86/only'}})
    assert proc.returncode != 0
    assert 'ec2_provision_image_parameters has no SSM parameter for os al2023 on arm64' in proc.stdout
    _nothing_created(moto)
