# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: manifest_entry
short_description: One job's line in the local run manifest, from its host's variables
version_added: "0.1.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Picks from a plan job host's variables what the run manifest keeps about the job; its id,
    instance type, benchmark and replica, the outcome launch.yml recorded (C(running) in the
    background, C(done), C(failed), C(not_launched), or C(unreachable)), the instance, and the
    store key and deadline of its C(launched) record.
options:
  _input:
    description: The job host's variables (C(hostvars[job_id])).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: List the jobs of the run
  ansible.builtin.debug:
    msg: "{{ groups['instancebench_jobs'] | map('extract', hostvars) | map('instancebench.aws.manifest_entry') | list }}"
"""

RETURN = r"""
_value:
  description: job_id, instance_type, benchmark, replica, state, reason, instance, record_key, deadline.
  type: dict
"""


def manifest_entry(hostvars):
    job = hostvars.get('instancebench_job') or {}
    outcome = hostvars.get('ec2_provision_outcome') or {'state': 'unreachable'}
    launched = hostvars.get('ec2_provision_launched') or {}
    record = launched.get('record') or {}
    return {
        'job_id': job.get('job_id'), 'instance_type': job.get('instance_type'), 'benchmark': job.get('benchmark'),
        'replica': job.get('replica'), 'state': outcome.get('state'), 'reason': outcome.get('reason'),
        'instance': hostvars.get('ec2_provision_instance'),
        'record_key': launched.get('key'), 'deadline': record.get('deadline'),
    }


class FilterModule(object):
    def filters(self):
        return {'manifest_entry': manifest_entry}
