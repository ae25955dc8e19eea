# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the one vocabulary of job states, shared by the store's sentinels, collect, the
report, launch.yml's outcomes and the progress callback.

A job in the store moves leased -> launched -> running -> one terminal state (sentinels; later
ones win). What one launch.yml invocation did with a job (ec2_provision_outcome) is one of the
outcomes: running (started now, in the background), in_flight (started earlier or by another
controller), done (ran in the foreground), deferred (max_concurrency), failed, not_launched.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Sentinel states in the order they happen; a later one wins.
STORE_STATES = ('leased', 'launched', 'running', 'completed', 'failed', 'timed_out')
TERMINAL_STATES = ('completed', 'failed', 'timed_out')
# The reason a `failed` sentinel gives when EC2 announced the spot instance's interruption and the
# job stopped its benchmark: the planner retries such a job on-demand (_scheduled_jobs).
SPOT_INTERRUPTION = 'spot-interruption'
# What a launch.yml invocation says of each job.
LAUNCH_OUTCOMES = ('running', 'in_flight', 'done', 'deferred', 'failed', 'not_launched')
# Outcomes that are not problems of this invocation.
LAUNCH_OK = ('done', 'running', 'in_flight', 'deferred')
# The callback's order: a job moves forward only ('started' before any sentinel; 'done' for a
# foreground run, next to 'completed').
PROGRESS_ORDER = ('started', 'leased', 'launched', 'running', 'in_flight', 'completed', 'done', 'failed',
                  'timed_out', 'not_launched', 'deferred')
# Final for one invocation: a deferred job waits for the next; an in-flight one is not its own.
PROGRESS_FINAL = frozenset(('in_flight', 'completed', 'done', 'failed', 'timed_out', 'not_launched', 'deferred'))
# How a report lists a run's states.
REPORT_ORDER = STORE_STATES + ('unknown',)


# A job this launch leaves alone, by the state plan_info found it in: what its outcome says.
# stored: completed; in_flight: leased, launched or running (never started twice); over: failed or
# timed out (no retry left); abandoned: launched, never started (no retry left); waiting: a
# scheduled retry, not yet; deferred: max_concurrency jobs are running.
_SKIPS = {
    'stored': ('done', 'result already stored'),
    'in_flight': ('in_flight', 'already running in this run (started by an earlier launch)'),
    'over': ('failed', 'failed or timed out earlier in this run (no retry left); collect.yml tells why'),
    'abandoned': ('failed', 'launched earlier and never started, retried as often as allowed; collect.yml tells more'),
    'waiting': ('deferred', 'retry %(attempt)s waits until %(retry_at)s'),
    'deferred': ('deferred', 'max_concurrency jobs are running; run launch.yml again with this run id later'),
}


def skip_outcome(job):
    """{state, reason} when this launch must not launch the job (plan_info's store_state and
    deferral say so), else None."""
    why = job.get('store_state', 'none')
    if why == 'none':
        if not job.get('deferred'):
            return None
        why = 'deferred'
    state, reason = _SKIPS[why]
    return {'state': state, 'reason': reason % {'attempt': job.get('attempt', 1), 'retry_at': job.get('retry_at', '')}}


def launch_summary(outcomes, run_id, results_url, max_concurrency):
    """What one launch.yml invocation did: {counts, alive, problems, message}. outcomes: {job id:
    ec2_provision_outcome} (a job host that became unreachable has none: {'state': 'unreachable'}).
    `alive`: jobs running on their own now (this invocation's or earlier ones'); `problems`: one
    line per job that was not launched or failed; `message`: the one line a user reads."""
    counts = dict((state, 0) for state in LAUNCH_OUTCOMES)
    problems = []
    for job_id, outcome in sorted(outcomes.items()):
        outcome = outcome if isinstance(outcome, dict) else {'state': 'unreachable'}
        state = outcome.get('state', 'unreachable')
        counts[state] = counts.get(state, 0) + 1
        if state not in LAUNCH_OK:
            problems.append('%s %s (%s)' % (job_id, state, outcome.get('reason') or 'the connection was lost'))
    parts = ['%d jobs started%s' % (counts['running'], ' and run on their own' if counts['running'] else '')]
    if counts['in_flight']:
        parts.append('%d already running (started earlier, not again)' % counts['in_flight'])
    parts.append('%d jobs completed' % counts['done'])
    if counts['deferred']:
        parts.append('%d jobs deferred (max_concurrency %s): run launch.yml again with -e instancebench_run_id=%s '
                     'when some have finished' % (counts['deferred'], max_concurrency, run_id))
    if counts['running'] or counts['in_flight']:
        parts.append('see how they do with ansible-playbook playbooks/collect.yml -e instancebench_results_store=%s '
                     '-e instancebench_run_id=%s' % (results_url, run_id))
    message = '; '.join(parts)
    if problems:
        message = '%d of %d jobs did not complete: %s' % (len(problems), len(outcomes), '; '.join(problems))
    return {'counts': counts, 'alive': counts['running'] + counts['in_flight'], 'problems': problems,
            'message': message}
