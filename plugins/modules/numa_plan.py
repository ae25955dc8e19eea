#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: numa_plan
short_description: Read this host's NUMA nodes from sysfs and plan STREAM per (cpu node, memory node) pair
version_added: "0.4.0"
description:
  - Reads C(/sys/devices/system/node/node*/{cpulist,meminfo,distance}) and each CPU's thread siblings, and
    returns the pairs the stream_numa benchmark runs - every node with CPUs against every node with memory,
    its own node first, one OpenMP thread per physical core of the CPU node - and STREAM's array size for
    them (4 x the last-level cache, within O(memory_fraction) of the smallest node's free memory).
  - On a host with one NUMA node the plan has the one local pair and says C(single_node).
author:
  - instancebench.aws contributors (@instancebench)
options:
  llc_bytes:
    description: Total last-level cache in bytes (host_facts' C(llc.total_bytes)), for STREAM's 4 x LLC rule.
    type: int
    required: true
  memory_fraction:
    description: The three arrays must fit in this share of the smallest NUMA node's free memory.
    type: float
    default: 0.6
  array_floor:
    description: Smallest automatic array size, in elements.
    type: int
    default: 10000000
  array_size:
    description: Elements per array; 0 chooses by the rule above.
    type: int
    default: 0
  root:
    description: Directory sysfs is read under (tests point it at a copied tree).
    type: path
    default: /
notes:
  - Read-only; supports check mode. Fails naming the setting to change when the arrays do not fit on one node
    or sysfs shows no node with CPUs and memory.
"""

EXAMPLES = r"""
- name: Plan STREAM per NUMA node pair
  instancebench.aws.numa_plan:
    llc_bytes: "{{ ansible_facts['instancebench_host']['llc']['total_bytes'] }}"
  register: __stream_numa_plan
"""

RETURN = r"""
nodes:
  description: The NUMA nodes sysfs shows, by number.
  returned: success
  type: list
  elements: dict
  sample: [{node: 0, cpus: [0, 1], cores: 2, mem_total_bytes: 25276203008, mem_free_bytes: 19428704256, distances: [10]}]
single_node:
  description: Whether the host has one NUMA node (then no remote pair exists).
  returned: success
  type: bool
pairs:
  description: The (cpu node, memory node) pairs to run, with their metric suffix, threads and SLIT distance.
  returned: success
  type: list
  elements: dict
  sample: [{name: n0_m0, cpu_node: 0, mem_node: 0, threads: 2, distance: 10, local: true}]
arguments:
  description: The job script's argument per pair, C(cpu_node:mem_node:threads).
  returned: success
  type: list
  elements: str
  sample: ["0:0:2"]
memory_free_min_bytes:
  description: Free memory of the smallest memory node, which bounds the arrays.
  returned: success
  type: int
array_size_elements:
  description: STREAM's elements per array for this host.
  returned: success
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.instancebench.aws.plugins.module_utils import _numa


def main():
    module = AnsibleModule(
        argument_spec=dict(llc_bytes=dict(type='int', required=True), memory_fraction=dict(type='float', default=0.6),
                           array_floor=dict(type='int', default=10000000), array_size=dict(type='int', default=0),
                           root=dict(type='path', default='/')),
        supports_check_mode=True,
    )
    params = module.params
    nodes = _numa.read_nodes(params['root'])
    try:
        found = _numa.plan(nodes, params['llc_bytes'], params['memory_fraction'], params['array_floor'],
                           params['array_size'])
    except ValueError as exc:
        module.fail_json(msg=str(exc), nodes=nodes)
    # The plan counts the nodes; the module returns them as read.
    found.update(nodes=nodes, arguments=[_numa.pass_argument(pair) for pair in found['pairs']])
    module.exit_json(changed=False, **found)


if __name__ == '__main__':
    main()
