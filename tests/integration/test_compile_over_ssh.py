# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel build suite end to end on a real sshd host through launch.yml: Debian's repack of
the pinned Linux 6.1.176 fetched from the test mirror and verified, unpacked once, built twice
with tinyconfig (the default, defconfig, takes 20-40 minutes a build on 2 vCPUs), each build from
a fresh object directory; the result validated with builds per hour from the job's own timings,
a vmlinux present, and a re-run changes nothing."""

import glob
import hashlib
import os

from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import results_by_benchmark

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks

LINUX_SHA256 = '9aad4025973feea3f0d978e82ab7db97d8d5ce3f59fcc6b1f316153d66e3a504'


def test_a_kernel_build_checks_runs_validates_and_reruns_idempotently(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    store = tmp_path / 'store'
    work = tmp_path / 'work'
    extra = {
        'instancebench_run_id': 'compile-1', 'instancebench_results_store': 'file://%s' % store,
        'instancebench_sources_mirror': mirror, 'instancebench_work_dir': str(work),
        'instancebench_benchmarks': 'compile',
        'compile_config': 'tinyconfig', 'compile_target': 'vmlinux',
        'compile_repetitions': 2, 'compile_max_repetitions': 2,
    }
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert not glob.glob(str(store / 'runs' / '*')), 'check mode must not write results'
    assert not glob.glob(str(work / 'build' / 'linux-*' / 'src' / 'Makefile')), 'check mode must not unpack'

    first = run_playbook('launch.yml', inventory, ansible_home, extra, timeout=1800)
    assert first.returncode == 0, first.stdout[-4000:]
    doc = results_by_benchmark(store, 'compile-1')['compile']
    assert doc['validation']['passed'] is True, [c for c in doc['validation']['checks'] if not c['passed']]
    by_name = dict((m['name'], m) for m in doc['metrics'])
    assert set(by_name) == {'builds_per_hour', 'build_seconds'}
    for metric in doc['metrics']:
        assert _benchmarks.undeclared_metrics('compile', {metric['name']: (
            metric['value'], metric['unit'], metric['higher_is_better'])}) == []
        assert metric['n'] == 2 and metric['value'] > 0
    # Builds per hour is the build time's reciprocal, build by build.
    for rate, seconds in zip(by_name['builds_per_hour']['values'], by_name['build_seconds']['values']):
        assert abs(rate * seconds - 3600.0) < 1e-6 * 3600
    checks = dict((c['name'], c) for c in doc['validation']['checks'])
    for check in ('vmlinux_present', 'build_succeeded', 'kernel_version'):
        found = [c for name, c in checks.items() if name.endswith('.' + check)]
        assert len(found) == 2 and all(c['passed'] for c in found), (check, sorted(checks))
    build = doc['build']
    assert build['source']['sha256'] == LINUX_SHA256 and build['source']['version'] == '6.1.176'
    assert build['config'] == 'tinyconfig' and build['make_jobs'] == doc['system']['topology']['logical_cpus']
    assert doc['parameters']['jobs'] == doc['system']['topology']['logical_cpus']
    with open(os.path.join(REPO, 'roles', 'compile', 'files', 'compile_job.sh'), 'rb') as handle:
        assert build['job_script_sha256'] == hashlib.sha256(handle.read()).hexdigest()
    # The tree is marked whole after its unpack (a cut unpack is redone, not built from).
    marker, = glob.glob(str(work / 'build' / 'linux-*' / 'src' / '.unpacked-linux'))
    with open(marker) as handle:
        assert handle.read().strip() == LINUX_SHA256
    # Object directories do not outlive their build: only the tree stays.
    assert not glob.glob(str(work / 'build' / 'linux-*' / 'obj'))

    again = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert again.returncode == 0, again.stdout[-3000:]
    assert again.recap['bench1']['changed'] == 0, again.stdout[-3000:]
