# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardware facts for every EC2 family: roles/ec2_provision/vars/families.yml against moto's copy of
the catalog (what DescribeInstanceTypes answers), the microarchitecture table, the flag catalog and
the peak tables. Every current family is mapped or excluded with a reason; every figure has a source."""

import gzip
import json
import os

import moto
import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _catalog

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESOURCES = os.path.join(os.path.dirname(moto.__file__), 'ec2', 'resources')


def _vars(*parts):
    with open(os.path.join(REPO, 'roles', *parts)) as handle:
        return yaml.safe_load(handle)


HARDWARE = _vars('ec2_provision', 'vars', 'families.yml')
FAMILIES = HARDWARE['_ec2_provision_families']
PROCESSORS = HARDWARE['_ec2_provision_processors']
EXCLUSIONS = HARDWARE['_ec2_provision_family_exclusions']
SOURCES = HARDWARE['_ec2_provision_hardware_sources']
UARCH_TABLE = _vars('host_facts', 'vars', 'uarch_table.yml')['_host_facts_uarch_table']
FLAG_CATALOG = _vars('host_facts', 'vars', 'flag_catalog.yml')['_host_facts_flag_catalog']['uarch']
FLOPS = _vars('hpl', 'vars', 'peak.yml')['_hpl_flops_per_cycle']
MEMORY = _vars('stream', 'vars', 'memory.yml')['_stream_memory_peaks']

# What a source may say instead of naming one of _ec2_provision_hardware_sources.
RESERVED = ('computed', 'assumed', 'unknown')
VENDORS = {'Intel': 'GenuineIntel', 'AMD': 'AuthenticAMD', 'AWS': 'ARM'}


@pytest.fixture(scope='module')
def catalog():
    """{family: [entries]} of moto's whole catalog, current and previous generation."""
    with gzip.open(os.path.join(RESOURCES, 'instance_types.json.gz')) as handle:
        entries = [_catalog.entry(raw) for raw in json.load(handle).values()]
    out = {}
    for found in entries:
        out.setdefault(found['family'], []).append(found)
    return out


def _current(catalog):
    return sorted(family for family, entries in catalog.items() if any(e['current_generation'] for e in entries))


def coverage_problems(current, families, exclusions):
    """What keeps the table from covering `current`: each problem names its families."""
    problems = []
    missing = sorted(set(current) - set(families) - set(exclusions))
    if missing:
        problems.append('%d current families neither mapped in _ec2_provision_families nor listed in '
                        '_ec2_provision_family_exclusions: %s' % (len(missing), ', '.join(missing)))
    both = sorted(set(families) & set(exclusions))
    if both:
        problems.append('mapped and excluded at once: %s' % ', '.join(both))
    no_reason = sorted(name for name, reason in exclusions.items() if not isinstance(reason, str) or not reason.strip())
    if no_reason:
        problems.append('excluded without a reason: %s' % ', '.join(no_reason))
    return problems


def test_every_current_family_is_mapped_or_excluded_with_a_reason(catalog):
    current = _current(catalog)
    assert len(current) > 100, 'moto\'s catalog did not load'
    assert coverage_problems(current, FAMILIES, EXCLUSIONS) == []
    macs = sorted(family for family in current if all(e['architecture'] is None for e in catalog[family]))
    assert macs and set(macs) <= set(EXCLUSIONS), 'Mac families are excluded, not mapped: %s' % macs


def test_the_coverage_check_names_what_it_misses():
    current = ['c7g', 'm7i', 'mac2', 't2']
    problems = coverage_problems(current, {'m7i': {}, 't2': {}}, {'mac2': 'macOS only', 't2': ' '})
    assert problems == ['1 current families neither mapped in _ec2_provision_families nor listed in '
                        '_ec2_provision_family_exclusions: c7g',
                        'mapped and excluded at once: t2', 'excluded without a reason: t2']


def test_every_table_entry_names_a_family_of_the_catalog(catalog):
    unknown = sorted((set(FAMILIES) | set(EXCLUSIONS)) - set(catalog))
    assert unknown == [], 'not an EC2 family in moto\'s catalog (a typo, or retired): %s' % unknown


def test_each_family_agrees_with_its_processors_and_the_catalog(catalog):
    problems = []
    for family, entry in sorted(FAMILIES.items()):
        processors = entry.get('processors') or []
        unknown = [name for name in processors if name not in PROCESSORS]
        if not processors or unknown:
            problems.append('%s: processors %r (unknown: %s)' % (family, processors, unknown))
            continue
        first = PROCESSORS[processors[0]]
        for key in ('family_name', 'vendor', 'model_name'):
            if entry.get(key, 'absent') != first[key]:
                problems.append('%s: %s %r, its processor %s says %r'
                                % (family, key, entry.get(key, 'absent'), processors[0], first[key]))
        # The CPU check compares one family name and vendor: every processor of the family must give them.
        mixed = sorted(set((PROCESSORS[name]['family_name'], PROCESSORS[name]['vendor']) for name in processors))
        if len(mixed) > 1:
            problems.append('%s: processors that check differently %s' % (family, mixed))
        types = catalog.get(family, [])   # a family moto lacks: test_every_table_entry_names_a_family...
        manufacturers = set(VENDORS.get(e['manufacturer']) for e in types)
        if types and manufacturers != {entry['vendor']}:
            problems.append('%s: vendor %s, the catalog says %s' % (family, entry['vendor'], sorted(manufacturers)))
        by_size = dict((e['size'], e['clock_ghz']) for e in types if e['clock_ghz'])
        if not isinstance(entry.get('clock_ghz'), (int, float)) or entry['clock_ghz'] <= 0:
            problems.append('%s: clock_ghz %r' % (family, entry.get('clock_ghz')))
        elif by_size:
            differ = dict((size, ghz) for size, ghz in by_size.items() if ghz != max(by_size.values()))
            if (entry['clock_ghz'], entry.get('clock_ghz_by_size', {})) != (max(by_size.values()), differ):
                problems.append('%s: clock %s %s, the catalog says %s %s' % (
                    family, entry['clock_ghz'], entry.get('clock_ghz_by_size', {}), max(by_size.values()), differ))
    assert problems == [], '\n'.join(problems)


