# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-demand prices: the bundled table (family rates, listed prices) against moto's catalog, and the
Pricing API's region-wide price list with its per-day cache."""

import gzip
import json
import os

import moto
import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _catalog, _pricing

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(REPO, 'roles', 'ec2_provision', 'vars', 'prices.yml')) as _handle:
    TABLE = yaml.safe_load(_handle)['_ec2_provision_prices']
with open(os.path.join(REPO, 'roles', 'ec2_provision', 'vars', 'families.yml')) as _handle:
    EXCLUDED = yaml.safe_load(_handle)['_ec2_provision_family_exclusions']
with open(os.path.join(REPO, 'scripts', 'price_table_supplement.yml')) as _handle:
    SUPPLEMENT = yaml.safe_load(_handle)


def _product(instance_type, usd):
    return json.dumps({'product': {'attributes': {'instanceType': instance_type}},
                       'terms': {'OnDemand': {'X.Y': {'priceDimensions': {'X.Y.Z': {
                           'unit': 'Hrs', 'pricePerUnit': {'USD': usd}}}}}}})


@pytest.fixture(scope='module')
def catalog():
    path = os.path.join(os.path.dirname(moto.__file__), 'ec2', 'resources', 'instance_types.json.gz')
    with gzip.open(path) as handle:
        return [_catalog.entry(raw) for raw in json.load(handle).values()]


def test_a_family_rate_prices_every_size_by_its_vcpus_and_a_listed_price_wins():
    table = {'family_rate': {'us-east-1': {'c7a': {'per': 'vcpus', 'usd': 0.05132},
                                           't3': {'per': 'memory_mib', 'usd': 0.0832 / 8192}}},
             'usd_per_hour': {'us-east-1': {'g5.2xlarge': 1.212}}}
    assert _pricing.table_quote(table, 'us-east-1', 'c7a.4xlarge') == (pytest.approx(0.82112), 'table-rate')
    # a size name that does not say its vCPUs is priced from the catalog's facts, or not at all
    assert _pricing.table_quote(table, 'us-east-1', 'c7a.metal-48xl') == (None, 'unknown')
    assert _pricing.table_quote(table, 'us-east-1', 'c7a.metal-48xl', {'vcpus': 192})[0] == pytest.approx(9.85344)
    # burstable: by memory, which only the catalog knows
    assert _pricing.table_quote(table, 'us-east-1', 't3.nano')[0] is None
    assert _pricing.table_quote(table, 'us-east-1', 't3.nano', {'vcpus': 2, 'memory_mib': 512})[0] == pytest.approx(0.0052)
    assert _pricing.table_quote(table, 'us-east-1', 'g5.2xlarge') == (1.212, 'table')
    assert _pricing.table_quote(table, 'eu-west-1', 'c7a.large') == (None, 'unknown')


def test_the_bundled_table_prices_every_current_type_of_us_east_1_and_us_west_2(catalog):
    """Every current type has a price in both regions, or its family (or the type) is excluded or
    listed as unpriced there with the reason."""
    for region in ('us-east-1', 'us-west-2'):
        unpriced = TABLE['unpriced'].get(region) or {}
        assert all(isinstance(reason, str) and len(reason) > 20 for reason in unpriced.values())
        missing = sorted(entry['instance_type'] for entry in catalog
                         if entry['current_generation'] and entry['family'] not in EXCLUDED
                         and entry['family'] not in unpriced and entry['instance_type'] not in unpriced
                         and _pricing.table_price(TABLE, region, entry['instance_type'], entry) is None)
        assert missing == [], '%s: no price for %d types, e.g. %s' % (region, len(missing), missing[:10])


def test_the_table_keeps_every_sourced_price_it_was_given():
    """The supplement's prices (transcribed from AWS's page) come out of the table unchanged."""
    for region, families in SUPPLEMENT['prices'].items():
        for family, entry in families.items():
            name = '%s.%s' % (family, entry['size'])
            assert _pricing.table_price(TABLE, region, name) == pytest.approx(entry['usd'], rel=1e-6), name
    for region in TABLE['family_rate'].values():
        assert all(rate['source'].split('+')[-1] in TABLE['sources'] for rate in region.values())


