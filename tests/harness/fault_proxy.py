# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An HTTP proxy in front of moto_server that injects EC2 errors moto cannot produce.

moto never runs out of capacity or quota. Tests point AWS_ENDPOINT_URL at this proxy; it forwards
everything to moto unchanged, except RunInstances calls matching a rule, which get the error
AWS would send (InsufficientInstanceCapacity, VcpuLimitExceeded, ...). Rules match on the
instance type, the zone (resolved from the request's subnet through moto) and whether the
request launches from a launch template (our spot path). Every RunInstances call is recorded.
"""

import http.client
import http.server
import urllib.parse

import boto3

from harness.http_server import LoopbackServer
from harness.sshd import free_port

_ERROR = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{code}</Code>'
          '<Message>{message}</Message></Error></Errors><RequestID>injected-by-test</RequestID></Response>')


class FaultProxy(LoopbackServer):
    def __init__(self, upstream_url, credentials):
        self.upstream = urllib.parse.urlparse(upstream_url)
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.rules = []      # dicts: code, and any of instance_type, zone, launch_template (bool)
        self.launches = []   # one dict per RunInstances call: instance_type, zone, launch_template, error
        self._ec2 = boto3.client('ec2', endpoint_url=upstream_url, region_name='us-east-1', **credentials)
        self._server = None

    def fail(self, code, **match):
        self.rules.append(dict(match, code=code))
        return self

    def _zone_of(self, params):
        subnet = params.get('SubnetId') or params.get('NetworkInterface.1.SubnetId')
        if not subnet:
            return params.get('Placement.AvailabilityZone')
        return self._ec2.describe_subnets(SubnetIds=[subnet])['Subnets'][0]['AvailabilityZone']

    def _verdict(self, body):
        params = dict((key, values[0]) for key, values in urllib.parse.parse_qs(body.decode()).items())
        if params.get('Action') != 'RunInstances':
            return None
        launch = {'instance_type': params.get('InstanceType'), 'zone': self._zone_of(params),
                  'launch_template': any(key.startswith('LaunchTemplate.') for key in params), 'error': None}
        for rule in self.rules:
            if all(launch.get(key) == value for key, value in rule.items() if key != 'code'):
                launch['error'] = rule['code']
                break
        self.launches.append(launch)
        return launch['error']

    def handler(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                code = proxy._verdict(body) if self.command == 'POST' else None
                if code:
                    payload = _ERROR.format(code=code, message='injected by the test: moto has no capacity limits').encode()
                    # 400 so botocore does not retry it; the module sees the error code at once.
                    self.send_response(400)
                    self.send_header('Content-Type', 'text/xml')
                    self.send_header('Content-Length', str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                upstream = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in ('host', 'connection'))
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                self.send_response(answer.status)
                head = self.command == 'HEAD'   # keeps the upstream Content-Length, sends no body
                for key, value in answer.getheaders():
                    if key.lower() not in ('transfer-encoding', 'connection') and (head or key.lower() != 'content-length'):
                        self.send_header(key, value)
                if not head:
                    self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                if not head:
                    self.wfile.write(payload)
                upstream.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        return Handler
