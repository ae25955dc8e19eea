# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
import os

from ansible_collections.instancebench.aws.plugins.module_utils import _topology


def _fake_sysfs(root, cpus, caches_by_cpu, siblings):
    """A trimmed sysfs tree: cpus -> topology files and cache index dirs."""
    for cpu in cpus:
        base = os.path.join(root, 'sys/devices/system/cpu/cpu%d' % cpu)
        os.makedirs(os.path.join(base, 'topology'))
        with open(os.path.join(base, 'topology/physical_package_id'), 'w') as handle:
            handle.write('0\n')
        with open(os.path.join(base, 'topology/thread_siblings_list'), 'w') as handle:
            handle.write(siblings[cpu] + '\n')
        for index, (level, kind, size, shared) in enumerate(caches_by_cpu[cpu]):
            path = os.path.join(base, 'cache/index%d' % index)
            os.makedirs(path)
            for name, value in (('level', level), ('type', kind), ('size', size), ('shared_cpu_list', shared)):
                with open(os.path.join(path, name), 'w') as handle:
                    handle.write(value + '\n')
    os.makedirs(os.path.join(root, 'sys/devices/system/node/node0'))


def test_this_machine_has_consistent_topology():
    topo = _topology.cpu_topology()
    assert topo['logical_cpus'] == os.cpu_count()
    assert topo['physical_cores'] * topo['threads_per_core'] == topo['logical_cpus']
    assert _topology.meminfo()['available_bytes'] > 0


def test_hyperthreads_count_once_and_shared_l3_counts_once(tmp_path):
    caches = dict((cpu, [('1', 'Data', '48K', str(cpu)), ('1', 'Instruction', '32K', str(cpu)),
                         ('2', 'Unified', '2048K', '%d,%d' % (cpu % 2, cpu % 2 + 2)),
                         ('3', 'Unified', '105M', '0-3')]) for cpu in range(4))
    siblings = {0: '0,2', 1: '1,3', 2: '0,2', 3: '1,3'}
    _fake_sysfs(str(tmp_path), range(4), caches, siblings)
    topo = _topology.cpu_topology(str(tmp_path))
    assert topo == {'logical_cpus': 4, 'physical_cores': 2, 'sockets': 1, 'threads_per_core': 2}
    found = _topology.caches(str(tmp_path))
    assert found['l3'] == {'size_bytes': 105 * 2 ** 20, 'instances': 1, 'total_bytes': 105 * 2 ** 20}
    assert found['l2']['instances'] == 2 and 'l1i' not in found


def test_graviton_without_l3_in_sysfs_uses_the_table_then_l2(tmp_path):
    caches = dict((cpu, [('1', 'Data', '64K', str(cpu)), ('2', 'Unified', '1024K', str(cpu))]) for cpu in range(2))
    _fake_sysfs(str(tmp_path), range(2), caches, {0: '0', 1: '1'})
    found = _topology.caches(str(tmp_path))
    assert _topology.last_level_cache(found, 32 * 2 ** 20, 1) == (32 * 2 ** 20, 'uarch-table')
    assert _topology.last_level_cache(found, None, 1) == (2 * 2 ** 20, 'sysfs-l2')


def test_parsers():
    assert _topology.parse_size('32768K') == 32 * 2 ** 20
    assert _topology.parse_size('36M') == 36 * 2 ** 20
    assert _topology.parse_size('') is None
    assert _topology.parse_cpu_list('0-3,8,10-11') == [0, 1, 2, 3, 8, 10, 11]
