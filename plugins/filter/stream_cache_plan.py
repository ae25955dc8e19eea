# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stream_cache_plan
short_description: The passes of the stream_cache benchmark on a host - thread counts and array sizes per cache level
version_added: "0.5.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - One pass per thread count (0 is every logical CPU, labelled C(all); N is labelled C(tN)), each timing read,
    write, copy and triad with each thread's three arrays in L1d, L2, L3 and DRAM.
  - In a cache level the three arrays take half of a thread's share of it (one instance's size, or the instances'
    total divided among the threads when that is less); a level whose arrays would not exceed the level below is
    left out. In DRAM each array over all threads is O(dram_bytes), or 4 x the last-level cache (at least 64 MiB).
  - Fails naming the variable to change when the DRAM arrays do not fit in O(memory_fraction) of the available
    memory, or a thread count is not 0 or more.
positional: thread_counts, memory_fraction, dram_bytes
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
  memory_fraction:
    description: Share of the available memory the DRAM arrays may take.
    type: float
    required: true
  dram_bytes:
    description: Bytes of each DRAM array over all threads; 0 for 4 x the last-level cache (at least 64 MiB).
    type: int
    default: 0
"""

EXAMPLES = r"""
- name: Plan the cache bandwidth passes (1 thread and every logical CPU)
  ansible.builtin.set_fact:
    __stream_cache_passes: "{{ ansible_facts['instancebench_host'] | instancebench.aws.stream_cache_plan([1, 0], 0.5) }}"
"""

RETURN = r"""
_value:
  description: "C([[label, threads, [[level, elements per array per thread], ...]], ...]),
    e.g. C([[t1, 1, [[l1, 672], [l2, 21824], [l3, 699040], [dram, 16777216]]]])."
  type: list
  elements: list
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _stream_cache
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def stream_cache_plan(host, thread_counts, memory_fraction, dram_bytes=0):
    return _stream_cache.passes(host['caches'], host['llc']['total_bytes'], host['topology']['logical_cpus'],
                                thread_counts, host['memory']['available_bytes'], float(memory_fraction),
                                int(dram_bytes or 0))


def stream_cache_pass_argument(found):
    """Documented in stream_cache_pass_argument.yml."""
    return _stream_cache.pass_argument(found)


class FilterModule(object):
    def filters(self):
        return {'stream_cache_plan': stream_cache_plan, 'stream_cache_pass_argument': stream_cache_pass_argument}
