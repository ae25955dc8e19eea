# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cache bandwidth benchmark: array sizes per level from a host's caches, and its parser
against captured runs of our program (GB/s = the bytes the program counted over its own timing),
every failure named: a cut run, a wrong result, fewer threads, other sizes, a batch too short for
the timer, a coarse timer, L1 slower than DRAM; and the report's bandwidth-per-level curve."""

import os
import re

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _report, _stream_cache
from harness.checks import failed as _failed

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stream_cache')
CAPTURE = 'znver4-default-sizes-100ms.txt'
# The capture's host (see the fixtures' README): 2 vCPUs, caches as host_facts reports them.
CACHES = {'l1d': {'size_bytes': 32768, 'instances': 2, 'total_bytes': 65536},
          'l2': {'size_bytes': 1048576, 'instances': 2, 'total_bytes': 2097152},
          'l3': {'size_bytes': 33554432, 'instances': 1, 'total_bytes': 33554432}}
LLC = 33554432
PASSES = _stream_cache.passes(CACHES, LLC, 2, [1, 0], 24e9, 0.5)
EXPECTED = {'passes': PASSES, 'caches': CACHES, 'llc_bytes': LLC, 'min_ms': 100}
RESULT = re.compile(r'^result kernel=(\w+) level=(\w+) threads=(\d+) elements=\d+ reps=\d+ seconds=(\S+) bytes=(\S+)',
                    re.M)


def _text(name=CAPTURE):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def _captured_rates(text):
    """{metric: GB/s} computed here from the capture's own lines (bytes / seconds)."""
    return dict(('%s_%s_gbs_%s' % (kernel, level, 't1' if threads == '1' else 'all'),
                 round(float(moved) / float(seconds) / 1e9, 3))
                for kernel, level, threads, seconds, moved in RESULT.findall(text))


def test_the_plan_sizes_each_level_from_the_host_caches_as_the_capture_ran():
    # The job script's arguments of the captured run (the fixtures' README) are this plan's.
    assert [_stream_cache.pass_argument(p) for p in PASSES] == [
        't1:1:l1=672,l2=21824,l3=699040,dram=16777216', 'all:2:l1=672,l2=21824,l3=349504,dram=8388608']
    for _label, threads, sizes in PASSES:
        found = dict(sizes)
        # Three arrays per thread: within half of the thread's share of a level, above the level below.
        assert 24 * found['l1'] <= 32768 // 2 and 32768 < 24 * found['l2'] <= 1048576 // 2
        assert 1048576 < 24 * found['l3'] <= 33554432 // threads // 2
        assert 8 * found['dram'] * threads >= 4 * LLC, "STREAM's rule for each DRAM array"
        assert all(n % _stream_cache.ELEMENT_STEP == 0 for n in found.values())


