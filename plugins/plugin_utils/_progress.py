# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: job progress from task results, as plain functions on dicts (the callback's logic).

A job is a host of the benchmark play (with a plan: one job per host, named by its job id) or a
row of results_info / results_report (collect). Its state only moves forward: launched -> running -> one terminal
state; the outcome a playbook records for a job (ec2_provision_outcome) has the last word.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.instancebench.aws.plugins.module_utils import _states

ORDER = _states.PROGRESS_ORDER
TERMINAL = _states.PROGRESS_FINAL


def short_action(action):
    return (action or '').rsplit('.', 1)[-1]


def state_from_result(action, status, result):
    """(state, recorded) one task result tells; state None when it tells nothing about the job.
    recorded: the state is the outcome the playbook recorded, which has the last word.

    status: ok, changed, failed, skipped, unreachable (as the callback saw it).
    """
    outcome = (result.get('ansible_facts') or {}).get('ec2_provision_outcome')
    if isinstance(outcome, dict) and outcome.get('state'):
        return outcome['state'], True
    name = short_action(action)
    if status == 'unreachable':
        return 'failed', False
    if name == 'ec2_job_instance' and status in ('ok', 'changed'):
        return 'launched', False
    if name == 'run_benchmark' and status in ('ok', 'changed') and result.get('ansible_job_id') \
            and not result.get('finished'):
        return 'running', False  # started in the background (async, poll 0)
    if name == 'run_benchmark' and result.get('state') in TERMINAL:
        return result['state'], False
    return None, False


def advance(current, new, recorded=False):
    """States move forward only and a terminal one stays, unless the playbook recorded the new one."""
    if new is None or new == current:
        return current
    if recorded:
        return new
    if current in TERMINAL:
        return current
    if current is not None and current not in TERMINAL and new not in TERMINAL \
            and ORDER.index(new) < ORDER.index(current):
        return current
    return new


COLLECT_ACTIONS = ('results_info', 'results_report')
_MACHINE_READABLE = ('json', 'ansible.posix.json', 'ansible.builtin.json', 'community.general.json')


def machine_readable(stdout_callback):
    return (stdout_callback or '') in _MACHINE_READABLE


def collect_states(result):
    """{job id: state} from a results_info (`jobs` rows) or results_report (`job_states`) result."""
    if isinstance(result.get('job_states'), dict):
        return dict(result['job_states'])
    return dict((row.get('job_id'), row.get('state')) for row in result.get('jobs') or [] if row.get('job_id'))


def counts(states):
    """{state: number of jobs}, states in ORDER, any other (e.g. unknown) after them."""
    found = {}
    for state in states.values():
        found[state] = found.get(state, 0) + 1
    ordered = [state for state in ORDER if state in found] + sorted(set(found) - set(ORDER))
    return dict((state, found[state]) for state in ordered)


def summary_line(states, elapsed_s):
    minutes, seconds = divmod(int(elapsed_s), 60)
    parts = ', '.join('%d %s' % (number, state.replace('_', ' ')) for state, number in counts(states).items())
    plural = '' if len(states) == 1 else 's'
    return 'instancebench %d:%02d | %d job%s%s' % (minutes, seconds, len(states), plural, ': ' + parts if parts else '')
