# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: owned_instances
short_description: The instances a destructive action may touch, checked against their own tags
version_added: "0.2.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Given the instances EC2 describes and the jobs the results store names for them, returns
    C([ids, refusals]) - the ids whose C(instancebench:run-id) and C(instancebench:job-id) tags match the
    job, and one line for each instance left alone (not an instance id, not there, tags of another run).
positional: expected, report_gone
options:
  _input:
    description: C(instances) from amazon.aws.ec2_instance_info.
    type: list
    elements: dict
    required: true
  expected:
    description: C([{instance_id, run_id, job_id}]) from instancebench.aws.results_report's C(finished_instances).
    type: list
    elements: dict
    required: true
  report_gone:
    description: Name the instances that are not there (any more) among the refusals.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Terminate only what carries the job's tags
  amazon.aws.ec2_instance:
    region: us-east-1
    instance_ids: "{{ (__found.instances | instancebench.aws.owned_instances(__expected))[0] }}"
    state: absent
"""

RETURN = r"""
_value:
  description: A list of two lists, the instance ids to act on and the refusals.
  type: list
"""

from ansible_collections.instancebench.aws.plugins.module_utils._ownership import owned_instances as _owned


def owned_instances(described, expected, report_gone=True):
    ids, refusals = _owned(described, expected, report_gone)
    return [ids, refusals]


class FilterModule(object):
    def filters(self):
        return {'owned_instances': owned_instances}
