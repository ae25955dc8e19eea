# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the `schedule` part of a plan (written by playbooks/schedule.yml) — its check, and
which windows one launch.yml invocation runs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re
import time

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _job
from ansible_collections.instancebench.aws.plugins.module_utils import _states

_NAME = re.compile(r'^[a-z0-9][a-z0-9-]{0,60}\Z')
_VARIANT = re.compile(r'^[a-z0-9][a-z0-9-]{0,39}\Z')
_STAMP = '%Y-%m-%dT%H:%M:%SZ'
_SETTING = re.compile(r'^[a-z][a-z0-9_]*\Z')


def _problem(field, message):
    return '%s: %s' % (field, message)


def _epoch(text):
    try:
        return calendar.timegm(time.strptime(text, _STAMP))
    except (TypeError, ValueError):
        return None


def check_schedule(schedule, instance_types, benchmarks, markets):
    """(normalized schedule or None, problems)."""
    if schedule is None:
        return None, []
    problems = []
    if not isinstance(schedule, dict) or not isinstance(schedule.get('windows'), list) or not schedule['windows']:
        return None, [_problem('schedule', 'must hold a non-empty windows list; regenerate it with playbooks/schedule.yml')]
    for field, default in (('retry_limit', 2), ('retry_backoff_minutes', 30)):
        value = schedule.get(field, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
            problems.append(_problem('schedule.' + field, 'must be a whole number from 0 to 1000, got %r' % (value,)))
        schedule = dict(schedule, **{field: value})
    windows, names = [], set()
    for index, window in enumerate(schedule['windows']):
        where = 'schedule.windows[%d]' % index
        if not isinstance(window, dict) or not _NAME.match(str(window.get('name', ''))):
            problems.append(_problem(where, 'needs a name of lowercase letters, digits and "-"'))
            continue
        start, end = _epoch(window.get('start')), _epoch(window.get('end'))
        if start is None or end is None or end <= start:
            problems.append(_problem(where, 'start and end must be UTC times (%s) with end after start' % _STAMP))
        if window['name'] in names:
            problems.append(_problem(where, 'window %s is listed twice' % window['name']))
        names.add(window['name'])
        jobs = window.get('jobs')
        if not isinstance(jobs, list):
            problems.append(_problem(where + '.jobs', 'must be a list'))
            continue
        for number, job in enumerate(jobs):
            problems.extend(_check_job('%s.jobs[%d]' % (where, number), job, instance_types, benchmarks, markets))
        windows.append(dict(window, start_epoch=start, end_epoch=end))
    return dict(schedule, windows=windows), problems


# What launch.yml sets on every benchmark role (the registry's job context) and the upload time it keeps.
WIRED_ROLE_VARS = _benchmarks.JOB_CONTEXT + ('upload_timeout',)


def role_var_problems(where, benchmark, role_vars):
    """A variant's role variables may only be its benchmark role's own settings (`<role>_*`, the
    registry's role, not the ones launch.yml wires): never ansible_* connection variables or another role's."""
    if not isinstance(role_vars, dict):
        return [_problem(where, 'must be a mapping of role variables')]
    found = _benchmarks.get(benchmark)
    role = found.role if found is not None else str(benchmark)
    problems = []
    for name in sorted(role_vars, key=str):
        setting = name[len(role) + 1:] if isinstance(name, str) and name.startswith(role + '_') else None
        if not setting or not _SETTING.match(setting):
            problems.append(_problem('%s.%s' % (where, name), 'only %s_* settings of the %s role may be set here'
                                     % (role, role)))
        elif setting in WIRED_ROLE_VARS:
            problems.append(_problem('%s.%s' % (where, name), 'launch.yml sets %s for every job; a variant cannot'
                                     % name))
    return problems


def _check_job(where, job, instance_types, benchmarks, markets):
    if not isinstance(job, dict):
        return [_problem(where, 'must be a mapping')]
    problems = []
    if job.get('instance_type') not in instance_types:
        problems.append(_problem(where + '.instance_type', '%r is not in instance_types' % (job.get('instance_type'),)))
    if job.get('benchmark') not in benchmarks:
        problems.append(_problem(where + '.benchmark', '%r is not in benchmarks' % (job.get('benchmark'),)))
    if not _VARIANT.match(str(job.get('variant', ''))):
        problems.append(_problem(where + '.variant', 'needs a variant name'))
    if job.get('market') not in markets:
        problems.append(_problem(where + '.market', 'choose from %s' % ', '.join(markets)))
    problems.extend(role_var_problems(where + '.role_vars', job.get('benchmark'), job.get('role_vars', {})))
    return problems


# A plan without a schedule retries only what its controller abandoned (launched, never started)
# and what EC2 interrupted (spot): a job that failed on its own stays failed, as before; one whose
# controller died or whose spot instance was taken back comes back at once.
UNSCHEDULED_RETRIES = {'retry_limit': 2, 'retry_backoff_minutes': 0, 'retry_states': ('abandoned',)}
SCHEDULED_RETRY_STATES = ('over', 'abandoned')


def retry_policy(schedule):
    """The retry rules of a plan: its schedule's, or UNSCHEDULED_RETRIES."""
    if not schedule:
        return UNSCHEDULED_RETRIES
    return {'retry_limit': schedule['retry_limit'], 'retry_backoff_minutes': schedule['retry_backoff_minutes'],
            'retry_states': SCHEDULED_RETRY_STATES}


def spot_interrupted(entry):
    """Whether a store state (_collect.store_state: state, ended, record) is a job that failed
    because EC2 interrupted its spot instance: its failed sentinel's reason says so."""
    entry = tuple(entry)
    record = entry[2] if len(entry) > 2 else None
    return entry[0] == 'over' and isinstance(record, dict) and record.get('reason') == _states.SPOT_INTERRUPTION


def on_demand_only(options):
    """A job's launch options for its retry after a spot interruption: on-demand, in the same zones
    and order (on spot, the retry could be taken back as well). The shape _plan.launch_options gives."""
    zones = []
    for option in options:
        if option['availability_zone'] not in zones:
            zones.append(option['availability_zone'])
    return [{'market': 'on-demand', 'availability_zone': zone} for zone in zones]


def resolve_attempts(jobs, states, now, policy, run_id):
    """Each job as its current attempt. states: {job id: (store state, ended epoch, ...)}; policy:
    retry_policy(). A job whose latest attempt ended in one of `retry_states`, or was interrupted
    by EC2 (spot), comes back as attempt n+1 (its own job id) once `retry_backoff_minutes` have
    passed since it ended (store_state `waiting` until then), at most `retry_limit` times (then it
    keeps its last state). After a spot interruption, that attempt and every later one launch
    on-demand only (`retry_reason` says why)."""
    out = []
    for job in jobs:
        attempt, current = 0, dict(job, attempt=0)
        while True:
            entry = tuple(states.get(current['job_id'], ('none', None)))
            state, ended = entry[:2]
            interrupted = spot_interrupted(entry)
            if (state not in policy['retry_states'] and not interrupted) or attempt >= policy['retry_limit']:
                current['store_state'] = state
                break
            retry_at = (now if ended is None else ended) + 60 * policy['retry_backoff_minutes']
            attempt += 1
            current = dict(current, attempt=attempt, retry_of=current['job_id'],
                           job_id=_job.job_id(run_id, job['region'], job['instance_type'], job['benchmark'],
                                              job['variant'], job['replica'], attempt))
            if interrupted:
                current.update(launch_options=on_demand_only(current['launch_options']),
                               retry_reason=_states.SPOT_INTERRUPTION)
            if now < retry_at and current['job_id'] not in states:
                current['store_state'] = 'waiting'
                current['retry_at'] = time.strftime(_STAMP, time.gmtime(retry_at))
                break
        out.append(current)
    return out


def defer_beyond(jobs, max_concurrency):
    """Mark `deferred` the jobs to launch beyond `max_concurrency` alive at once, counting the run's
    jobs still in flight from earlier launches (0: no limit). Jobs already stored, running or over
    are never deferred: nothing is launched for them anyway."""
    room = max_concurrency - sum(1 for job in jobs if job['store_state'] == 'in_flight')
    for job in jobs:
        job['deferred'] = False
        if max_concurrency and job['store_state'] == 'none':
            job['deferred'] = room <= 0
            room -= 1
    return jobs


def abandoned_instances(states, run_id):
    """[{instance_id, run_id, job_id}] of the jobs whose controller launched an instance and never
    started the benchmark: to be terminated (only where EC2's own tags say run and job match)."""
    found = []
    for job_id, entry in sorted(states.items()):
        state, record = entry[0], (entry[2] if len(entry) > 2 else None)
        if state == 'abandoned' and isinstance(record, dict) and record.get('instance_id'):
            found.append({'instance_id': record['instance_id'], 'run_id': run_id, 'job_id': job_id})
    return found


def select_windows(schedule, selector, now_epoch):
    """(windows to run now, problem or None). selector: a window name, `due` (every window that
    has opened: what a timer runs; jobs done or running are skipped later) or `all`."""
    if not selector:
        return [], _problem('window', 'this plan is a schedule: choose a window with -e instancebench_window=<name>, '
                            '`due` (every window opened by now) or `all`')
    if selector == 'all':
        return schedule['windows'], None
    if selector == 'due':
        return [w for w in schedule['windows'] if w['start_epoch'] is not None and w['start_epoch'] <= now_epoch], None
    found = [w for w in schedule['windows'] if w['name'] == selector]
    if not found:
        return [], _problem('window', '%r is not a window of this plan; it has %s' % (
            selector, ', '.join(w['name'] for w in schedule['windows'][:12]) + (' ...' if len(schedule['windows']) > 12 else '')))
    return found, None
