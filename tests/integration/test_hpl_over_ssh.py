# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HPL role over real SSH at a small N: check mode, real build and run, idempotent re-run,
and the inputs it must refuse before building."""

import glob
import os

import pytest

from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import stored_result

SHARED_WORK = os.path.join(REPO, '.cache', 'work')


def _vars(tmp_path, mirror, run_id, **more):
    extra = {'instancebench_benchmarks': ['hpl'], 'hpl_n': 3000, 'hpl_repetitions': 2, 'hpl_max_repetitions': 2,
             'instancebench_run_id': run_id, 'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
             'instancebench_sources_mirror': mirror, 'instancebench_work_dir': SHARED_WORK}
    extra.update(more)
    return extra


@pytest.fixture
def inventory(tmp_path, ssh_host):
    return write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})


def test_hpl_over_ssh_check_real_rerun(tmp_path, inventory, mirror, ansible_home):
    extra = _vars(tmp_path, mirror, 'hpl-itest')
    check = run_playbook('launch.yml', inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout
    assert not os.path.exists(tmp_path / 'store' / 'runs')

    first = run_playbook('launch.yml', inventory, ansible_home, extra, timeout=1200)
    assert first.returncode == 0, first.stdout
    doc = stored_result(tmp_path / 'store', 'hpl-itest')
    assert doc['validation']['passed'] is True and doc['job']['benchmark'] == 'hpl'
    assert any(c['name'] == 'rep1.residual_passed' and c['passed'] for c in doc['validation']['checks'])
    params = doc['parameters']
    cores = doc['system']['topology']['physical_cores']
    assert params['n'] == 3000 and params['p'] * params['q'] == params['ranks'] == cores and params['p'] <= params['q']
    gflops = [m for m in doc['metrics'] if m['name'] == 'gflops'][0]
    assert gflops['unit'] == 'GFLOP/s' and gflops['n'] == 2 and gflops['value'] > 0.5
    assert doc['build']['blas']['name'] == 'openblas' and doc['build']['blas']['version'] != 'unknown'
    assert doc['build']['observed']['openblas_core'], 'the OpenBLAS kernel actually used must be recorded'
    if doc['system']['uarch']['name'] == 'znver4':
        entries = doc['efficiency']['entries']
        assert {e['assumption'].split(' GHz ')[1].split(',')[0] for e in entries} == {'(up to (AWS)', '(/proc/cpuinfo) x 16 FP64 FLOP/cycle'}
        assert all(0 < e['efficiency'] < 1.5 for e in entries)

    second = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert second.returncode == 0, second.stdout
    assert second.recap['bench1']['changed'] == 0, second.stdout


@pytest.mark.parametrize('more, phrase', [
    ({'hpl_p': 2, 'hpl_q': 3}, 'hpl_p x hpl_q = 2 x 3 = 6, but the layout runs'),
    ({'hpl_n': 10 ** 7}, 'lower hpl_n or raise hpl_memory_fraction'),
    ({'hpl_blas': 'mkl'}, 'hpl_blas'),
    ({'hpl_blas': 'custom'}, 'custom with hpl_blas_libs'),
    ({'hpl_ranks_per': 'numa'}, 'hpl_ranks_per'),
])
def test_hpl_bad_input_is_refused_before_building(tmp_path, inventory, mirror, ansible_home, more, phrase):
    extra = _vars(tmp_path, mirror, 'hpl-bad', instancebench_work_dir=str(tmp_path / 'work'), **more)
    proc = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert proc.returncode != 0 and phrase in proc.stdout, proc.stdout[-3000:]
    assert not os.path.exists(tmp_path / 'work' / 'build')


def test_hpl_one_rank_per_socket_with_threads(tmp_path, inventory, mirror, ansible_home):
    """The other layout: one MPI rank per socket, OpenBLAS/OpenMP threads on its cores."""
    extra = _vars(tmp_path, mirror, 'hpl-socket', hpl_ranks_per='socket', hpl_n=2000, hpl_repetitions=1, hpl_max_repetitions=1)
    proc = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert proc.returncode == 0, proc.stdout
    doc = stored_result(tmp_path / 'store', 'hpl-socket')
    topo = doc['system']['topology']
    assert doc['validation']['passed'] is True
    assert doc['parameters']['ranks'] == topo['sockets']
    assert doc['parameters']['threads'] == topo['physical_cores'] // topo['sockets']


def test_hpl_nb_sweep_picks_a_passing_nb(tmp_path, inventory, mirror, ansible_home):
    extra = _vars(tmp_path, mirror, 'hpl-sweep', hpl_nb_sweep=[64, 128], hpl_nb_sweep_n=1500, hpl_n=2048,
                  hpl_repetitions=1, hpl_max_repetitions=1)
    proc = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert proc.returncode == 0, proc.stdout
    doc = stored_result(tmp_path / 'store', 'hpl-sweep')
    sweep = doc['parameters']['nb_sweep']
    assert sweep['nbs'] == [64, 128] and sweep['best'] in (64, 128)
    assert doc['parameters']['nb'] == sweep['best'] and doc['validation']['passed'] is True
    again = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert again.returncode == 0 and again.recap['bench1']['changed'] == 0, again.stdout


def test_hpl_with_amd_blis(tmp_path, inventory, mirror, ansible_home):
    """The other packaged BLAS: BLIS (Debian's libblis, OpenMP flavour, no pkg-config file)."""
    extra = _vars(tmp_path, mirror, 'hpl-blis', hpl_blas='blis', hpl_n=2000, hpl_repetitions=1, hpl_max_repetitions=1)
    proc = run_playbook('launch.yml', inventory, ansible_home, extra, timeout=1200)
    assert proc.returncode == 0, proc.stdout
    doc = stored_result(tmp_path / 'store', 'hpl-blis')
    blas = doc['build']['blas']
    assert doc['validation']['passed'] is True and doc['parameters']['blas'] == 'blis'
    assert blas['name'] == 'blis' and blas['version'] not in ('', 'unknown') and '-lblis' in blas['libs']
    assert 'openblas_core' not in doc['build'].get('observed', {})


def _tuning_logs():
    return dict((path, os.stat(path).st_mtime_ns)
                for path in glob.glob(os.path.join(SHARED_WORK, 'build', 'hpl-*', 'tuning-*', '*', 'xhpl.log')))


def test_hpl_tuning_search_is_recorded_reused_and_dgemm_sits_beside_it(tmp_path, inventory, mirror, ansible_home):
    """The search at a small N (every stage, its winner at full N), its outputs replayed by a later
    job instead of searched again, and the job's own DGEMM on HPL's cores published with the ratio."""
    extra = _vars(tmp_path, mirror, 'hpl-tune', hpl_tuning='always', hpl_tuning_n=1200, hpl_n=1536,
                  hpl_repetitions=1, hpl_max_repetitions=1)
    first = run_playbook('launch.yml', inventory, ansible_home, extra, timeout=1200)
    assert first.returncode == 0, first.stdout
    doc = stored_result(tmp_path / 'store', 'hpl-tune')
    assert doc['validation']['passed'] is True, [c for c in doc['validation']['checks'] if not c['passed']]
    params, tuning = doc['parameters'], doc['parameters']['tuning']
    assert tuning['n'] == 1200 and (tuning['p'], tuning['q']) == (params['p'], params['q'])
    ran = [stage['name'] for stage in tuning['stages'] if stage['ran']]
    assert ran[:1] == ['nb'] and len(tuning['tried']) == sum(s['results'] for s in tuning['stages'] if s['ran'])
    assert all(c['gflops'] > 0 and c['n'] == 1200 for c in tuning['tried'])
    # The winner is the fastest passing combination tried, and the full run used its knobs.
    fastest = max(c['gflops'] for c in tuning['tried'] if c['passed'])
    assert tuning['winner']['gflops'] == fastest and params['nb'] == tuning['winner']['nb']
    assert params['knobs'] == tuning['best'] and all(params['knobs'][k] == tuning['winner'][k]
                                                     for k in ('nb', 'pfact', 'rfact', 'bcast', 'depth', 'swap'))
    assert any(c['name'] == 'rep1.variant' and c['passed'] and tuning['variant'] in c['detail']
               for c in doc['validation']['checks'])
    if params['p'] == 1:
        assert [s for s in tuning['stages'] if s['name'] == 'swap'][0]['reason'].startswith('SWAP: P = 1')
    metrics = dict((m['name'], m) for m in doc['metrics'])
    cores = doc['system']['topology']['physical_cores']
    dgemm = params['dgemm']
    assert dgemm['ranks'] * dgemm['threads'] == cores and dgemm['n'] % params['nb'] == 0
    assert metrics['dgemm_gflops']['unit'] == 'GFLOP/s' and metrics['dgemm_gflops']['value'] > 0
    ratio = metrics['hpl_dgemm_ratio']['value']
    assert 0 < ratio <= 1.05 and ratio == pytest.approx(metrics['gflops']['value'] / metrics['dgemm_gflops']['value'], rel=1e-3)
    assert any(c['name'] == 'rep1.dgemm.after.rank0.reference' and c['passed'] for c in doc['validation']['checks'])
    assert 'of DGEMM on the same cores' in first.stdout

    logs = _tuning_logs()
    again = run_playbook('launch.yml', inventory, ansible_home, dict(extra, instancebench_run_id='hpl-tune-2'),
                         timeout=1200)
    assert again.returncode == 0, again.stdout
    assert _tuning_logs() == logs, 'a second job with the same search inputs must replay the stored outputs'
    redo = stored_result(tmp_path / 'store', 'hpl-tune-2')
    assert redo['parameters']['tuning'] == tuning and redo['parameters']['nb'] == params['nb']
