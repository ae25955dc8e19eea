# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recommender export files a benchmark by its registry category, and prices work per
USD-hour only where more is better: a latency per dollar would rank the slowest memory first."""

from ansible_collections.instancebench.aws.plugins.module_utils import _compass


def _cell(benchmark, metric, median, unit, higher):
    return {'benchmark': benchmark, 'variant': 'default', 'metric': metric, 'instance_type': 'm7a.large',
            'region': 'us-east-1', 'uarch': 'znver4', 'family': 'm7a', 'arch': 'x86_64',
            'on_demand_price_per_hour_usd': 0.1, 'median': median, 'ci_low': median, 'ci_high': median,
            'ci_level': 0.75, 'cv': 0.01, 'unit': unit, 'higher_is_better': higher, 'jobs': 3, 'noisy_jobs': 0,
            'launches': 3, 'days': 1, 'first_measured': '2026-12-01', 'last_measured': '2026-12-01',
            'value_per_usd_hour_on_demand': median / 0.1, 'value_per_usd_hour_paid': None}


def test_a_lower_is_better_headline_is_filed_but_not_priced():
    docs = _compass.documents([_cell('latency', 'dram_latency_ns', 120.0, 'ns', False),
                               _cell('stream', 'triad_bandwidth', 40.0, 'GB/s', True)], {'snapshot': 's1', 'schema_version': '1.1'})
    memory = docs['memory-benchmarks.json']['instance_types']
    priced = docs['price-performance.json']['instance_types']
    figures = [key for entry in memory.values() for key in entry['benchmarks']]
    assert sorted(figures) == ['latency/default', 'stream/default'], 'both in the memory file (their category)'
    keys = [key for entry in priced.values() for key in entry['benchmarks']]
    assert keys == ['stream/default/triad_bandwidth'], 'no ns per USD-hour'
