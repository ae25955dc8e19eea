# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: launch_failures
short_description: Why a job's launch options failed, and whether one failed beyond capacity or quota
version_added: "0.6.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Reads the results of the ec2_job_instance loop that launched nothing and returns each option with its
    AWS error code and message, and the first error no other zone or market can fix (C(fatal)), if any.
positional: retryable_errors
options:
  _input:
    description: The loop's results without an C(instance) (each with C(__ec2_provision_option)).
    type: list
    elements: dict
    required: true
  retryable_errors:
    description: Capacity and quota error codes after which the next option is tried.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Note why the options failed
  ansible.builtin.set_fact:
    __failures: "{{ __attempt.results | rejectattr('instance', 'defined') | instancebench.aws.launch_failures(['VcpuLimitExceeded']) }}"
"""

RETURN = r"""
_value:
  description: C({attempts, fatal}); C(attempts) is each option with C(code) and C(message), C(fatal) C({code, message}) or none.
  type: dict
"""

from ansible_collections.instancebench.aws.plugins.module_utils._launch_batch import launch_failures


class FilterModule(object):
    def filters(self):
        return {'launch_failures': launch_failures}
