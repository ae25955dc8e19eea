# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the results store, one small interface over its backends.

Backends: `file:///abs/path` (or a bare absolute path) and `s3://bucket/prefix`, behind the
same calls: put, get, head, list. Keys are '/'-separated and relative to
the store root. Layout (Hive-style so DuckDB/Athena read it as partitions; a job id is unique
per run, so no two jobs share a directory):

    runs/run=<run_id>/region=<region>/type=<instance type>/benchmark=<benchmark>/job=<job_id>/
        status-leased.json  status-launched.json  (status-failed.json)   the controller's records
        by=<writer>/                                                      what the job's host wrote:
            status-<state>.json  running, completed | failed | timed_out
            job.json  system.json  raw.log  result.json  SHA256SUMS

The writer folder is what lets the instance policy confine an instance to its own job: on EC2 the
writer is the instance role's `aws:userid` (`<role id>:<instance id>`), the policy allows writes
only under `by=${aws:userid}/`, and the controller names the writer in the launched record, so
readers take a job's objects from that folder only. A host with no cloud identity writes `by=host`.

Every object is written with its sha256 (file backend: a `<key>.sha256` file in
`sha256sum` format, so `sha256sum -c` checks a store by hand; S3: object metadata `sha256`).
S3 writes retry (botocore standard mode, then AWSRetry on S3's transient codes); a
`SpooledStore` in front keeps writes on local disk until S3 takes them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import re
import tempfile
import time
import uuid

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

CHECKSUM_SUFFIX = '.sha256'


class StoreError(Exception):
    """A store URL that cannot be used, or an object that cannot be read or written."""


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path, chunk=1 << 20):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(chunk), b''):
            digest.update(block)
    return digest.hexdigest()


_UNSAFE = re.compile(r'[^A-Za-z0-9._-]')
# S3 answers that mean "try again" (botocore's own retries gave up on them first).
S3_TRANSIENT_CODES = ['SlowDown', 'RequestTimeout', 'ServiceUnavailable', 'InternalError', '500', '503']


def partition(value):
    """A partition value safe in a key: no '/', '=' or spaces (host names, odd types)."""
    return _UNSAFE.sub('_', str(value)) or '_'


# The key layout lives here and nowhere else: every reader and writer asks these functions.
RUNS_ROOT = 'runs/'
_JOB_KEY = re.compile(r'^(runs/run=([^/]+)/region=([^/]+)/type=([^/]+)/benchmark=([^/]+)/job=([^/]+))/'
                      r'((?:by=[^/]+/)?[^/]+)\Z')
JOB_KEY_PARTS = ('run_id', 'region', 'instance_type', 'benchmark', 'job_id')
WRITER_FOLDER = 'by='
# A host that writes with no cloud identity (the controller's own machine, a bring-your-own host).
HOST_WRITER = 'host'
# IAM's aws:userid of an instance profile session is "<role id>:<instance id>": letters, digits, ':'.
_WRITER = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\Z')


def run_prefix(run_id):
    """'runs/run=<run_id>/': everything a run stores lies under it (the instance role's scope)."""
    return '%srun=%s/' % (RUNS_ROOT, partition(run_id))


def schedule_key(run_id):
    """Where launch.yml keeps a scheduled plan's schedule for collect's progress."""
    return run_prefix(run_id) + 'schedule.json'


def job_prefix(run_id, region, instance_type, benchmark, job_id):
    return '%sregion=%s/type=%s/benchmark=%s/job=%s' % (
        run_prefix(run_id), partition(region), partition(instance_type), partition(benchmark), partition(job_id))


def writer_prefix(job_prefix_, writer):
    """Where a job's host writes: `<job prefix>/by=<writer>`. The writer is kept as given (not made
    safe like a partition): it must match the aws:userid the instance policy puts in the key."""
    if not isinstance(writer, str) or not _WRITER.match(writer):
        raise StoreError('writer %r: use 1-128 letters, digits, ".", "_", ":" and "-" (on EC2 the instance role\'s '
                         'aws:userid, "<role id>:<instance id>")' % (writer,))
    return '%s/%s%s' % (job_prefix_, WRITER_FOLDER, writer)


def split_writer(name):
    """(writer, object name) of a name in a job's directory: (None, name) for the controller's
    records, ('<writer>', name) for 'by=<writer>/<name>'."""
    if name.startswith(WRITER_FOLDER) and '/' in name:
        folder, rest = name.split('/', 1)
        return folder[len(WRITER_FOLDER):], rest
    return None, name


