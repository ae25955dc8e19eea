# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spot notice watch: IMDSv2 against a loopback stand-in, what it reports once, how the
result records it, and the benchmark's process group stopped on a notice."""

import time

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _job, _numbers, _spot_notice
from harness.imds import ACTION, REBALANCE, ImdsStandIn
from harness.sshd import free_port


@pytest.fixture
def imds():
    server = ImdsStandIn().start()
    yield server
    server.stop()


def test_the_watch_is_on_for_spot_instances_or_when_forced():
    assert _spot_notice.watch_enabled('auto', 'spot')
    assert not _spot_notice.watch_enabled('auto', 'on-demand') and not _spot_notice.watch_enabled('auto', 'none')
    assert _spot_notice.watch_enabled('always', 'none')
    assert not _spot_notice.watch_enabled('never', 'spot')


def test_imdsv2_token_first_then_404_is_no_notice(imds):
    client = _spot_notice.ImdsClient(imds.url)
    assert client.get(ACTION) is None and client.get(REBALANCE) is None
    assert imds.requests[0][:2] == ('PUT', '/latest/api/token'), 'a token before any GET'
    assert imds.count('PUT', '/latest/api/token') == 1, 'one token serves every GET'
    assert imds.count('GET', ACTION, 404) == 1 and imds.count('GET', ACTION, 401) == 0


def test_a_refused_token_is_renewed_once(imds):
    client = _spot_notice.ImdsClient(imds.url)
    client.get(ACTION)
    imds._tokens.clear()   # the token expired on the service's side
    imds.interrupt()
    assert client.get(ACTION) is not None
    assert imds.count('GET', ACTION, 401) == 1 and imds.count('PUT', '/latest/api/token') == 2


def test_an_interruption_and_a_rebalance_are_reported_once_each(imds):
    watch = _spot_notice.SpotWatch(_spot_notice.ImdsClient(imds.url))
    assert watch.poll() == [] and watch.interruption is None
    imds.recommend_rebalance('2026-12-05T08:10:00Z')
    [rebalance] = watch.poll()
    assert (rebalance['kind'], rebalance['notice_time']) == ('rebalance', '2026-12-05T08:10:00Z')
    assert watch.poll() == [] and watch.interruption is None, 'a recommendation does not stop the job'
    imds.interrupt('stop', '2026-12-05T08:12:00Z')
    [notice] = watch.poll()
    assert (notice['kind'], notice['action'], notice['time']) == ('interruption', 'stop', '2026-12-05T08:12:00Z')
    assert watch.interruption is notice and watch.poll() == []
    assert [e['kind'] for e in watch.events] == ['rebalance', 'interruption']


def test_an_unreachable_endpoint_is_said_once_and_is_not_a_notice():
    closed = 'http://127.0.0.1:%d' % free_port()   # nothing listens there
    watch = _spot_notice.SpotWatch(_spot_notice.ImdsClient(closed, timeout_s=0.5))
    [event] = watch.poll()
    assert event['kind'] == 'unreachable' and closed in event['detail']
    assert watch.poll() == [] and watch.interruption is None


def test_an_interruption_is_acted_on_even_when_the_rebalance_read_fails():
    class Client(object):
        def get(self, path):
            if path == _spot_notice.REBALANCE_PATH:
                raise _spot_notice.Unreachable('timed out')
            return '{"action": "terminate", "time": "2026-12-05T09:00:00Z"}'
    watch = _spot_notice.SpotWatch(Client())
    [event] = watch.poll()
    assert event['kind'] == 'interruption' and event['action'] == 'terminate' and watch.interruption


def test_a_notice_body_that_is_not_json_still_stops_the_job():
    notice = _spot_notice.parse_instance_action('<html>oops</html>')
    assert notice == {'action': 'unknown', 'time': None, 'text': '<html>oops</html>'}


def test_an_interruption_invalidates_the_result_and_a_rebalance_only_warns():
    events = [{'kind': 'rebalance', 'notice_time': 'T1', 'seen_at': 'S1'},
              {'kind': 'interruption', 'action': 'terminate', 'time': 'T2', 'seen_at': 'S2'},
              {'kind': 'unreachable', 'detail': 'x', 'seen_at': 'S0'}]
    rebalance, interruption = _spot_notice.checks(events)
    assert not _numbers.invalidates(rebalance) and rebalance['severity'] == 'warning' and 'T1' in rebalance['detail']
    assert _numbers.invalidates(interruption) and 'terminate at T2' in interruption['detail']
    lines = [_spot_notice.log_line(e) for e in events]
    assert all(line.startswith('=== instancebench ') and line.endswith(' ===\n') for line in lines)


def test_a_notice_stops_the_process_group_and_keeps_what_it_printed(tmp_path):
    log = tmp_path / 'rep.log'
    calls = []

    def watch():
        calls.append(time.monotonic())
        return len(calls) >= 3          # the notice arrives at the third look

    started = time.monotonic()
    outcome = _job.run_with_timeout(['sh', '-c', 'echo before the notice; sleep 30 & wait'], None, str(tmp_path),
                                    str(log), 60, grace_s=2, watch=watch, interval_s=0.2)
    assert outcome['interrupted'] and not outcome['timed_out'] and outcome['signal'] == 'SIGTERM'
    assert time.monotonic() - started < 10, 'stopped at the notice, not after 30 s'
    assert 'before the notice' in log.read_text()
    assert calls[0] - started < 0.5, 'the first look is at the start'


def test_without_a_notice_the_run_ends_on_its_own(tmp_path):
    outcome = _job.run_with_timeout(['sh', '-c', 'sleep 0.5; echo done'], None, str(tmp_path),
                                    str(tmp_path / 'rep.log'), 60, watch=lambda: False, interval_s=0.1)
    assert outcome['rc'] == 0 and not outcome['interrupted'] and not outcome['timed_out']
    timed = _job.run_with_timeout(['sleep', '30'], None, str(tmp_path), str(tmp_path / 'rep2.log'), 1, grace_s=1,
                                  watch=lambda: False, interval_s=5)
    assert timed['timed_out'] and not timed['interrupted'] and timed['duration_s'] < 5, 'the deadline still holds'
