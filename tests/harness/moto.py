# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""moto_server on 127.0.0.1:<free port>, the AWS API stand-in (EC2/IAM/SSM/S3) for tests."""

import os
import subprocess
import sys
import time
import urllib.request

from harness.processes import stop_process
from harness.sshd import free_port

# Dummy credentials: moto accepts any; real ones must never reach a test.
CREDENTIALS = {'AWS_ACCESS_KEY_ID': 'testing', 'AWS_SECRET_ACCESS_KEY': 'testing',
               'AWS_DEFAULT_REGION': 'us-east-1'}


class MotoServer(object):
    def __init__(self):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.proc = None

    def start(self, timeout=15.0):
        binary = os.path.join(os.path.dirname(sys.executable), 'moto_server')
        self.proc = subprocess.Popen([binary, '-H', '127.0.0.1', '-p', str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + '/moto-api/', timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError('moto_server did not answer on %s within %ss' % (self.url, timeout))

    def env(self):
        """Environment for boto3 / amazon.aws clients aimed at this server."""
        return dict(CREDENTIALS, AWS_ENDPOINT_URL=self.url)

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(self.url + '/moto-api/reset', method='POST'), timeout=5).close()

    def stop(self):
        stop_process(self.proc)
