# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""launch.yml with a plan against moto_server (EC2/IAM/SSM/S3) and an sshd test host standing in
for the instance: provision, verify the CPU, run STREAM, store to S3, terminate; then what moto
holds is checked, and a second launch of the same run must launch nothing."""

import base64
import json
import os
import re
import subprocess
import time

from harness import ec2, host_cpu
from harness.ansible_runner import run_playbook, write_inventory
from harness.http_server import http_directory

CONTROLLER_ADDRESS = '198.51.100.7'   # what the stand-in for checkip.amazonaws.com answers


def _launch(tmp_path, ansible_home, server, extra, env=None):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    return run_playbook('launch.yml', inventory, ansible_home, extra, env=env or server.env())


def _bucket(server):
    ec2.client(server, 's3').create_bucket(Bucket='bench-results')


def _assert_failsafe_behaves(user_data, workdir):
    """Run the user data's failsafe pieces with the deadline file and systemctl replaced:
    the first boot fixes the deadline, a reboot keeps it, the timer's check powers off only
    once it has passed."""
    workdir.mkdir()
    deadline_file, calls = workdir / 'deadline', workdir / 'systemctl.calls'
    standin = workdir / 'systemctl'
    standin.write_text('#!/bin/sh\necho "$@" >> %s\n' % calls)
    standin.chmod(0o755)
    env = dict(os.environ, PATH='%s:%s' % (workdir, os.environ['PATH']))
    arm = re.search(r'^failsafe_minutes=.*?^deadline_epoch=.*?$', user_data, re.M | re.S).group(0)
    arm = arm.replace('/etc/instancebench/deadline', str(deadline_file)).replace('install -d -m 0755 /etc/instancebench\n', '')
    subprocess.run(['bash', '-c', arm], check=True, env=env)
    first = int(deadline_file.read_text())
    assert abs(first - (time.time() + 60 * 60)) < 60
    deadline_file.write_text('%d\n' % (first - 5))  # as if time had passed before a reboot
    subprocess.run(['bash', '-c', arm], check=True, env=env)
    assert int(deadline_file.read_text()) == first - 5, 'a reboot must not move the deadline'
    check = re.search(r"^ExecStart=/bin/sh -c '(.*)'$", user_data, re.M).group(1)
    check = check.replace('%%', '%').replace('/etc/instancebench/deadline', str(deadline_file))
    subprocess.run(['sh', '-c', check], check=False, env=env)
    assert not calls.exists(), 'powered off before the deadline'
    deadline_file.write_text('%d\n' % (time.time() - 1))
    subprocess.run(['sh', '-c', check], check=False, env=env)
    assert calls.read_text() == 'poweroff\n'


def test_launch_provisions_verifies_runs_and_terminates(tmp_path, ansible_home, moto, instance_host, mirror):
    _bucket(moto)
    site = tmp_path / 'checkip'
    site.mkdir()
    (site / 'ip').write_text(CONTROLLER_ADDRESS + '\n')
    with http_directory(str(site)) as url:
        plan = ec2.plan(instance_host, networking={'public_key_file': instance_host.client_key + '.pub'})
        extra = ec2.launch_vars('ec2-e2e', plan, [instance_host], mirror, tmp_path / 'work',
                                ec2_provision_controller_ip_url=url + '/ip', ec2_provision_tag_launched_by=True)
        first = _launch(tmp_path, ansible_home, moto, extra)
        second = _launch(tmp_path, ansible_home, moto, extra)
    assert first.returncode == 0, first.stdout[-5000:]
    assert '%s: CPU as expected (%s,' % (ec2.INSTANCE_TYPE, host_cpu.FAMILY_NAME or 'no processor family') in first.stdout

    [instance] = ec2.instances(moto, 'ec2-e2e')
    tags = ec2.tags(instance)
    assert tags['instancebench:benchmark'] == 'stream' and tags['team'] == 'hpc'
    assert tags['instancebench:job-id'].startswith('stream-default-')
    assert tags['instancebench:expiry'].endswith('Z') and '@' in tags['instancebench:launched-by'], 'asked for'
    assert instance['State']['Name'] in ('shutting-down', 'terminated'), 'a finished job must not keep its instance'
    # Terminated by its batch's call as soon as the job finished, not left to the run's final sweep.
    batch_call = [t for t in first.stdout.split('TASK [') if t.startswith('instancebench.aws.ec2_provision : Terminate them]')]
    assert len(batch_call) == 2 and 'changed: [' in batch_call[0], batch_call   # play 2's batch call, play 3's sweep
    assert 'changed' not in batch_call[1], 'the final sweep found the instance still running'
    assert instance['MetadataOptions']['HttpTokens'] == 'required'
    client = ec2.client(moto, 'ec2')
    behaviour = client.describe_instance_attribute(InstanceId=instance['InstanceId'],
                                                   Attribute='instanceInitiatedShutdownBehavior')
    assert behaviour['InstanceInitiatedShutdownBehavior']['Value'] == 'terminate'
    user_data = base64.b64decode(client.describe_instance_attribute(
        InstanceId=instance['InstanceId'], Attribute='userData')['UserData']['Value']).decode()
    assert user_data.startswith('#!/bin/bash\n')
    assert 'systemctl enable --now instancebench-failsafe.timer' in user_data and 'shutdown -P' in user_data
    # The failsafe: max runtime (30 min) + 30 min buffer, counted from the instance's first boot.
    assert re.search(r'^failsafe_minutes=60$', user_data, re.M)
    assert 'if [ ! -s /etc/instancebench/deadline ]' in user_data, 'a reboot must not extend the deadline'
    script = tmp_path / 'user_data.sh'
    script.write_text(user_data)
    lint = subprocess.run(['shellcheck', '-S', 'warning', str(script)], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout
    _assert_failsafe_behaves(user_data, tmp_path / 'failsafe')
    # The image came from the public SSM parameter for this type's architecture.
    ami = ec2.client(moto, 'ssm').get_parameter(
        Name='/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-' + ec2.EC2_ARCH)['Parameter']['Value']
    assert instance['ImageId'] == ami

    [group] = client.describe_security_groups(
        Filters=[{'Name': 'group-name', 'Values': ['instancebench-ec2-e2e']}])['SecurityGroups']
    assert [(p['IpProtocol'], p['FromPort'], p['ToPort'], [r['CidrIp'] for r in p['IpRanges']])
            for p in group['IpPermissions']] == [('tcp', 22, 22, [CONTROLLER_ADDRESS + '/32'])]

    iam = ec2.client(moto, 'iam')
    policy = iam.get_role_policy(RoleName='instancebench-ec2-e2e', PolicyName='instancebench-results')['PolicyDocument']
    policy = json.loads(policy) if isinstance(policy, str) else policy
    assert policy['Statement'] == [
        # Each instance: its own folder of any job of the run (IAM fills in <role id>:<instance id>).
        {'Sid': 'OwnJobFolderOnly', 'Effect': 'Allow', 'Action': ['s3:PutObject', 's3:GetObject'],
         'Resource': 'arn:aws:s3:::bench-results/ib/runs/run=ec2-e2e/*/by=${aws:userid}/*'},
        # Without it S3 answers a HEAD of a missing key with 403, and the job cannot tell "not there yet".
        {'Sid': 'TellMissingFromForbidden', 'Effect': 'Allow', 'Action': ['s3:ListBucket'],
         'Resource': 'arn:aws:s3:::bench-results',
         'Condition': {'StringLike': {'s3:prefix': ['ib/runs/run=ec2-e2e/*/by=${aws:userid}/*', 'ib/cache/*',
                                                    'ib/cache-staging/*/by=${aws:userid}/*']}}},
        # The build cache: every promoted entry is read; an instance stages only its own builds.
        {'Sid': 'ReadBuildCache', 'Effect': 'Allow', 'Action': ['s3:GetObject'],
         'Resource': 'arn:aws:s3:::bench-results/ib/cache/*'},
        {'Sid': 'StageOwnBuildCacheEntries', 'Effect': 'Allow', 'Action': ['s3:PutObject', 's3:GetObject'],
         'Resource': 'arn:aws:s3:::bench-results/ib/cache-staging/*/by=${aws:userid}/*'}]
    staged = [k['Key'] for k in ec2.client(moto, 's3').list_objects_v2(Bucket='bench-results', Prefix='ib/cache')
              .get('Contents', [])]
    assert staged and all(k.startswith('ib/cache-staging/benchmark=stream/') for k in staged), \
        'the instance staged its STREAM binary, never wrote the cache itself: %s' % staged
    role_id = iam.get_role(RoleName='instancebench-ec2-e2e')['Role']['RoleId']
    profile = iam.get_instance_profile(InstanceProfileName='instancebench-ec2-e2e')['InstanceProfile']
    assert [role['RoleName'] for role in profile['Roles']] == ['instancebench-ec2-e2e']

    s3 = ec2.client(moto, 's3')
    key = 'ib/runs/run=ec2-e2e/region=us-east-1/type=%s/benchmark=stream/job=%s/by=%s:%s/result.json' % (
        ec2.INSTANCE_TYPE, tags['instancebench:job-id'], role_id, instance['InstanceId'])
    result = json.loads(s3.get_object(Bucket='bench-results', Key=key)['Body'].read())
    assert result['validation']['passed'] is True
    assert result['instance']['id'] == instance['InstanceId'] and result['instance']['type'] == ec2.INSTANCE_TYPE
    assert result['instance']['market'] == 'on-demand' and result['instance']['ami'] == ami
    assert result['instance']['price_per_hour_usd'] == ec2.table_price(ec2.INSTANCE_TYPE)   # moto has no Pricing API
    head = s3.head_object(Bucket='bench-results', Key=key)
    assert len(head['Metadata']['sha256']) == 64

    assert second.returncode == 0, second.stdout[-5000:]
    assert len(ec2.instances(moto, 'ec2-e2e')) == 1, 'the second launch of a run must launch nothing'
    assert 'result already stored' in second.stdout


def test_keep_then_cleanup_by_run_and_orphan_reaper(tmp_path, ansible_home, moto, instance_host, mirror):
    """Also: the plan's sources_mirror (S3) is where the instance takes stream.c from."""
    _bucket(moto)
    s3 = ec2.client(moto, 's3')
    s3.create_bucket(Bucket='bench-mirror')
    s3.upload_file(os.path.join(mirror, 'stream', 'stream.c'), 'bench-mirror', 'sources/stream/stream.c')
    plan = ec2.plan(instance_host, sources_mirror='s3://bench-mirror/sources')
    extra = ec2.launch_vars('ec2-keep', plan, [instance_host], '/nonexistent-local-mirror', tmp_path / 'work',
                            ec2_provision_keep_instances=True)
    launched = _launch(tmp_path, ansible_home, moto, extra)
    assert launched.returncode == 0, launched.stdout[-5000:]
    assert os.path.exists(tmp_path / 'work' / 'sources' / 'stream' / 'stream.c')
    [kept] = ec2.instances(moto, 'ec2-keep', states=('pending', 'running'))
    assert 'instancebench:launched-by' not in ec2.tags(kept), 'who launched is not told unless asked'
    policy = ec2.client(moto, 'iam').get_role_policy(RoleName='instancebench-ec2-keep',
                                                     PolicyName='instancebench-results')['PolicyDocument']
    policy = json.loads(policy) if isinstance(policy, str) else policy
    assert {'Sid': 'ReadSourceMirror', 'Effect': 'Allow', 'Action': ['s3:GetObject'],
            'Resource': 'arn:aws:s3:::bench-mirror/sources/*'} in policy['Statement']

    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    dry = run_playbook('cleanup.yml', inventory, ansible_home, {'region': ec2.REGION, 'run_id': 'ec2-keep'}, env=moto.env())
    assert dry.returncode == 0, dry.stdout
    assert 'Would terminate 1 instance(s)' in dry.stdout and kept['InstanceId'] in dry.stdout
    assert ec2.instances(moto, 'ec2-keep', states=('running',)), 'a dry run terminates nothing'

    real = run_playbook('cleanup.yml', inventory, ansible_home,
                        {'region': ec2.REGION, 'run_id': 'ec2-keep', 'dry_run': False}, env=moto.env())
    assert real.returncode == 0, real.stdout
    assert 'Terminating 1 instance(s)' in real.stdout
    assert not ec2.instances(moto, 'ec2-keep', states=('pending', 'running'))
    client = ec2.client(moto, 'ec2')
    assert not client.describe_security_groups(
        Filters=[{'Name': 'group-name', 'Values': ['instancebench-ec2-keep']}])['SecurityGroups']
    assert 'instancebench-ec2-keep' not in [r['RoleName'] for r in ec2.client(moto, 'iam').list_roles()['Roles']]

    # Orphans: one past its expiry tag, one not yet; only the first goes.
    image = client.describe_images()['Images'][0]['ImageId']
    ids = {}
    for label, expiry in (('old', '2020-01-01T00:00:00Z'), ('fresh', '2999-01-01T00:00:00Z')):
        ids[label] = client.run_instances(ImageId=image, InstanceType=ec2.INSTANCE_TYPE, MinCount=1, MaxCount=1,
                                          TagSpecifications=[{'ResourceType': 'instance', 'Tags': [
                                              {'Key': 'instancebench:expiry', 'Value': expiry},
                                              {'Key': 'instancebench:run-id', 'Value': 'orphan-' + label}]}]
                                          )['Instances'][0]['InstanceId']
    reaped = run_playbook('cleanup.yml', inventory, ansible_home,
                          {'region': ec2.REGION, 'expired': True, 'dry_run': False}, env=moto.env())
    assert reaped.returncode == 0, reaped.stdout
    states = dict((i['InstanceId'], i['State']['Name'])
                  for r in client.describe_instances(InstanceIds=list(ids.values()))['Reservations'] for i in r['Instances'])
    assert states[ids['old']] in ('shutting-down', 'terminated') and states[ids['fresh']] == 'running'


