# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The progress callback's logic: job states from task results, forward only, and the summary line."""

from ansible_collections.instancebench.aws.plugins.plugin_utils import _progress


def test_states_come_from_our_modules_and_the_recorded_outcome():
    assert _progress.state_from_result('instancebench.aws.ec2_job_instance', 'changed', {}) == ('launched', False)
    assert _progress.state_from_result('instancebench.aws.run_benchmark', 'changed', {'state': 'timed_out'}) == \
        ('timed_out', False)
    outcome = {'ansible_facts': {'ec2_provision_outcome': {'state': 'not_launched', 'reason': 'VcpuLimitExceeded'}}}
    assert _progress.state_from_result('ansible.builtin.set_fact', 'ok', outcome) == ('not_launched', True)
    assert _progress.state_from_result('ansible.builtin.ping', 'unreachable', {}) == ('failed', False)
    assert _progress.state_from_result('ansible.builtin.command', 'ok', {'state': 'completed'}) == (None, False)
    assert _progress.state_from_result('instancebench.aws.ec2_job_instance', 'failed', {}) == (None, False)


def test_states_only_move_forward_but_the_recorded_outcome_has_the_last_word():
    assert _progress.advance(None, 'launched') == 'launched'
    assert _progress.advance('running', 'launched') == 'running'
    assert _progress.advance('completed', 'running') == 'completed'
    assert _progress.advance('completed', 'failed') == 'completed'
    assert _progress.advance('failed', 'done') == 'failed'
    assert _progress.advance('failed', 'done', recorded=True) == 'done'
    assert _progress.advance('completed', 'failed', recorded=True) == 'failed'
    assert _progress.advance('launched', None, recorded=True) == 'launched'


def test_collect_rows_and_the_summary_line():
    states = _progress.collect_states({'jobs': [{'job_id': 'a', 'state': 'completed'}, {'job_id': 'b', 'state': 'failed'},
                                                {'job_id': 'c', 'state': 'completed'}, {'state': 'orphan row'}]})
    assert states == {'a': 'completed', 'b': 'failed', 'c': 'completed'}
    assert _progress.collect_states({'job_states': {'a': 'timed_out'}, 'jobs': [{'job_id': 'b', 'state': 'x'}]}) == \
        {'a': 'timed_out'}, "results_report's job_states win"
    assert _progress.machine_readable('ansible.posix.json') and _progress.machine_readable('json')
    assert not _progress.machine_readable('default') and not _progress.machine_readable(None)
    assert _progress.counts(states) == {'completed': 2, 'failed': 1}
    assert _progress.summary_line(states, 125.9) == 'instancebench 2:05 | 3 jobs: 2 completed, 1 failed'
    assert _progress.summary_line({}, 0) == 'instancebench 0:00 | 0 jobs'
    assert _progress.summary_line({'x': 'not_launched'}, 1) == 'instancebench 0:01 | 1 job: 1 not launched'
    assert _progress.summary_line({'x': 'unknown', 'y': 'deferred', 'z': 'running'}, 1) == \
        'instancebench 0:01 | 3 jobs: 1 running, 1 deferred, 1 unknown', 'no state is dropped from the counts'
