# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: EC2's spot notices in the instance metadata (IMDSv2), watched while a benchmark runs.

An instance-action notice (EC2 will stop, hibernate or terminate the spot instance in about two
minutes) stops the job; a rebalance recommendation (elevated risk of interruption) is recorded and
the job runs on. An endpoint that does not answer is not a notice: it is said once and the job runs on.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from urllib.error import HTTPError, URLError
from urllib.request import ProxyHandler, Request, build_opener

DEFAULT_ENDPOINT = 'http://169.254.169.254'
TOKEN_PATH = '/latest/api/token'
INSTANCE_ACTION_PATH = '/latest/meta-data/spot/instance-action'
REBALANCE_PATH = '/latest/meta-data/events/recommendations/rebalance'
TOKEN_TTL_S = 21600   # the longest IMDSv2 allows; a new token after half of it
# auto: watch when the job's instance market is spot; always: also elsewhere (tests); never.
WATCH_MODES = ('auto', 'always', 'never')

INTERRUPTION, REBALANCE, UNREACHABLE = 'interruption', 'rebalance', 'unreachable'


def watch_enabled(mode, market):
    """Whether a job on an instance of `market` watches for notices."""
    return mode == 'always' or (mode == 'auto' and market == 'spot')


def parse_instance_action(body):
    """{'action', 'time'} from the instance-action document (e.g. {"action": "terminate", "time":
    "2026-12-05T08:22:00Z"}); a body that is not one still counts as a notice, its text kept."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return {'action': 'unknown', 'time': None, 'text': body[:200]}
    return {'action': str(data.get('action') or 'unknown'), 'time': data.get('time')}


def parse_rebalance(body):
    """{'notice_time'} from the rebalance document ({"noticeTime": "..."})."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return {'notice_time': None, 'text': body[:200]}
    return {'notice_time': data.get('noticeTime')}


class Unreachable(Exception):
    """The metadata endpoint did not answer as IMDSv2 does."""


class ImdsClient(object):
    """GETs with an IMDSv2 session token (PUT first); 404 is "no such document" (None). Proxies are
    bypassed: the metadata address is link-local and a proxy must never see the token."""

    def __init__(self, endpoint=DEFAULT_ENDPOINT, timeout_s=1.0, clock=time.monotonic):
        self.endpoint = endpoint.rstrip('/')
        self.timeout_s = timeout_s
        self._clock = clock
        self._opener = build_opener(ProxyHandler({}))
        self._token, self._token_at = None, None

    def _open(self, request):
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                return response.getcode(), response.read().decode('utf-8', 'replace')
        except HTTPError as exc:
            return exc.code, ''
        except (URLError, OSError, ValueError) as exc:   # refused, timed out, no route, bad URL
            raise Unreachable('%s: %s' % (self.endpoint, getattr(exc, 'reason', exc)))

    def _session_token(self):
        if self._token is None or self._clock() - self._token_at > TOKEN_TTL_S / 2:
            status, body = self._open(Request(self.endpoint + TOKEN_PATH, method='PUT', headers={
                'X-aws-ec2-metadata-token-ttl-seconds': str(TOKEN_TTL_S)}))
            if status != 200 or not body:
                raise Unreachable('%s%s answered %s, not an IMDSv2 token' % (self.endpoint, TOKEN_PATH, status))
            self._token, self._token_at = body.strip(), self._clock()
        return self._token

    def get(self, path):
        """The document's text, or None when there is none (404). One new token on a 401."""
        for _attempt in (1, 2):
            status, body = self._open(Request(self.endpoint + path, headers={
                'X-aws-ec2-metadata-token': self._session_token()}))
            if status == 401:
                self._token = None
                continue
            if status == 404:
                return None
            if status == 200:
                return body
            raise Unreachable('%s%s answered %s' % (self.endpoint, path, status))
        raise Unreachable('%s%s refused a fresh token (401)' % (self.endpoint, path))


class SpotWatch(object):
    """Polls the notices; `poll()` returns the events not seen before: an interruption and a
    rebalance recommendation once each, an unreachable endpoint once (until it answers again)."""

    def __init__(self, client, clock=time.time):
        self.client = client
        self._clock = clock
        self.events = []
        self.interruption = None
        self._rebalance_seen = False
        self._unreachable = False

    def _read(self, path, wanted):
        """(document or None, the Unreachable error or None): each notice read on its own, so one
        that fails never hides the other (an interruption is acted on in this poll, not the next)."""
        if not wanted:
            return None, None
        try:
            return self.client.get(path), None
        except Unreachable as exc:
            return None, exc

    def poll(self):
        new = []
        action, failed_action = self._read(INSTANCE_ACTION_PATH, self.interruption is None)
        rebalance, failed_rebalance = self._read(REBALANCE_PATH, not self._rebalance_seen)
        error = failed_action or failed_rebalance
        if error is not None and action is None and rebalance is None:
            if not self._unreachable:
                new.append({'kind': UNREACHABLE, 'seen_at': self._stamp(),
                            'detail': 'no spot notices can be read (%s); the job runs on' % error})
            self._unreachable = True
            return self._keep(new)
        self._unreachable = False
        if action is not None:
            self.interruption = dict(parse_instance_action(action), kind=INTERRUPTION, seen_at=self._stamp())
            new.append(self.interruption)
        if rebalance is not None:
            self._rebalance_seen = True
            new.append(dict(parse_rebalance(rebalance), kind=REBALANCE, seen_at=self._stamp()))
        return self._keep(new)

    def _keep(self, new):
        self.events.extend(new)
        return new

    def _stamp(self):
        return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(self._clock()))


def log_line(event):
    """How an event reads in the job's raw log (outside the benchmark's own output)."""
    if event['kind'] == INTERRUPTION:
        what = 'spot interruption notice: action %s at %s (seen %s); the benchmark is stopped' % (
            event['action'], event.get('time'), event['seen_at'])
    elif event['kind'] == REBALANCE:
        what = 'spot rebalance recommendation (notice time %s, seen %s); the job runs on' % (
            event.get('notice_time'), event['seen_at'])
    else:
        what = 'metadata endpoint unreachable (seen %s): %s' % (event['seen_at'], event['detail'])
    return '=== instancebench %s ===\n' % what


def checks(events):
    """The result's checks for what the watch saw: an interruption invalidates (the run was cut);
    a rebalance recommendation is a warning (the numbers stand, the reader is told)."""
    found = []
    for event in events:
        if event['kind'] == INTERRUPTION:
            found.append({'name': 'spot.interruption', 'passed': False,
                          'detail': 'EC2 spot instance-action %s at %s, seen %s: the benchmark was stopped'
                                    % (event['action'], event.get('time'), event['seen_at'])})
        elif event['kind'] == REBALANCE:
            found.append({'name': 'spot.rebalance_recommendation', 'passed': False, 'severity': 'warning',
                          'detail': 'EC2 recommended a rebalance (notice time %s, seen %s); the job ran on'
                                    % (event.get('notice_time'), event['seen_at'])})
    return found
