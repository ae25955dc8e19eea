# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EC2 catalog and the selections a plan makes from it, on moto's copy of the real catalog."""

import gzip
import json
import os

import moto
import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _catalog

RESOURCES = os.path.join(os.path.dirname(moto.__file__), 'ec2', 'resources')


@pytest.fixture(scope='module')
def entries():
    with gzip.open(os.path.join(RESOURCES, 'instance_types.json.gz')) as handle:
        return [_catalog.entry(raw) for raw in json.load(handle).values()]


def test_every_current_type_is_taken_or_left_with_a_reason(entries):
    chosen, left = _catalog.select({'all_current': True}, entries)
    assert len(chosen) + sum(left.values()) == len(entries)
    current = [e for e in entries if e['current_generation']]
    assert left['previous generation'] == len(entries) - len(current)
    assert all(not e['bare_metal'] and not e['accelerators'] and not e['burstable'] for e in chosen)
    assert set(e['architecture'] for e in chosen) == {'x86_64', 'arm64'}
    wider, _left = _catalog.select({'all_current': True, 'include_metal': True, 'include_accelerated': True,
                                    'include_burstable': True}, entries)
    macs = [e for e in current if e['architecture'] is None]
    assert len(wider) == len(current) - len(macs) and all(m['family'].startswith('mac') for m in macs)
    assert any(e['accelerators'].get('gpu') for e in wider) and any(e['bare_metal'] for e in wider)


def test_a_selection_by_family_size_and_vcpus(entries):
    chosen, _left = _catalog.select({'families': ['c7a', 'c7g'], 'sizes': ['large', 'xlarge', '2xlarge'],
                                     'max_vcpus': 4}, entries)
    assert [e['instance_type'] for e in chosen] == ['c7a.large', 'c7a.xlarge', 'c7g.large', 'c7g.xlarge']
    arm, _left = _catalog.select({'families': ['c7a', 'c7g'], 'architectures': ['arm64'], 'exclude': ['c7g.medium']},
                                 entries)
    assert arm and all(e['family'] == 'c7g' for e in arm) and 'c7g.medium' not in [e['instance_type'] for e in arm]
    summary = _catalog.families(chosen)
    assert summary['c7a']['manufacturer'] == 'AMD' and summary['c7g']['architecture'] == 'arm64'


@pytest.mark.parametrize('selection, problem', [
    ({'families': ['c7x']}, "selection.families[0]: 'c7x' is not in this region's catalog (closest: c7"),
    ({'familes': ['c7a']}, 'selection.familes: not a selection field (closest: families)'),
    ({'families': 'c7a'}, "selection.families: expected a list, got 'c7a'"),
    ({'sizes': ['large'], 'max_vcpus': 0}, 'selection.max_vcpus: expected a whole number of at least 1, got 0'),
    ({'sizes': ['large'], 'include_metal': 'yes'}, "selection.include_metal: expected true or false, got 'yes'"),
    ({'architectures': ['arm64']}, 'selection: name families or sizes, or set all_current: true'),
    ([], 'selection: expected a mapping'),
])
def test_a_bad_selection_names_its_field_and_the_fix(entries, selection, problem):
    problems = _catalog.check_selection(selection, entries)
    assert any(p.startswith(problem) for p in problems), problems


def test_an_entry_carries_what_the_plan_and_the_dataset_need(entries):
    by_name = dict((e['instance_type'], e) for e in entries)
    p5 = by_name['p5.48xlarge']
    assert p5['accelerators']['gpu'] == 8 and p5['efa'] and p5['vcpus'] == 192
    assert by_name['c7a.large']['size'] == 'large' and by_name['c7a.large']['hypervisor'] == 'nitro'
    assert by_name['m7i.metal-24xl']['bare_metal'] and by_name['t3.micro']['burstable']
