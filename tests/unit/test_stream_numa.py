# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""stream_numa: the plan of (cpu node, memory node) pairs from sysfs trees (this host's real one-node
tree and a two-node tree made from it), and the analysis of the job script's real output
(tests/fixtures/stream_numa/README.md says how each was made)."""

import json
import os
import re
import shutil

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _numa, _result, _stream_numa
from ansible_collections.instancebench.aws.plugins.modules import numa_plan

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stream_numa')
ONE_NODE, TWO_NODES = os.path.join(FIXTURES, 'sysfs-1node'), os.path.join(FIXTURES, 'sysfs-2node')


def _text(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def _array_size(text):
    return int(re.search(r'^Array size = (\d+)', text, re.M).group(1))


def _expected(text, pairs, single):
    # The rule's LLC is taken from the capture's own array (each array 4 x LLC): no CPU's cache in the test.
    elements = _array_size(text)
    return {'pairs': pairs, 'single_node': single, 'array_size_elements': elements, 'llc_bytes': elements * 8 // 4}


def _failed(checks):
    return [c for c in checks if not c['passed']]


def test_the_real_one_node_tree_plans_one_local_pair_on_every_core():
    nodes = _numa.read_nodes(ONE_NODE)
    assert [n['node'] for n in nodes] == [0]
    assert nodes[0]['cpus'] == [0, 1] and nodes[0]['cores'] == 2 and nodes[0]['distances'] == [10]
    assert nodes[0]['mem_total_bytes'] == 24683792 * 1024, 'Node 0 MemTotal from its meminfo, kB'
    # Free memory counts the page cache the kernel drops first (MemFree + Inactive(file)), as MemAvailable does.
    assert nodes[0]['mem_free_bytes'] == (18973344 + 2163544) * 1024
    plan = _numa.plan(nodes, 32 * 2 ** 20, 0.6, 10000000)
    assert plan['single_node'] is True and plan['nodes'] == 1
    assert [(p['name'], p['threads'], p['local']) for p in plan['pairs']] == [('n0_m0', 2, True)]
    assert [_numa.pass_argument(p) for p in plan['pairs']] == ['0:0:2']
    assert plan['array_size_elements'] == 4 * 32 * 2 ** 20 // 8, "STREAM's 4 x LLC rule above the floor"


def test_two_nodes_plan_every_cpu_node_against_every_memory_node_local_first():
    plan = _numa.plan(_numa.read_nodes(TWO_NODES), 32 * 2 ** 20, 0.6, 10000000)
    assert plan['single_node'] is False and plan['nodes'] == 2
    assert [(p['name'], p['threads'], p['distance'], p['local']) for p in plan['pairs']] == [
        ('n0_m0', 1, 10, True), ('n0_m1', 1, 21, False), ('n1_m1', 1, 10, True), ('n1_m0', 1, 21, False)]


def test_a_node_without_cpus_is_a_memory_target_only_and_one_without_memory_is_none(tmp_path):
    root = str(tmp_path / 'sysfs')
    shutil.copytree(TWO_NODES, root)
    with open(os.path.join(root, 'sys/devices/system/node/node1/cpulist'), 'w') as handle:
        handle.write('\n')
    plan = _numa.plan(_numa.read_nodes(root), 32 * 2 ** 20, 0.6, 10000000)
    assert [p['name'] for p in plan['pairs']] == ['n0_m0', 'n0_m1'], 'a memory-only node (CXL) runs nothing'
    assert plan['single_node'] is False
    meminfo = os.path.join(root, 'sys/devices/system/node/node1/meminfo')
    with open(meminfo) as handle:
        text = handle.read()
    with open(meminfo, 'w') as handle:
        handle.write(re.sub(r'(MemTotal:\s+)\d+', r'\g<1>0', text))
    assert [p['name'] for p in _numa.plan(_numa.read_nodes(root), 32 * 2 ** 20, 0.6, 10000000)['pairs']] == ['n0_m0']


def test_arrays_that_do_not_fit_on_the_smallest_node_are_refused_naming_the_setting():
    nodes = _numa.read_nodes(TWO_NODES)
    free = min(n['mem_free_bytes'] for n in nodes)
    fits = free * 0.6 // 24
    assert _numa.plan(nodes, 0, 0.6, 1000, requested=int(fits))['array_size_elements'] == int(fits)
    with pytest.raises(ValueError, match='stream_numa_array_size'):
        _numa.plan(nodes, 0, 0.6, 1000, requested=int(fits) + 1)
    with pytest.raises(ValueError, match='stream_numa_memory_fraction or use an instance with more memory per node'):
        _numa.plan(nodes, free, 0.6, 1000)    # 4 x an LLC as big as the free memory
    with pytest.raises(ValueError, match='stream_numa_memory_fraction must be'):
        _numa.plan(nodes, 0, 0.95, 1000)
    with pytest.raises(ValueError, match='no NUMA node with CPUs and memory'):
        _numa.plan([], 0, 0.6, 1000)


def _module(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            numa_plan.main()
    return json.loads(capsys.readouterr().out)


def test_the_module_returns_the_nodes_the_pairs_and_the_job_script_arguments(capsys):
    out = _module(capsys, root=TWO_NODES, llc_bytes=32 * 2 ** 20)
    assert out['changed'] is False and out['single_node'] is False
    assert [n['node'] for n in out['nodes']] == [0, 1]
    assert out['arguments'] == ['0:0:1', '0:1:1', '1:1:1', '1:0:1']
    assert out['array_size_elements'] == 4 * 32 * 2 ** 20 // 8
    refused = _module(capsys, root=ONE_NODE, llc_bytes=32 * 2 ** 20, array_size=10 ** 12)
    assert refused['failed'] and 'lower stream_numa_array_size' in refused['msg']


def test_one_node_output_publishes_the_local_pair_and_says_single_node():
    text = _text('job-1node.txt')
    metrics, checks = _result.analyzer('stream_numa')(text, _expected(text, [['0', '0', '2']], True))
    assert _failed(checks) == []
    assert sorted(metrics) == ['add_bandwidth_n0_m0', 'copy_bandwidth_n0_m0', 'scale_bandwidth_n0_m0',
                               'triad_bandwidth_n0_m0']
    triad = float(re.search(r'^Triad:\s+(\S+)', text, re.M).group(1)) / 1000
    assert metrics['triad_bandwidth_n0_m0'] == (pytest.approx(triad), 'GB/s', True)
    single = [c for c in checks if c['name'] == 'single_numa_node']
    assert single and single[0]['passed'] and 'no remote memory' in single[0]['detail']
    assert not any('remote' in c['name'] for c in checks), 'no remote figure, no remote check'
    assert _benchmarks.summary_phrase('stream_numa', dict((n, {'name': n, 'value': v[0], 'unit': v[1]})
                                                          for n, v in metrics.items())) == \
        'local triad %.1f GB/s (one NUMA node)' % metrics['triad_bandwidth_n0_m0'][0]


def test_two_node_output_names_every_pair_and_flags_a_remote_pair_faster_than_local():
    text = _text('job-2node-relabelled.txt')
    pairs = [['0', '0', '1'], ['0', '1', '1'], ['1', '0', '1'], ['1', '1', '1']]
    metrics, checks = _result.analyzer('stream_numa')(text, _expected(text, pairs, False))
    assert _failed([c for c in checks if c.get('severity') != 'warning']) == []
    assert len(metrics) == 16 and _benchmarks.undeclared_metrics('stream_numa', metrics) == []
    assert not any(c['name'] == 'single_numa_node' for c in checks)
    for cpu, mem in ((0, 1), (1, 0)):
        check = [c for c in checks if c['name'] == 'n%d_m%d.remote_not_faster' % (cpu, mem)][0]
        remote, local = metrics['triad_bandwidth_n%d_m%d' % (cpu, mem)][0], metrics['triad_bandwidth_n%d_m%d' % (cpu, cpu)][0]
        assert check['passed'] == (remote <= _stream_numa.REMOTE_FASTER_TOLERANCE * local), check
        assert check['severity'] == 'warning'


@pytest.mark.parametrize('mutate, failing', [
    (lambda t: t.replace('pass end rc=0', 'pass end rc=1', 1), 'n0_m0.exit_status'),
    (lambda t: t[:t.rindex('=== instancebench stream_numa pass end')], 'n1_m1.exit_status'),
    (lambda t: t.replace('cpu_node=1 mem_node=0 threads=1', 'cpu_node=1 mem_node=0 threads=2'), 'n1_m0.threads_asked'),
    (lambda t: t.replace('Solution Validates', 'Failed Validation', 1), 'n0_m0.solution_validates'),
])
def test_a_bad_pass_invalidates_the_repetition(mutate, failing):
    text = _text('job-2node-relabelled.txt')
    pairs = [['0', '0', '1'], ['0', '1', '1'], ['1', '0', '1'], ['1', '1', '1']]
    _metrics, checks = _stream_numa.analyze(mutate(text), _expected(text, pairs, False))
    assert failing in [c['name'] for c in checks if _result._numbers.invalidates(c)]


def test_a_pass_the_plan_asked_for_but_the_output_lacks_fails():
    text = _text('job-1node.txt')
    _metrics, checks = _stream_numa.analyze(text, _expected(text, [['0', '0', '2'], ['0', '1', '2']], False))
    assert [c['name'] for c in _failed(checks)] == ['n0_m1.exit_status']


def test_two_repetitions_combine_into_per_pair_medians():
    text = _text('job-1node.txt')
    analyze = _result.analyzer('stream_numa')
    expected = _expected(text, [['0', '0', '2']], True)
    reps = [analyze(text, expected), analyze(text, expected)]
    entries, checks, passed, _observed = _result.combine(reps)
    assert passed and 'rep2.single_numa_node' in [c['name'] for c in checks]
    assert dict((e['name'], e['n']) for e in entries)['triad_bandwidth_n0_m0'] == 2
