# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: CPU identity from /proc/cpuinfo and the microarchitecture table.

Pure stdlib so that modules, filters and unit tests share it. The table itself is data
(roles/host_facts/vars/uarch_table.yml); this file only knows how to match it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def parse_cpuinfo(text):
    """Return a list of dicts, one per `processor` block, keys as in /proc/cpuinfo."""
    blocks = []
    current = {}
    for line in text.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
                current = {}
            continue
        if ':' not in line:
            continue
        key, _sep, value = line.partition(':')
        current[key.strip()] = value.strip()
    if current:
        blocks.append(current)
    return blocks


def _as_int(value):
    """cpuinfo mixes decimal ('cpu family: 25') and hex ('CPU part: 0xd40')."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        return int(value, 16) if value.lower().startswith('0x') else int(value)
    except ValueError:
        return None


def cpu_identity(blocks, machine):
    """Summarise the first processor block into the fields the uarch table matches on."""
    first = blocks[0] if blocks else {}
    if machine in ('aarch64', 'arm64'):
        return {
            'arch': 'aarch64',
            'vendor': 'ARM' if first.get('CPU implementer', '').lower() == '0x41' else first.get('CPU implementer'),
            'implementer': _as_int(first.get('CPU implementer')),
            'part': _as_int(first.get('CPU part')),
            'variant': _as_int(first.get('CPU variant')),
            'revision': _as_int(first.get('CPU revision')),
            # aarch64 kernels print no model name; lscpu derives it from the part number.
            'model_name': first.get('model name'),
            'flags': sorted(first.get('Features', '').split()),
        }
    return {
        'arch': machine,
        'vendor': first.get('vendor_id'),
        'family': _as_int(first.get('cpu family')),
        'model': _as_int(first.get('model')),
        'stepping': _as_int(first.get('stepping')),
        'model_name': first.get('model name'),
        # What the kernel reports; under a hypervisor often the base clock, not what cores run at.
        'mhz': float(first['cpu MHz']) if first.get('cpu MHz') else None,
        'flags': sorted(first.get('flags', '').split()),
    }


def _in_ranges(value, ranges):
    for entry in ranges:
        if isinstance(entry, (list, tuple)):
            low, high = _as_int(entry[0]), _as_int(entry[1])
            if low <= value <= high:
                return True
        elif _as_int(entry) == value:
            return True
    return False


def identify_uarch(identity, table):
    """Return the table entry (a dict with at least `name`) matching `identity`, or None.

    `table` has two lists: `x86_64` entries match vendor + family + model ranges,
    `aarch64` entries match MIDR implementer + part.
    """
    if identity.get('arch') == 'aarch64':
        for entry in table.get('aarch64', []):
            if (_as_int(entry['implementer']) == identity.get('implementer')
                    and _as_int(entry['part']) == identity.get('part')):
                return entry
        return None
    for entry in table.get('x86_64', []):
        if entry['vendor'] != identity.get('vendor'):
            continue
        if _as_int(entry['family']) != identity.get('family'):
            continue
        if identity.get('model') is not None and _in_ranges(identity['model'], entry['models']):
            return entry
    return None


def isa_level(identity, levels):
    """The best ISA level (a dict with `name`) whose required CPU flags the identity has, or None.

    For CPUs the model table does not know, e.g. virtual machines whose hypervisor shows a
    model number of its own: the flags still say what the vector units can do. `levels` is
    ordered best first; each entry lists every flag it needs (lower levels' included).
    """
    flags = set(identity.get('flags') or ())
    for level in levels or ():
        if set(level['requires']) <= flags:
            return level
    return None


def describe_identity(identity):
    """One line naming what was seen, for error messages."""
    if identity.get('arch') == 'aarch64':
        return 'aarch64 implementer=%s part=%s' % (
            _hex(identity.get('implementer')), _hex(identity.get('part')))
    return '%s %s family=%s model=%s (%s)' % (
        identity.get('arch'), identity.get('vendor'), identity.get('family'),
        identity.get('model'), identity.get('model_name'))


def _hex(value):
    return '0x%x' % value if isinstance(value, int) else str(value)


def instance_cpu_mismatches(host, hardware, expected):
    """What an instance's host facts contradict; [] when the CPU is the one promised.

    `hardware` is what DescribeInstanceTypes says of the type (architecture as EC2 spells it,
    vcpus, threads_per_core); `expected` the family's entry of the CPU table ({} when the
    family is not in it: then only architecture and shape are checked).
    """
    arch = 'aarch64' if hardware['architecture'] == 'arm64' else hardware['architecture']
    seen = {
        'architecture': host.get('arch'),
        'processor family': (host.get('uarch') or {}).get('family_name'),
        'vendor': (host.get('cpu') or {}).get('vendor'),
        'vCPUs': (host.get('topology') or {}).get('logical_cpus'),
        'threads per core': (host.get('topology') or {}).get('threads_per_core'),
    }
    wanted = {'architecture': arch, 'vCPUs': hardware['vcpus'], 'threads per core': hardware['threads_per_core']}
    if expected:
        wanted['processor family'] = expected.get('family_name')
        wanted['vendor'] = expected.get('vendor')
    return ['%s: expected %s, found %s' % (what, wanted[what], seen[what])
            for what in ('architecture', 'processor family', 'vendor', 'vCPUs', 'threads per core')
            if what in wanted and wanted[what] != seen[what]]
