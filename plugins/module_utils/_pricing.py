# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: on-demand prices from a data table, or from the AWS Pricing API when it answers.

The table (roles/ec2_provision/vars/prices.yml) holds the `.large` price per family and region
and a factor per size: within an EC2 family the on-demand price is linear in size.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


def table_price(table, region, instance_type):
    """USD per hour from the table, or None when the family, region or size is not in it."""
    family, _sep, size = instance_type.partition('.')
    large = (table.get('large_usd_per_hour', {}).get(region) or {}).get(family)
    factor = table.get('size_factors', {}).get(size)
    if large is None or factor is None:
        return None
    return round(float(large) * float(factor), 6)


def pricing_filters(region, instance_type):
    """GetProducts filters for Linux, shared tenancy, no pre-installed software."""
    fields = {'instanceType': instance_type, 'regionCode': region, 'operatingSystem': 'Linux',
              'tenancy': 'Shared', 'preInstalledSw': 'NA', 'capacitystatus': 'Used'}
    return [{'Type': 'TERM_MATCH', 'Field': key, 'Value': value} for key, value in sorted(fields.items())]


def price_from_products(price_list):
    """The hourly USD on-demand price in a GetProducts PriceList (JSON strings), or None."""
    for item in price_list:
        product = json.loads(item) if isinstance(item, str) else item
        for term in product.get('terms', {}).get('OnDemand', {}).values():
            for dimension in term.get('priceDimensions', {}).values():
                usd = dimension.get('pricePerUnit', {}).get('USD')
                if usd is not None and dimension.get('unit') in ('Hrs', 'Hours') and float(usd) > 0:
                    return float(usd)
    return None
