# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _hpl
from harness.fixtures import read_fixture


def _read(name):
    return read_fixture('hpl', name)


def test_parses_the_result_line_residual_and_openblas_kernel():
    parsed = _hpl.parse(_read('znver4-hpcc-openblas-n6000-nb256-1x2.txt'))
    assert parsed['openblas_core'] == 'Cooperlake' and parsed['threshold'] == 16.0
    (run,) = parsed['runs']
    assert (run['variant'], run['n'], run['nb'], run['p'], run['q']) == ('WR11C2R4', 6000, 256, 1, 2)
    assert run['gflops'] == pytest.approx(41.86) and run['time_s'] == 3.44
    assert run['passed'] is True and run['residual'] == pytest.approx(0.002805)


def test_analyze_passing_run():
    metrics, checks, observed = _hpl.analyze(_read('znver4-hpcc-openblas-n6000-nb256-1x2.txt'),
                                             {'n': 6000, 'nb': 256, 'p': 1, 'q': 2, 'require_openblas_core': True})
    assert all(c['passed'] for c in checks), checks
    assert metrics['gflops'] == (41.86, 'GFLOP/s', True)
    assert observed == {'openblas_core': 'Cooperlake'}


def test_failed_residual_is_a_failed_check():
    checks = _hpl.analyze(_read('znver4-hpcc-openblas-threshold-1e-9.txt'), {})[1]
    residual = [c for c in checks if c['name'] == 'residual_passed'][0]
    assert residual['passed'] is False and 'FAILED' in residual['detail']


def test_killed_run_has_no_result():
    metrics, checks = _hpl.analyze(_read('znver4-hpcc-openblas-n20000-killed-at-4s.txt'), {})
    [line] = [c for c in checks if c['name'] == 'result_line']
    assert metrics == {} and line['passed'] is False and 'no WR result line' in line['detail']


def test_mismatched_grid_fails_the_expectation():
    checks = _hpl.analyze(_read('znver4-hpcc-openblas-n6000-nb256-1x2.txt'), {'p': 2, 'q': 1})[1]
    assert [c['passed'] for c in checks if c['name'] in ('p', 'q')] == [False, False]


@pytest.mark.parametrize('ranks, grid', [(1, (1, 1)), (2, (1, 2)), (4, (2, 2)), (6, (2, 3)), (7, (1, 7)),
                                         (12, (3, 4)), (64, (8, 8)), (96, (8, 12))])
def test_most_square_grid(ranks, grid):
    assert _hpl.process_grid(ranks) == grid


def test_explicit_grid_must_match_ranks():
    assert _hpl.process_grid(4, 1, 4) == (1, 4)
    with pytest.raises(ValueError, match='hpl_p x hpl_q = 2 x 3 = 6, but the layout runs 4 MPI ranks'):
        _hpl.process_grid(4, 2, 3)


def test_problem_size_rounds_down_to_nb():
    n = _hpl.problem_size(24 * 2 ** 30, 0.8, 256)
    assert n % 256 == 0 and 8 * n * n <= 0.8 * 24 * 2 ** 30 < 8 * (n + 256) ** 2
    assert _hpl.problem_size(24 * 2 ** 30, 0.8, 256, requested=5000) == 5000
    with pytest.raises(ValueError, match='lower hpl_n'):
        _hpl.problem_size(2 ** 30, 0.5, 256, requested=100000)
    with pytest.raises(ValueError, match='raise hpl_memory_fraction'):
        _hpl.problem_size(2 ** 20, 0.5, 256, ranks=4)


def test_layouts():
    topo = {'physical_cores': 96, 'sockets': 2}
    caches = {'l3': {'instances': 12}}
    assert _hpl.layout(topo, caches, 'core') == (96, 1)
    assert _hpl.layout(topo, caches, 'l3') == (12, 8)
    assert _hpl.layout(topo, caches, 'socket') == (2, 48)
    assert _hpl.layout({'physical_cores': 64, 'sockets': 1}, {}, 'l3') == (1, 64)   # Graviton: no L3 in sysfs
    with pytest.raises(ValueError, match='hpl_ranks_per'):
        _hpl.layout(topo, caches, 'numa')


def test_peak():
    assert _hpl.peak_gflops(64, 2.6, 16) == pytest.approx(2662.4)   # c7g.16xlarge, Graviton3


def test_peaks_state_their_clock_and_the_family_clock_is_a_ceiling():
    flops = {'znver4': 16, 'neoverse-v1': 16}
    clocks = {'genoa': {'ghz': 3.7, 'kind': 'up to (AWS)'}}
    ceiling, cpuinfo = _hpl.peaks('znver4', 'genoa', 2600.0, 2, flops, clocks)
    assert ceiling == {'metric': 'gflops', 'value': pytest.approx(118.4), 'ceiling': True,
                       'assumption': '2 cores x 3.7 GHz (up to (AWS), genoa) x 16 FP64 FLOP/cycle'}
    assert cpuinfo['value'] == pytest.approx(83.2) and 'ceiling' not in cpuinfo and '2.6 GHz (/proc/cpuinfo)' in \
        cpuinfo['assumption']
    assert _hpl.peaks('neoverse-v1', 'graviton3', None, 4, flops, clocks) == [], 'no family clock, no cpuinfo clock'
    assert _hpl.peaks('x86-64-v4', None, 2600.0, 2, flops, clocks) == [], 'FLOP/cycle unknown: no peak at all'


def test_blas_flags_from_pkg_config_the_link_table_or_the_user():
    link = {'pkg_config': 'blis', 'libs': ['-lblis'], 'subdir': 'blis-openmp'}
    pkg = ['0.3.21', '-I/usr/include/x86_64-linux-gnu/openblas-pthread/ -L/usr/lib/x86_64-linux-gnu/openblas-pthread/ '
                     '-lopenblas']
    assert _hpl.blas_flags('openblas', {'pkg_config': 'openblas', 'libs': ['-lopenblas']}, pkg, '', '') == {
        'version': '0.3.21', 'cflags': ['-I/usr/include/x86_64-linux-gnu/openblas-pthread/'],
        'libs': ['-L/usr/lib/x86_64-linux-gnu/openblas-pthread/', '-lopenblas']}
    # Debian's BLIS has no .pc file: the multiarch subdirectory and the table's libraries.
    assert _hpl.blas_flags('blis', link, [], '0.9.0-4', 'x86_64-linux-gnu') == {
        'version': '0.9.0-4', 'cflags': ['-I/usr/include/x86_64-linux-gnu/blis-openmp'],
        'libs': ['-L/usr/lib/x86_64-linux-gnu/blis-openmp', '-Wl,-rpath,/usr/lib/x86_64-linux-gnu/blis-openmp', '-lblis']}
    assert _hpl.blas_flags('blis', link, [], '', '')['version'] == 'unknown', 'never an empty version'
    assert _hpl.blas_flags('blis', link, [], '', '')['libs'] == ['-lblis']
    assert _hpl.blas_flags('custom', {}, ['ignored'], 'x', 'y', ['-I/opt/mkl/include'], ['-lmkl_rt']) == {
        'version': 'custom', 'cflags': ['-I/opt/mkl/include'], 'libs': ['-lmkl_rt']}
