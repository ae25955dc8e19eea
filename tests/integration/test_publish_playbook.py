# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/publish.yml over an S3 store (SeaweedFS): a snapshot per new run, the published run
not read again, nothing written when nothing changed, and DuckDB queries the snapshot as the
README shows."""

import datetime
import hashlib
import json
import os

import duckdb

from ansible_collections.instancebench.aws.plugins.module_utils import _store
from harness import ec2
from harness.ansible_runner import run_playbook, write_inventory
from harness.stored_jobs import STREAM_SERIAL, store_job, store_scaled_job


def _publish(tmp_path, home, seaweed, bucket, dataset):
    return run_playbook('publish.yml', write_inventory(str(tmp_path / 'hosts.yml'), {}), home,
                        {'instancebench_results_store': 's3://%s/ib' % bucket, 'instancebench_dataset_dir': str(dataset),
                         'instancebench_dataset_upload': 's3://%s/dataset' % bucket},
                        env=seaweed.env())


def test_publish_is_incremental_and_the_snapshot_answers_queries(tmp_path, ansible_home, seaweed, s3_bucket):
    store = _store.S3Store(s3_bucket, 'ib', client=seaweed.client())
    store_job(store, 'week1', 'w1-a', 'c7a.large', price=0.10264)
    store_job(store, 'week1', 'w1-b', 'm7i.large', price=0.1008, output=STREAM_SERIAL)
    dataset = tmp_path / 'dataset'
    first = _publish(tmp_path, ansible_home, seaweed, s3_bucket, dataset)
    assert first.returncode == 0, first.stdout[-3000:]
    assert '8 results, 2 jobs, 8 aggregates' in first.stdout and 'runs read 1, taken from the last publish 0' in first.stdout

    unchanged = _publish(tmp_path, ansible_home, seaweed, s3_bucket, dataset)
    assert unchanged.returncode == 0 and 'nothing new since snapshot' in unchanged.stdout, unchanged.stdout[-3000:]
    assert unchanged.recap['localhost']['changed'] == 0

    # Week 2: c7a.large is 25 % slower (a mutated copy of a captured run).
    store_scaled_job(store, 'week2', 'w2-a', 'c7a.large', 0.75, price=0.10264)
    second = _publish(tmp_path, ansible_home, seaweed, s3_bucket, dataset)
    assert second.returncode == 0, second.stdout[-3000:]
    assert 'runs read 1, taken from the last publish 1' in second.stdout
    assert 'REGRESSION c7a.large stream/default/triad_bandwidth' in second.stdout and 'run week2 against week1' in second.stdout
    assert len(os.listdir(dataset / 'snapshots')) == 2
    # The S3 copy: both snapshots, every object with its sha256, latest.json naming the second.
    client = seaweed.client()
    latest_s3 = json.loads(client.get_object(Bucket=s3_bucket, Key='dataset/latest.json')['Body'].read())
    assert latest_s3 == json.loads((dataset / 'latest.json').read_text())
    copied = seaweed.keys(s3_bucket, 'dataset/snapshots/%s/' % latest_s3['snapshot'])
    local = [os.path.relpath(os.path.join(d, f), dataset / latest_s3['path'])
             for d, _s, fs in os.walk(dataset / latest_s3['path']) for f in fs]
    assert sorted(k.split('/', 3)[3] for k in copied) == sorted(local)
    head = client.head_object(Bucket=s3_bucket, Key='dataset/snapshots/%s/SHA256SUMS' % latest_s3['snapshot'])
    assert head['Metadata']['sha256'] == hashlib.sha256((dataset / latest_s3['path'] / 'SHA256SUMS').read_bytes()).hexdigest()

    # The README's query: value per dollar of each type, from the Parquet files of the latest snapshot.
    latest = json.loads((dataset / 'latest.json').read_text())['path']
    rows = duckdb.connect().execute(
        "SELECT instance_type, jobs, round(median, 2), round(value_per_usd_hour_on_demand, 1) "
        "FROM read_parquet(?) WHERE benchmark = 'stream' AND metric = 'triad_bandwidth' ORDER BY instance_type",
        [str(dataset / latest / 'parquet' / 'aggregates' / 'aggregates.parquet')]).fetchall()
    assert [(r[0], r[1]) for r in rows] == [('c7a.large', 2), ('m7i.large', 1)]
    assert abs(rows[0][3] - rows[0][2] / 0.10264) < 0.1, rows


def test_publish_sends_each_runs_metrics_to_cloudwatch_once(tmp_path, ansible_home, moto):
    store = _store.FileStore(str(tmp_path / 'store'))
    # Finished now-ish: CloudWatch takes datapoints of the last two weeks only.
    store_scaled_job(store, 'cw1', 'cw1-a', 'c7a.large', 1.0, price=0.10264, finished_at=_recent())
    store_scaled_job(store, 'cw1', 'cw1-b', 'm7i.large', 1.0, price=0.1008, finished_at=_recent())
    extra = {'instancebench_results_store': 'file://%s' % (tmp_path / 'store'), 'instancebench_dataset_dir': str(tmp_path / 'ds'),
             'instancebench_cloudwatch_namespace': 'instancebench-test', 'instancebench_region': ec2.REGION}
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    first = run_playbook('publish.yml', inventory, ansible_home, extra, env=moto.env())
    assert first.returncode == 0, first.stdout[-3000:]
    assert 'CloudWatch instancebench-test: 5 datapoints of 1 runs' in first.stdout, first.stdout[-2000:]
    cloudwatch = ec2.client(moto, 'cloudwatch')
    names = sorted(set(m['MetricName'] for m in cloudwatch.list_metrics(Namespace='instancebench-test')['Metrics']))
    assert names == ['CostUSD', 'Jobs', 'RuntimeSeconds', 'stream.triad_bandwidth']
    triad = cloudwatch.get_metric_statistics(
        Namespace='instancebench-test', MetricName='stream.triad_bandwidth', Statistics=['Maximum'], Period=60,
        Dimensions=[{'Name': 'Run', 'Value': 'cw1'}, {'Name': 'InstanceType', 'Value': 'c7a.large'},
                    {'Name': 'Variant', 'Value': 'default'}],
        StartTime=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1),
        EndTime=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1))['Datapoints']
    assert [(p['Maximum'], p['Unit']) for p in triad] == [(30.5202, 'Gigabytes/Second')]
    again = run_playbook('publish.yml', inventory, ansible_home, extra, env=moto.env())
    assert again.returncode == 0 and 'CloudWatch instancebench-test: 0 datapoints of 0 runs' in again.stdout, \
        'a run\'s metrics go out once'


def _recent():
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)).strftime('%Y-%m-%dT%H:%M:%S.%fZ')
