# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collect.yml against a real S3 server (SeaweedFS): result objects changed after the job wrote
them are flagged by their sha256, give no number, and fail the play after the report is written."""

import json

from ansible_collections.instancebench.aws.plugins.module_utils import _store
from harness.ansible_runner import run_playbook, write_inventory
from harness.stored_jobs import host_objects, store_job


def test_collect_flags_results_tampered_with_in_s3(tmp_path, ansible_home, seaweed, s3_bucket):
    client = seaweed.client()
    store = _store.S3Store(s3_bucket, 'ib', client=client)
    good = store_job(store, 'tamper', 'good', 'c7a.large', price=0.10264)
    edited = store_job(store, 'tamper', 'edited', 'c7a.large', price=0.10264)
    copied = store_job(store, 'tamper', 'copied', 'c7a.large', price=0.10264)
    cut = store_job(store, 'tamper', 'cut', 'c7a.large', price=0.10264)
    # Someone "improves" a number and writes it back keeping the object's metadata...
    key = 'ib/%s/result.json' % host_objects(edited)
    answer = client.get_object(Bucket=s3_bucket, Key=key)
    doc = json.loads(answer['Body'].read())
    doc['metrics'][0]['value'] *= 2
    client.put_object(Bucket=s3_bucket, Key=key, Body=json.dumps(doc).encode(), Metadata=answer['Metadata'])
    # ...or copies another job's result over with a plain upload (no metadata: SHA256SUMS tells)...
    client.put_object(Bucket=s3_bucket, Key='ib/%s/result.json' % host_objects(copied),
                      Body=client.get_object(Bucket=s3_bucket, Key='ib/%s/result.json' % host_objects(good))['Body'].read())
    # ...or an upload was cut short.
    body = client.get_object(Bucket=s3_bucket, Key='ib/%s/result.json' % host_objects(cut))['Body'].read()
    client.put_object(Bucket=s3_bucket, Key='ib/%s/result.json' % host_objects(cut), Body=body[:len(body) // 2])

    report = tmp_path / 'report'
    proc = run_playbook('collect.yml', write_inventory(str(tmp_path / 'hosts.yml'), {}), ansible_home,
                        {'instancebench_results_store': 's3://%s/ib' % s3_bucket, 'instancebench_run_id': 'tamper',
                         'instancebench_report_dir': str(report)}, env=seaweed.env())
    assert proc.returncode != 0 and '3 jobs have a result that does not check out' in proc.stdout, proc.stdout[-3000:]
    assert 'edited: result.json sha256' in proc.stdout and 'copied: result.json sha256' in proc.stdout
    assert 'cut: result.json sha256' in proc.stdout
    records = [json.loads(line) for line in open(str(report / 'dataset.jsonl'))]
    numbers = sorted(set(r['job_id'] for r in records if r['value'] is not None))
    assert numbers == ['good'], 'only the result that checks out gives numbers'
    assert 'copied' in (report / 'report.md').read_text()
