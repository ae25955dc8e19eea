# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: fftw_problems
short_description: The FFTW bench problem list for a host, checked against its memory
version_added: "0.1.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Returns O(problems) plus, when O(out_of_cache) is true, a 1-D complex out-of-place problem
    whose arrays span at least 4 times the host's last-level cache (C(ocf<2^k>)).
  - Fails naming the problem and the variable to change when one is malformed or does not fit in
    O(memory_fraction) of the available memory.
positional: problems, out_of_cache, memory_fraction
options:
  _input:
    description: The host facts (C(ansible_facts['instancebench_host'])).
    type: dict
    required: true
  problems:
    description: FFTW bench problem strings such as C(icf1024), C(icf64x64x64), C(orf4096).
    type: list
    elements: str
    required: true
  out_of_cache:
    description: Append the automatically sized out-of-cache 1-D problem.
    type: bool
    required: true
  memory_fraction:
    description: Fraction of available memory one problem may use.
    type: float
    required: true
"""

EXAMPLES = r"""
- name: Decide the FFT problems for this host
  ansible.builtin.set_fact:
    __fftw_problems: "{{ ansible_facts['instancebench_host'] | instancebench.aws.fftw_problems(['icf1024'], true, 0.5) }}"
"""

RETURN = r"""
_value:
  description: Problem strings, the given ones first.
  type: list
  elements: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _fftw
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def fftw_problems(host, problems, out_of_cache, memory_fraction):
    available = host['memory']['available_bytes']
    chosen = list(_fftw.check_problems(problems, available, float(memory_fraction)))
    if out_of_cache:
        chosen.append(_fftw.out_of_cache_problem(host['llc']['total_bytes'], available, float(memory_fraction)))
    return chosen


class FilterModule(object):
    def filters(self):
        return {'fftw_problems': fftw_problems}
