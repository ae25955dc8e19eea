# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the results store, one small interface over its backends.

Backends: `file:///abs/path` (or a bare absolute path) and `s3://bucket/prefix`, behind the
same calls: put, get, head, list. Keys are '/'-separated and relative to
the store root. Layout (Hive-style so DuckDB/Athena read it as partitions):

    runs/run=<run_id>/job=<job_id>/{job.json, status-<state>.json, result.json, raw.log}

Every object is written with its sha256 (file backend: a `<key>.sha256` file in
`sha256sum` format, so `sha256sum -c` checks a store by hand).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import tempfile

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


def job_prefix(run_id, job_id):
    return 'runs/run=%s/job=%s' % (run_id, job_id)


def _atomic_write(path, data):
    """Write to a temp file in the same directory, then rename: readers never see half a file."""
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        os.makedirs(directory)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix='.tmp-')
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class FileStore(object):
    """A directory on the host that runs the code (the job's host, or the controller)."""

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
            _atomic_write(path + CHECKSUM_SUFFIX, ('%s  %s\n' % (digest, os.path.basename(path))).encode())
        except (IOError, OSError) as exc:
            raise StoreError('cannot write %s: %s' % (path, exc))
        return {'key': key, 'sha256': digest, 'bytes': len(data)}

    def put_json(self, key, document):
        return self.put(key, (json.dumps(document, indent=2, sort_keys=True) + '\n').encode('utf-8'))

    def get(self, key):
        try:
            with open(self._path(key), 'rb') as handle:
                return handle.read()
        except (IOError, OSError) as exc:
            raise StoreError('cannot read %s: %s' % (self._path(key), exc))

    def get_json(self, key):
        return json.loads(self.get(key).decode('utf-8'))

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
        for directory, _dirs, files in os.walk(base):
            for name in files:
                if name.endswith(CHECKSUM_SUFFIX) or name.startswith('.tmp-'):
                    continue
                keys.append(os.path.relpath(os.path.join(directory, name), self.root).replace(os.sep, '/'))
        return sorted(keys)


def s3_client():
    """A boto3 S3 client with the host's own credentials (on EC2: the instance profile).
    AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL are passed explicitly: boto3 older than 1.28 (Debian
    12's, some distributions' python3-boto3) ignores them and would go to AWS itself."""
    try:
        import boto3
    except ImportError:
        raise StoreError('s3:// locations need boto3 on this host (python3-boto3)')
    endpoint = os.environ.get('AWS_ENDPOINT_URL_S3') or os.environ.get('AWS_ENDPOINT_URL') or None
    return boto3.client('s3', endpoint_url=endpoint)


class S3Store(object):
    """`s3://bucket/prefix` through boto3 with the host's own credentials (on EC2: the instance
    profile; the endpoint may come from AWS_ENDPOINT_URL). The sha256 of every object is
    written into its metadata (`x-amz-meta-sha256`)."""

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

    def _call(self, what, key, function, **kwargs):
        try:
            return function(Bucket=self.bucket, Key=self._key(key), **kwargs)
        except Exception as exc:  # botocore errors, without importing botocore at module load
            raise StoreError('cannot %s s3://%s/%s: %s' % (what, self.bucket, self._key(key), exc))

    def put(self, key, data):
        digest = sha256_bytes(data)
        self._call('write', key, self.client.put_object, Body=data, Metadata={'sha256': digest})
        return {'key': key, 'sha256': digest, 'bytes': len(data)}

    def put_json(self, key, document):
        return self.put(key, (json.dumps(document, indent=2, sort_keys=True) + '\n').encode('utf-8'))

    def get(self, key):
        return self._call('read', key, self.client.get_object)['Body'].read()

    def get_json(self, key):
        return json.loads(self.get(key).decode('utf-8'))

    def head(self, key):
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            if getattr(exc, 'response', {}).get('Error', {}).get('Code') in ('404', 'NoSuchKey', 'NotFound'):
                return None
            raise StoreError('cannot read s3://%s/%s: %s' % (self.bucket, self._key(key), exc))
        return {'key': key, 'bytes': answer['ContentLength'], 'sha256': answer.get('Metadata', {}).get('sha256')}

    def exists(self, key):
        return self.head(key) is not None

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
