# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: what launch.yml decides from the results of a batch of job hosts — why each launch
option of a job failed (and whether one failed in a way no other zone or market can fix), and
which instances the batch terminates in one call instead of one module run per job."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def launch_failures(attempts, retryable_errors):
    """attempts: the ec2_job_instance loop's results that launched nothing (each carries its
    `__ec2_provision_option` and, from the module, `error.code` / `msg`). Returns
    {'attempts': [option + code + message], 'fatal': {code, message} or None}: fatal is the
    first attempt whose error is not a capacity or quota error (the loop stops there)."""
    retryable = set(retryable_errors or [])
    noted, fatal = [], None
    for attempt in attempts or []:
        error = attempt.get('error') if isinstance(attempt.get('error'), dict) else {}
        code = error.get('code') or 'unknown'
        message = attempt.get('msg') or ''
        noted.append(dict(attempt.get('__ec2_provision_option') or {}, code=code, message=message))
        if fatal is None and code not in retryable:
            fatal = {'code': code, 'message': message}
    return {'attempts': noted, 'fatal': fatal}


def instances_to_terminate(instances, outcomes, terminated=()):
    """instances / outcomes: each job host's ec2_provision_instance and ec2_provision_outcome (None
    or false where unset), in the same order. The ids of the jobs that ended here (done, failed, not
    running on their own in the background) and are not in `terminated` yet; a host with no
    outcome (unreachable) is left to the run's final cleanup, as before."""
    done = set(terminated or [])
    ids = []
    for instance, outcome in zip(instances or [], outcomes or []):
        if not isinstance(instance, dict) or not instance.get('id') or not isinstance(outcome, dict):
            continue
        if outcome.get('state') == 'running' or instance['id'] in done or instance['id'] in ids:
            continue
        ids.append(instance['id'])
    return ids
