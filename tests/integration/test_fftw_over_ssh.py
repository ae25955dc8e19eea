# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The FFTW role over real SSH at small sizes: check mode, real build and run, idempotent re-run.

Builds land in the shared .cache/work (keyed by source, compiler and flags), so the Molecule
scenario and later runs reuse this build instead of spending another 2-3 minutes.
"""

import os

from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import stored_result

SHARED_WORK = os.path.join(REPO, '.cache', 'work')
SMALL = {'instancebench_benchmarks': ['fftw'], 'fftw_problems': ['icf1024', 'icf32x32', 'icf16x16x16', 'orf4096'],
         'fftw_out_of_cache': False, 'fftw_repetitions': 2, 'fftw_max_repetitions': 2}


def _vars(tmp_path, mirror, run_id, **more):
    extra = dict(SMALL, instancebench_run_id=run_id, instancebench_results_store='file://%s' % (tmp_path / 'store'),
                 instancebench_sources_mirror=mirror, instancebench_work_dir=SHARED_WORK)
    extra.update(more)
    return extra


def test_fftw_over_ssh_check_real_rerun(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    extra = _vars(tmp_path, mirror, 'fftw-itest')

    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout
    assert not os.path.exists(tmp_path / 'store' / 'runs')

    first = run_playbook('launch.yml', inventory, ansible_home, extra, timeout=1500)
    assert first.returncode == 0, first.stdout
    doc = stored_result(tmp_path / 'store', 'fftw-itest')
    assert doc['validation']['passed'] is True and doc['job']['benchmark'] == 'fftw'
    cores = doc['system']['topology']['physical_cores']
    assert doc['parameters']['thread_counts'] == sorted({1, cores})
    names = {m['name'] for m in doc['metrics']}
    for problem in SMALL['fftw_problems']:
        assert 'mflops_%s_t1' % problem in names and 'time_%s_t1' % problem in names
    assert all(m['n'] == 2 and m['value'] > 0 for m in doc['metrics'])
    if doc['system']['arch'] == 'x86_64':
        assert '--enable-avx2' in doc['build']['configure'] and '--enable-openmp' in doc['build']['configure']
    assert os.path.exists(doc['parameters']['wisdom']), 'wisdom must be saved'

    second = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert second.returncode == 0, second.stdout
    assert second.recap['bench1']['changed'] == 0, second.stdout


def test_fftw_bad_problem_is_refused_before_building(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    for problems, phrase in ((['icf1024', 'fft99'], "'fft99' is not an FFTW bench problem"),
                             (['icf1048576x1048576'], 'fftw_problems entry icf1048576x1048576 needs')):
        extra = _vars(tmp_path, mirror, 'fftw-bad', fftw_problems=problems,
                      instancebench_work_dir=str(tmp_path / 'work'))
        proc = run_playbook('launch.yml', inventory, ansible_home, extra)
        assert proc.returncode != 0 and phrase in proc.stdout, proc.stdout[-3000:]
        assert not os.path.exists(tmp_path / 'work' / 'build')
