# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cpu_mismatches
short_description: What a launched instance's CPU contradicts in what its family promises
version_added: "0.2.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Compares the host facts of an instance with DescribeInstanceTypes (architecture, vCPUs, threads
    per core) and with the family's entry of the CPU table (processor family, vendor).
  - Returns one line per mismatch, empty when the CPU is the one promised.
positional: hardware, expected
options:
  _input:
    description: The host facts (C(ansible_facts['instancebench_host'])).
    type: dict
    required: true
  hardware:
    description: The job's C(hardware) (C(architecture), C(vcpus), C(threads_per_core)).
    type: dict
    required: true
  expected:
    description: The family's CPU table entry (C(family_name), C(vendor)); empty when the family is not in the table.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Check the CPU
  ansible.builtin.assert:
    that: __mismatches | length == 0
    fail_msg: "{{ __mismatches | join('; ') }}"
  vars:
    __mismatches: "{{ ansible_facts['instancebench_host'] | instancebench.aws.cpu_mismatches(instancebench_job['hardware'], {}) }}"
"""

RETURN = r"""
_value:
  description: "One line per mismatch, such as C(processor family: expected genoa, found turin)."
  type: list
  elements: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils._cpu import instance_cpu_mismatches
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def cpu_mismatches(host, hardware, expected):
    return instance_cpu_mismatches(host, hardware, expected)


class FilterModule(object):
    def filters(self):
        return {'cpu_mismatches': cpu_mismatches}
