# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: instances_to_terminate
short_description: The instances of a batch of job hosts that launch.yml terminates now, in one call
version_added: "0.6.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Given each job host's instance and outcome (in the same order), returns the instance ids of the jobs
    that ended here (not running on their own in the background) and were not terminated before. A host
    without an outcome (unreachable) is left to the run's final cleanup.
positional: outcomes, terminated
options:
  _input:
    description: Each job host's C(ec2_provision_instance) (none or false where it has none).
    type: list
    elements: raw
    required: true
  outcomes:
    description: Each job host's C(ec2_provision_outcome) (none or false where it has none), in the same order.
    type: list
    elements: raw
    required: true
  terminated:
    description: Instance ids already terminated by an earlier batch.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Terminate the batch's finished jobs' instances
  amazon.aws.ec2_instance:
    instance_ids: "{{ __instances | instancebench.aws.instances_to_terminate(__outcomes) }}"
    state: terminated
"""

RETURN = r"""
_value:
  description: Instance ids, in host order, each once.
  type: list
  elements: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils._launch_batch import instances_to_terminate


class FilterModule(object):
    def filters(self):
        return {'instances_to_terminate': instances_to_terminate}
