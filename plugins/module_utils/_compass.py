# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the export an instance recommender (ComputeCompass) reads, from a snapshot's aggregates.

Three files with stable keys (benchmarks/schema/computecompass-v1.schema.json):
`memory-benchmarks.json` and `cpu-benchmarks.json` (per instance type: each benchmark's figures
with their confidence interval; which file a benchmark goes to is its registry category) and
`price-performance.json` (per instance type: price and work per USD-hour of each headline metric).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks

FORMAT_VERSION = '1.0'
FILES = {'memory': 'memory-benchmarks.json', 'cpu': 'cpu-benchmarks.json'}
PRICE_FILE = 'price-performance.json'
_FIGURE = ('median', 'ci_low', 'ci_high', 'ci_level', 'cv', 'unit', 'higher_is_better', 'jobs', 'noisy_jobs',
           'launches', 'days', 'first_measured', 'last_measured')


def _header(info):
    return {'format_version': FORMAT_VERSION, 'data_version': info['snapshot'],
            'dataset_schema_version': info['schema_version'], 'license': 'CC-BY-4.0', 'instance_types': {}}


def _type_entry(types, cell):
    """The instance type's entry in `types`, made from its first cell; the price from the first
    cell that has one."""
    entry = types.setdefault(cell['instance_type'], {'family': cell['family'], 'arch': cell['arch'],
                                                     'uarch': cell['uarch'], 'price_per_hour_usd': None,
                                                     'benchmarks': {}})
    if entry['price_per_hour_usd'] is None:
        entry['price_per_hour_usd'] = cell['on_demand_price_per_hour_usd']
    return entry


def documents(aggregates, info):
    """{file name: document}."""
    out = dict((name, _header(info)) for name in FILES.values())
    prices = _header(info)
    headlines = _benchmarks.headline_metrics()
    for cell in aggregates:
        found = _benchmarks.get(cell['benchmark'])
        category = found.category if found is not None else 'cpu'
        entry = _type_entry(out[FILES[category]]['instance_types'], cell)
        key = '%s/%s' % (cell['benchmark'], cell['variant'])
        entry['benchmarks'].setdefault(key, {})[cell['metric']] = dict((k, cell[k]) for k in _FIGURE)
        # Work per USD-hour: only for a figure where more is better (a latency per dollar means nothing).
        if headlines.get(cell['benchmark']) == cell['metric'] and cell.get('higher_is_better') is not False:
            _type_entry(prices['instance_types'], cell)['benchmarks'][_benchmarks.figure_key(cell)] = {
                'median': cell['median'], 'unit': cell['unit'],
                'per_usd_hour_on_demand': cell['value_per_usd_hour_on_demand'],
                'per_usd_hour_paid': cell['value_per_usd_hour_paid'],
                'unit_per_usd_hour': '%s per USD-hour' % cell['unit']}
    out[PRICE_FILE] = prices
    return out
