# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
import hashlib
import os
import subprocess

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _collect, _job, _stats, _store


def test_summarize():
    stats = _stats.summarize([10.0, 12.0, 14.0])
    assert (stats['median'], stats['min'], stats['max'], stats['n']) == (12.0, 10.0, 14.0, 3)
    assert stats['stdev'] == pytest.approx(2.0) and stats['cv'] == pytest.approx(2.0 / 12.0)
    assert _stats.summarize([5])['stdev'] == 0.0
    with pytest.raises(ValueError):
        _stats.summarize([])


def test_job_id_is_deterministic_and_distinct():
    first = _job.job_id('run1', 'us-east-1', 'c7g.large', 'stream', 'default', 0)
    assert first == _job.job_id('run1', 'us-east-1', 'c7g.large', 'stream', 'default', 0)
    others = {_job.job_id('run1', 'us-east-1', 'c7g.large', 'stream', 'default', 1),
              _job.job_id('run2', 'us-east-1', 'c7g.large', 'stream', 'default', 0),
              _job.job_id('run1', 'us-west-2', 'c7g.large', 'stream', 'default', 0)}
    assert first not in others and len(others) == 3
    assert first.startswith('stream-default-')


def test_file_store_roundtrip_checksums_and_listing(tmp_path):
    store = _store.open_store('file://%s' % tmp_path)
    meta = store.put('runs/run=a/job=b/raw.log', b'hello\n')
    assert meta == {'key': 'runs/run=a/job=b/raw.log', 'sha256': hashlib.sha256(b'hello\n').hexdigest(), 'bytes': 6}
    store.put_json('runs/run=a/job=b/result.json', {'x': 1})
    assert store.get_json('runs/run=a/job=b/result.json') == {'x': 1}
    assert store.list('runs/') == ['runs/run=a/job=b/raw.log', 'runs/run=a/job=b/result.json']
    assert store.head('runs/run=a/job=b/raw.log')['sha256'] == meta['sha256']
    assert store.head('runs/run=a/job=b/missing') is None
    # The sidecar is in sha256sum format: an operator can check a store by hand.
    check = subprocess.run(['sha256sum', '-c', 'raw.log.sha256'], cwd=str(tmp_path / 'runs/run=a/job=b'),
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0 and 'raw.log: OK' in check.stdout


def test_store_rejects_bad_urls_and_escaping_keys(tmp_path):
    with pytest.raises(_store.StoreError, match='file:///absolute/path'):
        _store.open_store('results')
    with pytest.raises(_store.StoreError, match='unsupported'):
        _store.open_store('gs://bucket')
    with pytest.raises(_store.StoreError, match='leaves the store root'):
        _store.open_store(str(tmp_path)).put('../outside', b'x')


def test_state_from_sentinels():
    assert _collect.job_state({'status-launched.json'}) == 'launched'
    assert _collect.job_state({'status-launched.json', 'status-running.json'}) == 'running'
    assert _collect.job_state({'status-running.json', 'status-completed.json', 'result.json'}) == 'completed'
    assert _collect.job_state({'status-running.json', 'status-timed_out.json'}) == 'timed_out'
    assert _collect.job_state({'raw.log'}) == 'unknown'


def test_collect_flags_a_tampered_result(tmp_path):
    store = _store.open_store(str(tmp_path))
    prefix = _store.job_prefix('r', 'us-east-1', 'c7a.large', 'stream', 'j')
    assert prefix == 'runs/run=r/region=us-east-1/type=c7a.large/benchmark=stream/job=j'
    store.put_json(prefix + '/result.json', {'not': 'a result'})
    store.put_json(prefix + '/status-completed.json', {'state': 'completed'})
    with open(str(tmp_path / prefix / 'result.json'), 'a') as handle:
        handle.write(' ')
    rows = _collect.collect(store)
    assert len(rows) == 1 and rows[0]['state'] == 'completed' and rows[0]['valid'] is False
    assert any('does not match the recorded' in problem for problem in rows[0]['problems'])
    assert any("missing required field 'job'" in problem for problem in rows[0]['problems'])
    assert _collect.table(rows)[2].split()[4] == 'NO'


def test_summary_per_benchmark():
    def doc(benchmark, metrics, efficiency=None):
        return {'job': {'benchmark': benchmark}, 'efficiency': efficiency,
                'metrics': [{'name': n, 'value': v, 'unit': u} for n, v, u in metrics]}
    assert _collect.summary(doc('stream', [('copy_bandwidth', 35.6, 'GB/s'), ('triad_bandwidth', 36.21, 'GB/s')])) == 'triad 36.2 GB/s'
    assert _collect.summary(doc('hpl', [('gflops', 99.5, 'GFLOP/s')], {'entries': [{'efficiency': 0.84}]})) == '99.5 GFLOP/s (84 % of peak)'
    assert _collect.summary(doc('fftw', [('mflops_icf1024_t1', 39324.0, 'FFTW-Mflop/s'), ('time_icf1024_t1', 1e-6, 's'),
                                         ('mflops_icf1024_t2', 1300.0, 'FFTW-Mflop/s')])) == 'best 39324 Mflop/s (icf1024_t1)'
    assert _collect.summary(doc('stream', [])) == '-'


def test_s3_store_round_trip_with_sha256_metadata(monkeypatch):
    """The S3 backend behind the same calls as the file store (moto in process stands in for S3)."""
    import boto3
    from moto import mock_aws
    monkeypatch.delenv('AWS_ENDPOINT_URL', raising=False)
    monkeypatch.setenv('AWS_ACCESS_KEY_ID', 'testing')
    monkeypatch.setenv('AWS_SECRET_ACCESS_KEY', 'testing')
    monkeypatch.setenv('AWS_DEFAULT_REGION', 'us-east-1')
    with mock_aws():
        boto3.client('s3').create_bucket(Bucket='results')
        store = _store.open_store('s3://results/team/ib')
        assert isinstance(store, _store.S3Store) and store.url == 's3://results/team/ib'
        written = store.put_json('runs/run=a/job=b/result.json', {'x': 1})
        store.put('runs/run=a/job=b/raw.log', b'log\n')
        assert store.get_json('runs/run=a/job=b/result.json') == {'x': 1}
        head = store.head('runs/run=a/job=b/result.json')
        assert head['sha256'] == written['sha256'] == _store.sha256_bytes(store.get('runs/run=a/job=b/result.json'))
        assert store.head('runs/run=a/job=b/absent.json') is None and not store.exists('nothing')
        assert store.list('runs/run=a') == ['runs/run=a/job=b/raw.log', 'runs/run=a/job=b/result.json']
        raw = boto3.client('s3').list_objects_v2(Bucket='results')['Contents']
        assert sorted(o['Key'] for o in raw) == ['team/ib/runs/run=a/job=b/raw.log', 'team/ib/runs/run=a/job=b/result.json']
        with pytest.raises(_store.StoreError, match='leaves the store root'):
            store.put('../escape', b'x')
        with pytest.raises(_store.StoreError, match='cannot read'):
            _store.open_store('s3://no-such-bucket').get('k')


class _FlakyStore(object):
    """A FileStore that is down for its first `down` writes; the first of them stores the
    object and still fails (the ambiguous case: a timeout after the server took it)."""

    def __init__(self, inner, down, ambiguous=True):
        self.inner, self.down, self.url, self.writes = inner, down, inner.url, []
        self.ambiguous = ambiguous

    def put(self, key, data):
        if self.down:
            self.down -= 1
            if self.ambiguous and not self.writes and not self.inner.exists(key):
                self.inner.put(key, data)
                self.writes.append(key)
            raise _store.StoreError('connection refused')
        self.writes.append(key)
        return self.inner.put(key, data)

    def head(self, key):
        return self.inner.head(key)

    def exists(self, key):
        return self.inner.exists(key)


def test_spooled_store_keeps_order_and_sends_each_object_once(tmp_path):
    flaky = _FlakyStore(_store.open_store(str(tmp_path / 'store')), down=5)
    sleeps = []
    spooled = _store.SpooledStore(flaky, str(tmp_path / 'spool'), sleep=sleeps.append)
    for name in ('status-running.json', 'raw.log', 'result.json', 'status-completed.json'):
        spooled.put('job/' + name, name.encode())
    # The first, ambiguous write was found by HEAD on the next try: not sent twice.
    assert spooled.pending() == 3 and 'connection refused' in spooled.last_error
    # A new process (the job module run again) finds the spool on disk and sends it in order.
    again = _store.SpooledStore(flaky, str(tmp_path / 'spool'), sleep=sleeps.append)
    assert again.flush(deadline=None) == 0 and again.pending() == 0
    assert flaky.writes == ['job/status-running.json', 'job/raw.log', 'job/result.json',
                            'job/status-completed.json'], 'the ambiguous first write must not be repeated'
    assert flaky.inner.get('job/result.json') == b'result.json'
    assert sleeps and max(sleeps) <= 30.0, 'back-off is bounded'


def test_spooled_store_gives_up_at_its_deadline(tmp_path):
    clock = [0.0]
    flaky = _FlakyStore(_store.open_store(str(tmp_path / 'store')), down=10 ** 6, ambiguous=False)
    spooled = _store.SpooledStore(flaky, str(tmp_path / 'spool'), sleep=lambda s: clock.__setitem__(0, clock[0] + s),
                                  clock=lambda: clock[0])
    spooled.put('job/result.json', b'{}')
    assert spooled.flush(deadline=100) == 1 and 70 <= clock[0] <= 100
    assert os.listdir(str(tmp_path / 'spool')), 'what was not sent stays on disk'


def test_stored_objects_are_not_readable_by_every_user(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store.put('runs/run=r/x/result.json', b'{}')
    path = tmp_path / 'store' / 'runs' / 'run=r' / 'x' / 'result.json'
    assert path.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / 'store' / 'runs').stat().st_mode & 0o007 == 0
