# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the coverage rotation — which (region, instance type) a week's schedule measures so that
a whole catalog selection is measured at least every N weeks within a weekly budget.

A schedule request with

    coverage: {every_weeks: 4, budget_usd_per_week: 300}

plans one week (its `days` are at most 7). The order is oldest measurement first (never planned
before anything planned; then the earliest `planned` date; then name, so plans are reproducible);
planning the same week again decides from the state as it was before that week, so it picks the same.
This week takes its share of the selection (all of it over `every_weeks` weeks) plus everything
overdue, while the budget lasts; what it leaves says why (budget, not due yet, no price). The state
(when each type was last planned, and the weeks so far) lives in the results store at STATE_KEY so
that next week's plan continues where this one stopped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import math

STATE_KEY = 'rotation/schedule=%s/state.json'
MAX_WEEKS = 52
_FIELDS = ('every_weeks', 'budget_usd_per_week')


def check_coverage(coverage, days):
    """(checked coverage or None, problems naming `coverage.<field>`)."""
    if coverage is None:
        return None, []
    if not isinstance(coverage, dict):
        return None, ['coverage: must be a mapping {every_weeks: N, budget_usd_per_week: USD}, got %r' % (coverage,)]
    problems = ['coverage.%s: not a coverage field; use %s' % (name, ', '.join(_FIELDS))
                for name in sorted(set(coverage) - set(_FIELDS), key=str)]
    weeks, budget = coverage.get('every_weeks'), coverage.get('budget_usd_per_week')
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        problems.append('coverage.every_weeks: a whole number of weeks from 1 to %d, got %r' % (MAX_WEEKS, weeks))
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget <= 0:
        problems.append('coverage.budget_usd_per_week: a positive amount of USD, got %r' % (budget,))
    if days is not None and days > 7:
        problems.append('days: a coverage schedule plans one week at a time (at most 7 days), got %d; '
                        'plan again next week and the rotation continues' % days)
    return (None if problems else {'every_weeks': weeks, 'budget_usd_per_week': float(budget)}), problems


def empty_state(name):
    return {'schedule': name, 'types': {}, 'weeks': []}


def _key(region, instance_type):
    return '%s/%s' % (region, instance_type)


def _weeks_since(planned, week_start):
    if not planned:
        return None
    then = datetime.datetime.strptime(planned, '%Y-%m-%d')
    now = datetime.datetime.strptime(week_start, '%Y-%m-%d')
    return (now - then).days / 7.0


def pick(candidates, costs, state, week_start, coverage):
    """This week's part of the rotation.

    candidates: [(region, instance type)] selected and offered; costs: {(region, type): estimated USD
    of all its jobs, or None when it has no price}; state: the stored rotation state (or empty_state).
    Returns (chosen [(region, type)] in rotation order, left [{region, instance_type, reason}],
    figures {...} for the summary)."""
    weeks, budget = coverage['every_weeks'], coverage['budget_usd_per_week']
    planned = _before_week(state, week_start)

    def order(candidate):
        # Never planned first, then the oldest; then by name, so the plan is reproducible.
        age = _weeks_since(planned.get(_key(*candidate)), week_start)
        return (0 if age is None else 1, -(age or 0), candidate[1], candidate[0])
    ordered = sorted(candidates, key=order)
    share = int(math.ceil(len(candidates) / float(weeks))) if candidates else 0
    chosen, left, spent = [], [], 0.0
    for candidate in ordered:
        region, name = candidate
        age = _weeks_since(planned.get(_key(region, name)), week_start)
        overdue = age is not None and age >= weeks
        cost = costs.get(candidate)
        if cost is None:
            left.append({'region': region, 'instance_type': name, 'reason': 'no price known: it cannot be budgeted'})
        elif len(chosen) >= share and not overdue:
            left.append({'region': region, 'instance_type': name,
                         'reason': 'not due yet (this week\'s share of %d is full; measured %s)'
                                   % (share, 'never' if age is None else '%.0f week(s) ago' % age)})
        elif spent + cost > budget:
            left.append({'region': region, 'instance_type': name,
                         'reason': 'budget: %.2f USD would pass the week\'s %.2f USD (%.2f USD spent)'
                                   % (cost, budget, spent)})
        else:
            chosen.append(candidate)
            spent += cost
    priced = [cost for cost in costs.values() if cost is not None]
    full_cycle = sum(priced)
    needed = int(math.ceil(full_cycle / budget)) if budget else None
    figures = {'candidates': len(candidates), 'chosen': len(chosen), 'share_per_week': share,
               'estimated_cost_usd': round(spent, 2), 'budget_usd_per_week': budget,
               'full_cycle_cost_usd': round(full_cycle, 2), 'weeks_needed_at_budget': needed,
               'every_weeks': weeks, 'without_price': len(candidates) - len(priced),
               'left': _reasons(left)}
    if needed is not None and needed > weeks:
        figures['warning'] = ('the selection costs %.2f USD per cycle: at %.2f USD a week it takes %d weeks, not %d; '
                              'raise coverage.budget_usd_per_week to %.2f or coverage.every_weeks to %d'
                              % (full_cycle, budget, needed, weeks, full_cycle / weeks, needed))
    return chosen, left, figures


