# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole catalog on a budget: every current type of moto's catalog (Mac excepted: the selection
leaves it) in us-east-1 and us-west-2, rotated over 4 weeks at 300 USD a week at table prices.

Runs the planner's own code week after week (catalog selection, family quotas, coverage rotation,
window placement) and prints, per week: planner wall time, types and jobs planned, estimated cost
(with the spot policy and all on-demand), what was left and why; then the coverage after 4 weeks.
The catalog and offerings come from moto's copy of DescribeInstanceTypes (every type offered in
both regions, as moto answers); real accounts see fewer offerings.

Usage: .venv/bin/python benchmarks/catalog_rotation.py [--weeks 4] [--budget 300] [--quota 1024]
"""

import argparse
import datetime
import gzip
import json
import os
import sys
import time

import moto
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, '.cache', 'collections'))

from ansible_collections.instancebench.aws.plugins.module_utils import (  # noqa: E402
    _batch_planner, _catalog, _pricing, _rotation)

REGIONS = ['us-east-1', 'us-west-2']


def _load(path, key):
    with open(os.path.join(REPO, path)) as handle:
        return yaml.safe_load(handle)[key]


def catalog():
    path = os.path.join(os.path.dirname(moto.__file__), 'ec2', 'resources', 'instance_types.json.gz')
    with gzip.open(path) as handle:
        return [_catalog.entry(raw) for raw in json.load(handle).values()]


def plan_week(request, data, table, entries, state):
    checked, problems = _batch_planner.check_request(request, data)
    assert not problems, problems
    selected = dict((region, _catalog.select(request['selection'], entries)[0]) for region in REGIONS)
    quotas, problems = _batch_planner.family_quotas(request, data, set(e['family'] for e in selected[REGIONS[0]]))
    assert not problems, problems
    over_quota = dict((region, [e for e in chosen if e['vcpus'] > quotas[e['family']]]) for region, chosen in selected.items())
    selected = dict((region, [e for e in chosen if e['vcpus'] <= quotas[e['family']]]) for region, chosen in selected.items())
    checked = _batch_planner.with_catalog_types(dict(checked, vcpu_quota=quotas), selected)
    hardware = dict((e['instance_type'], e) for e in entries)
    prices = dict(((region, name), _pricing.table_price(table, region, name, hardware[name]))
                  for region in REGIONS for name, _family, _size in checked['types'])
    narrowed, left, figures, state = _batch_planner.rotation_week(checked, data, prices, state)
    jobs = _batch_planner.expand(narrowed, data, prices)
    try:
        windows = _batch_planner.plan_schedule(narrowed, jobs)
        summary, refusal = _batch_planner.summarize(windows, narrowed), None
    except _batch_planner.Refusal as exc:
        summary, refusal = None, str(exc)
    return figures, left, over_quota, jobs, summary, refusal, state


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--weeks', type=int, default=4)
    parser.add_argument('--budget', type=float, default=300.0)
    parser.add_argument('--quota', type=int, default=1024, help='vCPU quota per family and region')
    args = parser.parse_args()
    data = _load('roles/schedule/vars/main.yml', '_schedule_data')
    table = _load('roles/ec2_provision/vars/prices.yml', '_ec2_provision_prices')
    entries = catalog()
    print('catalog: %d current types in moto\'s catalog, %s; %d weeks at %.0f USD/week; vCPU quota %d per family '
          'and region; benchmarks: every variant of the default ones (%s)'
          % (sum(e['current_generation'] for e in entries), ' + '.join(REGIONS), args.weeks, args.budget, args.quota,
             ', '.join(sorted(name for name in data['variants'] if name in ('stream', 'hpl', 'fftw')))))
    for title, selection in (('CPU types up to 8 vCPUs (all_current, max_vcpus 8)', {'all_current': True, 'max_vcpus': 8}),
                             ('CPU types (all_current: metal, accelerated, burstable left out)', {'all_current': True}),
                             ('everything but Mac (metal, accelerated, burstable included)',
                              {'all_current': True, 'include_metal': True, 'include_accelerated': True,
                               'include_burstable': True})):
        print('\n== %s' % title)
        scenario(args, data, table, entries, selection)


def scenario(args, data, table, entries, selection):
    request = {'name': 'catalog', 'regions': REGIONS, 'days': 7, 'max_jobs_per_day': 400, 'max_concurrency': 40,
               'selection': selection, 'default_vcpu_quota': args.quota,
               'coverage': {'every_weeks': args.weeks, 'budget_usd_per_week': args.budget}}
    state = _rotation.empty_state('catalog')
    start = datetime.date(2026, 12, 7)
    for week in range(args.weeks):
        request['start_date'] = (start + datetime.timedelta(weeks=week)).isoformat()
        began = time.perf_counter()
        figures, left, over_quota, jobs, summary, refusal, state = plan_week(request, data, table, entries, state)
        wall = time.perf_counter() - began
        print('week %d (%s): planner %.2f s; %d of %d types, %d jobs; estimated %.2f USD with spot policy, %s USD '
              'all on-demand; left: %s%s'
              % (week + 1, request['start_date'], wall, figures['chosen'], figures['candidates'], len(jobs),
                 figures['estimated_cost_usd'],
                 '%.2f' % summary['estimated_cost_on_demand_usd'] if summary else '-',
                 ', '.join('%s %d' % kv for kv in sorted(figures['left'].items())),
                 '' if summary else '; placement refused: ' + refusal[:160]))
    covered = len(state['types'])
    print('after %d weeks: %d of %d (region, type) pairs measured once or more (%.1f %%); full cycle %.2f USD '
          '(%s weeks at this budget); over the quota: %d pairs; without a price: %d'
          % (args.weeks, covered, figures['candidates'], 100.0 * covered / max(1, figures['candidates']),
             figures['full_cycle_cost_usd'], figures['weeks_needed_at_budget'],
             sum(len(v) for v in over_quota.values()), figures['without_price']))
    if figures.get('warning'):
        print('warning: ' + figures['warning'])


if __name__ == '__main__':
    main()
