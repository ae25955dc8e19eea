# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/schedule.yml with a catalog selection and a coverage rotation, against moto's two-region
catalog: each region plans its own selected types, a week takes its share within the budget and says
what it left, the state kept in the results store makes next week continue, and planning the same
week again changes nothing."""


import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _plan, _rotation, _store
from harness.ansible_runner import run_playbook, write_inventory

REQUEST = {
    'name': 'catalog-rotation', 'regions': ['us-east-1', 'us-west-2'],
    'selection': {'families': ['m7i', 'c7g'], 'max_vcpus': 16},
    'benchmarks': {'stream': ['one-thread']}, 'days': 7, 'start_date': '2026-12-07',
    'max_jobs_per_day': 40, 'max_concurrency': 5,
    'coverage': {'every_weeks': 2, 'budget_usd_per_week': 50},
    'plan': {'os': 'al2023', 'results': {'bucket': 'bench-results', 'prefix': 'ib'},
             'networking': {'public_key_file': '~/.ssh/id_ed25519.pub'}},
}


def _schedule(tmp_path, ansible_home, moto, request, store):
    return run_playbook('schedule.yml', write_inventory(str(tmp_path / 'hosts.yml'), {}), ansible_home,
                        {'instancebench_schedule': request, 'instancebench_plan_dir': str(tmp_path / 'plans'),
                         'instancebench_schedule_store': store}, env=moto.env())


def _planned(tmp_path):
    out = {}
    for region in REQUEST['regions']:
        path = tmp_path / 'plans' / ('catalog-rotation-%s.yml' % region)
        if path.exists():
            plan = yaml.safe_load(path.read_text())['instancebench_plan']
            assert _plan.check_plan(plan)[1] == [], 'launch.yml accepts the plan'
            out[region] = set(plan['instance_types'])
    return out


def test_a_coverage_rotation_covers_the_selection_over_its_weeks(tmp_path, ansible_home, moto):
    store = str(tmp_path / 'store')
    first = _schedule(tmp_path, ansible_home, moto, REQUEST, store)
    assert first.returncode == 0, first.stdout[-4000:]
    week1 = _planned(tmp_path)
    state = _store.open_store(store).get_json(_rotation.STATE_KEY % 'catalog-rotation')
    candidates = len(state['types'])
    assert week1 and sum(len(types) for types in week1.values()) == candidates
    assert all(name.split('.')[0] in ('m7i', 'c7g') for types in week1.values() for name in types)
    assert 'coverage: %d of' % candidates in first.stdout and 'left for later, not due yet' in first.stdout
    assert first.recap['localhost']['changed'] >= 1

    again = _schedule(tmp_path, ansible_home, moto, REQUEST, store)
    assert again.returncode == 0 and again.recap['localhost']['changed'] == 0, 'the same week again: no change'
    assert _planned(tmp_path) == week1

    for path in (tmp_path / 'plans').iterdir():
        path.unlink()
    second = _schedule(tmp_path, ansible_home, moto, dict(REQUEST, start_date='2026-12-14'), store)
    assert second.returncode == 0, second.stdout[-4000:]
    week2 = _planned(tmp_path)
    both = [(r, n) for r, names in week1.items() for n in names] + [(r, n) for r, names in week2.items() for n in names]
    state = _store.open_store(store).get_json(_rotation.STATE_KEY % 'catalog-rotation')
    assert len(both) == len(set(both)) == len(state['types']), 'two weeks cover every selected type once'
    assert [week['start_date'] for week in state['weeks']] == ['2026-12-07', '2026-12-14']


def test_a_small_budget_leaves_types_for_later_and_says_how_long_the_cycle_takes(tmp_path, ansible_home, moto):
    request = dict(REQUEST, coverage={'every_weeks': 2, 'budget_usd_per_week': 0.1})
    proc = _schedule(tmp_path, ansible_home, moto, request, str(tmp_path / 'store'))
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert 'left for later, budget' in proc.stdout, proc.stdout[-6000:]
    assert 'raise coverage.budget_usd_per_week to' in proc.stdout


def test_selection_and_coverage_mistakes_are_refused_by_field(tmp_path, ansible_home, moto):
    request = dict(REQUEST, selection={'families': ['m7j'], 'max_vcpu': 4},
                   coverage={'every_weeks': 2, 'budget_usd_per_week': -1})
    proc = _schedule(tmp_path, ansible_home, moto, request, str(tmp_path / 'store'))
    assert proc.returncode != 0
    assert 'coverage.budget_usd_per_week: a positive amount of USD, got -1' in proc.stdout
    proc = _schedule(tmp_path, ansible_home, moto, dict(request, coverage=REQUEST['coverage']), str(tmp_path / 'store'))
    assert proc.returncode != 0
    assert "selection.families[0]: 'm7j' is not in this region's catalog (closest: m7i" in proc.stdout, proc.stdout[-3000:]
    assert 'selection.max_vcpu: not a selection field' in proc.stdout
    assert not (tmp_path / 'plans').exists() and not (tmp_path / 'store').exists()


def test_a_burstable_family_is_priced_by_memory_from_the_catalog(tmp_path, ansible_home, moto):
    """t3 in us-west-2 has a per-MiB rate in the table, no listed price: the planner asks the catalog
    for the type's memory rather than leaving it unpriced (and so never measured)."""
    request = dict(REQUEST, regions=['us-west-2'], families={'t3': ['large']}, selection=None)
    request.pop('selection')
    proc = _schedule(tmp_path, ansible_home, moto, request, str(tmp_path / 'store'))
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert 'coverage: 1 of 1 types this week' in proc.stdout and 'no price known' not in proc.stdout, proc.stdout[-3000:]


def test_a_region_with_no_job_this_week_keeps_no_plan_file_from_an_earlier_week(tmp_path, ansible_home, moto):
    (tmp_path / 'plans').mkdir()
    stale = tmp_path / 'plans' / 'catalog-rotation-us-east-1.yml'
    stale.write_text('# last week\n')
    request = dict(REQUEST, coverage={'every_weeks': 2, 'budget_usd_per_week': 0.0001})   # nothing fits
    proc = _schedule(tmp_path, ansible_home, moto, request, str(tmp_path / 'store'))
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert 'left for later, budget' in proc.stdout and not stale.exists()