def instance_write_scope(full_run_prefix):
    """The keys an instance of a run may write, as an IAM resource pattern (after the bucket):
    any job of the run, but only in the folder named after the caller's own aws:userid."""
    return '%s*/%s${aws:userid}/*' % (full_run_prefix, WRITER_FOLDER)


def parse_job_key(key):
    """(job prefix, object name, {run_id, region, instance_type, benchmark, job_id}) of a key in a
    job's directory, or None for any other key (schedule.json, a stray object). The name of an
    object a host wrote keeps its folder: 'by=<writer>/result.json' (split_writer)."""
    match = _JOB_KEY.match(key)
    if not match:
        return None
    return match.group(1), match.group(7), dict(zip(JOB_KEY_PARTS, match.group(2, 3, 4, 5, 6)))


def parse_sums(text):
    """{file name: sha256} from `sha256sum` format (bytes): a job's SHA256SUMS, a snapshot's."""
    pairs = (line.split(None, 1) for line in text.decode('utf-8', 'replace').splitlines() if line.strip())
    return dict((name.strip().lstrip('*'), digest) for digest, name in pairs)


def json_bytes(document):
    """How every JSON document is stored: indented, keys sorted, one trailing newline."""
    return (json.dumps(document, indent=2, sort_keys=True) + '\n').encode('utf-8')


def _error_code(exc):
    """The S3 error code of a botocore error ('NoSuchKey', '403', ...), or None."""
    return (getattr(exc, 'response', None) or {}).get('Error', {}).get('Code')


def _atomic_write(path, data):
    """Write to a temp file in the same directory, then rename: readers never see half a file."""
    directory = os.path.dirname(path)
    missing = []
    while directory and not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for new in reversed(missing):   # every directory we create: owner and group only
        try:
            os.mkdir(new, 0o750)
        except OSError:
            if not os.path.isdir(new):
                raise
    directory = os.path.dirname(path)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix='.tmp-')
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(data)
        # Results, logs and spooled objects: the owner and its group, not every user of the host.
        os.chmod(tmp, 0o640)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_checksum(path, digest):
    """The `<name>.sha256` file beside an object, in sha256sum's format (`sha256sum -c` checks it)."""
    _atomic_write(path + CHECKSUM_SUFFIX, ('%s  %s\n' % (digest, os.path.basename(path))).encode())


def put_json_if_changed(store, key, document, check_mode=False):
    """(changed, sha256): write a JSON document unless the store holds the same bytes under `key`
    (compared by the sha256 recorded at write time); in check mode, only say whether it would."""
    data = json_bytes(document)
    digest = sha256_bytes(data)
    head = store.head(key) if store.exists(key) else None
    changed = (head or {}).get('sha256') != digest
    if changed and not check_mode:
        store.put(key, data)
    return changed, digest


