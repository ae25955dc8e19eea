# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
import os

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _stream
from harness.fixtures import read_fixture


def _read(name):
    return read_fixture('stream', name)


def test_parses_every_kernel_of_a_real_openmp_run():
    parsed = _stream.parse(_read('znver4-omp2-o3-native.txt'))
    assert parsed['validates'] is True
    assert parsed['array_size_elements'] == 33554432
    assert parsed['ntimes'] == 10
    assert parsed['threads_counted'] == 2
    assert parsed['kernels']['Triad'] == {'best_rate_mb_s': 30520.2, 'avg_time_s': 0.02876,
                                          'min_time_s': 0.026386, 'max_time_s': 0.032303}
    assert set(parsed['kernels']) == set(_stream.KERNELS)


def test_serial_build_has_no_thread_lines():
    parsed = _stream.parse(_read('znver4-serial-o2.txt'))
    assert parsed['validates'] is True and 'threads_counted' not in parsed
    assert parsed['kernels']['Copy']['best_rate_mb_s'] == 20528.9


def test_truncated_output_raises():
    with pytest.raises(_stream.StreamParseError, match='Copy, Scale, Add, Triad'):
        _stream.parse(_read('znver4-killed-at-1.5s.txt'))


def test_missing_solution_validates_fails_the_check_not_the_parse():
    metrics, checks = _stream.analyze(_read('derived-no-solution-validates.txt'), {})[:2]
    by_name = dict((c['name'], c) for c in checks)
    assert by_name['solution_validates']['passed'] is False
    assert by_name['table_complete']['passed'] is True
    assert metrics['triad_bandwidth'] == (30.5202, 'GB/s', True)


def test_analyze_converts_mb_to_gb_and_checks_expectations():
    metrics, checks = _stream.analyze(_read('znver4-omp2-o3-native.txt'),
                                      {'threads': 2, 'array_size_elements': 33554432})[:2]
    assert all(c['passed'] for c in checks)
    assert metrics['copy_bandwidth'][0] == pytest.approx(35.6563)
    _metrics, checks = _stream.analyze(_read('znver4-omp2-o3-native.txt'), {'array_size_elements': 10})[:2]
    assert [c for c in checks if c['name'] == 'array_size_elements'][0]['passed'] is False


def test_truncated_output_analyzes_to_a_failed_check_and_no_metrics():
    metrics, checks = _stream.analyze(_read('znver4-killed-at-1.5s.txt'), {})
    assert metrics == {} and [c['passed'] for c in checks if c['name'] == 'table_complete'] == [False]


@pytest.mark.parametrize('llc, floor, expected', [
    (32 * 2 ** 20, 10 ** 7, 16777216),   # 4 x 32 MiB / 8 B beats the floor
    (2 ** 20, 10 ** 7, 10 ** 7),         # small cache: the floor wins
    (0, 5, 5),
])
def test_minimum_array_size(llc, floor, expected):
    assert _stream.minimum_array_size(llc, floor) == expected


def test_choose_array_size_refuses_when_minimum_does_not_fit():
    with pytest.raises(ValueError, match='raise stream_memory_fraction'):
        _stream.choose_array_size(32 * 2 ** 20, 100 * 2 ** 20, 0.5, 10 ** 7)
    elements, _why = _stream.choose_array_size(32 * 2 ** 20, 24 * 2 ** 30, 0.6, 10 ** 7)
    assert elements == 16777216


def test_requested_size_is_checked_against_memory():
    with pytest.raises(ValueError, match='lower stream_array_size'):
        _stream.choose_array_size(0, 2 ** 30, 0.5, 1, requested=10 ** 9)
    assert _stream.choose_array_size(0, 2 ** 30, 0.5, 1, requested=1000) == (1000, 'requested')


def test_medium_code_model_threshold():
    assert not _stream.needs_medium_code_model(80 * 10 ** 6)       # 1.92 GB
    assert _stream.needs_medium_code_model(100 * 10 ** 6)          # 2.4 GB


def test_the_role_gets_its_code_model_flag_from_the_same_rule():
    from ansible_collections.instancebench.aws.plugins.filter.stream_array_size import stream_code_model_flags
    assert stream_code_model_flags('80000000') == []
    assert stream_code_model_flags(100 * 10 ** 6) == ['-mcmodel=medium']


def test_memory_peak_states_the_socket_share_and_is_none_for_unknown_families():
    import yaml
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(repo, 'roles', 'stream', 'vars', 'memory.yml')) as handle:
        table = yaml.safe_load(handle)['_stream_memory_peaks']
    [genoa] = _stream.memory_peaks('genoa', 1, 2, table)
    assert genoa['value'] == 460.8 and genoa['ceiling'] is True
    assert '12 channels x DDR5-4800' in genoa['assumption'] and '2 of the 96 cores' in genoa['assumption']
    [whole] = _stream.memory_peaks('graviton4', 2, 192, table)
    assert whole['value'] == 1075.2 and 'sharing' not in whole['assumption']
    assert _stream.memory_peaks('turin', 1, 2, table) == [], 'no published memory speed: no efficiency'
    assert _stream.memory_peaks(None, 1, 2, table) == []
