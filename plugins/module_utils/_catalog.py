# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the EC2 catalog as data, and the selection a plan or schedule request makes from it.

`entry()` flattens one DescribeInstanceTypes answer; `select()` applies a selection:

    families: [c7a, m7g]      architectures: [x86_64, arm64]   sizes: [large, xlarge]
    max_vcpus: 16             include_metal: false             include_accelerated: false
    include_burstable: false  exclude: [m7i.48xlarge]          all_current: true

A selection names at least one of families, sizes or all_current (a whole catalog is asked for,
not fallen into); every value is checked against the region's catalog, naming the field and the
closest real value.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib

from ansible_collections.instancebench.aws.plugins.module_utils import _region

SELECTION_FIELDS = ('families', 'architectures', 'sizes', 'max_vcpus', 'include_metal', 'include_accelerated',
                    'include_burstable', 'exclude', 'all_current')
_LISTS = ('families', 'architectures', 'sizes', 'exclude')
_FLAGS = ('include_metal', 'include_accelerated', 'include_burstable', 'all_current')


def _accelerators(raw):
    """Accelerators of every kind the catalog lists (GPU, FPGA, inference, Neuron, media), as counts."""
    found = {}
    for field, kind, items in (('GpuInfo', 'gpu', 'Gpus'), ('FpgaInfo', 'fpga', 'Fpgas'),
                               ('InferenceAcceleratorInfo', 'inference', 'Accelerators'),
                               ('NeuronInfo', 'neuron', 'NeuronDevices'),
                               ('MediaAcceleratorInfo', 'media', 'Accelerators')):
        count = sum(item.get('Count', 0) for item in (raw.get(field) or {}).get(items, []))
        if count:
            found[kind] = count
    return found


def entry(raw):
    """One instance type, flat: what a plan, the hardware table and the dataset need of it."""
    name = raw['InstanceType']
    family, _dot, size = name.partition('.')
    network = raw.get('NetworkInfo') or {}
    out = dict(_region.hardware(raw), instance_type=name, family=family, size=size,
               current_generation=bool(raw.get('CurrentGeneration')), bare_metal=bool(raw.get('BareMetal')),
               burstable=bool(raw.get('BurstablePerformanceSupported')), hypervisor=raw.get('Hypervisor'),
               accelerators=_accelerators(raw), network_performance=network.get('NetworkPerformance'),
               efa=bool(network.get('EfaSupported')),
               supported_architectures=(raw.get('ProcessorInfo') or {}).get('SupportedArchitectures', []))
    return out


def _closest(value, known):
    close = difflib.get_close_matches(str(value), known, n=3, cutoff=0.6)
    return ' (closest: %s)' % ', '.join(close) if close else ''


def check_selection(selection, entries):
    """Problems with a selection, each naming its field (`selection.families[2]: ...`)."""
    if not isinstance(selection, dict):
        return ['selection: expected a mapping of %s' % ', '.join(SELECTION_FIELDS)]
    problems = []
    for name in sorted(set(selection) - set(SELECTION_FIELDS)):
        problems.append('selection.%s: not a selection field%s; use %s' % (
            name, _closest(name, list(SELECTION_FIELDS)), ', '.join(SELECTION_FIELDS)))
    known = {'families': sorted(set(e['family'] for e in entries)), 'sizes': sorted(set(e['size'] for e in entries)),
             'architectures': list(_region.ARCHITECTURES), 'exclude': sorted(e['instance_type'] for e in entries)}
    for field in _LISTS:
        values = selection.get(field)
        if values is None:
            continue
        if not isinstance(values, list):
            problems.append('selection.%s: expected a list, got %r' % (field, values))
            continue
        for index, value in enumerate(values):
            if value not in known[field]:
                problems.append('selection.%s[%d]: %r is not in this region\'s catalog%s' % (
                    field, index, value, _closest(value, known[field])))
    for field in _FLAGS:
        if field in selection and not isinstance(selection[field], bool):
            problems.append('selection.%s: expected true or false, got %r' % (field, selection[field]))
    if 'max_vcpus' in selection:
        value = selection['max_vcpus']
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append('selection.max_vcpus: expected a whole number of at least 1, got %r' % (value,))
    if not problems and not (selection.get('families') or selection.get('sizes') or selection.get('all_current')):
        problems.append('selection: name families or sizes, or set all_current: true for every current type '
                        '(the whole catalog is asked for, never fallen into)')
    return problems


def select(selection, entries):
    """(selected entries sorted by name, {reason: count} of what was left out). Assumes a checked selection."""
    left = {}

    def leave(reason):
        left[reason] = left.get(reason, 0) + 1

    chosen = []
    for found in sorted(entries, key=lambda e: e['instance_type']):
        if not found['current_generation']:
            leave('previous generation')
        elif found['architecture'] is None:
            leave('neither x86_64 nor arm64 (Mac)')
        elif selection.get('families') and found['family'] not in selection['families']:
            leave('other family')
        elif selection.get('sizes') and found['size'] not in selection['sizes']:
            leave('other size')
        elif selection.get('architectures') and found['architecture'] not in selection['architectures']:
            leave('other architecture')
        elif selection.get('max_vcpus') and (found['vcpus'] or 0) > selection['max_vcpus']:
            leave('more vCPUs than max_vcpus')
        elif found['bare_metal'] and not selection.get('include_metal'):
            leave('bare metal (include_metal)')
        elif found['accelerators'] and not selection.get('include_accelerated'):
            leave('accelerated (include_accelerated)')
        elif found['burstable'] and not selection.get('include_burstable'):
            leave('burstable (include_burstable)')
        elif found['instance_type'] in (selection.get('exclude') or []):
            leave('excluded')
        else:
            chosen.append(found)
    return chosen, left


def families(entries):
    """{family: {types, architecture, manufacturer, sizes}} of a list of entries."""
    out = {}
    for found in entries:
        family = out.setdefault(found['family'], {'types': 0, 'architecture': found['architecture'],
                                                  'manufacturer': found['manufacturer'], 'sizes': []})
        family['types'] += 1
        family['sizes'].append(found['size'])
    return out


def read_catalog(ec2):
    """Current types offered in the client's region: DescribeInstanceTypes, then the region's offerings
    (the only AWS calls here; every decision stays in the pure functions above)."""
    raw = ec2.get_paginator('describe_instance_types').paginate(
        Filters=[{'Name': 'current-generation', 'Values': ['true']}]).build_full_result()['InstanceTypes']
    offerings = ec2.get_paginator('describe_instance_type_offerings').paginate(
        LocationType='region').build_full_result()['InstanceTypeOfferings']
    offered = set(item['InstanceType'] for item in offerings)
    return [entry(item) for item in raw if item['InstanceType'] in offered]