class FileStore(object):
    """A directory on the host that runs the code (the job's host, or the controller)."""

    # Reading local files is CPU work under one interpreter lock: threads only add contention
    # (a 3,000-job run: 0.38 ms a job read in turn, 0.66 ms with 16 threads).
    parallel_reads = False

    def __init__(self, root):
        if not os.path.isabs(root):
            raise StoreError('file store path must be absolute, got %r: use file:///absolute/path' % root)
        self.root = root
        self.url = 'file://' + root

    def _path(self, key):
        clean = os.path.normpath(key).lstrip('/')
        if clean.startswith('..'):
            raise StoreError('store key %r leaves the store root' % key)
        return os.path.join(self.root, clean)

    def put(self, key, data):
        """Store bytes under `key`; returns {'key', 'sha256', 'bytes'}."""
        digest = sha256_bytes(data)
        path = self._path(key)
        try:
            _atomic_write(path, data)
            _write_checksum(path, digest)
        except (IOError, OSError) as exc:
            raise StoreError('cannot write %s: %s' % (path, exc))
        return {'key': key, 'sha256': digest, 'bytes': len(data)}

    def put_json(self, key, document):
        return self.put(key, json_bytes(document))

    def create(self, key, data):
        """Store bytes under `key` only if nothing is there yet (a lease): the put's answer, or None
        when the key exists. A hard link is atomic and refuses an existing name."""
        digest = sha256_bytes(data)
        path = self._path(key)
        # Named like _atomic_write's temp files, so a listing never shows it; unique to this call, so
        # contenders in one process (threads) never share it.
        tmp = os.path.join(os.path.dirname(path), '.tmp-create-%s-%s' % (uuid.uuid4().hex, os.path.basename(path)))
        try:
            _atomic_write(tmp, data)
            try:
                os.link(tmp, path)
            except FileExistsError:
                return None
            finally:
                os.unlink(tmp)
            _write_checksum(path, digest)
        except (IOError, OSError) as exc:
            raise StoreError('cannot write %s: %s' % (path, exc))
        return {'key': key, 'sha256': digest, 'bytes': len(data)}

    def create_json(self, key, document):
        return self.create(key, json_bytes(document))

    def get(self, key):
        try:
            with open(self._path(key), 'rb') as handle:
                return handle.read()
        except (IOError, OSError) as exc:
            raise StoreError('cannot read %s: %s' % (self._path(key), exc))

    def get_json(self, key):
        return json.loads(self.get(key).decode('utf-8'))

    def get_with_sha256(self, key):
        """(bytes, sha256 recorded at write time or None)."""
        head = self.head(key)
        return self.get(key), (head or {}).get('sha256')

    def exists(self, key):
        return os.path.isfile(self._path(key))

    def head(self, key):
        """{'key', 'bytes', 'sha256': recorded at write time or None}; None if absent."""
        path = self._path(key)
        if not os.path.isfile(path):
            return None
        recorded = None
        if os.path.isfile(path + CHECKSUM_SUFFIX):
            with open(path + CHECKSUM_SUFFIX) as handle:
                recorded = handle.read().split()[0]
        return {'key': key, 'bytes': os.path.getsize(path), 'sha256': recorded}

    def list(self, prefix=''):
        """Keys under `prefix`, sorted; checksum files and temp files are not objects."""
        base = self._path(prefix) if prefix else self.root
        keys = []
        start = len(self.root.rstrip(os.sep)) + 1   # walk yields paths under the root: cut it, no relpath per file
        for directory, _dirs, files in os.walk(base):
            folder = directory[start:].replace(os.sep, '/')
            folder = folder + '/' if folder else ''
            keys.extend(folder + name for name in files
                        if not name.endswith(CHECKSUM_SUFFIX) and not name.startswith('.tmp-'))
        return sorted(keys)

    def list_dirs(self, prefix):
        """The next level of 'directories' under `prefix` (ending in '/'), as keys ending in '/'."""
        base = self._path(prefix)
        if not os.path.isdir(base):
            return []
        return sorted(prefix + name + '/' for name in os.listdir(base) if os.path.isdir(os.path.join(base, name)))


def s3_client():
    """A boto3 S3 client with the host's own credentials (on EC2: the instance profile).
    AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL are passed explicitly: boto3 older than 1.28 (Debian
    12's, some distributions' python3-boto3) ignores them and would go to AWS itself."""
    try:
        import boto3
    except ImportError:
        raise StoreError('s3:// locations need boto3 on this host (python3-boto3)')
    from botocore.config import Config
    endpoint = os.environ.get('AWS_ENDPOINT_URL_S3') or os.environ.get('AWS_ENDPOINT_URL') or None
    # Short timeouts and no botocore retries: an endpoint that is down or never answers reaches the
    # spool fast (it retries writes until the job's upload deadline); reads retry in _call. One
    # retry layer per call, so an ambiguous error cannot multiply writes.
    config = Config(retries={'max_attempts': 1, 'mode': 'standard'}, connect_timeout=5, read_timeout=20)
    return boto3.client('s3', endpoint_url=endpoint, config=config)