def reason_kind(entry):
    """The first words of a left-out reason: budget, not due yet, no price known, quota."""
    return entry['reason'].split(':')[0].split(' (')[0]


def _reasons(left):
    out = {}
    for entry in left:
        out[reason_kind(entry)] = out.get(reason_kind(entry), 0) + 1
    return out


def _before_week(state, week_start):
    """{type key: date last planned before `week_start`'s own plan, or None}: planning a week again
    decides from the state as it was before that week (its earlier plan rewound), so it picks the same."""
    out = {}
    for key, value in state.get('types', {}).items():
        out[key] = value.get('previous') if value.get('planned') == week_start else value.get('planned')
    return out


def next_state(state, chosen, week_start, figures):
    """The state after this week's plan: chosen types planned on `week_start` (each keeping the date
    before it, `previous`); the week recorded once (planning the same week again replaces its plan,
    so a re-run with the same inputs changes nothing)."""
    before = _before_week(state, week_start)
    types = dict((key, {'planned': when}) for key, when in before.items() if when)
    for region, name in chosen:
        entry = {'planned': week_start}
        if before.get(_key(region, name)):
            entry['previous'] = before[_key(region, name)]
        types[_key(region, name)] = entry
    week = {'start_date': week_start, 'chosen': len(chosen), 'estimated_cost_usd': figures['estimated_cost_usd']}
    weeks = [entry for entry in state.get('weeks', []) if entry.get('start_date') != week_start] + [week]
    return {'schedule': state.get('schedule'), 'types': types, 'weeks': sorted(weeks, key=lambda w: w['start_date'])}


def summary_lines(figures, left, examples=3):
    """What the terminal shows: the week's share and cost, the warning, and the left-out types grouped
    by reason with a few examples each (a catalog leaves hundreds; the full list is in left_out)."""
    lines = []
    if figures:
        lines.append('coverage: %d of %d types this week (share %d a week over %d weeks), estimated %.2f of %.2f USD; '
                     'a full cycle costs %.2f USD (%s weeks at this budget)'
                     % (figures['chosen'], figures['candidates'], figures['share_per_week'], figures['every_weeks'],
                        figures['estimated_cost_usd'], figures['budget_usd_per_week'], figures['full_cycle_cost_usd'],
                        figures['weeks_needed_at_budget']))
        if figures.get('warning'):
            lines.append('WARNING: ' + figures['warning'])
    groups = {}
    for entry in left:
        groups.setdefault(reason_kind(entry), []).append(entry)
    for kind, entries in sorted(groups.items()):
        shown = ', '.join('%s %s' % (e['region'], e['instance_type']) for e in entries[:examples])
        lines.append('left for later, %s: %d type(s), e.g. %s (%s)' % (kind, len(entries), shown, entries[0]['reason']))
    return lines
