# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: a host's NUMA nodes from sysfs, and the plan of the stream_numa benchmark — STREAM bound
to each node's cores (numactl --cpunodebind) with its memory on every node (--membind).

Readers take a `root` (like _topology) so tests point them at copied sysfs trees. A node without
CPUs (memory only, e.g. CXL) is a memory target but runs nothing; a node without memory is never
one. A pair's name, `n<cpu node>_m<memory node>`, is every metric's suffix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _stream
from ansible_collections.instancebench.aws.plugins.module_utils._topology import core_key, parse_cpu_list, read_text

_NODE_MEMINFO = re.compile(r'^Node \d+ ([\w()]+):\s+(\d+)\s*kB')


def _physical_cores(root, cpus):
    """How many physical cores `cpus` span (hyperthreads of one core count once)."""
    return len(set(core_key(os.path.join(root, 'sys/devices/system/cpu/cpu%d' % cpu)) for cpu in cpus))


def read_nodes(root='/'):
    """[{node, cpus, cores, mem_total_bytes, mem_free_bytes, distances}] by node number, from
    /sys/devices/system/node/node<N>/{cpulist,meminfo,distance}; [] where sysfs has no node
    directory (a kernel without NUMA: plan() then treats the host as one node it cannot bind)."""
    nodes = []
    for path in glob.glob(os.path.join(root, 'sys/devices/system/node/node[0-9]*')):
        number = int(re.sub(r'\D', '', os.path.basename(path)))
        cpus = parse_cpu_list(read_text(os.path.join(path, 'cpulist')) or '')
        memory = {}
        for line in (read_text(os.path.join(path, 'meminfo')) or '').splitlines():
            match = _NODE_MEMINFO.match(line.strip())
            if match:
                memory[match.group(1)] = int(match.group(2)) * 1024
        distances = [int(d) for d in (read_text(os.path.join(path, 'distance')) or '').split()]
        nodes.append({'node': number, 'cpus': cpus, 'cores': _physical_cores(root, cpus),
                      'mem_total_bytes': memory.get('MemTotal', 0),
                      # Free plus the page cache the kernel drops first (as MemAvailable counts it, which the
                      # stream role sizes from): a kernel tree read by an earlier job does not shrink the arrays.
                      'mem_free_bytes': memory.get('MemFree', 0) + memory.get('Inactive(file)', 0),
                      'distances': distances})
    return sorted(nodes, key=lambda found: found['node'])


def pair_name(cpu_node, mem_node):
    """'n0_m1': the suffix of the metrics of STREAM on node 0's cores with memory on node 1."""
    return 'n%d_m%d' % (int(cpu_node), int(mem_node))


def pairs(nodes):
    """[{name, cpu_node, mem_node, threads, distance, local}]: every node with CPUs against every
    node with memory, local pair first; threads = the CPU node's physical cores."""
    memory_nodes = [n for n in nodes if n['mem_total_bytes'] > 0]
    by_number = dict((n['node'], i) for i, n in enumerate(nodes))
    found = []
    for cpu_node in (n for n in nodes if n['cpus']):
        ordered = sorted(memory_nodes, key=lambda m: (m['node'] != cpu_node['node'], m['node']))
        for mem_node in ordered:
            index = by_number[mem_node['node']]
            distance = cpu_node['distances'][index] if index < len(cpu_node['distances']) else None
            found.append({'name': pair_name(cpu_node['node'], mem_node['node']), 'cpu_node': cpu_node['node'],
                          'mem_node': mem_node['node'], 'threads': cpu_node['cores'], 'distance': distance,
                          'local': cpu_node['node'] == mem_node['node']})
    return found


def array_size(llc_bytes, free_bytes, memory_fraction, floor_elements, requested=0):
    """Elements per array: STREAM's rule (4 x the last-level cache, at least the floor), its three
    arrays within `memory_fraction` of the smallest memory node's free memory (each pair puts
    them all on one node). ValueError naming the stream_numa_* setting to change."""
    fraction = float(memory_fraction)
    if not 0 < fraction <= 0.9:
        raise ValueError('stream_numa_memory_fraction must be above 0 and at most 0.9, got %s' % memory_fraction)
    largest = _stream.maximum_array_size(free_bytes, fraction)
    wanted = int(requested or 0) or _stream.minimum_array_size(llc_bytes, floor_elements)
    if wanted > largest:
        raise ValueError(
            '%d elements per array (%s) need %.2f GiB for 3 arrays on one NUMA node, but '
            'stream_numa_memory_fraction=%s of the %.2f GiB free on the smallest node allows %d: %s'
            % (wanted, 'stream_numa_array_size' if requested else '4 x last-level cache or stream_numa_array_floor',
               wanted * _stream.ARRAYS * _stream.ELEMENT_BYTES / 2.0 ** 30, memory_fraction, free_bytes / 2.0 ** 30,
               largest, 'lower stream_numa_array_size' if requested else
               'raise stream_numa_memory_fraction or use an instance with more memory per node'))
    return wanted


def plan(nodes, llc_bytes, memory_fraction, floor_elements, requested=0):
    """What stream_numa runs on a host: {nodes, single_node, pairs, memory_free_min_bytes,
    array_size_elements}; ValueError naming the fix when sysfs shows no node to bind or the
    arrays do not fit on one node."""
    runnable = [n for n in nodes if n['cpus'] and n['cores']]
    memory_nodes = [n for n in nodes if n['mem_total_bytes'] > 0]
    if not runnable or not memory_nodes:
        raise ValueError('sysfs shows no NUMA node with CPUs and memory (/sys/devices/system/node/node*/cpulist '
                         'and meminfo): a kernel without NUMA support cannot run stream_numa; run stream instead')
    free = min(n['mem_free_bytes'] for n in memory_nodes)
    return {'nodes': len(nodes), 'single_node': len(memory_nodes) == 1 and len(runnable) == 1, 'pairs': pairs(nodes),
            'memory_free_min_bytes': free,
            'array_size_elements': array_size(llc_bytes, free, memory_fraction, floor_elements, requested)}


def pass_argument(pair):
    """The job script's argument for one pair: 'cpu_node:mem_node:threads'."""
    return '%d:%d:%d' % (pair['cpu_node'], pair['mem_node'], pair['threads'])
