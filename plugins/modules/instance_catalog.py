#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: instance_catalog
short_description: Every current EC2 instance type of a region, with its hardware, and the ones a selection picks
version_added: "0.2.0"
description:
  - Pages through DescribeInstanceTypes (current generation) and the region's instance type
    offerings, and returns each type offered in the region with its architecture, vCPUs, cores,
    threads per core, memory, sustained clock, processor manufacturer, bare metal, burstable,
    accelerators (counts of GPU, FPGA, inference, Neuron and media ones) and network performance.
  - With O(selection), returns the types it picks and, per reason, how many it left out (previous
    generation, Mac, other family or size, bare metal, accelerated, burstable, excluded). Every
    value of the selection is checked against the region's catalog first, naming the field and the
    closest real value.
author:
  - instancebench.aws contributors (@instancebench)
options:
  selection:
    description:
      - C(families), C(architectures) (x86_64, arm64), C(sizes) (lists), C(max_vcpus), C(exclude) (instance
        types), C(include_metal), C(include_accelerated), C(include_burstable) (default false), C(all_current).
        A selection names C(families) or C(sizes), or sets C(all_current=true).
      - Empty (the default) - every current type offered in the region is returned and none is selected.
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Reads only; supports check mode.
"""

EXAMPLES = r"""
- name: Every current x86_64 and Arm type up to 16 vCPUs, without metal, accelerators or burstables
  instancebench.aws.instance_catalog:
    region: us-east-1
    selection:
      all_current: true
      max_vcpus: 16
  register: catalog

- name: Two families in three sizes
  instancebench.aws.instance_catalog:
    region: us-east-1
    selection: {families: [c7a, c7g], sizes: [large, xlarge, 2xlarge]}
"""

RETURN = r"""
instance_types:
  description: Every current type offered in the region (with O(selection), the ones it picks), sorted by name.
  returned: success
  type: list
  elements: dict
  sample: [{instance_type: c7a.large, family: c7a, size: large, architecture: x86_64, vcpus: 2, cores: 2,
            threads_per_core: 1, memory_mib: 4096, clock_ghz: 3.7, manufacturer: AMD, bare_metal: false,
            burstable: false, accelerators: {}, network_performance: "Up to 12.5 Gigabit", efa: false}]
families:
  description: Per family of those types, how many, its architecture, manufacturer and sizes.
  returned: success
  type: dict
left_out:
  description: With O(selection), how many current types it left out, per reason.
  returned: success
  type: dict
  sample: {"bare metal (include_metal)": 125, "other family": 900}
offered:
  description: How many current types the region offers.
  returned: success
  type: int
"""

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.instancebench.aws.plugins.module_utils import _catalog
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule


def main():
    module = InstancebenchAWSModule(argument_spec=dict(selection=dict(type='dict', default={})),
                                    supports_check_mode=True)
    ec2 = module.client('ec2', retry_decorator=AWSRetry.jittered_backoff())
    try:
        entries = _catalog.read_catalog(ec2)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg='Could not read the EC2 catalog of %s' % module.region)
    selection = module.params['selection']
    left = {}
    if selection:
        problems = _catalog.check_selection(selection, entries)
        if problems:
            module.fail_json(msg='The selection has %d problem(s):\n- %s' % (len(problems), '\n- '.join(problems)),
                             problems=problems)
        chosen, left = _catalog.select(selection, entries)
    else:
        chosen = sorted(entries, key=lambda e: e['instance_type'])
    module.exit_json(changed=False, instance_types=chosen, families=_catalog.families(chosen), left_out=left,
                     offered=len(entries))


if __name__ == '__main__':
    main()