class S3Store(object):
    """`s3://bucket/prefix` through boto3 with the host's own credentials (on EC2: the instance
    profile; the endpoint may come from AWS_ENDPOINT_URL). The sha256 of every object is
    written into its metadata (`x-amz-meta-sha256`)."""

    parallel_reads = True   # each read waits on the network

    def __init__(self, bucket, prefix, client=None):
        self.bucket = bucket
        self.prefix = prefix.strip('/')
        self.url = 's3://%s/%s' % (bucket, self.prefix) if self.prefix else 's3://' + bucket
        self._client = client

    @property
    def client(self):
        if self._client is None:
            self._client = s3_client()
        return self._client

    def _key(self, key):
        clean = key.lstrip('/')
        if '..' in clean.split('/'):
            raise StoreError('store key %r leaves the store root' % key)
        return '%s/%s' % (self.prefix, clean) if self.prefix else clean

    def full_key(self, key):
        """The bucket key of a store key (the store's prefix in front): what IAM resources name."""
        return self._key(key)

    def _call(self, what, key, function, retry=True, **kwargs):
        retrying = AWSRetry.jittered_backoff(retries=4, delay=1, max_delay=8,
                                             catch_extra_error_codes=S3_TRANSIENT_CODES)(function) if retry else function
        try:
            return retrying(Bucket=self.bucket, Key=self._key(key), **kwargs)
        except Exception as exc:  # botocore errors, without importing botocore at module load
            raise StoreError('cannot %s s3://%s/%s: %s' % (what, self.bucket, self._key(key), exc))

    def put(self, key, data):
        digest = sha256_bytes(data)
        # Not retried here: a write that failed ambiguously may have landed; the spool (SpooledStore)
        # retries it after checking what is there.
        self._call('write', key, self.client.put_object, retry=False, Body=data, Metadata={'sha256': digest})
        return {'key': key, 'sha256': digest, 'bytes': len(data)}

    def put_json(self, key, document):
        return self.put(key, json_bytes(document))

    def create(self, key, data):
        """Store bytes under `key` only if nothing is there yet (S3 conditional write, If-None-Match:
        *): the put's answer, or None when the key exists or another conditional write of it is under
        way. Not retried: the one who lost the race must not win on a second try."""
        digest = sha256_bytes(data)
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, Metadata={'sha256': digest},
                                   IfNoneMatch='*')
        except Exception as exc:
            code = _error_code(exc)
            if code in ('PreconditionFailed', '412', 'ConditionalRequestConflict', '409'):
                return None
            raise StoreError('cannot write s3://%s/%s: %s' % (self.bucket, self._key(key), exc))
        return {'key': key, 'sha256': digest, 'bytes': len(data)}

    def create_json(self, key, document):
        return self.create(key, json_bytes(document))

    def get(self, key):
        return self._call('read', key, self.client.get_object)['Body'].read()

    def get_json(self, key):
        return json.loads(self.get(key).decode('utf-8'))

    def get_with_sha256(self, key):
        """(bytes, sha256 from the object's metadata or None): one request."""
        answer = self._call('read', key, self.client.get_object)
        return answer['Body'].read(), answer.get('Metadata', {}).get('sha256')

    def head(self, key):
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            code = _error_code(exc)
            if code in ('404', 'NoSuchKey', 'NotFound'):
                return None
            if code in ('403', 'AccessDenied', 'Forbidden'):
                # S3 answers 403, not 404, for a missing key to a caller without s3:ListBucket.
                raise StoreError('cannot read s3://%s/%s: access denied (403). Reading needs s3:GetObject on the key, '
                                 'and telling a missing object from a forbidden one needs s3:ListBucket on the bucket '
                                 'for this prefix (s3:prefix); grant both to this host\'s role'
                                 % (self.bucket, self._key(key)))
            raise StoreError('cannot read s3://%s/%s: %s' % (self.bucket, self._key(key), exc))
        return {'key': key, 'bytes': answer['ContentLength'], 'sha256': answer.get('Metadata', {}).get('sha256')}

    def exists(self, key):
        """By listing the key as a prefix, not by HEAD: S3 answers a HEAD of a missing key with 403
        unless the caller may list the whole bucket, and a job's role may list only its run's prefix."""
        wanted = self._key(key)
        try:
            answer = self.client.list_objects_v2(Bucket=self.bucket, Prefix=wanted, MaxKeys=10)
        except Exception as exc:
            code = _error_code(exc)
            hint = (': listing needs s3:ListBucket on the bucket for this prefix (s3:prefix)'
                    if code in ('403', 'AccessDenied') else '')
            raise StoreError('cannot list s3://%s/%s%s: %s' % (self.bucket, wanted, hint, exc))
        return any(item['Key'] == wanted for item in answer.get('Contents', []))

    def list(self, prefix=''):
        root = self._key('') if self.prefix else ''
        keys = []
        paginator = self.client.get_paginator('list_objects_v2')
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix) if prefix else root):
                keys.extend(item['Key'][len(root):] for item in page.get('Contents', []))
        except Exception as exc:
            raise StoreError('cannot list s3://%s/%s: %s' % (self.bucket, root, exc))
        return sorted(keys)

    def list_dirs(self, prefix):
        """The next level of 'directories' under `prefix` (ending in '/'): a delimiter listing,
        so a run's partitions are found without listing its objects."""
        root = self._key('') if self.prefix else ''
        found = []
        paginator = self.client.get_paginator('list_objects_v2')
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix), Delimiter='/'):
                found.extend(item['Prefix'][len(root):] for item in page.get('CommonPrefixes', []))
        except Exception as exc:
            raise StoreError('cannot list s3://%s/%s: %s' % (self.bucket, self._key(prefix), exc))
        return sorted(found)


