# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: HPL's tuning search — a short coordinate descent over the HPL.dat knobs that matter on
one node (NB, then BCAST x DEPTH, then PFACT x RFACT, then SWAP) at a small N, whose winner the
full-N run uses.

One stage is one xhpl run: HPL.dat lists several values per knob and HPL runs every combination
(SWAP takes one value per HPL.dat, so a SWAP stage is one run per value). Each stage keeps the other
knobs at the best so far. A stage is skipped, with its reason, when its knob cannot matter on this
grid (BCAST with Q = 1: no row broadcast; SWAP with P = 1: row swaps stay inside one process) or
when the time it would take, estimated from the runs so far, does not fit the budget's remainder.
Every decision comes from the stage outputs alone, so replaying the stored outputs (a re-run of
the role) repeats the search's choices without running it again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _hpl

KNOBS = ('nb', 'pfact', 'rfact', 'bcast', 'depth', 'swap')
# HPL's one-letter names of the panel factorizations (L = left-looking, C = Crout, R = right-looking).
FACT_LETTERS = 'LCR'
# T/V column: W, process mapping (R/C), DEPTH, BCAST, RFACT, NDIV, PFACT, NBMIN (HPL_pdtest.c).
_VARIANT = re.compile(r'^W([RC])(\d)(\d)([LCR])(\d+)([LCR])(\d+)$')
# A combination's wall time over the time HPL prints: matrix generation, the residual check and
# the launch (measured on 2 cores: 27.3 s wall for 22.1 s of printed times, 1.23; kept above it).
OVERHEAD = 1.5


def variant(knobs):
    """HPL's T/V label of the knobs (row-major mapping): e.g. depth 1, bcast 1, rfact Crout,
    ndiv 2, pfact right, nbmin 4 -> 'WR11C2R4'."""
    return 'WR%d%d%s%d%s%d' % (int(knobs['depth']), int(knobs['bcast']), FACT_LETTERS[int(knobs['rfact'])],
                               int(knobs['ndiv']), FACT_LETTERS[int(knobs['pfact'])], int(knobs['nbmin']))


def decode(label):
    """{depth, bcast, rfact, ndiv, pfact, nbmin} of a T/V label, or None when it is not one."""
    match = _VARIANT.match(label or '')
    if not match:
        return None
    _order, depth, bcast, rfact, ndiv, pfact, nbmin = match.groups()
    return {'depth': int(depth), 'bcast': int(bcast), 'rfact': FACT_LETTERS.index(rfact), 'ndiv': int(ndiv),
            'pfact': FACT_LETTERS.index(pfact), 'nbmin': int(nbmin)}


def combinations(text, swap):
    """Every result of one stage's xhpl output as [{n, nb, p, q, pfact, rfact, bcast, depth, swap,
    gflops, time_s, passed}]; `swap` is the SWAP its HPL.dat stated (HPL does not print it per run).
    A result whose label is not HPL's T/V form is left out (it cannot be told apart)."""
    found = []
    for run in _hpl.parse(text)['runs']:
        knobs = decode(run['variant'])
        if knobs is None:
            continue
        found.append({'n': run['n'], 'nb': run['nb'], 'p': run['p'], 'q': run['q'], 'pfact': knobs['pfact'],
                      'rfact': knobs['rfact'], 'bcast': knobs['bcast'], 'depth': knobs['depth'], 'swap': int(swap),
                      'gflops': run['gflops'], 'time_s': run['time_s'], 'passed': run['passed'] is True})
    return found


# At the search's small N, combinations within this share of the fastest are a tie: the run-to-run
# noise of one xhpl pass on a quiet 2-core host is about 1 %. Of tied combinations the largest NB wins,
# because the full N favours larger blocks than the search's N does (measured, Zen 4, 1 x 2 ranks,
# PFACT 1, RFACT 2, DEPTH 0: at N=6000 NB 128-192 within 0.2 % and 256 3 % behind; at N=20000 NB 224 and
# 256 fastest, 192 0.9 % and 128 2.5 % behind).
TIE = 0.01


