# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: progress
type: aggregate
short_description: Job progress of launch.yml and collect.yml, and a JSON Lines run log
version_added: "0.1.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Prints one line whenever a job changes state (launched, running, completed, done, failed,
    timed out, not launched) with the elapsed time and the count per state, and a summary at the end.
  - With O(log_file) set, appends one JSON document per event (run start, job state, failed task,
    run end) to that file, a machine-readable record of the run.
  - For collect.yml, one line with the count per state (however many jobs the store holds).
  - Stays silent on the terminal when the stdout callback is machine-readable (C(json)); the run
    log is still written.
  - Never fails a playbook; a problem with the log file becomes a warning.
requirements:
  - enable it with C(callbacks_enabled = instancebench.aws.progress) in ansible.cfg, or
    C(ANSIBLE_CALLBACKS_ENABLED=instancebench.aws.progress)
options:
  log_file:
    description: JSON Lines file the run log is appended to; empty for none.
    type: str
    default: ""
    env:
      - name: INSTANCEBENCH_RUN_LOG
    ini:
      - section: callback_instancebench_progress
        key: log_file
"""

import json
import os
import time

from ansible import constants as C
from ansible.plugins.callback import CallbackBase

from ansible_collections.instancebench.aws.plugins.plugin_utils import _progress


def _host_name(result):
    host = getattr(result, 'host', None) or getattr(result, '_host', None)
    return host.get_name() if host is not None else '?'


def _task(result):
    return getattr(result, 'task', None) or getattr(result, '_task', None)


def _payload(result):
    payload = getattr(result, 'result', None)
    if payload is None:
        payload = getattr(result, '_result', None)
    return payload if isinstance(payload, dict) else {}


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'instancebench.aws.progress'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._started = time.monotonic()
        self._states = {}
        self._log_file = ''
        # A JSON stdout callback's output must stay one parseable document.
        self._quiet = _progress.machine_readable(getattr(C, 'DEFAULT_STDOUT_CALLBACK', ''))

    def _show(self):
        if not self._quiet:
            self._display.display(_progress.summary_line(self._states, time.monotonic() - self._started))

    def set_options(self, task_keys=None, var_options=None, direct=None):
        super(CallbackModule, self).set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        self._log_file = os.path.expanduser(self.get_option('log_file') or '')

    def _log(self, event, **fields):
        if not self._log_file:
            return
        record = dict(fields, event=event, time=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
                      elapsed_s=round(time.monotonic() - self._started, 3))
        try:
            directory = os.path.dirname(os.path.abspath(self._log_file))
            if not os.path.isdir(directory):
                os.makedirs(directory, 0o700)
            # One short line per write with O_APPEND: concurrent readers never see half a record.
            # The log names hosts, instances and failures: its owner only (0600).
            descriptor = os.open(self._log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, 'a') as handle:
                handle.write(json.dumps(record, sort_keys=True, default=str) + '\n')
        except (IOError, OSError) as exc:
            self._display.warning('instancebench progress: cannot write %s (%s); run log disabled' % (self._log_file, exc))
            self._log_file = ''

    def _update(self, job, state, action, recorded=False):
        new = _progress.advance(self._states.get(job), state, recorded)
        if new == self._states.get(job):
            return
        self._states[job] = new
        self._log('job_state', job=job, state=new, action=action)
        self._show()

    def _observe(self, result, status):
        task = _task(result)
        action = getattr(task, 'action', '') if task is not None else ''
        payload = _payload(result)
        host = _host_name(result)
        if status == 'failed' and not getattr(task, 'ignore_errors', False):
            self._log('task_failed', host=host, task=task.get_name() if task is not None else '?',
                      msg=str(payload.get('msg', ''))[:500])
        if _progress.short_action(action) in _progress.COLLECT_ACTIONS and status in ('ok', 'changed'):
            # The store's word on every job at once: one line, one log record.
            self._states.update(_progress.collect_states(payload))
            self._log('collected', counts=_progress.counts(self._states))
            self._show()
            return
        # A plan's job host is named by its job id; on other hosts each benchmark is its own job.
        state, recorded = _progress.state_from_result(action, status, payload)
        self._update(payload.get('job_id') or host, state, action, recorded)

    def v2_playbook_on_start(self, playbook):
        self._log('run_start', playbook=getattr(playbook, '_file_name', '?'))

    def v2_runner_on_start(self, host, task):
        # Only a plan's job host is known before its result names the job.
        if _progress.short_action(task.action) == 'run_benchmark' and host.get_name() in self._states:
            self._update(host.get_name(), 'running', task.action)

    def v2_runner_on_ok(self, result):
        self._observe(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._observe(result, 'failed')

    def v2_runner_on_unreachable(self, result):
        self._observe(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        if self._states:
            self._show()
        self._log('run_end', jobs=dict(self._states), counts=_progress.counts(self._states))
