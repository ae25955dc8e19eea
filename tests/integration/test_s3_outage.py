# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault test: the S3 server (SeaweedFS) is stopped while a job uploads, then comes back.
Every artifact must arrive, exactly once, in order, and the host powers off only afterwards."""

import hashlib
import json
import os
import subprocess
import time

import pytest

from harness.ansible_runner import REPO, ansible_env, module_argv
from harness.seaweed import SeaweedS3
from harness.stored_jobs import BUILD, SYSTEM
from harness.waiting import wait_for

FIXTURE = os.path.join(REPO, 'tests', 'fixtures', 'stream', 'znver4-omp2-o3-native.txt')
# raw-rep1.log: the first run's log, stored before the second run starts.
ARTIFACTS = ['SHA256SUMS', 'job.json', 'raw-rep1.log', 'raw.log', 'result.json', 'status-completed.json',
             'status-running.json', 'system.json']


@pytest.fixture
def private_s3(tmp_path):
    """A SeaweedFS of this test's own: the test stops it."""
    server = SeaweedS3(str(tmp_path / 'seaweed')).start()
    yield server
    server.stop()


def test_results_survive_an_s3_outage_exactly_once(tmp_path, ansible_home, private_s3):
    bucket = private_s3.create_bucket('outage')
    client = private_s3.client()
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={'Status': 'Enabled'})
    marker = tmp_path / 'powered-off'
    poweroff = tmp_path / 'poweroff'  # recorded stand-in for systemctl poweroff
    poweroff.write_text('#!/bin/sh\ndate -u +%%s.%%N > %s\n' % marker)
    poweroff.chmod(0o755)
    work = tmp_path / 'job'
    work.mkdir()
    params = dict(benchmark='stream', command=['sh', '-c', 'sleep 2; cat ' + FIXTURE], chdir=str(work),
                  store='s3://%s/ib' % bucket, run_id='outage', system=SYSTEM, build=BUILD, repetitions=2,
                  timeout=120, expected={'threads': 2, 'array_size_elements': 33554432},
                  instance={'type': 'c7a.large', 'region': 'us-east-1'},
                  upload_timeout=300, power_off_command=[str(poweroff)])
    env = dict(ansible_env(ansible_home), **private_s3.env())
    job = subprocess.Popen(module_argv('instancebench.aws.run_benchmark', params), env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: any(k.endswith('status-running.json') for k in private_s3.keys(bucket)), 60, 'running sentinel')
        private_s3.stop()  # the benchmark is still running: raw log, result and sentinel come next
        spool = work / 'spool'
        wait_for(lambda: spool.is_dir() and any(p.name.endswith('.key') for p in spool.rglob('*')), 60,
                 'uploads to fail into the spool')
        assert not marker.exists(), 'powered off with results still spooled'
        time.sleep(2)
        private_s3.start()
        out = job.communicate(timeout=300)[0]
    finally:
        if job.poll() is None:
            job.kill()
    assert job.returncode == 0, out
    keys = private_s3.keys(bucket)
    prefix = 'ib/runs/run=outage/region=us-east-1/type=c7a.large/benchmark=stream/'
    assert all(k.startswith(prefix) for k in keys), keys
    assert sorted(k.rsplit('/', 1)[1] for k in keys) == ARTIFACTS
    versions = client.list_object_versions(Bucket=bucket).get('Versions', [])
    assert sorted(v['Key'] for v in versions) == keys, 'an artifact was written more than once'
    for key in keys:  # every object carries the sha256 of its content
        got = client.get_object(Bucket=bucket, Key=key)
        body = got['Body'].read()
        assert got['Metadata']['sha256'] == hashlib.sha256(body).hexdigest(), key
    job_dir = keys[0].rsplit('/', 1)[0]
    sums = client.get_object(Bucket=bucket, Key=job_dir + '/SHA256SUMS')['Body'].read().decode()
    assert sorted(line.split()[1] for line in sums.splitlines()) == ['job.json', 'raw.log', 'result.json', 'system.json']
    result = json.loads(client.get_object(Bucket=bucket, Key=job_dir + '/result.json')['Body'].read())
    assert result['job']['state'] == 'completed' and result['validation']['passed']
    assert not [p for p in (work / 'spool').rglob('*') if p.is_file()], 'spool left behind'
    wait_for(marker.exists, 10, 'the power-off stand-in')
    completed = client.get_object(Bucket=bucket, Key=job_dir + '/status-completed.json')['LastModified'].timestamp()
    assert float(marker.read_text()) >= completed - 1, 'powered off before the terminal sentinel was stored'
