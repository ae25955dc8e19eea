# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: benchmark_selection
short_description: The benchmarks a user selected, checked against the benchmark registry
version_added: "0.3.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Reads C(instancebench_benchmarks) as given (a list, a comma-separated string such as C(stream,hpl),
    or nothing for every registered benchmark) and checks each name against the registry
    (C(plugins/module_utils/_benchmarks.py)).
  - Returns C(benchmarks) (the names, in the order given) and C(problem) (empty, or one message naming
    the unknown names and the known ones).
options:
  _input:
    description: What the user gave (C(instancebench_benchmarks)); null for every registered benchmark.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Check the benchmark list
  ansible.builtin.assert:
    that: __selection.problem == ''
    fail_msg: "{{ __selection.problem }}"
  vars:
    __selection: "{{ instancebench_benchmarks | default(none) | instancebench.aws.benchmark_selection }}"
"""

RETURN = r"""
_value:
  description: "C(benchmarks): the selected names; C(problem): empty, or why the selection cannot run."
  type: dict
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks


def benchmark_selection(value):
    selected, problem = _benchmarks.select(value)
    return {'benchmarks': selected, 'problem': problem}


class FilterModule(object):
    def filters(self):
        return {'benchmark_selection': benchmark_selection}
