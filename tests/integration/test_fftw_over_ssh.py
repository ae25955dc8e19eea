# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The FFTW role over real SSH at small sizes: check mode, real build and run, idempotent re-run.

Builds land in the shared .cache/work (keyed by source, compiler and flags), so the Molecule
scenario and later runs reuse this build instead of spending another 2-3 minutes.
"""

import glob
import os
import shutil

from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import stored_result

SHARED_WORK = os.path.join(REPO, '.cache', 'work')
# A time limit of this test's own gives it a wisdom directory of its own (`patient-limit119`),
# emptied first: the first repetition must plan, whatever earlier runs of the shared build kept.
PLAN_LIMIT = 119
SMALL = {'instancebench_benchmarks': ['fftw'], 'fftw_problems': ['icf1024', 'icf32x32', 'icf16x16x16', 'orf4096'],
         'fftw_out_of_cache': False, 'fftw_repetitions': 2, 'fftw_max_repetitions': 2,
         'fftw_planner': 'patient', 'fftw_plan_time_limit': PLAN_LIMIT}


def _vars(tmp_path, mirror, run_id, **more):
    extra = dict(SMALL, instancebench_run_id=run_id, instancebench_results_store='file://%s' % (tmp_path / 'store'),
                 instancebench_sources_mirror=mirror, instancebench_work_dir=SHARED_WORK)
    extra.update(more)
    return extra


def test_fftw_over_ssh_check_real_rerun(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    extra = _vars(tmp_path, mirror, 'fftw-itest')

    for stale in glob.glob(os.path.join(SHARED_WORK, 'build', 'fftw-*', 'wisdom', '*', 'patient-limit%d' % PLAN_LIMIT)):
        shutil.rmtree(stale)

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
    assert doc['parameters']['planner'] == 'patient' and doc['parameters']['plan_time_limit_s'] == PLAN_LIMIT
    # Planned once, in the first repetition's planning step, apart from the timed runs; kept as wisdom
    # beside the build; the second repetition planned from it.
    plans = doc['build']['observed']['plans']
    assert sorted(plans) == sorted('%s_t%d' % (p, t) for p in SMALL['fftw_problems'] for t in sorted({1, cores}))
    for key, plan in plans.items():
        assert plan['from_wisdom'] is False and plan['planning_s'] > 0 and plan['limit_reached'] is False, (key, plan)
        assert plan['time_limit_s'] == PLAN_LIMIT
    planned = dict((c['name'], c['detail']) for c in doc['validation']['checks'] if c['name'].endswith('.planned'))
    assert len(planned) == 2 * len(plans)
    for key in plans:
        assert 'made afresh' in planned['rep1.%s.planned' % key], planned
        assert planned['rep2.%s.planned' % key].startswith('patient plan read from wisdom'), planned
        problem, threads = key.rsplit('_t', 1)
        assert os.path.getsize(os.path.join(doc['parameters']['wisdom'], '%s-t%s' % (problem, threads), 'wis.dat')) > 0

    second = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert second.returncode == 0, second.stdout
    assert second.recap['bench1']['changed'] == 0, second.stdout

    # Another host with the same key (a work directory of its own, the same store) takes the bench
    # binary and the wisdom from the build cache: it compiles nothing and plans nothing.
    other = _vars(tmp_path, mirror, 'fftw-itest-other', instancebench_work_dir=str(tmp_path / 'other-work'))
    third = run_playbook('launch.yml', inventory, ansible_home, other, timeout=900)
    assert third.returncode == 0, third.stdout
    again = stored_result(tmp_path / 'store', 'fftw-itest-other')
    assert again['validation']['passed'] is True
    assert again['build']['binary_cache']['from_cache'] is True and again['build']['wisdom_cache']['from_cache'] is True
    assert sorted(again['build']['observed']['plans']) == sorted(plans)
    assert all(plan['from_wisdom'] for plan in again['build']['observed']['plans'].values()), again['build']['observed']
    assert doc['build']['wisdom_cache'] == {'from_cache': False, 'key': again['build']['wisdom_cache']['key']}


def test_fftw_bad_problem_is_refused_before_building(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    for problems, phrase in ((['icf1024', 'fft99'], "'fft99' is not an FFTW bench problem"),
                             (['icf1048576x1048576'], 'fftw_problems entry icf1048576x1048576 needs')):
        extra = _vars(tmp_path, mirror, 'fftw-bad', fftw_problems=problems,
                      instancebench_work_dir=str(tmp_path / 'work'))
        proc = run_playbook('launch.yml', inventory, ansible_home, extra)
        assert proc.returncode != 0 and phrase in proc.stdout, proc.stdout[-3000:]
        assert not os.path.exists(tmp_path / 'work' / 'build')


def test_check_mode_with_the_source_fetched_for_another_build_writes_nothing(tmp_path, ssh_host, mirror, ansible_home):
    # The shared work dir holds the verified tarball (the test above fetched it); another configure line
    # keys a build directory that does not exist: check mode says what it would do and creates nothing.
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    assert glob.glob(os.path.join(SHARED_WORK, 'sources', 'fftw', 'fftw-*.tar.gz')), 'the test above fetched the tarball'
    before = set(glob.glob(os.path.join(SHARED_WORK, 'build', 'fftw-*')))
    extra = _vars(tmp_path, mirror, 'fftw-check-other-key', fftw_extra_configure_args=['--enable-debug'])
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert set(glob.glob(os.path.join(SHARED_WORK, 'build', 'fftw-*'))) == before, 'check mode made no build directory'
    assert not os.path.exists(tmp_path / 'store' / 'runs')