def test_wrong_cpu_fails_the_job_and_terminates_its_instance(tmp_path, ansible_home, moto, instance_host, mirror):
    """The same launch as the passing one, with the CPU table saying the family is a processor this
    machine is not: the check must fail and no benchmark may run."""
    _bucket(moto)
    extra = ec2.launch_vars('ec2-wrongcpu', ec2.plan(instance_host), [instance_host], mirror, tmp_path / 'work',
                            ec2_provision_family_overrides=ec2.family_overrides(host_cpu.foreign_family_entry()))
    proc = _launch(tmp_path, ansible_home, moto, extra)
    assert proc.returncode != 0
    expected = host_cpu.foreign_family_entry()['family_name']
    assert '%s should be %s' % (ec2.INSTANCE_TYPE, expected) in proc.stdout and 'no benchmark runs on it' in proc.stdout
    assert 'processor family: expected %s, found %s' % (expected, host_cpu.FAMILY_NAME) in proc.stdout
    assert '1 of 1 jobs did not complete' in proc.stdout
    [instance] = ec2.instances(moto, 'ec2-wrongcpu')
    assert instance['State']['Name'] in ('shutting-down', 'terminated')
    assert 'Run STREAM and store the result' not in proc.stdout
    assert not os.path.exists(tmp_path / 'work' / 'build')


