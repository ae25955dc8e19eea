# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Destructive actions act only on what carries this run's tags: collect's optional terminate and
cleanup.yml's run id, against moto. The results store is written by instances, so an instance id
in it is never taken on trust."""

from harness import ec2
from harness.ansible_runner import run_playbook, write_inventory
from harness.stored_jobs import store_job

from ansible_collections.instancebench.aws.plugins.module_utils import _store


def _instance(client, tags):
    image = client.describe_images()['Images'][0]['ImageId']
    spec = [{'ResourceType': 'instance', 'Tags': [{'Key': k, 'Value': v} for k, v in tags.items()]}] if tags else []
    return client.run_instances(ImageId=image, InstanceType='c7a.large', MinCount=1, MaxCount=1,
                                TagSpecifications=spec)['Instances'][0]['InstanceId']


def _state(client, instance_id):
    return client.describe_instances(InstanceIds=[instance_id])['Reservations'][0]['Instances'][0]['State']['Name']


def test_collect_terminates_only_instances_tagged_for_their_job(tmp_path, ansible_home, moto):
    client = ec2.client(moto, 'ec2')
    ours = _instance(client, {'instancebench:run-id': 'own', 'instancebench:job-id': 'stream-default-000000000001'})
    database = _instance(client, {'Name': 'production-database'})
    other_run = _instance(client, {'instancebench:run-id': 'someone-else', 'instancebench:job-id': 'x'})
    store = _store.FileStore(str(tmp_path / 'store'))
    store_job(store, 'own', 'stream-default-000000000001', 'c7a.large', instance_id=ours)
    store_job(store, 'own', 'stream-default-000000000002', 'c7a.large', instance_id=database)   # a lying result
    store_job(store, 'own', 'stream-default-000000000003', 'c7a.large', instance_id=other_run)
    store_job(store, 'own', 'stream-default-000000000004', 'c7a.large', instance_id='i-0; rm -rf /')
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    proc = run_playbook('collect.yml', inventory, ansible_home, {
        'instancebench_results_store': 'file://%s' % (tmp_path / 'store'), 'instancebench_run_id': 'own',
        'instancebench_report_dir': str(tmp_path / 'report'), 'instancebench_collect_terminate': True,
        'instancebench_collect_fail_on_problems': False}, env=moto.env())
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert _state(client, ours) in ('shutting-down', 'terminated')
    assert _state(client, database) == 'running' and _state(client, other_run) == 'running'
    assert 'does not carry the tags of run own job stream-default-000000000002' in proc.stdout
    assert "is not an instance id" in proc.stdout


def test_cleanup_refuses_a_wildcard_run_id_and_touches_no_other_run(tmp_path, ansible_home, moto):
    client = ec2.client(moto, 'ec2')
    other = _instance(client, {'instancebench:run-id': 'someone-else', 'instancebench:expiry': '2999-01-01T00:00:00Z'})
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    proc = run_playbook('cleanup.yml', inventory, ansible_home,
                        {'region': ec2.REGION, 'run_id': 's*', 'dry_run': False}, env=moto.env())
    assert proc.returncode != 0 and 'no wildcards' in proc.stdout, proc.stdout[-3000:]
    assert _state(client, other) == 'running'
