# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The latency benchmark's parser against captured runs of our pointer chase: levels read at half
of each cache's size, DRAM at the largest size, the TLB's cost from the huge-page pass, and every
failure named."""

import os

from ansible_collections.instancebench.aws.plugins.module_utils import _latency
from harness.checks import failed as _failed

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'latency')
CACHES = {'l1d': 32768, 'l2': 1048576, 'l3': 33554432}
PASSES = [['random', '4k'], ['random', 'thp'], ['sequential', '4k'], ['stride:256', '4k']]
EXPECTED = {'passes': PASSES, 'caches': CACHES, 'llc_bytes': 33554432, 'min_ms': 20}


def _text(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def test_levels_dram_and_tlb_from_a_captured_run():
    metrics, checks, observed = _latency.analyze(_text('znver4-4k-to-256m-4-passes.txt'), EXPECTED)
    # The capture's own lines: 16384 B (<= 32 KiB / 2), 524288 B (1 MiB / 2), 16777216 B, 268435456 B.
    assert metrics == {
        'l1_latency_ns': (1.092, 'ns', False), 'l2_latency_ns': (4.838, 'ns', False),
        'l3_latency_ns': (133.043, 'ns', False), 'dram_latency_ns': (183.872, 'ns', False),
        'dram_latency_thp_ns': (163.627, 'ns', False), 'tlb_penalty_ns': (round(183.872 - 163.627, 3), 'ns', False),
        'dram_sequential_ns': (2.637, 'ns', False), 'dram_stride256_ns': (11.158, 'ns', False)}
    failed = _failed(checks)
    assert list(failed) == ['run_rule.dram_size'] and failed['run_rule.dram_size']['severity'] == 'rule', \
        '256 MiB is below the 1 GiB DRAM rule: kept, marked'
    assert {'random_4k.curve_rises', 'random_thp.huge_pages_granted', 'dram_above_cache',
            'sequential_4k.timer_resolution'} <= set(c['name'] for c in checks)
    assert observed['thp_anon_kib'] == 262144 and observed['curves']['random_4k'][0] == [4096, 1.092]
    assert len(observed['curves']) == 4


def test_a_cut_run_a_dropping_curve_and_refused_huge_pages_are_named():
    metrics, checks, _observed = _latency.analyze(_text('znver4-killed-at-1.5s.txt'), EXPECTED)
    failed = _failed(checks)
    assert 'no end line' in failed['random_4k.complete']['detail']
    assert failed['random_thp.complete']['detail'] == 'no such pass in the output (cut short?)'
    text = _text('znver4-4k-to-256m-4-passes.txt')
    dropped = text.replace('size_bytes=1048576 loads=', 'size_bytes=1048576 loads=', 1).replace(
        'ns_per_load=183.872', 'ns_per_load=18.387', 1)
    failed = _failed(_latency.analyze(dropped, EXPECTED)[1])
    assert 'after' in failed['random_4k.curve_rises']['detail'] and failed['random_4k.curve_rises']['severity'] == 'warning'
    refused = text.replace('thp_anon_kib=262144', 'thp_anon_kib=0')
    metrics, checks, _observed = _latency.analyze(refused, EXPECTED)
    assert _failed(checks)['random_thp.huge_pages_granted']['severity'] == 'warning'
    assert 'dram_latency_thp_ns' not in metrics and 'tlb_penalty_ns' not in metrics, 'no TLB figure without huge pages'
    garbled = text.replace('ns_per_load=1.092', 'ns_per_load=1.09.2', 1)
    assert 'number_format' in _failed(_latency.analyze(garbled, EXPECTED)[1])


def test_cache_levels_are_read_at_half_their_size():
    assert _latency.level_sizes({'l1d': 49152, 'l2': 2097152}) == {'l1': 24576, 'l2': 1048576}
    assert _latency.level_sizes({'l1d': {'size_bytes': 32768, 'instances': 2, 'total_bytes': 65536},
                                 'l3': {'size_bytes': 33554432}}) == {'l1': 16384, 'l3': 16777216}, 'host_facts form'
    assert _latency.pass_key('stride:256', 'thp') == 'stride256_thp'


def test_a_level_whose_half_size_is_the_largest_working_set_is_not_published_as_that_level():
    text = _text('znver4-4k-to-256m-4-passes.txt')
    cut = '\n'.join(line for line in text.splitlines()
                    if not line.startswith('size_bytes=') or int(line.split()[0].split('=')[1]) <= 16777216)
    metrics, checks, _observed = _latency.analyze(cut, EXPECTED)
    assert 'l3_latency_ns' not in metrics and metrics['dram_latency_ns'] == (133.043, 'ns', False)
    assert [c for c in checks if c['name'] == 'dram_above_cache'][0]['passed'], 'DRAM compared with L2, below it'


def test_noise_in_l1_is_not_a_dip_and_a_cache_that_is_not_there_is_a_warning():
    text = _text('znver4-4k-to-256m-4-passes.txt')
    first = text.replace('size_bytes=4096 loads=18350080 seconds=0.020037 ns_per_load=1.092',
                         'size_bytes=4096 loads=18350080 seconds=0.020037 ns_per_load=1.692', 1)
    assert 'random_4k.curve_rises' not in _failed(_latency.analyze(first, EXPECTED)[1]), '0.6 ns in L1 is noise'
    slow_l3 = text.replace('size_bytes=16777216 loads=262144 seconds=0.034877 ns_per_load=133.043',
                           'size_bytes=16777216 loads=262144 seconds=0.034877 ns_per_load=190.043', 1)
    failed = _failed(_latency.analyze(slow_l3, EXPECTED)[1])
    assert failed['dram_above_cache']['severity'] == 'warning' and 'did not fit' in failed['dram_above_cache']['detail']


def test_repetitions_where_only_some_derive_the_tlb_penalty_are_combined():
    """The TLB penalty exists only when huge pages read faster: a job whose repetitions disagree on it
    publishes it over the repetitions that have it (n says how many), instead of failing the job."""
    from ansible_collections.instancebench.aws.plugins.module_utils import _result
    expected = dict(EXPECTED, passes=[['random', '4k'], ['random', 'thp']])
    reps = [_latency.analyze(_text(name), expected) for name in
            ('znver4-4k-to-1g-random-4k-thp-1.txt', 'znver4-4k-to-1g-random-4k-thp-2.txt')]
    having = [name for name in ('tlb_penalty_ns',) for rep in reps if name in rep[0]]
    assert len(having) == 1, 'the two captures disagree on whether huge pages helped (the case this guards)'
    metrics = dict((m['name'], m) for m in _result.combine(reps)[0])
    assert metrics['tlb_penalty_ns']['n'] == 1 and metrics['dram_latency_ns']['n'] == 2