class SpooledStore(object):
    """Writes go to a local spool first (write-ahead), then to `inner` in the order they were
    made: a terminal sentinel never lands before the result it announces, and a process killed
    mid-upload leaves its unsent objects on disk for the next flush. Reads go to `inner`.

    Exactly once: an upload that failed ambiguously (the server may have stored it) is checked
    with HEAD (same sha256 = already there) before it is sent again.
    """

    def __init__(self, inner, spool_dir, sleep=time.sleep, clock=time.monotonic):
        self.inner = inner
        self.url = inner.url
        self.parallel_reads = getattr(inner, 'parallel_reads', True)
        self.spool_dir = spool_dir
        self._sleep, self._clock = sleep, clock
        self.last_error = None
        if not os.path.isdir(spool_dir):
            os.makedirs(spool_dir, 0o700)
        # Left by an earlier process that may have died mid-upload: check before resending.
        self._doubtful = set(os.path.join(spool_dir, name) for name in self._pending())

    def _pending(self):
        return sorted(name[:-len('.key')] for name in os.listdir(self.spool_dir) if name.endswith('.key'))

    def put(self, key, data):
        pending = self._pending()
        item = os.path.join(self.spool_dir, '%08d' % (int(pending[-1]) + 1 if pending else 1))
        _atomic_write(item + '.data', data)
        _atomic_write(item + '.key', key.encode('utf-8'))  # written last: the commit marker
        self.flush(deadline=0)
        return {'key': key, 'sha256': sha256_bytes(data), 'bytes': len(data)}

    def put_json(self, key, document):
        return self.put(key, json_bytes(document))

    def _send(self, item):
        with open(item + '.key', 'rb') as handle:
            key = handle.read().decode('utf-8')
        with open(item + '.data', 'rb') as handle:
            data = handle.read()
        if item in self._doubtful:
            # Listed first: a HEAD of a key that is not there is a 403 to a job's role (see exists()).
            there = self.inner.head(key) if self.inner.exists(key) else None
            if there and there.get('sha256') == sha256_bytes(data):
                return
        self._doubtful.add(item)
        self.inner.put(key, data)

    def flush(self, deadline=None, max_delay=30.0):
        """Send spooled objects in order. deadline: seconds to keep retrying (0 = one try,
        None = forever). Returns how many objects are still spooled."""
        stop_at = None if deadline is None else self._clock() + deadline
        delay = 1.0
        while True:
            try:
                for name in self._pending():
                    item = os.path.join(self.spool_dir, name)
                    self._send(item)
                    os.unlink(item + '.key')
                    os.unlink(item + '.data')
                    self._doubtful.discard(item)
                self.last_error = None
                return 0
            except StoreError as exc:
                self.last_error = str(exc)
            if stop_at is not None and self._clock() + delay > stop_at:
                return len(self._pending())
            self._sleep(delay)
            delay = min(delay * 2, max_delay)

    def pending(self):
        return len(self._pending())

    def get(self, key):
        return self.inner.get(key)

    def get_json(self, key):
        return self.inner.get_json(key)

    def get_with_sha256(self, key):
        return self.inner.get_with_sha256(key)

    def head(self, key):
        return self.inner.head(key)

    def exists(self, key):
        return self.inner.exists(key)

    def list(self, prefix=''):
        return self.inner.list(prefix)

    def list_dirs(self, prefix):
        return self.inner.list_dirs(prefix)


def open_store(url):
    """Return the backend for `url`; raise StoreError naming the accepted forms."""
    if url.startswith('file://'):
        return FileStore(url[len('file://'):])
    if url.startswith('/'):
        return FileStore(url)
    if url.startswith('s3://') and len(url) > len('s3://'):
        bucket, _sep, prefix = url[len('s3://'):].partition('/')
        return S3Store(bucket, prefix)
    raise StoreError('unsupported results store %r: use file:///absolute/path or s3://bucket/prefix' % url)