def test_every_mapped_microarchitecture_has_flags_and_peaks():
    table = dict((row['name'], row) for rows in UARCH_TABLE.values() for row in rows)
    used = sorted(set(name for entry in FAMILIES.values() for name in entry['processors']))
    problems = []
    for name in used:
        processor = PROCESSORS[name]
        uarch, family_name = processor['uarch'], processor['family_name']
        if uarch not in FLAG_CATALOG:
            problems.append('%s: uarch %s has no entry in host_facts/vars/flag_catalog.yml' % (name, uarch))
        if table.get(uarch, {}).get('family_name') != family_name:
            problems.append('%s: host_facts/vars/uarch_table.yml names %s as family %r, not %r: the CPU check '
                            'could never pass' % (name, uarch, table.get(uarch, {}).get('family_name'), family_name))
        if not FLOPS.get(uarch):
            problems.append('%s: uarch %s has no FP64 FLOP/cycle in hpl/vars/peak.yml' % (name, uarch))
        elif processor['fp64_flops_per_cycle_per_core'] not in (None, FLOPS[uarch]):
            problems.append('%s: %s FP64 FLOP/cycle, hpl/vars/peak.yml says %s for %s' % (
                name, processor['fp64_flops_per_cycle_per_core'], FLOPS[uarch], uarch))
        memory, peak = processor['memory'], MEMORY.get(family_name) or {}
        if not peak.get('channels_per_socket'):
            problems.append('%s: family %s has no memory channels in stream/vars/memory.yml' % (name, family_name))
        for key in ('channels_per_socket', 'mts', 'type'):
            if memory[key] is not None and peak.get(key) is not None and memory[key] != peak[key]:
                problems.append('%s: memory %s %s, stream/vars/memory.yml says %s for %s' % (
                    name, key, memory[key], peak[key], family_name))
    assert problems == [], '\n'.join(problems)


def _figures():
    """(where, value, source) of every figure in the table that needs a source."""
    for name, processor in sorted(PROCESSORS.items()):
        where = 'processor %s' % name
        yield where + ' model_name', processor.get('model_name'), processor.get('model_name_source')
        yield (where + ' fp64_flops_per_cycle_per_core', processor.get('fp64_flops_per_cycle_per_core'),
               processor.get('fp64_source'))
        memory, memory_source = processor.get('memory') or {}, processor.get('memory_source') or {}
        for key, source_key in (('type', 'type'), ('channels_per_socket', 'channels'), ('mts', 'mts')):
            yield '%s memory.%s' % (where, key), memory.get(key), memory_source.get(source_key)
    for family, entry in sorted(FAMILIES.items()):
        yield 'family %s processors' % family, entry.get('processors'), entry.get('processor_source')
        yield 'family %s clock_ghz' % family, entry.get('clock_ghz'), entry.get('clock_source')


def _source_problem(value, source):
    items = source if isinstance(source, list) else [source]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        return 'no source (%r)' % (source,)
    for item in items:
        key, sep, detail = item.partition(':')
        key = key.strip()
        if key in RESERVED and not (sep and detail.strip()):
            return '%r: "%s:" needs the detail (the inputs, the assumption or why unknown)' % (item, key)
        if key not in RESERVED and key not in SOURCES:
            return '%r: %r is neither a key of _ec2_provision_hardware_sources nor one of %s' % (item, key, RESERVED)
    unknown = any(item.partition(':')[0].strip() == 'unknown' for item in items)
    if value is None and not unknown:
        return 'null without an "unknown: why" source'
    if value is not None and unknown:
        return 'has a value (%r) but its source says unknown' % (value,)
    return None


def test_every_figure_has_a_source():
    problems = ['%s: %s' % (where, problem) for where, value, source in _figures()
                for problem in [_source_problem(value, source)] if problem]
    assert problems == [], '\n'.join(problems)
    assert all(entry.get('kind') and entry.get('ref') for entry in SOURCES.values())


@pytest.mark.parametrize('value, source, problem', [
    (32, 'intel-fma-units', None),
    (32, ['computed: 2 x 8 x 2', 'perfspect: SKX 6'], None),
    (None, 'unknown: not published', None),
    (None, 'perfspect', 'null without'),
    (8, 'unknown: why', 'says unknown'),
    (8, 'assumed', 'needs the detail'),
    (8, 'a blog I read', 'neither a key'),
    (8, None, 'no source'),
    (8, [], 'no source'),
])
def test_a_source_is_checked(value, source, problem):
    found = _source_problem(value, source)
    assert (found is None) if problem is None else (problem in found), found