def _order(combination):
    # The largest NB first, then the fastest; then the smaller knob values, so the same outputs
    # always give one winner.
    return (-int(combination['nb']), -combination['gflops']) + tuple(int(combination[k]) for k in KNOBS)


def fastest(tried):
    """The winner among the combinations whose residual check passed (None if none did): of those
    within TIE of the fastest, the one with the largest NB, then the fastest."""
    passed = [c for c in tried if c['passed']]
    if not passed:
        return None
    top = max(c['gflops'] for c in passed)
    return min((c for c in passed if c['gflops'] >= top * (1 - TIE)), key=_order)


def search_settings(mode, full_n, plan_nb, fixed_nb, tuning_n, tuning_nbs, table_nbs, nb_sweep=(), nb_sweep_n=0):
    """Whether this run searches, at which N and over which NBs: {'search', 'reason', 'n', 'nbs'}.

    `mode`: auto (search when the full N is at least 2 x the search's N: below that the search would
    cost more than the run it tunes), always or never. A non-empty `nb_sweep` (the deprecated NB-only
    sweep) turns the search on with its NBs at `nb_sweep_n`. A fixed NB (`fixed_nb` > 0) leaves no NB
    stage (an empty list); otherwise the user's `tuning_nbs`, else the table's `table_nbs` and the
    plan's own NB."""
    if mode not in ('auto', 'always', 'never'):
        raise ValueError('hpl_tuning must be auto, always or never, got %r' % (mode,))
    sweep = [int(v) for v in nb_sweep or ()]
    n = int(nb_sweep_n) if sweep else int(tuning_n)
    if sweep:
        search, reason = True, 'hpl_nb_sweep is set (deprecated: hpl_tuning_nbs)'
    elif mode == 'never':
        search, reason = False, 'hpl_tuning is never'
    elif mode == 'always':
        search, reason = True, 'hpl_tuning is always'
    elif int(full_n) >= 2 * n:
        search, reason = True, 'N %d is at least 2 x the search\'s N %d' % (int(full_n), n)
    else:
        search, reason = False, 'N %d is below 2 x the search\'s N %d: the search would cost more than the run' % (
            int(full_n), n)
    if int(fixed_nb) > 0:
        nbs = []
    else:
        nbs = [int(v) for v in (tuning_nbs or sweep or list(table_nbs) + [plan_nb])]
    return {'search': search, 'reason': reason, 'n': n, 'nbs': sorted(set(nbs))}


def start(n, p, q, knobs, budget_s, nbs, threads=1):
    """The search's state before its first stage: N of the search and the grid, the starting knobs
    (`knobs`: nb, pfact, rfact, bcast, depth, swap, nbmin, ndiv; what runs when nothing is searched),
    `nbs` the block sizes a stage asking for NB candidates (an empty list) tries, `threads` the
    OpenMP/BLAS threads per rank (part of every stage's key: a search made for one layout is never
    replayed for another on the same grid), no run yet.
    The state is also the result's record: every stage, every combination tried with its GFLOP/s,
    the winner (None until a combination passed), the knobs the full run uses and their T/V label."""
    missing = [k for k in KNOBS + ('nbmin', 'ndiv') if k not in knobs]
    if missing:
        raise ValueError('the starting HPL knobs lack %s' % ', '.join(missing))
    if int(n) < 1 or float(budget_s) <= 0:
        raise ValueError('hpl_tuning_n (%s) and hpl_tuning_budget (%s) must be above 0' % (n, budget_s))
    best = dict((k, int(knobs[k])) for k in KNOBS + ('nbmin', 'ndiv'))
    return {'n': int(n), 'p': int(p), 'q': int(q), 'threads': int(threads), 'budget_s': float(budget_s), 'nbs': sorted(set(int(v) for v in nbs)),
            'start': dict(best), 'best': best, 'variant': variant(best), 'winner': None, 'tried': [], 'stages': [],
            'estimated_s': 0.0}


def _per_combination_s(state):
    times = [c['time_s'] for c in state['tried']]
    return OVERHEAD * sum(times) / len(times) if times else None


