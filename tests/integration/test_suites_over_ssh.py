# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The opt-in suites end to end on a real sshd host, through launch.yml's one include per
benchmark: 7-Zip built from the pinned (Debian-repacked) source, sysbench and stress-ng from the
distribution's packages (their sources are in no registry this machine reaches), OpenSSL the
distribution's binary, and our own memory latency pointer chase; each result validated, its
figures in the units the registry declares, a re-run changes nothing, and collect's summary names
each suite's figure."""

import glob
import re

from harness.ansible_runner import run_playbook, write_inventory
from harness.results import results_by_benchmark

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _latency

SUITES = ['7zip', 'sysbench', 'stressng', 'openssl']
EVERY = SUITES + ['latency']


def test_the_suites_check_run_validate_and_rerun_idempotently(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    store = tmp_path / 'store'
    extra = {
        'instancebench_run_id': 'suites-1', 'instancebench_results_store': 'file://%s' % store,
        'instancebench_sources_mirror': mirror, 'instancebench_work_dir': str(tmp_path / 'work'),
        'instancebench_benchmarks': ','.join(EVERY),
        # Short passes: the figures are checked for consistency, not for speed. 2^18 is the smallest
        # dictionary the role takes: a 7-Zip pass in under half the time of 2^20.
        'sevenzip_dictionary': 18, 'sevenzip_iterations': 1, 'sevenzip_repetitions': 2, 'sevenzip_max_repetitions': 2,
        'sysbench_source': 'distribution', 'sysbench_time': 1, 'sysbench_memory_block_floor': 8388608,
        'sysbench_repetitions': 2, 'sysbench_max_repetitions': 2,
        'stressng_source': 'distribution', 'stressng_seconds': 2, 'stressng_repetitions': 2, 'stressng_max_repetitions': 2,
        'openssl_seconds': 1, 'openssl_repetitions': 2, 'openssl_max_repetitions': 2,
        'latency_max_bytes': 67108864, 'latency_min_ms': 5, 'latency_passes': ['random,4k', 'random,thp', 'sequential,4k'],
        'latency_repetitions': 2, 'latency_max_repetitions': 2,
    }
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert not glob.glob(str(store / 'runs' / '*')), 'check mode must not write results'

    first = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert first.returncode == 0, first.stdout[-4000:]

    docs = results_by_benchmark(store, 'suites-1')
    assert sorted(docs) == sorted(EVERY)
    for name, doc in docs.items():
        assert doc['validation']['passed'] is True, (name, [c for c in doc['validation']['checks'] if not c['passed']])
        declared = _benchmarks.get(name).metrics
        for metric in doc['metrics']:
            assert _benchmarks.undeclared_metrics(name, {metric['name']: (metric['value'], metric['unit'],
                                                                          metric['higher_is_better'])}) == []
            # Huge pages are granted per process, and the penalty exists only where they read faster.
            conditional = name == 'latency' and metric['name'] in _latency.CONDITIONAL_METRICS
            assert metric['value'] > 0 and (metric['n'] in (1, 2) if conditional else metric['n'] == 2), \
                (name, metric['name'], metric['n'])
        headline = _benchmarks.get(name).headline
        assert any(m['name'] == headline for m in doc['metrics']), (name, headline)
        assert declared
    assert docs['7zip']['build']['source']['sha256'] == \
        'cbd9aef3b1a6596aafece29601df759f05c4d1b5619619b42ece125b8fe4d9a8', 'built from the pin'
    for name in ('sysbench', 'stressng', 'openssl'):
        build = docs[name]['build']
        assert build['origin'] == 'distribution package' and build['source']['url'].startswith('package:'), build
        assert 'unknown' not in build['source']['url'], 'the owning package is named: %s' % build['source']['url']
    # One thread and every logical CPU: each suite's metrics end in t1 and all.
    for name in SUITES:
        suffixes = set(m['name'].rsplit('_', 1)[1] for m in docs[name]['metrics'])
        assert suffixes == {'t1', 'all'}, (name, suffixes)

    # Latency: the levels the host's caches name, DRAM above them, the curves kept with the build.
    latency = docs['latency']
    names = set(m['name'] for m in latency['metrics'])
    assert {'l1_latency_ns', 'l2_latency_ns', 'dram_latency_ns', 'dram_sequential_ns'} <= names, names
    by_name = dict((m['name'], m['value']) for m in latency['metrics'])
    assert by_name['l1_latency_ns'] < by_name['l2_latency_ns'] < by_name['dram_latency_ns']
    assert set(latency['build']['observed']['curves']) == {'random_4k', 'random_thp', 'sequential_4k'}
    assert [c for c in latency['validation']['checks'] if c['name'].endswith('run_rule.dram_size')][0]['passed'] is False, \
        '64 MiB is below the DRAM rule: kept and marked'

    # The role's own line shows each section's figure, not a 0 for a name it failed to build.
    assert re.search(r'cpu_all\s+[1-9][0-9.]*\s+events/s', first.stdout), first.stdout[-3000:]

    again = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert again.returncode == 0, again.stdout[-3000:]
    assert again.recap['bench1']['changed'] == 0, again.stdout[-3000:]

    collect = run_playbook('collect.yml', inventory, ansible_home, {
        'instancebench_results_store': extra['instancebench_results_store'],
        'instancebench_report_dir': str(tmp_path / 'report')})
    assert collect.returncode == 0, collect.stdout[-3000:]
    for phrase in ('7z-MIPS (all threads)', 'events/s (all threads)', 'bogo-ops/s on all vCPUs', 'sign/s on all vCPUs',
                   ' ns, DRAM '):
        assert phrase in collect.stdout, phrase
