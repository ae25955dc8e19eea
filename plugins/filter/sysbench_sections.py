# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: sysbench_sections
short_description: The sysbench tests of a job, each with its thread count, options and checks
version_added: "0.1.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Returns one section per test and thread count, in run order (every cpu run, then memory, then
    threads), each a dict with C(name) (e.g. C(cpu_t1), C(memory_read_all)), C(test), C(threads),
    C(options), C(argument) (the job script's word) and the settings the parser checks.
  - A thread count of 0 is every logical CPU (label C(all)). The memory test's per-thread buffer
    is a power of two such that all threads' buffers span at least 4 times the last-level cache
    and at least O(block_floor) bytes; the filter fails, naming the variable to change, when the
    buffers exceed O(memory_fraction) of the available memory.
positional: thread_counts, tests, memory_opers, cpu_max_prime, block_floor, memory_fraction, memory_scope
options:
  _input:
    description: The host facts (C(ansible_facts['instancebench_host'])).
    type: dict
    required: true
  thread_counts:
    description: Thread counts; 0 means every logical CPU.
    type: list
    elements: int
    required: true
  tests:
    description: sysbench tests to run (C(cpu), C(memory), C(threads)).
    type: list
    elements: str
    required: true
  memory_opers:
    description: Memory operations (C(read), C(write)), each sequential.
    type: list
    elements: str
    required: true
  cpu_max_prime:
    description: The cpu test's --cpu-max-prime.
    type: int
    required: true
  block_floor:
    description: Smallest memory block per thread, in bytes.
    type: int
    required: true
  memory_fraction:
    description: Fraction of available memory the memory test's buffers may use.
    type: float
    required: true
  memory_scope:
    description: C(local) (a buffer per thread) or C(global) (one buffer shared by all threads).
    type: str
    default: local
"""

EXAMPLES = r"""
- name: Decide the sysbench sections for this host
  ansible.builtin.set_fact:
    __sysbench_sections: >-
      {{ ansible_facts['instancebench_host'] | instancebench.aws.sysbench_sections(
         [1, 0], ['cpu', 'memory', 'threads'], ['read', 'write'], 10000, 67108864, 0.5) }}
"""

RETURN = r"""
_value:
  description: The sections, each a dict (name, test, threads, label, options, argument, and cpu_max_prime or oper, block_bytes, scope).
  type: list
  elements: dict
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _sysbench
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def sysbench_sections(host, thread_counts, tests, memory_opers, cpu_max_prime, block_floor, memory_fraction,
                      memory_scope='local'):
    fraction = float(memory_fraction)
    if not 0 < fraction <= 0.9:
        raise ValueError('sysbench_memory_fraction must be above 0 and at most 0.9, got %s' % memory_fraction)
    return _sysbench.sections(thread_counts, host['topology']['logical_cpus'], host['llc']['total_bytes'],
                              host['memory']['available_bytes'], tests=tests, memory_opers=memory_opers,
                              cpu_max_prime=int(cpu_max_prime), block_floor=int(block_floor), memory_fraction=fraction,
                              memory_scope=memory_scope)


class FilterModule(object):
    def filters(self):
        return {'sysbench_sections': sysbench_sections}