def plan_stage(state, stage):
    """What a stage runs: {name, run, reason, combinations, runs: [{nbs, pfacts, rfacts, bcasts,
    depths, swap}], key}. stage: {name, knobs: {knob: [values]}}; a knob not in the stage stays at
    the best so far; an empty NB list takes the state's candidates. `key` names the stage's outputs (its inputs hashed), so a stored one is reused."""
    asked = dict((k, [int(v) for v in (values or (state['nbs'] if k == 'nb' else []))])
                 for k, values in stage['knobs'].items())
    unknown = sorted(set(asked) - set(KNOBS))
    if unknown:
        raise ValueError('tuning stage %s names %s: knobs are %s' % (stage['name'], ', '.join(unknown), ', '.join(KNOBS)))
    reasons = []
    if 'bcast' in asked and state['q'] == 1:
        del asked['bcast']
        reasons.append('BCAST: Q = 1, no row broadcast')
    if 'swap' in asked and state['p'] == 1:
        del asked['swap']
        reasons.append('SWAP: P = 1, row swaps stay inside one process')
    if 'nb' in asked and not asked['nb']:
        reasons.append('NB: no candidates (hpl_nb is set)')
    asked = dict((k, sorted(set(v))) for k, v in asked.items() if v and (len(set(v)) > 1 or v != [state['best'][k]]))
    lists = dict((k, asked.get(k, [state['best'][k]])) for k in KNOBS)
    count = 1
    for values in lists.values():
        count *= len(values)
    plan = {'name': stage['name'], 'run': False, 'combinations': count, 'runs': [], 'key': '', 'reason': ''}
    if not asked:
        plan['reason'] = '; '.join(reasons) or 'nothing to try beyond the best so far'
        return plan
    per = _per_combination_s(state)
    remaining = state['budget_s'] - state['estimated_s']
    if per is not None and per * count > remaining:
        plan['reason'] = '%d combinations would take about %.0f s, over the %.0f s left of hpl_tuning_budget' % (
            count, per * count, max(0.0, remaining))
        return plan
    runs = [{'nbs': lists['nb'], 'pfacts': lists['pfact'], 'rfacts': lists['rfact'], 'bcasts': lists['bcast'],
             'depths': lists['depth'], 'swap': swap, 'nbmin': state['best']['nbmin'], 'ndiv': state['best']['ndiv']}
            for swap in lists['swap']]
    blob = json.dumps({'n': state['n'], 'p': state['p'], 'q': state['q'], 'threads': state.get('threads', 1), 'runs': runs},
                      sort_keys=True)
    plan.update(run=True, runs=runs, reason='; '.join(reasons), key=hashlib.sha256(blob.encode()).hexdigest()[:12])
    return plan


def step(state, plan, outputs):
    """The state after a stage: its combinations added (outputs: one xhpl output per run of the
    plan, in order), the best knobs moved to the fastest passing combination of every stage so
    far, and the stage recorded (ran or skipped, and why)."""
    new = dict(state, tried=list(state['tried']), stages=list(state['stages']), best=dict(state['best']))
    record = {'name': plan['name'], 'ran': bool(plan['run']), 'combinations': plan['combinations']}
    if plan['reason']:
        record['reason'] = plan['reason']
    if plan['run']:
        if len(outputs) != len(plan['runs']):
            raise ValueError('tuning stage %s ran %d xhpl runs but %d outputs came back'
                             % (plan['name'], len(plan['runs']), len(outputs)))
        found = []
        for run, text in zip(plan['runs'], outputs):
            found.extend(dict(c, stage=plan['name']) for c in combinations(text, run['swap']))
        record['results'] = len(found)
        record['passed'] = len([c for c in found if c['passed']])
        new['tried'].extend(found)
        new['estimated_s'] = state['estimated_s'] + OVERHEAD * sum(c['time_s'] for c in found)
        winner = fastest(new['tried'])
        if winner:
            new['best'].update((k, winner[k]) for k in KNOBS)
            new['winner'] = dict(winner)
            new['variant'] = variant(new['best'])
    new['stages'].append(record)
    return new