def test_a_region_price_list_is_read_and_cached_for_the_day(tmp_path):
    calls = []

    def fetch():
        calls.append(1)
        return [_product('c7a.large', '0.1026400000'), _product('m7i.large', '0.1008000000'),
                json.dumps({'product': {'attributes': {'instanceType': 'x.large'}}, 'terms': {}})]
    prices, cached = _pricing.cached_region_prices(str(tmp_path), 'us-east-1', '2026-12-05', fetch)
    assert prices == {'c7a.large': pytest.approx(0.10264), 'm7i.large': pytest.approx(0.1008)} and not cached
    again, cached = _pricing.cached_region_prices(str(tmp_path), 'us-east-1', '2026-12-05', fetch)
    assert again == prices and cached and len(calls) == 1
    _pricing.cached_region_prices(str(tmp_path), 'us-east-1', '2026-12-06', fetch)   # a new day asks again
    assert len(calls) == 2


def test_check_mode_reads_the_price_list_but_keeps_no_file(tmp_path):
    prices, cached = _pricing.cached_region_prices(str(tmp_path), 'us-east-1', '2026-12-05',
                                                   lambda: [_product('c7a.large', '0.10264')], write=False)
    assert prices == {'c7a.large': pytest.approx(0.10264)} and not cached and os.listdir(str(tmp_path)) == []


def test_an_empty_answer_is_not_cached(tmp_path):
    prices, _cached = _pricing.cached_region_prices(str(tmp_path), 'us-west-2', '2026-12-05', lambda: [])
    assert prices == {} and os.listdir(str(tmp_path)) == []


def _refresh_script():
    import importlib.util
    spec = importlib.util.spec_from_file_location('refresh_price_table', os.path.join(REPO, 'scripts', 'refresh_price_table.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_refresh_prices_a_family_at_its_lowest_rate_and_keeps_listed_prices_of_non_linear_ones():
    """libcloud's list carries a Local Zone's price (6-10 % high) for some sizes: the family's rate is its
    lowest per vCPU; a family whose rates differ more (GPU + CPU) is not linear and keeps its listed prices."""
    refresh = _refresh_script()
    types = dict(('m7a.%s' % size, {'vcpus': vcpus, 'memory_mib': 4096 * vcpus, 'burstable': False})
                 for size, vcpus in (('large', 2), ('xlarge', 4), ('2xlarge', 8)))
    types.update(('g5.%s' % size, {'vcpus': vcpus, 'memory_mib': 4096 * vcpus, 'burstable': False})
                 for size, vcpus in (('xlarge', 4), ('2xlarge', 8)))
    listed = {'m7a.large': {'us-east-1': 0.11592}, 'm7a.xlarge': {'us-east-1': 0.25504},   # 10 % high
              'm7a.2xlarge': {'us-east-1': 0.46368}, 'g5.xlarge': {'us-east-1': 1.006}, 'g5.2xlarge': {'us-east-1': 1.212}}
    supplement = {'prices': {'us-east-1': {'m7a': {'size': 'large', 'usd': 0.11592, 'source': 'page'}}}}
    rates, exact = refresh.region_table('us-east-1', listed, {}, types, supplement, {'page': {}})
    assert rates['m7a']['usd'] == 0.05796 and rates['m7a']['source'] == 'libcloud+page'
    assert exact == {'g5.xlarge': 1.006, 'g5.2xlarge': 1.212}
    wrong = {'prices': {'us-east-1': {'m7a': {'size': 'large', 'usd': 0.2, 'source': 'page'}}}}
    with pytest.raises(SystemExit, match='m7a: the supplement says 0.2 USD for m7a.large'):
        refresh.region_table('us-east-1', listed, {}, types, wrong, {'page': {}})