def test_ubuntu_image_from_ssm_and_prices_without_a_pricing_api(tmp_path, ansible_home, moto, instance_host, mirror):
    """moto serves Amazon Linux's public SSM parameters but not Canonical's, and refuses to store
    /aws/ names: this test publishes the Ubuntu image under its own parameter and points
    ec2_provision_image_parameters there, as a site with golden images would."""
    _bucket(moto)
    client = ec2.client(moto, 'ec2')
    image = [i for i in client.describe_images()['Images'] if i['Architecture'] == ec2.EC2_ARCH][-1]['ImageId']
    ec2.client(moto, 'ssm').put_parameter(Name='/golden/ubuntu-24.04/' + ec2.EC2_ARCH, Value=image, Type='String')
    extra = ec2.launch_vars('ec2-ubuntu', ec2.plan(instance_host, os='ubuntu-24.04'), [instance_host], mirror,
                            tmp_path / 'work', instancebench_provision_only=True,
                            ec2_provision_image_parameters={'ubuntu-24.04': {ec2.EC2_ARCH: '/golden/ubuntu-24.04/' + ec2.EC2_ARCH}},
                            ec2_provision_use_pricing_api=True)   # moto answers HTTP 500: the table is used
    proc = _launch(tmp_path, ansible_home, moto, extra)
    assert proc.returncode == 0, proc.stdout[-5000:]
    assert 'Pricing API did not answer' in proc.stdout
    [instance] = ec2.instances(moto, 'ec2-ubuntu')
    assert instance['ImageId'] == image
    assert 'Run STREAM and store the result' not in proc.stdout, 'provision only runs no benchmark'
    assert instance['State']['Name'] in ('shutting-down', 'terminated')


