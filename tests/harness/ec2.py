# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plans and launch.yml variables for EC2 tests against moto, and reading moto's state back.

moto hands out public-looking addresses: launched instances are mapped onto sshd test hosts
through ec2_provision_connection_overrides, never connected to.
"""

import os
import shlex

import boto3
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _pricing
from harness import host_cpu
from harness.moto import CREDENTIALS

REGION = 'us-east-1'
# The type every EC2 test launches: this machine's architecture and shape (harness/host_cpu.py).
INSTANCE_TYPE = host_cpu.stand_in_type()
FAMILY = INSTANCE_TYPE.split('.')[0]
EC2_ARCH = 'arm64' if host_cpu.IDENTITY['arch'] == 'aarch64' else 'x86_64'   # as EC2 spells it
# A type whose CPU check fails on this machine whatever it is (the other architecture).
OTHER_TYPE = host_cpu.other_arch_type()
# The same family one size up: twice this machine's vCPUs, so its CPU check fails too.
BIGGER_TYPE = host_cpu.bigger_type()
_PRICES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                       'roles', 'ec2_provision', 'vars', 'prices.yml')


def table_price(instance_type, region=REGION):
    """The on-demand price launch.yml takes from the price table when the Pricing API is off."""
    with open(_PRICES) as handle:
        return _pricing.table_price(yaml.safe_load(handle)['_ec2_provision_prices'], region, instance_type)


def family_overrides(expected=None):
    """ec2_provision_family_overrides making the stand-in family's CPU this machine's own (or
    `expected`, e.g. host_cpu.foreign_family_entry() for a check that must fail)."""
    return {FAMILY: expected or host_cpu.family_entry()}


def client(server, service, region=REGION):
    return boto3.client(service, endpoint_url=server.url, region_name=region,
                        aws_access_key_id=CREDENTIALS['AWS_ACCESS_KEY_ID'],
                        aws_secret_access_key=CREDENTIALS['AWS_SECRET_ACCESS_KEY'])


def plan(host, **changes):
    """A small valid plan whose key pair is the test host's client key."""
    base = {
        'region': REGION,
        'instance_types': [INSTANCE_TYPE],
        'benchmarks': ['stream'],
        'max_runtime_minutes': 30,
        'results': {'bucket': 'bench-results', 'prefix': 'ib'},
        'networking': {'public_key_file': host.client_key + '.pub', 'ssh_ingress_cidrs': ['127.0.0.1/32']},
        'tags': {'team': 'hpc'},
    }
    base.update(changes)
    return base


def connection(host):
    """Where a launched instance is reached: the sshd test host instead of moto's address."""
    conn = host.inventory_vars()
    conn.pop('ansible_connection')
    return conn


def poweroff_standin(work_dir):
    """A recorded stand-in for `systemctl poweroff`: the test hosts are this machine."""
    os.makedirs(str(work_dir), exist_ok=True)
    script = os.path.join(str(work_dir), 'poweroff-standin')
    with open(script, 'w') as handle:
        handle.write('#!/bin/sh\necho "$(date -u +%%s.%%N) poweroff" >> %s\n' % shlex.quote(script + '.log'))
    os.chmod(script, 0o755)
    return script


def launch_vars(run_id, the_plan, hosts, mirror, work_dir, **more):
    """launch.yml variables. Waits for each job (instancebench_wait) unless told otherwise; the
    power-off command is always the stand-in, never the real one."""
    extra = {
        'instancebench_wait': True,
        'instancebench_power_off_command': [poweroff_standin(work_dir)],
        'instancebench_plan': the_plan,
        'instancebench_run_id': run_id,
        'ec2_provision_use_pricing_api': False,   # moto has no Pricing API: skip its retries
        'ec2_provision_connection_overrides': [connection(host) for host in hosts],
        'ec2_provision_family_overrides': family_overrides(),
        'instancebench_sources_mirror': mirror,
        'instancebench_work_dir': str(work_dir),
        'stream_repetitions': 1, 'stream_max_repetitions': 1,
    }
    extra.update(more)
    return extra


def instances(server, run_id, states=('pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'),
              region=REGION):
    ec2 = client(server, 'ec2', region)
    found = ec2.describe_instances(Filters=[{'Name': 'tag:instancebench:run-id', 'Values': [run_id]},
                                            {'Name': 'instance-state-name', 'Values': list(states)}])
    return [i for r in found['Reservations'] for i in r['Instances']]


def tags(instance):
    return dict((t['Key'], t['Value']) for t in instance.get('Tags', []))
