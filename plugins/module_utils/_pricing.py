# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: on-demand prices from the AWS Pricing API (one region-wide price list a day, cached),
or from the bundled table (roles/ec2_provision/vars/prices.yml) when the API does not answer.

Within an EC2 family the on-demand price is linear in vCPUs (burstable families: in memory), so the
table keeps one rate per family (`family_rate`) and lists exact prices only for families that are not
linear in size (`usd_per_hour`: accelerated types). scripts/refresh_price_table.py writes it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import tempfile

_SIZE = re.compile(r'^(?:(\d+)?x)?large\Z')
# Burstable sizes below large scale by memory, halving each step; medium is half of large everywhere.
_NAMED_SIZES = {'nano': 0.0625, 'micro': 0.125, 'small': 0.25, 'medium': 0.5}


def size_factor(size):
    """Multiples of `.large` a size name stands for (2 vCPUs per `large`), or None (metal-24xl, 112xlarge
    of a high-memory type and other names whose vCPUs only the catalog knows)."""
    if size in _NAMED_SIZES:
        return _NAMED_SIZES[size]
    match = _SIZE.match(size)
    if not match:
        return None
    if size == 'large':
        return 1.0
    return 2.0 * int(match.group(1) or 1)


def table_quote(table, region, instance_type, hardware=None):
    """(usd per hour, basis) from the table: basis `table` (a listed price), `table-rate` (the family's
    rate times the type's vCPUs or memory) or `unknown` (usd None). `hardware`: the catalog's
    {vcpus, memory_mib} of the type; without it vCPUs come from the size name (2 per `large`)."""
    exact = (table.get('usd_per_hour', {}).get(region) or {}).get(instance_type)
    if exact is not None:
        return float(exact), 'table'
    family, _dot, size = instance_type.partition('.')
    rate = (table.get('family_rate', {}).get(region) or {}).get(family)
    units = (hardware or {}).get(rate['per']) if rate else None
    if rate and units is None and rate['per'] == 'vcpus' and size_factor(size) is not None:
        units = 2 * size_factor(size)
    if not units:
        return None, 'unknown'
    return round(float(rate['usd']) * float(units), 6), 'table-rate'


def table_price(table, region, instance_type, hardware=None):
    """USD per hour from the table, or None when neither the type nor its family is in it."""
    return table_quote(table, region, instance_type, hardware)[0]


def region_filters(region):
    """GetProducts filters for every Linux, shared-tenancy, no-software instance price of a region."""
    fields = {'regionCode': region, 'operatingSystem': 'Linux', 'tenancy': 'Shared', 'preInstalledSw': 'NA',
              'capacitystatus': 'Used'}
    return [{'Type': 'TERM_MATCH', 'Field': key, 'Value': value} for key, value in sorted(fields.items())]


def _hourly_usd(product):
    for term in product.get('terms', {}).get('OnDemand', {}).values():
        for dimension in term.get('priceDimensions', {}).values():
            usd = dimension.get('pricePerUnit', {}).get('USD')
            if usd is not None and dimension.get('unit') in ('Hrs', 'Hours') and float(usd) > 0:
                return float(usd)
    return None


def prices_from_products(price_list):
    """{instance type: hourly USD} from GetProducts PriceList items (JSON strings or mappings)."""
    out = {}
    for item in price_list:
        product = json.loads(item) if isinstance(item, str) else item
        name = product.get('product', {}).get('attributes', {}).get('instanceType')
        usd = _hourly_usd(product)
        if name and usd is not None:
            out[name] = usd
    return out


def cache_path(cache_dir, region, day):
    """One file per region and UTC day (YYYY-MM-DD): prices change rarely, a plan runs often."""
    return os.path.join(os.path.expanduser(cache_dir), 'ec2-on-demand-%s-%s.json' % (region, day))


def cached_region_prices(cache_dir, region, day, fetch, write=True):
    """({type: usd}, came_from_cache). `fetch()` returns the GetProducts pages' PriceList items; its
    answer is cached only when it priced something (an empty answer is an outage, not a price list)
    and `write` (false in check mode). Concurrent planners each write a temp file of their own."""
    path = cache_path(cache_dir, region, day)
    try:
        with open(path) as handle:
            return json.load(handle)['usd_per_hour'], True
    except (IOError, OSError, ValueError, KeyError):
        pass
    prices = prices_from_products(fetch())
    if prices and write:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.part-')
        with os.fdopen(handle, 'w') as out:
            json.dump({'region': region, 'day': day, 'source': 'AWS Pricing API GetProducts',
                       'usd_per_hour': prices}, out, sort_keys=True)
        os.replace(partial, path)
    return prices, False
