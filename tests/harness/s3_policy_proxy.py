# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An HTTP proxy in front of SeaweedFS that answers S3 calls the way AWS would under an IAM policy.

SeaweedFS (like moto) does not enforce IAM, so a policy that would fail on AWS passes against it.
This proxy evaluates every request against a policy document (the one ec2_provision generates)
before forwarding it, with S3's documented rule for missing keys: GET or HEAD of a key that does
not exist is 404 only for a caller allowed s3:ListBucket on the bucket, else 403. Conservatively,
a ListBucket grant limited by an s3:prefix condition does not count for that rule (a HEAD request
has no s3:prefix; AWS does not document that it is filled in), so a job must tell "absent" by
listing its own prefix, not by a HEAD of a key that may be missing. Path-style
requests only (what boto3 sends to an endpoint URL). Every call is recorded with its verdict.
Supported: Allow/Deny statements, Action and Resource with * and ? wildcards, conditions
StringEquals/StringLike on s3:prefix, and the policy variable ${aws:userid} (the caller the proxy
stands for: on EC2 an instance profile session is "<role id>:<instance id>").
"""

import fnmatch
import http.client
import http.server
import urllib.parse

from harness.http_server import LoopbackServer
from harness.sshd import free_port

_DENIED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
           b'<Message>Access Denied (s3_policy_proxy)</Message></Error>')


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _fill(pattern, variables):
    """A policy string with its ${...} variables replaced by the caller's values."""
    for name, value in (variables or {}).items():
        pattern = pattern.replace('${%s}' % name, value)
    return pattern


def _condition_holds(condition, context, variables):
    for operator, tests in (condition or {}).items():
        for key, wanted in tests.items():
            value = context.get(key)
            if value is None:
                return False
            wanted = [_fill(w, variables) for w in _as_list(wanted)]
            if operator == 'StringEquals' and value not in wanted:
                return False
            if operator == 'StringLike' and not any(fnmatch.fnmatchcase(value, w) for w in wanted):
                return False
            if operator not in ('StringEquals', 'StringLike'):
                return False
    return True


def allowed(policy, action, resource, context=None, userid=None):
    """IAM's verdict for one call by `userid`: an explicit Deny wins, else some Allow must match."""
    variables = {'aws:userid': userid} if userid else {}
    verdict = False
    for statement in policy['Statement']:
        if not any(fnmatch.fnmatchcase(action, a) for a in _as_list(statement['Action'])):
            continue
        if not any(fnmatch.fnmatchcase(resource, _fill(r, variables)) for r in _as_list(statement['Resource'])):
            continue
        if not _condition_holds(statement.get('Condition'), context or {}, variables):
            continue
        if statement['Effect'] == 'Deny':
            return False
        verdict = True
    return verdict


def classify(method, path, query):
    """(action, resource ARN, condition context, key or None) of a path-style S3 request."""
    parts = urllib.parse.unquote(path).lstrip('/').split('/', 1)
    bucket, key = parts[0], (parts[1] if len(parts) > 1 and parts[1] else None)
    if key is None:
        if method in ('GET', 'HEAD') and 'versions' in query:
            return 's3:ListBucketVersions', 'arn:aws:s3:::' + bucket, {'s3:prefix': query.get('prefix', [''])[0]}, None
        if method in ('GET', 'HEAD'):
            return 's3:ListBucket', 'arn:aws:s3:::' + bucket, {'s3:prefix': query.get('prefix', [''])[0]}, None
        return 's3:CreateBucket' if method == 'PUT' else 's3:Other', 'arn:aws:s3:::' + bucket, {}, None
    action = {'GET': 's3:GetObject', 'HEAD': 's3:GetObject', 'PUT': 's3:PutObject', 'POST': 's3:PutObject',
              'DELETE': 's3:DeleteObject'}.get(method, 's3:Other')
    return action, 'arn:aws:s3:::%s/%s' % (bucket, key), {}, (bucket, key)


class S3PolicyProxy(LoopbackServer):
    def __init__(self, upstream_url, policy, userid='AROAPROXYCALLER00000:i-0proxy'):
        self.upstream = urllib.parse.urlparse(upstream_url)
        self.policy = policy
        self.userid = userid
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.calls = []   # dicts: method, action, resource, status
        self._server = None

    def handler(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *_args):
                pass

            def _forward(self, body):
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                # The Host header goes on unchanged: it is part of the SigV4 signature.
                headers = dict(self.headers.items())
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                conn.close()
                return answer.status, answer.getheaders(), data

            def _reply(self, status, headers, data):
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ('content-length', 'transfer-encoding', 'connection'):
                        self.send_header(name, value)
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                if self.command != 'HEAD':
                    self.wfile.write(data)

            def _handle(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else None
                url = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
                action, resource, context, key = classify(self.command, url.path, query)
                call = {'method': self.command, 'action': action, 'resource': resource}
                proxy.calls.append(call)
                if not allowed(proxy.policy, action, resource, context, proxy.userid):
                    call['status'] = 403
                    return self._reply(403, [('Content-Type', 'application/xml')], _DENIED)
                status, headers, data = self._forward(body)
                if status == 404 and key is not None and not allowed(proxy.policy, 's3:ListBucket',
                                                                     'arn:aws:s3:::' + key[0], {}, proxy.userid):
                    status, headers, data = 403, [('Content-Type', 'application/xml')], _DENIED   # S3's rule
                call['status'] = status
                return self._reply(status, headers, data)

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle

        return Handler
