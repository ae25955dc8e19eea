# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""launch.yml and collect.yml end to end against a real sshd host: check mode, real run, re-run."""

import glob
import os
import subprocess

from harness.ansible_runner import run_playbook, write_inventory
from harness.results import stored_result


def _vars(tmp_path, mirror, run_id):
    return {
        'instancebench_run_id': run_id,
        'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
        'instancebench_sources_mirror': mirror,
        'instancebench_work_dir': str(tmp_path / 'work'),
        'stream_repetitions': 2, 'stream_max_repetitions': 2,
        'instancebench_benchmarks': ['stream'],
    }


def test_launch_over_ssh_check_real_rerun(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    # A misspelt setting is named, not ignored in silence.
    extra = dict(_vars(tmp_path, mirror, 'itest-1'), stream_repetitons=5)

    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout
    assert not glob.glob(str(tmp_path / 'store' / 'runs' / '*')), 'check mode must not write results'

    first = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert first.returncode == 0, first.stdout
    assert first.recap['bench1']['changed'] > 0
    assert 'Warning: stream_repetitons: not a variable of the stream role; did you mean stream_repetitions?' \
        in first.stdout
    # The progress line counts the one job once (not the host as a second one).
    assert first.stdout.rstrip().splitlines()[-1].endswith('| 1 job: 1 completed'), first.stdout[-500:]

    doc = stored_result(tmp_path / 'store', 'itest-1')
    assert doc['validation']['passed'] is True
    assert doc['job']['state'] == 'completed'
    triad = [m for m in doc['metrics'] if m['name'] == 'triad_bandwidth'][0]
    assert triad['unit'] == 'GB/s' and triad['n'] == 2 and triad['value'] > 0.1
    params = doc['parameters']
    assert params['threads'] == doc['system']['topology']['physical_cores']
    # STREAM's run rule: each array at least 4 x the last-level cache.
    assert params['array_size_elements'] * 8 >= 4 * doc['system']['llc']['total_bytes']
    assert doc['build']['source']['sha256'] == 'a52bae5e175bea3f7832112af9c085adab47117f7d2ce219165379849231692b'
    assert '-O3' in doc['build']['flags'] and '-fopenmp' in doc['build']['flags']
    raw = os.path.join(os.path.dirname(doc['_path']), 'raw.log')
    assert 'Solution Validates' in open(raw).read()

    second = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert second.returncode == 0, second.stdout
    assert second.recap['bench1']['changed'] == 0, second.stdout

    collect = run_playbook('collect.yml', inventory, ansible_home, {
        'instancebench_results_store': extra['instancebench_results_store'],
        'instancebench_report_dir': str(tmp_path / 'report')})
    assert collect.returncode == 0, collect.stdout
    assert doc['job']['job_id'] in collect.stdout and 'completed' in collect.stdout


def test_check_mode_on_a_fresh_host_writes_nothing(tmp_path, ssh_host, mirror, ansible_home):
    """Every benchmark role predicts in check mode without sources, builds or results on disk."""
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    extra = dict(_vars(tmp_path, mirror, 'check-fresh'), instancebench_benchmarks=['stream', 'fftw', 'hpl'], hpl_n=3000)
    proc = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert proc.returncode == 0, proc.stdout
    assert not os.path.exists(tmp_path / 'work') and not os.path.exists(tmp_path / 'store')


def _expected_tuned_path(compiler, flags):
    """Which path the tuned kernels compile to with these flags, from the compiler's own macros."""
    macros = subprocess.run([compiler] + [f for f in flags if f.startswith(('-m', '-f'))] + ['-dM', '-E', '-x', 'c',
                                                                                             '/dev/null'],
                            capture_output=True, text=True, check=True).stdout
    if '#define __AVX512F__ 1' in macros:
        return 'avx512-nontemporal'
    return 'avx-nontemporal' if '#define __AVX__ 1' in macros else 'plain'


def test_tuned_variant_is_its_own_job_with_its_kernels_recorded(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    extra = dict(_vars(tmp_path, mirror, 'tuned-1'), stream_tuned=True)
    first = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert first.returncode == 0, first.stdout
    assert 'STREAM (tuned) completed' in first.stdout
    doc = stored_result(tmp_path / 'store', 'tuned-1')
    assert doc['job']['variant'] == 'tuned' and doc['job']['job_id'].startswith('stream-tuned-')
    assert doc['validation']['passed'] is True and doc['parameters']['tuned'] is True
    assert '-DTUNED' in doc['build']['flags'] and len(doc['build']['tuned_kernels_sha256']) == 64
    assert doc['build']['observed']['tuned_kernels'] == _expected_tuned_path('gcc', doc['build']['flags'])
    assert [c['passed'] for c in doc['validation']['checks'] if c['name'] == 'rep1.tuned_kernels_reported'] == [True]
    second = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert second.returncode == 0 and second.recap['bench1']['changed'] == 0, second.stdout
