# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tuning search's logic on captured xhpl outputs of its stages (tests/fixtures/hpl_tuning):
what each stage runs or skips and why, the winner, and that replaying the outputs repeats it."""
import itertools
import random

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _hpl, _hpl_tuning
from harness.fixtures import read_fixture

STAGES = [('nb', 'stage-nb-n6000'), ('bcast_depth', 'stage-bcast-depth-n6000'),
          ('factorization', 'stage-factorization-n6000')]
START = {'pfact': 2, 'rfact': 1, 'bcast': 1, 'depth': 1, 'swap': 2, 'nbmin': 4, 'ndiv': 2}


def _dat(name):
    """{knob: [values]} of the HPL.dat a fixture ran with (HPL reads it by line position)."""
    lines = read_fixture('hpl_tuning', name + '.dat').splitlines()

    def values(index):
        return [int(token) for token in itertools.takewhile(str.isdigit, lines[index].split())]
    return {'n': values(5)[0], 'nb': values(7), 'pfact': values(14), 'rfact': values(20), 'bcast': values(22),
            'depth': values(24), 'swap': values(25)}


def _out(name):
    return read_fixture('hpl_tuning', name + '.txt')


@pytest.mark.parametrize('stage, name', STAGES)
def test_every_combination_of_the_hpl_dat_is_read_with_its_knobs(stage, name):
    asked = _dat(name)
    found = _hpl_tuning.combinations(_out(name), asked['swap'][0])
    knobs = ('nb', 'pfact', 'rfact', 'bcast', 'depth', 'swap')
    expected = set(itertools.product(*[asked[k] for k in knobs]))
    assert set(tuple(c[k] for k in knobs) for c in found) == expected and len(found) == len(expected)
    assert all(c['n'] == asked['n'] and c['passed'] and c['gflops'] > 0 for c in found)
    # The GFLOP/s are HPL's own: the same as its parser reads, in order.
    assert [c['gflops'] for c in found] == [r['gflops'] for r in _hpl.parse(_out(name))['runs']]


def test_variant_labels_round_trip_and_match_hpl():
    for depth, bcast, rfact, pfact in itertools.product(range(2), range(6), range(3), range(3)):
        knobs = dict(START, depth=depth, bcast=bcast, rfact=rfact, pfact=pfact)
        decoded = _hpl_tuning.decode(_hpl_tuning.variant(knobs))
        assert decoded == dict((k, knobs[k]) for k in decoded)
    assert _hpl_tuning.variant(dict(START)) == _hpl.parse(_out('stage-nb-n6000'))['runs'][0]['variant'] == 'WR11C2R4'
    assert _hpl_tuning.decode('WR11X2R4') is None


def _replay(p=1, q=2, budget=10000.0):
    state = _hpl_tuning.start(6000, p, q, dict(START, nb=256), budget, [128, 192, 256, 320])
    for (stage, name), asked in zip(STAGES, [{'nb': []}, {'bcast': [1, 3, 5], 'depth': [0, 1]},
                                             {'pfact': [0, 1, 2], 'rfact': [1, 2]}]):
        plan = _hpl_tuning.plan_stage(state, {'name': stage, 'knobs': asked})
        assert plan['run'] and len(plan['runs']) == 1
        state = _hpl_tuning.step(state, plan, [_out(name)])
    return state


def test_the_search_keeps_the_fastest_passing_combination_of_every_stage():
    state = _replay()
    everything = [c for _stage, name in STAGES for c in _hpl_tuning.combinations(_out(name), 2)]
    top = max(c['gflops'] for c in everything)
    tied = [c for c in everything if c['gflops'] >= top * (1 - _hpl_tuning.TIE)]
    assert state['winner']['gflops'] >= top * (1 - _hpl_tuning.TIE) and len(state['tried']) == len(everything)
    assert state['winner']['nb'] == max(c['nb'] for c in tied)
    assert all(state['best'][k] == state['winner'][k] for k in _hpl_tuning.KNOBS)
    assert state['variant'] == _hpl_tuning.variant(state['best'])
    assert [s['name'] for s in state['stages']] == ['nb', 'bcast_depth', 'factorization']
    assert all(s['ran'] and s['passed'] == s['results'] > 1 for s in state['stages'])
    # The estimate is the printed times with the overhead factor, nothing else.
    assert state['estimated_s'] == pytest.approx(_hpl_tuning.OVERHEAD * sum(c['time_s'] for c in everything))


def test_a_later_stage_runs_at_the_best_so_far():
    state = _hpl_tuning.start(6000, 1, 2, dict(START, nb=256), 10000, [128, 192, 256, 320])
    state = _hpl_tuning.step(state, _hpl_tuning.plan_stage(state, {'name': 'nb', 'knobs': {'nb': []}}),
                             [_out('stage-nb-n6000')])
    plan = _hpl_tuning.plan_stage(state, {'name': 'bcast_depth', 'knobs': {'bcast': [1, 3, 5], 'depth': [0, 1]}})
    assert plan['runs'][0]['nbs'] == [state['winner']['nb']] and plan['combinations'] == 6
    assert plan['runs'][0]['pfacts'] == [START['pfact']] and plan['runs'][0]['swap'] == START['swap']


def test_a_failed_residual_never_wins_and_ties_go_to_the_smaller_knobs():
    found = _hpl_tuning.combinations(_out('stage-bcast-depth-n6000'), 2)
    top = max(found, key=lambda c: c['gflops'])
    failed = [dict(c, passed=c is not top) for c in found]
    assert _hpl_tuning.fastest(failed)['gflops'] < top['gflops']
    tied = [dict(c, gflops=1.0) for c in found]
    for _attempt in range(5):
        random.shuffle(tied)
        assert _hpl_tuning.fastest(tied) == min(tied, key=lambda c: tuple(c[k] for k in _hpl_tuning.KNOBS))


def test_within_the_noise_the_largest_nb_wins_and_beyond_it_the_fastest():
    """The full N favours larger blocks than the search's small N: a larger NB within TIE of the
    fastest wins; one further behind does not."""
    found = _hpl_tuning.combinations(_out('stage-nb-n6000'), 2)
    top = max(found, key=lambda c: c['gflops'])
    larger = [c for c in found if c['nb'] > top['nb']]
    assert larger, 'the capture has an NB above the fastest one'
    near = [dict(c, gflops=top['gflops'] * (1 - _hpl_tuning.TIE / 2) if c is larger[0] else c['gflops']) for c in found]
    assert _hpl_tuning.fastest(near)['nb'] == max(c['nb'] for c in near if c['gflops'] >= top['gflops'] * (1 - _hpl_tuning.TIE))
    far = [dict(c, gflops=min(c['gflops'], top['gflops'] * (1 - 2 * _hpl_tuning.TIE))) if c is not top else c for c in found]
    assert _hpl_tuning.fastest(far) is far[found.index(top)]
    assert _hpl_tuning.fastest([dict(c, passed=False) for c in found]) is None


def test_stages_that_cannot_matter_on_the_grid_are_skipped_with_the_reason():
    state = _hpl_tuning.start(6000, 1, 1, dict(START, nb=256), 100, [128])
    plan = _hpl_tuning.plan_stage(state, {'name': 'bcast_depth', 'knobs': {'bcast': [1, 3]}})
    assert not plan['run'] and 'Q = 1' in plan['reason']
    plan = _hpl_tuning.plan_stage(state, {'name': 'swap', 'knobs': {'swap': [0, 1, 2]}})
    assert not plan['run'] and 'P = 1' in plan['reason']
    tall = _hpl_tuning.start(6000, 2, 1, dict(START, nb=256), 100, [128])
    plan = _hpl_tuning.plan_stage(tall, {'name': 'swap', 'knobs': {'swap': [0, 1, 2]}})
    # HPL.dat takes one SWAP: one xhpl run per value.
    assert plan['run'] and [r['swap'] for r in plan['runs']] == [0, 1, 2] and plan['combinations'] == 3
    fixed = _hpl_tuning.start(6000, 1, 2, dict(START, nb=256), 100, [])
    plan = _hpl_tuning.plan_stage(fixed, {'name': 'nb', 'knobs': {'nb': []}})
    assert not plan['run'] and 'hpl_nb is set' in plan['reason']
    after = _hpl_tuning.step(fixed, plan, [])
    assert after['stages'] == [{'name': 'nb', 'ran': False, 'combinations': 1, 'reason': plan['reason']}]


def test_a_stage_over_the_budget_is_skipped_and_the_estimate_comes_from_the_runs_so_far():
    nb = _out('stage-nb-n6000')
    spent = _hpl_tuning.OVERHEAD * sum(c['time_s'] for c in _hpl_tuning.combinations(nb, 2))
    per = spent / len(_hpl_tuning.combinations(nb, 2))
    stage = {'name': 'bcast_depth', 'knobs': {'bcast': [1, 3, 5], 'depth': [0, 1]}}
    for budget, runs in ((spent + 6 * per + 1, True), (spent + 6 * per - 1, False)):
        state = _hpl_tuning.start(6000, 1, 2, dict(START, nb=256), budget, [128, 192, 256, 320])
        state = _hpl_tuning.step(state, _hpl_tuning.plan_stage(state, {'name': 'nb', 'knobs': {'nb': []}}), [nb])
        plan = _hpl_tuning.plan_stage(state, stage)
        assert plan['run'] is runs, plan
        if not runs:
            assert 'hpl_tuning_budget' in plan['reason'] and '6 combinations' in plan['reason']


def test_the_stage_key_names_its_inputs():
    state = _hpl_tuning.start(6000, 1, 2, dict(START, nb=256), 100, [128, 256])
    stage = {'name': 'nb', 'knobs': {'nb': []}}
    key = _hpl_tuning.plan_stage(state, stage)['key']
    assert key == _hpl_tuning.plan_stage(dict(state), stage)['key']
    assert key != _hpl_tuning.plan_stage(dict(state, n=5000), stage)['key']
    assert key != _hpl_tuning.plan_stage(dict(state, nbs=[128, 192]), stage)['key']
    # One rank of 2 threads and one rank of 1 thread search the same 1 x 1 grid: never one key.
    single = _hpl_tuning.start(6000, 1, 1, dict(START, nb=256), 100, [128, 256], threads=1)
    socket = _hpl_tuning.start(6000, 1, 1, dict(START, nb=256), 100, [128, 256], threads=2)
    assert _hpl_tuning.plan_stage(single, stage)['key'] != _hpl_tuning.plan_stage(socket, stage)['key']


def test_wrong_inputs_are_refused_naming_the_fix():
    with pytest.raises(ValueError, match='hpl_tuning_budget'):
        _hpl_tuning.start(6000, 1, 2, dict(START, nb=256), 0, [])
    with pytest.raises(ValueError, match='lack swap'):
        _hpl_tuning.start(6000, 1, 2, dict(((k, v) for k, v in START.items() if k != 'swap'), nb=256), 100, [])
    state = _hpl_tuning.start(6000, 1, 2, dict(START, nb=256), 100, [128])
    with pytest.raises(ValueError, match='knobs are'):
        _hpl_tuning.plan_stage(state, {'name': 'x', 'knobs': {'threshold': [1, 2]}})
    plan = _hpl_tuning.plan_stage(state, {'name': 'nb', 'knobs': {'nb': [128, 256]}})
    with pytest.raises(ValueError, match='1 xhpl runs but 0 outputs'):
        _hpl_tuning.step(state, plan, [])


def test_whether_to_search_is_decided_once_with_its_reason():
    table = [128, 192, 256, 320]
    auto = _hpl_tuning.search_settings('auto', 20000, 256, 0, 6000, [], table)
    assert auto['search'] and auto['n'] == 6000 and auto['nbs'] == table and '2 x' in auto['reason']
    # Below 2 x the search's N the search would cost more than the run it tunes.
    small = _hpl_tuning.search_settings('auto', 11999, 256, 0, 6000, [], table)
    assert not small['search'] and 'cost more' in small['reason']
    assert _hpl_tuning.search_settings('auto', 12000, 256, 0, 6000, [], table)['search']
    assert _hpl_tuning.search_settings('always', 2000, 256, 0, 6000, [], table)['search']
    assert not _hpl_tuning.search_settings('never', 90000, 256, 0, 6000, [], table)['search']
    # The plan's own NB joins the table's; the user's list replaces it; a fixed NB leaves no NB stage.
    assert _hpl_tuning.search_settings('auto', 20000, 232, 0, 6000, [], table)['nbs'] == [128, 192, 232, 256, 320]
    assert _hpl_tuning.search_settings('auto', 20000, 232, 0, 6000, [96, 64], table)['nbs'] == [64, 96]
    assert _hpl_tuning.search_settings('always', 20000, 232, 200, 6000, [96], table)['nbs'] == []
    # The deprecated NB sweep turns the search on, even under never, at its own N with its NBs.
    sweep = _hpl_tuning.search_settings('never', 3000, 256, 0, 6000, [], table, [160, 128], 5000)
    assert sweep['search'] and sweep['n'] == 5000 and sweep['nbs'] == [128, 160] and 'deprecated' in sweep['reason']
    with pytest.raises(ValueError, match='auto, always or never'):
        _hpl_tuning.search_settings('sometimes', 20000, 256, 0, 6000, [], table)
