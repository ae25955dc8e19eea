# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: cores, sockets, NUMA nodes, caches and memory read from sysfs and procfs.

Every reader takes a `root` so tests can point it at a copied or trimmed tree. sysfs is
preferred over getconf: getconf may print 0, or the hypervisor host's cache sizes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re


def read_text(path, default=None):
    try:
        with open(path) as handle:
            return handle.read().strip()
    except (IOError, OSError):
        return default


def parse_size(text):
    """sysfs cache sizes look like '32K', '1024K', '32768K' or '36M'; returns bytes."""
    if not text:
        return None
    match = re.match(r'^\s*(\d+)\s*([KMG]?)', text, re.IGNORECASE)
    if not match:
        return None
    scale = {'': 1, 'K': 1024, 'M': 1024 ** 2, 'G': 1024 ** 3}[match.group(2).upper()]
    return int(match.group(1)) * scale


def parse_cpu_list(text):
    """'0-3,8,10-11' -> [0, 1, 2, 3, 8, 10, 11]."""
    cpus = []
    for part in (text or '').split(','):
        part = part.strip()
        if not part:
            continue
        if '-' in part:
            low, high = part.split('-', 1)
            cpus.extend(range(int(low), int(high) + 1))
        else:
            cpus.append(int(part))
    return cpus


def _cpu_dirs(root):
    pattern = os.path.join(root, 'sys/devices/system/cpu/cpu[0-9]*')
    return sorted(glob.glob(pattern), key=lambda p: int(re.sub(r'\D', '', os.path.basename(p))))


def core_key(cpu_dir):
    """(package, thread siblings) of a sysfs cpu<N> directory: the same for the hyperthreads of one
    physical core; core_id, else the CPU itself, where thread_siblings_list is missing."""
    topo = os.path.join(cpu_dir, 'topology')
    siblings = read_text(os.path.join(topo, 'thread_siblings_list'))
    if siblings is None:
        siblings = read_text(os.path.join(topo, 'core_id'), os.path.basename(cpu_dir))
    return read_text(os.path.join(topo, 'physical_package_id'), '0'), siblings


def cache_size(caches, name):
    """(bytes of one instance, bytes of all instances) of a cache level of host facts' `caches`
    ({l1d: {size_bytes, total_bytes, ...}, ...} or {l1d: bytes, ...}); (0, 0) when absent."""
    found = (caches or {}).get(name)
    if isinstance(found, dict):
        size = int(found.get('size_bytes') or 0)
        return size, int(found.get('total_bytes') or size)
    return int(found or 0), int(found or 0)


def cpu_topology(root='/'):
    """Logical CPUs, physical cores and sockets from sysfs topology files."""
    cores = set()
    sockets = set()
    logical = 0
    for cpu_dir in _cpu_dirs(root):
        if read_text(os.path.join(cpu_dir, 'online'), '1') == '0':
            continue
        logical += 1
        key = core_key(cpu_dir)
        cores.add(key)
        sockets.add(key[0])
    if not logical:
        return None
    return {
        'logical_cpus': logical,
        'physical_cores': len(cores),
        'sockets': len(sockets),
        'threads_per_core': max(1, logical // max(1, len(cores))),
    }


def numa_nodes(root='/'):
    nodes = glob.glob(os.path.join(root, 'sys/devices/system/node/node[0-9]*'))
    return max(1, len(nodes))


def caches(root='/'):
    """Per level: size of one instance, number of distinct instances, and total bytes.

    Distinct instances are told apart by shared_cpu_list, so an L3 shared by 8 cores
    counts once, and two sockets' L3s count twice.
    """
    seen = {}
    for cpu_dir in _cpu_dirs(root):
        for index in glob.glob(os.path.join(cpu_dir, 'cache/index[0-9]*')):
            level = read_text(os.path.join(index, 'level'))
            kind = read_text(os.path.join(index, 'type'), '')
            size = parse_size(read_text(os.path.join(index, 'size')))
            shared = read_text(os.path.join(index, 'shared_cpu_list'), os.path.basename(cpu_dir))
            if level is None or size is None or kind == 'Instruction':
                continue
            name = 'l1d' if level == '1' else 'l%s' % level
            seen.setdefault(name, {})[shared] = size
    result = {}
    for name, instances in seen.items():
        sizes = list(instances.values())
        result[name] = {
            'size_bytes': max(sizes),
            'instances': len(sizes),
            'total_bytes': sum(sizes),
        }
    return result


def last_level_cache(found, fallback_bytes_per_socket, sockets):
    """Total bytes of the last-level cache, and where that number came from.

    Graviton hides its system-level cache from sysfs; the uarch table then supplies a
    per-socket size. Without either, the largest level sysfs shows (L2) stands in.
    """
    if 'l3' in found:
        return found['l3']['total_bytes'], 'sysfs-l3'
    if fallback_bytes_per_socket:
        return int(fallback_bytes_per_socket) * max(1, sockets), 'uarch-table'
    for name in ('l2', 'l1d'):
        if name in found:
            return found[name]['total_bytes'], 'sysfs-%s' % name
    return None, 'unknown'


def meminfo(root='/'):
    """MemTotal and MemAvailable in bytes."""
    values = {}
    text = read_text(os.path.join(root, 'proc/meminfo'), '')
    for line in text.splitlines():
        match = re.match(r'^(\w+):\s+(\d+)\s*kB', line)
        if match:
            values[match.group(1)] = int(match.group(2)) * 1024
    return {
        'total_bytes': values.get('MemTotal'),
        'available_bytes': values.get('MemAvailable', values.get('MemFree')),
    }


def os_release(root='/'):
    fields = {}
    for line in read_text(os.path.join(root, 'etc/os-release'), '').splitlines():
        key, sep, value = line.partition('=')
        if sep:
            fields[key.strip()] = value.strip().strip('"')
    return {
        'id': fields.get('ID'),
        'version_id': fields.get('VERSION_ID'),
        'pretty_name': fields.get('PRETTY_NAME'),
    }
