# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An EC2 instance metadata service (IMDSv2) stand-in on 127.0.0.1 for the spot notice tests.

As EC2's: a PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds gives a token; a GET
without a valid token is 401; the spot documents are 404 until the test posts a notice
(`interrupt`, `recommend_rebalance`). Every request is recorded (method, path, status).
"""

import http.server
import json
import secrets
import threading

from harness.http_server import LoopbackServer
from harness.sshd import free_port

ACTION = '/latest/meta-data/spot/instance-action'
REBALANCE = '/latest/meta-data/events/recommendations/rebalance'


class ImdsStandIn(LoopbackServer):
    def __init__(self):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.documents = {}   # path -> JSON text served with a valid token
        self.requests = []    # (method, path, status)
        self._tokens = set()
        self._lock = threading.Lock()

    def interrupt(self, action='terminate', when='2026-12-05T09:00:00Z'):
        """EC2's two-minute warning: the instance-action document appears."""
        self.documents[ACTION] = json.dumps({'action': action, 'time': when})

    def recommend_rebalance(self, notice_time='2026-12-05T09:00:00Z'):
        self.documents[REBALANCE] = json.dumps({'noticeTime': notice_time})

    def count(self, method, path, status=None):
        with self._lock:
            return sum(1 for m, p, s in self.requests if m == method and p == path and status in (None, s))

    def handler(self):
        imds = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body=''):
                with imds._lock:
                    imds.requests.append((self.command, self.path, status))
                payload = body.encode()
                self.send_response(status)
                self.send_header('Content-Type', 'text/plain')
                self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_PUT(self):
                ttl = self.headers.get('X-aws-ec2-metadata-token-ttl-seconds', '')
                if self.path != '/latest/api/token' or not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
                    return self._answer(400)
                token = secrets.token_urlsafe(24)
                with imds._lock:
                    imds._tokens.add(token)
                return self._answer(200, token)

            def do_GET(self):
                with imds._lock:
                    valid = self.headers.get('X-aws-ec2-metadata-token') in imds._tokens
                if not valid:
                    return self._answer(401)
                body = imds.documents.get(self.path)
                return self._answer(404) if body is None else self._answer(200, body)

        return Handler