def test_a_plan_file_is_data_a_template_in_it_never_runs(tmp_path, ansible_home, moto, instance_host, mirror):
    """A plan file (as schedule.yml writes, or one from elsewhere) is read as data: a tag value
    holding Jinja is stored on the instance as it is, and the lookup it names never runs."""
    import yaml
    _bucket(moto)
    marker = tmp_path / 'marker'
    plan = ec2.plan(instance_host, tags={'team': "{{ lookup('ansible.builtin.pipe', 'touch %s') }}" % marker})
    plan_file = tmp_path / 'plan.yml'
    plan_file.write_text(yaml.safe_dump({'instancebench_plan': plan}))
    # In the background (launch.yml's default with a plan): a provision-only job runs nothing, so it is
    # done and its instance terminated, never left running until its failsafe.
    extra = ec2.launch_vars('ec2-planfile', plan, [instance_host], mirror, tmp_path / 'work',
                            instancebench_provision_only=True, instancebench_wait=False)
    extra.pop('instancebench_plan')
    extra['instancebench_plan_file'] = str(plan_file)
    proc = _launch(tmp_path, ansible_home, moto, extra)
    assert proc.returncode == 0, proc.stdout[-5000:]
    assert not marker.exists(), 'a template in the plan file ran on the controller'
    [instance] = ec2.instances(moto, 'ec2-planfile')
    assert ec2.tags(instance)['team'].startswith("{{ lookup('ansible.builtin.pipe'")
    assert instance['State']['Name'] in ('shutting-down', 'terminated'), 'a provision-only instance is not left running'
