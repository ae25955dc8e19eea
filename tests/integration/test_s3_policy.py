# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The instance policy ec2_provision generates, held against every S3 call a job makes, with S3's
403-for-a-missing-key rule and IAM's ${aws:userid} (tests/harness/s3_policy_proxy.py in front of
SeaweedFS, which enforces no IAM itself). A policy that would fail on AWS fails here, and one
instance cannot write another job's results."""

import hashlib
import json
import os
import subprocess

import jinja2

from ansible_collections.instancebench.aws.plugins.module_utils import _build_cache, _store
from harness.ansible_runner import REPO, ansible_env, module_argv
from harness.moto import CREDENTIALS
from harness.s3_policy_proxy import S3PolicyProxy, allowed
from harness.stored_jobs import BUILD, SYSTEM

FIXTURE = os.path.join(REPO, 'tests', 'fixtures', 'stream', 'znver4-omp2-o3-native.txt')
TEMPLATE = os.path.join(REPO, 'roles', 'ec2_provision', 'templates', 'results_policy.json.j2')
# Two instances of one run, as IAM names their sessions (role id:instance id).
MINE = 'AROATESTROLE0000000001:i-0aaaaaaaaaaaaaaa1'
OTHER = 'AROATESTROLE0000000001:i-0bbbbbbbbbbbbbbb2'
# The policy the first EC2 launches got: object actions only.
OLD_POLICY = {'Version': '2012-10-17', 'Statement': [
    {'Sid': 'ThisRunOnly', 'Effect': 'Allow', 'Action': ['s3:PutObject', 's3:GetObject'],
     'Resource': 'arn:aws:s3:::{bucket}/ib/runs/run=policy/*'}]}


def _generated_policy(bucket, run_id):
    # The run prefix as plan_info returns it: the store spells the layout.
    run_prefix = _store.S3Store(bucket, 'ib').full_key(_store.run_prefix(run_id))
    with open(TEMPLATE) as handle:
        text = jinja2.Template(handle.read()).render(
            __ec2_provision_plan={'results': {'bucket': bucket, 'prefix': 'ib'}, 'sources_mirror': None},
            __ec2_provision_checked={'results_run_prefix': run_prefix,
                                     'results_write_scope': _store.instance_write_scope(run_prefix),
                                     'results_cache_prefix': _store.S3Store(bucket, 'ib').full_key(_build_cache.PREFIX),
                                     'results_cache_staging_prefix':
                                         _store.S3Store(bucket, 'ib').full_key(_build_cache.STAGING)})
    return json.loads(text)


def _job(tmp_path, home, proxy, bucket, writer=MINE):
    work = tmp_path / 'job'
    work.mkdir(exist_ok=True)
    params = dict(benchmark='stream', command=['cat', FIXTURE], chdir=str(work), store='s3://%s/ib' % bucket,
                  run_id='policy', system=SYSTEM, build=BUILD, repetitions=2, timeout=120, upload_timeout=5,
                  instance={'type': 'c7a.large', 'region': 'us-east-1', 'writer': writer})
    env = dict(ansible_env(home), **CREDENTIALS)
    env['AWS_ENDPOINT_URL'] = proxy.url
    return subprocess.run(module_argv('instancebench.aws.run_benchmark', params), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)


def test_a_job_makes_only_calls_the_generated_policy_allows(tmp_path, ansible_home, seaweed):
    bucket = seaweed.create_bucket('policy-ok')
    policy = _generated_policy(bucket, 'policy')
    proxy = S3PolicyProxy(seaweed.url, policy, userid=MINE).start()
    try:
        proc = _job(tmp_path, ansible_home, proxy, bucket)
    finally:
        proxy.stop()
    assert proc.returncode == 0, proc.stdout
    denied = [c for c in proxy.calls if c['status'] == 403]
    assert denied == [], denied
    actions = set(c['action'] for c in proxy.calls)
    assert actions <= {'s3:ListBucket', 's3:PutObject', 's3:GetObject'}, actions
    assert 's3:ListBucket' in actions, 'absence is told by listing the job prefix, not by a HEAD that S3 would deny'
    [result] = [k for k in seaweed.keys(bucket) if k.endswith('/result.json')]
    assert result.startswith('ib/runs/run=policy/region=us-east-1/type=c7a.large/benchmark=stream/job=')
    assert result.endswith('/by=%s/result.json' % MINE), result


