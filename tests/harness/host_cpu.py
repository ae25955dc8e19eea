# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test machine's own CPU, read the way host_facts reads it, and the EC2 stand-in type for it.

The machines that run these tests change (AMD Zen 4 or Zen 5, Intel, Arm): an EC2 test launches
the instance type whose architecture and shape match this machine, and gives the CPU check a
family entry equal to this machine's identity (ec2_provision_family_overrides). Nothing here
names a microarchitecture the tests expect.
"""

import os
import platform

import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _cpu, _topology

_TABLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      'roles', 'host_facts', 'vars', 'uarch_table.yml')

# One family per (architecture, threads per core), its size chosen from this machine's vCPUs;
# moto's DescribeInstanceTypes gives each of these 2 vCPUs at .large, doubling per size.
_FAMILIES = {('x86_64', 1): 'c7a', ('x86_64', 2): 'm7i', ('aarch64', 1): 'c7g'}
_SIZES = {2: 'large', 4: 'xlarge', 8: '2xlarge', 16: '4xlarge'}


def _facts():
    with open('/proc/cpuinfo') as handle:
        identity = _cpu.cpu_identity(_cpu.parse_cpuinfo(handle.read()), platform.machine())
    with open(_TABLE) as handle:
        tables = yaml.safe_load(handle)
    entry = _cpu.identify_uarch(identity, tables['_host_facts_uarch_table'])
    topology = _topology.cpu_topology() or {'logical_cpus': os.cpu_count(), 'threads_per_core': 1}
    return identity, (entry or {}).get('family_name'), topology


IDENTITY, FAMILY_NAME, TOPOLOGY = _facts()


def stand_in_type():
    """The instance type whose architecture, vCPUs and threads per core are this machine's."""
    key = (IDENTITY['arch'], TOPOLOGY['threads_per_core'])
    if key not in _FAMILIES or TOPOLOGY['logical_cpus'] not in _SIZES:
        raise RuntimeError('no EC2 stand-in type for a %s machine with %s vCPUs and %s thread(s) per core: '
                           'add one to tests/harness/host_cpu.py' % (key[0], TOPOLOGY['logical_cpus'], key[1]))
    return '%s.%s' % (_FAMILIES[key], _SIZES[TOPOLOGY['logical_cpus']])


def bigger_type():
    """The stand-in's family one size up: twice this machine's vCPUs, so its CPU check fails."""
    family, size = stand_in_type().split('.')
    sizes = [_SIZES[n] for n in sorted(_SIZES)]
    if sizes.index(size) + 1 >= len(sizes):
        raise RuntimeError('no size above %s in tests/harness/host_cpu.py' % size)
    return '%s.%s' % (family, sizes[sizes.index(size) + 1])


def other_arch_type():
    """A type of the other architecture: its CPU check can never pass on this machine."""
    return 'c7g.large' if IDENTITY['arch'] == 'x86_64' else 'c7a.large'


def family_entry():
    """What the CPU check must expect of a family for this machine to pass it."""
    return {'family_name': FAMILY_NAME, 'vendor': IDENTITY['vendor'], 'model_name': IDENTITY['model_name']}


def foreign_family_entry():
    """The same, but a processor family this machine is not: the CPU check must fail."""
    return dict(family_entry(), family_name='not-%s' % (FAMILY_NAME or 'this-machine'))
