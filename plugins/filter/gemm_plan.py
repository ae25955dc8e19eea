# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: gemm_plan
short_description: The passes of the gemm benchmark on a host - thread counts, kernels and sizes
version_added: "0.5.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - One pass per thread count (0 is every logical CPU, labelled C(all); N is labelled C(tN)), each timing
    every kernel at n / 2 and n; the smaller size tells whether n reached the kernel's plateau.
  - n is O(n) when given, else 4096 x the cube root of the pass's threads (the same work per thread), rounded
    to 256 and capped so three n x n FP64 matrices fit in O(memory_fraction) of the available memory.
  - Fails naming the variable to change when the matrices do not fit or a kernel is unknown.
positional: thread_counts, kernels, memory_fraction, n
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
  kernels:
    description: C(dgemm), C(sgemm), C(sbgemm) (bf16).
    type: list
    elements: str
    required: true
  memory_fraction:
    description: Share of the available memory the three matrices may take.
    type: float
    required: true
  n:
    description: Explicit matrix order; 0 chooses per pass.
    type: int
    default: 0
"""

EXAMPLES = r"""
- name: Plan the GEMM passes (1 thread and every logical CPU)
  ansible.builtin.set_fact:
    __gemm_passes: "{{ ansible_facts['instancebench_host'] | instancebench.aws.gemm_plan([1, 0], ['dgemm', 'sgemm'], 0.5) }}"
"""

RETURN = r"""
_value:
  description: "C([[label, threads, kernels, [n / 2, n]], ...]), e.g. C([[t1, 1, [dgemm], [2048, 4096]]])."
  type: list
  elements: list
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _gemm, _hpl
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def gemm_plan(host, thread_counts, kernels, memory_fraction, n=0):
    return _gemm.gemm_passes(host['topology']['logical_cpus'], thread_counts, kernels,
                             host['memory']['available_bytes'], float(memory_fraction), int(n or 0))


@host_facts_filter
def vector_ops_plan(host, memory_fraction, dram_elements=0):
    """Documented in vector_ops_plan.yml."""
    return _gemm.vector_passes(host['caches'], host['llc']['total_bytes'], host['topology']['logical_cpus'],
                               host['memory']['available_bytes'], float(memory_fraction), int(dram_elements or 0))


@host_facts_filter
def gemm_peaks(host, passes, flops_per_cycle, family_clock_ghz):
    """Documented in gemm_peaks.yml."""
    physical = int(host['topology']['physical_cores'])
    with_cores = [list(p[:4]) + [max(1, min(int(p[1]), physical))] for p in passes]
    fp64 = dict((cores, _hpl.peaks(host['uarch'].get('name'), host['uarch'].get('family_name'),
                                   (host.get('cpu') or {}).get('mhz'), cores, flops_per_cycle, family_clock_ghz))
                for cores in set(p[4] for p in with_cores))
    return _gemm.peaks(fp64, with_cores)


def gemm_pass_argument(found):
    """Documented in gemm_pass_argument.yml."""
    return _gemm.pass_argument(found)


class FilterModule(object):
    def filters(self):
        return {'gemm_plan': gemm_plan, 'vector_ops_plan': vector_ops_plan, 'gemm_peaks': gemm_peaks,
                'gemm_pass_argument': gemm_pass_argument}
