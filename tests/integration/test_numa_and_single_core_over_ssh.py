# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""stream_numa (STREAM bound by the distribution's numactl to each NUMA node's cores, memory on each
node) and HPL on one core (hpl_ranks_per: single) end to end on a real sshd host, through
launch.yml: check mode writes nothing, the real run stores validated results, a re-run changes
nothing, and collect names the figures. Expectations come from this host's own sysfs: on a
one-node host the only pair is local and the result says so."""

import glob
import os
import re

from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import results_by_benchmark

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks

SHARED_WORK = os.path.join(REPO, '.cache', 'work')
KERNELS = ('copy', 'scale', 'add', 'triad')


def _host_nodes():
    """{node: its CPU count} from this host's sysfs (the sshd host is this machine)."""
    nodes = {}
    for path in glob.glob('/sys/devices/system/node/node[0-9]*'):
        with open(os.path.join(path, 'cpulist')) as handle:
            text = handle.read().strip()
        count = sum(int(b) - int(a) + 1 if b else 1 for a, _dash, b in
                    (part.partition('-') for part in text.split(',') if part))
        nodes[int(re.sub(r'\D', '', os.path.basename(path)))] = count
    return nodes


def test_stream_numa_and_single_core_hpl_check_run_rerun(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    store = tmp_path / 'store'
    extra = {
        'instancebench_run_id': 'numa-single-1', 'instancebench_results_store': 'file://%s' % store,
        'instancebench_sources_mirror': mirror, 'instancebench_work_dir': SHARED_WORK,
        'instancebench_benchmarks': 'stream_numa,hpl',
        'stream_numa_repetitions': 2, 'stream_numa_max_repetitions': 2, 'stream_numa_ntimes': 10,
        # One core, a small N: seconds.
        'hpl_ranks_per': 'single', 'hpl_n': 2000, 'hpl_repetitions': 2, 'hpl_max_repetitions': 2,
    }
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert not glob.glob(str(store / 'runs' / '*')), 'check mode must not write results'

    first = run_playbook('launch.yml', inventory, ansible_home, extra, timeout=1200)
    assert first.returncode == 0, first.stdout[-4000:]
    docs = results_by_benchmark(store, 'numa-single-1')
    assert sorted(docs) == ['hpl', 'stream_numa']

    numa = docs['stream_numa']
    assert numa['job']['state'] == 'completed' and numa['validation']['passed'] is True, \
        [c for c in numa['validation']['checks'] if not c['passed']]
    nodes = _host_nodes()
    pairs = ['n%d_m%d' % (cpu, mem) for cpu in sorted(nodes) if nodes[cpu] for mem in sorted(nodes)]
    names = set(m['name'] for m in numa['metrics'])
    assert names == set('%s_bandwidth_%s' % (kernel, pair) for kernel in KERNELS for pair in pairs), names
    for metric in numa['metrics']:
        assert metric['unit'] == 'GB/s' and metric['value'] > 0 and metric['n'] == 2
        assert _benchmarks.metric_spec('stream_numa', metric['name']) == ('GB/s', True)
    single = [c for c in numa['validation']['checks'] if c['name'].endswith('.single_numa_node')]
    if len(nodes) == 1:
        assert [c['name'] for c in single] == ['rep1.single_numa_node', 'rep2.single_numa_node']
        assert all(c['passed'] and 'no remote memory' in c['detail'] for c in single)
        assert numa['parameters']['single_node'] is True
        assert 'single NUMA node: local bandwidth only' in first.stdout
    else:
        assert not single
    # One OpenMP thread per physical core of the CPU node, each pair bound by the distribution's numactl.
    cores = numa['system']['topology']['physical_cores']
    if len(nodes) == 1:
        assert [p['threads'] for p in numa['parameters']['pairs']] == [cores]
        assert any(c['name'] == 'rep1.n0_m0.threads' and c['passed'] for c in numa['validation']['checks'])
    assert re.match(r'^numactl \d', numa['build']['numactl']['package']), numa['build']['numactl']
    assert re.match(r'^[0-9a-f]{64}$', numa['build']['numactl']['sha256'])
    assert numa['build']['source']['name'] == 'stream' and numa['build']['binary_sha256'], 'the stream role built it'

    hpl = docs['hpl']
    assert hpl['validation']['passed'] is True and hpl['job']['variant'] == 'single', hpl['job']
    params = hpl['parameters']
    assert (params['ranks'], params['threads'], params['p'], params['q'], params['n']) == (1, 1, 1, 1, 2000)
    assert params['ranks_per'] == 'single'
    # No threads for that run: the BLAS and OpenMP were told 1, whatever the host has.
    assert hpl['environment']['OMP_NUM_THREADS'] == '1' and hpl['environment']['OPENBLAS_NUM_THREADS'] == '1'
    for entry in (hpl['efficiency'] or {}).get('entries', []):
        assert entry['assumption'].startswith('1 cores x '), 'held to one core\'s peak: %s' % entry
    assert '1 ranks x 1 threads' in first.stdout

    again = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert again.returncode == 0, again.stdout[-3000:]
    assert again.recap['bench1']['changed'] == 0, again.stdout[-3000:]
    assert len(results_by_benchmark(store, 'numa-single-1')) == 2

    collect = run_playbook('collect.yml', inventory, ansible_home, {
        'instancebench_results_store': extra['instancebench_results_store'],
        'instancebench_report_dir': str(tmp_path / 'report')})
    assert collect.returncode == 0, collect.stdout[-3000:]
    assert 'local triad' in collect.stdout and 'GFLOP/s' in collect.stdout
