# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""instance_catalog against moto_server's EC2 (its copy of the real catalog and offerings)."""

import json
import subprocess

from harness import ec2
from harness.ansible_runner import ansible_env, module_argv


def _run(home, moto, params):
    params = dict(params, region=ec2.REGION)
    proc = subprocess.run(module_argv('instancebench.aws.instance_catalog', params), env=dict(ansible_env(home), **moto.env()),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    return proc.returncode, proc.stdout


def _answer(text):
    return json.loads(text[text.index('{'):])


def test_the_catalog_pages_through_every_offered_type_and_selects(ansible_home, moto):
    rc, out = _run(ansible_home, moto, {})
    assert rc == 0, out[-3000:]
    answer = _answer(out)
    client = ec2.client(moto, 'ec2')
    offered = set(o['InstanceType'] for o in client.get_paginator('describe_instance_type_offerings').paginate(
        LocationType='region').build_full_result()['InstanceTypeOfferings'])
    current = set(t['InstanceType'] for t in client.get_paginator('describe_instance_types').paginate(
        Filters=[{'Name': 'current-generation', 'Values': ['true']}]).build_full_result()['InstanceTypes'])
    assert answer['offered'] == len(offered & current) > 500, 'more than one page of 100: the pages were followed'
    assert [t['instance_type'] for t in answer['instance_types']] == sorted(offered & current)

    rc, out = _run(ansible_home, moto, {'selection': {'families': ['c7a', 'c7g'], 'sizes': ['large', 'xlarge']}})
    assert rc == 0, out[-3000:]
    assert [t['instance_type'] for t in _answer(out)['instance_types']] == ['c7a.large', 'c7a.xlarge', 'c7g.large',
                                                                            'c7g.xlarge']

    rc, out = _run(ansible_home, moto, {'selection': {'families': ['c7x'], 'max_vcpu': 4}})
    assert rc != 0 and "selection.families[0]: 'c7x' is not in this region's catalog" in out
    assert 'selection.max_vcpu: not a selection field (closest: max_vcpus)' in out