def test_an_instance_cannot_write_as_another_instance(tmp_path, ansible_home, seaweed):
    """The job told to write as another instance (a wrong or forged writer) is refused by the policy
    before anything runs, with the folder named; nothing lands."""
    bucket = seaweed.create_bucket('policy-scope')
    proxy = S3PolicyProxy(seaweed.url, _generated_policy(bucket, 'policy'), userid=MINE).start()
    try:
        proc = _job(tmp_path, ansible_home, proxy, bucket, writer=OTHER)
    finally:
        proxy.stop()
    assert proc.returncode != 0 and 'by=%s/' % OTHER in proc.stdout and 'Traceback' not in proc.stdout, \
        proc.stdout[-3000:]
    assert seaweed.keys(bucket) == []
    assert [c['status'] for c in proxy.calls] == [403], proxy.calls


def test_the_old_policy_fails_on_the_first_check_with_the_permission_named(tmp_path, ansible_home, seaweed):
    bucket = seaweed.create_bucket('policy-old')
    policy = json.loads(json.dumps(OLD_POLICY).replace('{bucket}', bucket))
    proxy = S3PolicyProxy(seaweed.url, policy).start()
    try:
        proc = _job(tmp_path, ansible_home, proxy, bucket)
    finally:
        proxy.stop()
    assert proc.returncode != 0
    assert 's3:ListBucket' in proc.stdout and 'Traceback' not in proc.stdout, proc.stdout[-3000:]
    assert seaweed.keys(bucket) == [], 'nothing ran, nothing was stored'


def test_the_policy_scopes_each_instance_to_its_own_folder():
    policy = _generated_policy('b', 'r1')
    job = 'arn:aws:s3:::b/ib/' + _store.job_prefix('r1', 'us-east-1', 'c7a.large', 'stream', 'j1')
    own = '%s/by=%s/result.json' % (job, MINE)
    assert allowed(policy, 's3:PutObject', own, userid=MINE)
    assert allowed(policy, 's3:GetObject', own, userid=MINE)
    assert not allowed(policy, 's3:PutObject', own, userid=OTHER), 'another instance\'s folder'
    assert not allowed(policy, 's3:PutObject', job + '/status-launched.json', userid=MINE), 'the controller\'s record'
    assert not allowed(policy, 's3:PutObject', job + '/result.json', userid=MINE), 'the job level'
    assert not allowed(policy, 's3:PutObject', own.replace('run=r1', 'run=r2'), userid=MINE), 'another run'
    assert not allowed(policy, 's3:DeleteObject', own, userid=MINE)
    listing = own[len('arn:aws:s3:::b/'):]
    assert allowed(policy, 's3:ListBucket', 'arn:aws:s3:::b', {'s3:prefix': listing}, userid=MINE)
    assert not allowed(policy, 's3:ListBucket', 'arn:aws:s3:::b', {'s3:prefix': listing}, userid=OTHER)
    assert not allowed(policy, 's3:ListBucket', 'arn:aws:s3:::b', {'s3:prefix': 'ib/runs/'}, userid=MINE)
    assert not allowed(policy, 's3:ListBucket', 'arn:aws:s3:::b', {}, userid=MINE), 'no prefix, no listing'


JOB = {'run_id': 'policy', 'job_id': 'stream-j1', 'region': 'us-east-1', 'instance_type': 'c7a.large'}
BINARY = b'not really a binary, but bytes with a sha256'