def test_hyperthreads_share_a_core_and_a_level_no_bigger_than_the_one_below_is_left_out():
    smt = {'l1d': {'size_bytes': 49152, 'instances': 2, 'total_bytes': 98304},
           'l2': {'size_bytes': 2097152, 'instances': 2, 'total_bytes': 4194304},
           'l3': {'size_bytes': 2097152, 'instances': 1, 'total_bytes': 2097152}}
    (_l, _t, one), (_l2, _t2, every) = _stream_cache.passes(smt, 2097152, 4, [1, 0], 8e9, 0.5)
    assert dict(one)['l1'] == 49152 // 2 // 24 // 32 * 32 and dict(every)['l1'] == 49152 // 2 // 2 // 24 // 32 * 32
    assert 'l3' not in dict(one) and 'l3' not in dict(every), 'an L3 no bigger than L2 would be measured in L2'
    assert dict(one)['dram'] == 64 * 2 ** 20 // 8, 'at least 64 MiB per DRAM array'
    assert _stream_cache.levels({}, 0, 1) == [['dram', 64 * 2 ** 20 // 8]], 'no caches reported: DRAM only'


def test_arrays_that_do_not_fit_and_bad_thread_counts_name_the_setting():
    with pytest.raises(ValueError, match='stream_cache_memory_fraction=0.5 .* lower stream_cache_dram_bytes'):
        _stream_cache.passes(CACHES, LLC, 2, [1, 0], 500e6, 0.5)
    with pytest.raises(ValueError, match='stream_cache_thread_counts'):
        _stream_cache.passes(CACHES, LLC, 2, [-1], 24e9, 0.5)


def test_bandwidth_per_level_and_thread_count_from_a_captured_run():
    text = _text()
    metrics, checks, observed = _stream_cache.analyze(text, EXPECTED)
    rates = _captured_rates(text)
    assert len(rates) == 4 * 4 * 2
    assert metrics == dict((name, (rate, 'GB/s', True)) for name, rate in rates.items())
    assert _failed(checks) == {}, _failed(checks)
    names = set(c['name'] for c in checks)
    assert {'t1.threads', 'all.threads', 't1.timer_resolution', 'l1_t1.timed_above_resolution',
            'dram_all.read_verified', 'l3_all.size', 'plausible.triad_t1_l1_above_dram',
            'run_rule.dram_all_size'} <= names
    assert _benchmarks.undeclared_metrics('stream_cache', metrics) == []
    assert _benchmarks.get('stream_cache').headline in metrics
    # The curve: a thread's three arrays (bytes) against GB/s, one point per level, smallest first.
    assert observed['curves']['triad_t1'] == [[24 * n, rates['triad_%s_gbs_t1' % level]] for level, n in PASSES[0][2]]
    assert sorted(observed['curves']) == sorted('%s_%s' % (k, t) for k in _stream_cache.KERNELS for t in ('t1', 'all'))
    assert observed['timer_resolution_ns'] == 1


def test_a_cut_run_is_named_per_pass_and_level():
    text = _text('znver4-killed-at-1.5s.txt')
    metrics, checks, _observed = _stream_cache.analyze(text, EXPECTED)
    failed = _failed(checks)
    assert 'no end line' in failed['t1.complete']['detail']
    assert failed['l3_t1.complete']['detail'] == 'no read, write, copy, triad result (cut short?)'
    assert failed['all.complete']['detail'] == 'no such pass in the output (cut short?)'
    assert 'l2_t1.complete' not in failed and 'triad_l2_gbs_t1' in metrics and 'read_l3_gbs_t1' not in metrics
    # Cut in the middle of a level: the kernels it has are kept, the others named.
    half = text[:text.index('result kernel=copy level=l2')]
    failed = _failed(_stream_cache.analyze(half, EXPECTED)[1])
    assert failed['l2_t1.complete']['detail'] == 'no copy, triad result (cut short?)'


def _mutated(old, new, count=1):
    text = _text()
    assert old in text, old
    return _failed(_stream_cache.analyze(text.replace(old, new, count), EXPECTED)[1])


def test_a_wrong_result_fewer_threads_and_other_sizes_invalidate():
    assert '3 wrong elements' in _mutated('seconds=0.113934 bytes=16241670144 errors=0',
                                          'seconds=0.113934 bytes=16241670144 errors=3')['l1_t1.triad_verified']['detail']
    assert 'wrong sum' in _mutated('seconds=0.109566 bytes=10578564864 errors=0',
                                   'seconds=0.109566 bytes=10578564864 errors=1')['l1_t1.read_verified']['detail']
    failed = _mutated('timer_resolution_ns=1 threads=2 asked_threads=2', 'timer_resolution_ns=1 threads=1 asked_threads=2')
    assert failed['all.threads']['detail'] == 'the program ran 1 threads, the pass asked for 2'
    failed = _mutated('level=l3 threads=2 elements=349504', 'level=l3 threads=2 elements=349440')
    assert failed['l3_all.size']['detail'] == 'elements per array per thread 349440, 349504, asked 349504'


def test_a_batch_too_short_for_the_timer_a_coarse_timer_and_l1_below_dram_are_caught():
    failed = _mutated('elements=672 reps=1056572 seconds=0.128636', 'elements=672 reps=1056572 seconds=0.000128636')
    assert 'shortest batch 0.000129 s' in failed['l1_t1.timed_above_resolution']['detail']
    # A 4 ms clock: the clock is refused, and 100 ms batches are under 10000 of its ticks.
    failed = _mutated('timer_resolution_ns=1 threads=1', 'timer_resolution_ns=4000000 threads=1')
    assert 't1.timer_resolution' in failed and 'dram_t1.timed_above_resolution' in failed
    # L1 read as slow as a tenth of DRAM: not the levels the figures are named after.
    failed = _mutated('elements=672 reps=1967739 seconds=0.109566', 'elements=672 reps=1967739 seconds=10.9566')
    assert failed['plausible.read_t1_l1_above_dram']['detail'].startswith('read 1.0 GB/s in L1, 9.0 GB/s in DRAM')
    assert 'number_format' in _mutated('seconds=0.113934', 'seconds=0.11.3934')


def test_a_nearer_level_slower_than_a_farther_one_is_reported_and_kept():
    # L1 triad at one thread made three times slower: below L2, still far above DRAM.
    failed = _mutated('elements=672 reps=1007048 seconds=0.113934', 'elements=672 reps=1007048 seconds=0.341802')
    assert list(failed) == ['levels_ordered.triad_t1'], failed
    assert failed['levels_ordered.triad_t1']['severity'] == 'warning'
    assert failed['levels_ordered.triad_t1']['detail'].startswith('triad GB/s: L1 47.5 < L2 ')


def test_without_a_known_last_level_cache_the_planners_dram_floor_is_the_rule():
    (_label, threads, sizes), = _stream_cache.passes({}, 0, 2, [1], 24e9, 0.5)
    assert [level for level, _n in sizes] == ['dram']
    checks = _stream_cache._rule_checks({'passes': [['t1', threads, sizes]], 'caches': {}, 'llc_bytes': 0})
    assert [c['passed'] for c in checks] == [True], checks
    half = [['dram', dict(sizes)['dram'] // 2]]
    assert [c['passed'] for c in _stream_cache._rule_checks({'passes': [['t1', 1, half]], 'caches': {},
                                                             'llc_bytes': 0})] == [False]


def test_sizes_against_a_host_with_other_caches_break_the_run_rule_not_the_result():
    smaller = dict(CACHES, l2={'size_bytes': 262144, 'instances': 2, 'total_bytes': 524288})
    checks = _stream_cache.analyze(_text(), dict(EXPECTED, caches=smaller, llc_bytes=4 * LLC))[1]
    failed = _failed(checks)
    assert sorted(failed) == ['run_rule.dram_all_size', 'run_rule.dram_t1_size', 'run_rule.l2_all_size',
                              'run_rule.l2_t1_size']
    assert all(c['severity'] == 'rule' for c in failed.values())
    assert 'within the 262144 bytes a thread has of L2' in failed['run_rule.l2_t1_size']['detail']


def test_the_report_draws_triad_per_level_with_every_vcpu_dashed():
    observed = _stream_cache.analyze(_text(), EXPECTED)[2]
    spec = _benchmarks.get('stream_cache').curves
    lines = [('vm', name, observed['curves'][name]) for name in sorted(observed['curves'])
             if any(re.match(pattern.replace('*', '.*'), name) for pattern in spec['lines'])]
    assert [name for _vm, name, _p in lines] == ['triad_all', 'triad_t1']
    figure = _report._curve_plot('stream_cache', 'Cache bandwidth', {
        'lines': lines, 'marks': [(32768, 'l1d', 'vm'), (1048576, 'l2', 'vm'), (33554432, 'l3', 'vm')],
        'hidden': 0, 'problems': []})
    paths = re.findall(r'<path class="line0( page-thp)?" d="M([^"]+)"/>', figure)
    assert [(dash, len(path.split('L'))) for dash, path in paths if len(path.split('L')) > 1] == \
        [(' page-thp', 4), ('', 4)], 'every vCPU dashed, one point per level'
    assert 'triad GB/s' in figure and 'thread count (dashed: every vCPU)' in figure and '>L2 1 MiB</text>' in figure


def test_results_without_the_header_cannot_show_their_timing():
    text = _text().replace('timer_resolution_ns=1 threads=1 asked_threads=1 min_ms=100\n', '', 1)
    failed = _failed(_stream_cache.analyze(text, EXPECTED)[1])
    assert 'timer resolution unknown (no header line)' in failed['l1_t1.timed_above_resolution']['detail']
    assert failed['t1.threads']['detail'] == 'the program ran an unknown number of threads (no header line), the pass ' \
        'asked for 1'