def _cache(tmp_path, home, url, state, writer=MINE, **more):
    binary = tmp_path / 'bin' / 'stream'
    params = dict(state=state, store='s3://%s/ib' % url[1])
    if state != 'promoted':
        binary.parent.mkdir(exist_ok=True)
        binary.write_bytes(BINARY)
        params.update(benchmark='stream', host=SYSTEM, source_sha256='a' * 64, flags=['-O3'], writer=writer,
                      path=str(binary) if state == 'stored' else str(tmp_path / 'got'), built_by=JOB)
    params.update(more)
    env = dict(ansible_env(home), **CREDENTIALS)
    env['AWS_ENDPOINT_URL'] = url[0]
    return subprocess.run(module_argv('instancebench.aws.build_cache', params), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)


def test_an_instance_stages_its_build_and_the_controller_promotes_it_only_once_its_job_checked_out(
        tmp_path, ansible_home, seaweed):
    """Through the generated policy: an instance may stage a binary under its own name, never write the
    cache itself; the controller promotes the entry only when the job's launched record names that
    writer and its result is valid with the same binary; then another instance fetches it."""
    bucket = seaweed.create_bucket('policy-cache')
    policy = _generated_policy(bucket, 'policy')
    mine = S3PolicyProxy(seaweed.url, policy, userid=MINE).start()
    try:
        direct = _cache(tmp_path, ansible_home, (mine.url, bucket), 'stored')
        # Refused by the policy; the job goes on without the cache (said, never a failed job).
        assert direct.returncode == 0 and 'build cache of stream in' in direct.stdout and 'not used' in direct.stdout
        staged = _cache(tmp_path, ansible_home, (mine.url, bucket), 'stored', staged=True)
        assert staged.returncode == 0, staged.stdout[-3000:]
        forged = _cache(tmp_path, ansible_home, (mine.url, bucket), 'stored', staged=True, writer=OTHER)
        assert 'not used' in forged.stdout, 'nor stage under another instance\'s name'
        assert [c['action'] for c in mine.calls if c.get('status') == 403] == ['s3:PutObject', 's3:ListBucket']
    finally:
        mine.stop()
    controller = (seaweed.url, bucket)
    refused = _cache(tmp_path, ansible_home, controller, 'promoted')
    assert refused.returncode == 0 and '"promoted": []' in refused.stdout
    assert 'no launched record for job stream-j1' in refused.stdout, refused.stdout[-2000:]
    client, job = seaweed.client(), 'ib/' + _store.job_prefix('policy', 'us-east-1', 'c7a.large', 'stream', 'stream-j1')
    client.put_object(Bucket=bucket, Key=job + '/status-launched.json', Body=json.dumps({'writer': MINE}).encode())
    result = {'validation': {'passed': True}, 'build': {'binary_sha256': hashlib.sha256(BINARY).hexdigest()}}
    client.put_object(Bucket=bucket, Key=job + '/by=%s/result.json' % MINE, Body=json.dumps(result).encode())
    promoted = _cache(tmp_path, ansible_home, controller, 'promoted')
    assert promoted.returncode == 0 and '"job_id": "stream-j1"' in promoted.stdout, promoted.stdout[-2000:]
    other = S3PolicyProxy(seaweed.url, policy, userid=OTHER).start()
    try:
        fetched = _cache(tmp_path, ansible_home, (other.url, bucket), 'fetched', writer=OTHER)
    finally:
        other.stop()
    assert fetched.returncode == 0 and '"hit": true' in fetched.stdout, fetched.stdout[-3000:]
    assert (tmp_path / 'got').read_bytes() == BINARY
    assert [c for c in other.calls if c.get('status') == 403] == [], other.calls
    folders = sorted(k.split('/')[1] for k in seaweed.keys(bucket) if '/cache' in k)
    assert folders == ['cache', 'cache', 'cache-staging', 'cache-staging']
