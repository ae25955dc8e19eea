# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the batch planner — jobs of a schedule request placed into daily time windows.

Pure and deterministic (same request, same plan). `check_request()` refuses bad input with one
problem per field; `plan_schedule()` places every job exactly once or refuses, saying which cap
to raise. Rules, in order:

- size waves: all jobs of one wave (e.g. every `.large`) are placed before the next wave starts,
  and a window holds one wave only;
- a window takes only benchmarks in its focus, round-robin over them, starting one further on
  each window (rotation), so no benchmark always goes last;
- in a window, jobs start at the earliest minute where fewer than `max_concurrency` run, the
  family's vCPUs stay within its quota, and the job ends before the window does (list scheduling);
- at most `max_jobs_per_day` jobs start on a day.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _rotation

NAME_PATTERN = re.compile(r'^[a-z0-9][a-z0-9-]{0,39}\Z')
_CLOCK = re.compile(r'^([01]\d|2[0-3]):([0-5]\d)\Z')
_FAMILY = re.compile(r'^[a-z][a-z0-9-]*\Z')
_TYPE = re.compile(r'^[a-z][a-z0-9-]*\.[a-z0-9-]+\Z')
_REGION = re.compile(r'^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}\Z')
MAX_DAYS = 366
MAX_JOBS = 20000


def problem(field, message):
    return '%s: %s' % (field, message)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_int(request, field, problems, default=None, cap=None):
    value = request.get(field, default)
    if not _is_int(value) or value < 1:
        problems.append(problem(field, 'must be a whole number of at least 1, got %r' % (value,)))
        return None
    if cap is not None and value > cap:
        problems.append(problem(field, '%d is above the limit of %d' % (value, cap)))
        return None
    return value


def _minutes(clock):
    match = _CLOCK.match(clock) if isinstance(clock, str) else None
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def check_request(request, data):
    """(normalized request, problems). `data`: size_vcpus, size_waves, variants, windows
    (the defaults), benchmark_minutes. Nothing is planned while there is a problem."""
    problems = []
    if not isinstance(request, dict):
        return None, [problem('schedule', 'must be a mapping, got %r' % (request,))]
    out = {'name': request.get('name', 'schedule')}
    if not isinstance(out['name'], str) or not NAME_PATTERN.match(out['name']):
        problems.append(problem('name', '%r: use 1-40 lowercase letters, digits and "-"' % (out['name'],)))
    out['regions'] = request.get('regions')
    if not isinstance(out['regions'], list) or not out['regions']:
        problems.append(problem('regions', 'required: a non-empty list of regions, e.g. [us-east-1]'))
        out['regions'] = []
    for region in out['regions']:
        if not isinstance(region, str) or not _REGION.match(region):
            problems.append(problem('regions', '%r is not a region name' % (region,)))
    out['regions'] = sorted(set(r for r in out['regions'] if isinstance(r, str) and _REGION.match(r)))
    out['days'] = _positive_int(request, 'days', problems, cap=MAX_DAYS)
    out['max_jobs_per_day'] = _positive_int(request, 'max_jobs_per_day', problems)
    out['max_concurrency'] = _positive_int(request, 'max_concurrency', problems)
    if 'max_concurrent' in request:
        problems.append(problem('max_concurrent', 'is now called max_concurrency (one name wherever it appears): '
                                'rename the field'))
    out['start_date'] = request.get('start_date')
    try:
        datetime.datetime.strptime(str(out['start_date']), '%Y-%m-%d')
    except ValueError:
        problems.append(problem('start_date', '%r is not a date: use YYYY-MM-DD' % (out['start_date'],)))
    for field, default, cap in (('retry_limit', 2, 10), ('retry_backoff_minutes', 30, 24 * 60)):
        out[field] = request.get(field, default)
        if not _is_int(out[field]) or not 0 <= out[field] <= cap:
            problems.append(problem(field, 'must be a whole number from 0 to %d, got %r' % (cap, out[field])))
    out['size_waves'] = request.get('size_waves', True)
    out['rotation'] = request.get('rotation', True)
    for field in ('size_waves', 'rotation'):
        if not isinstance(out[field], bool):
            problems.append(problem(field, 'must be true or false, got %r' % (out[field],)))
    out['selection'] = request.get('selection')
    if out['selection'] is not None and (request.get('families') or request.get('instance_types')):
        problems.append(problem('selection', 'give either a catalog selection or families/instance_types, not both'))
    out['types'] = [] if out['selection'] is not None else _check_types(request, data, problems)
    out['coverage'], more = _rotation.check_coverage(request.get('coverage'), out['days'])
    problems.extend(more)
    out['variants'] = _check_variants(request, data, problems)
    out['windows'] = _check_windows(request.get('windows', data['windows']), set(out['variants']), problems)
    out['spot_from_size'] = request.get('spot_from_size', data.get('spot_from_size'))
    if out['spot_from_size'] is not None and out['spot_from_size'] not in data['size_vcpus']:
        problems.append(problem('spot_from_size', '%r is not a size; use one of %s or null for on-demand only'
                                % (out['spot_from_size'], ', '.join(data['size_vcpus']))))
    out['vcpu_quota'] = _check_quotas(request, data, out['types'], problems)
    if not isinstance(request.get('plan', {}), dict):
        problems.append(problem('plan', 'must be a mapping of launch settings (results, networking, tags, ...), got %r'
                                % (request.get('plan'),)))
    problems.extend(too_many_jobs(out))
    return out, problems


def too_many_jobs(request):
    """A typo more often than a plan: refused before anything is asked of AWS (and again once a
    catalog selection has become types)."""
    jobs = len(request['types']) * len(request['regions']) * sum(len(v) for v in request['variants'].values())
    if jobs > MAX_JOBS:
        return [problem('selection' if request.get('selection') is not None else 'families',
                        'the request expands to %d jobs, more than %d; split it into several schedules'
                        % (jobs, MAX_JOBS))]
    return []


def vcpus_of(request, data, name, size):
    """A type's vCPUs: the catalog's when the types came from a selection, else the size table's."""
    return request.get('type_vcpus', {}).get(name) or data['size_vcpus'][size]


def with_catalog_types(request, selected):
    """The request with the types a catalog selection chose: selected = {region: [catalog entries]}.
    Each region keeps its own types (`region_types`); vCPUs come from the catalog."""
    out = dict(request)
    entries = dict((e['instance_type'], e) for chosen in selected.values() for e in chosen)
    out['types'] = [(name, e['family'], e['size']) for name, e in sorted(entries.items())]
    out['type_vcpus'] = dict((name, e['vcpus']) for name, e in entries.items())
    out['region_types'] = dict((region, sorted(e['instance_type'] for e in chosen)) for region, chosen in selected.items())
    return out


def _check_types(request, data, problems):
    """[(instance type, family, size)] from `families` ({family: [sizes]}) and/or `instance_types`."""
    types = []
    families, explicit = request.get('families') or {}, request.get('instance_types') or []
    if not families and not explicit:
        problems.append(problem('families', 'required (or instance_types): e.g. {m7i: [large, xlarge]}'))
    if not isinstance(families, dict):
        problems.append(problem('families', 'must map a family to its sizes, got %r' % (families,)))
        families = {}
    for family in sorted(families, key=str):
        sizes = families[family]
        if not isinstance(family, str) or not _FAMILY.match(family):
            problems.append(problem('families.%s' % family, 'not an EC2 family name'))
        elif not isinstance(sizes, list) or not sizes or not all(isinstance(size, str) for size in sizes):
            problems.append(problem('families.%s' % family, 'needs a non-empty list of size names, got %r' % (sizes,)))
        else:
            types.extend(('%s.%s' % (family, size), family, size) for size in sizes)
    if not isinstance(explicit, list):
        problems.append(problem('instance_types', 'must be a list, got %r' % (explicit,)))
        explicit = []
    for name in explicit:
        if not isinstance(name, str) or not _TYPE.match(name):
            problems.append(problem('instance_types', '%r is not an instance type' % (name,)))
        else:
            types.append((name,) + tuple(name.split('.', 1)))
    out, seen = [], set()
    for name, family, size in types:
        if size not in data['size_vcpus']:
            problems.append(problem('families.%s' % family, 'size %r is unknown; known sizes: %s'
                                    % (size, ', '.join(data['size_vcpus']))))
        elif name in seen:
            problems.append(problem('families.%s' % family, '%s is asked for twice (families and instance_types, or '
                                    'a size listed twice): list it once' % name))
        else:
            seen.add(name)
            out.append((name, family, size))
    return out


def _check_variants(request, data, problems):
    """{benchmark: [variant names]} — every variant of the registry's default benchmarks, or the subset asked for.
    A variant marked `opt_in` (an extra job per type, e.g. HPL on one core) runs only when named."""
    asked = request.get('benchmarks', sorted(name for name in data['variants'] if name in _benchmarks.defaults()))
    if not isinstance(asked, (list, dict)) or not asked:
        problems.append(problem('benchmarks', 'must list benchmarks (or map them to variants), got %r' % (asked,)))
        return {}
    if isinstance(asked, list):
        if not all(isinstance(name, str) for name in asked):
            problems.append(problem('benchmarks', 'must list benchmark names, got %r' % (asked,)))
            return {}
        asked = dict((name, None) for name in asked)
    out = {}
    for benchmark in sorted(asked, key=str):
        names = asked[benchmark]
        if not isinstance(benchmark, str) or not (names is None or isinstance(names, list)
                                                  and all(isinstance(n, str) for n in names)):
            problems.append(problem('benchmarks.%s' % benchmark, 'must map a benchmark to a list of variant names, got %r'
                                    % (names,)))
            continue
        known = data['variants'].get(benchmark)
        if known is None:
            problems.append(problem('benchmarks.%s' % benchmark, 'unknown benchmark; choose from %s'
                                    % ', '.join(sorted(data['variants']))))
            continue
        names = asked[benchmark] or sorted(name for name, spec in known.items() if not spec.get('opt_in'))
        unknown = [name for name in names if name not in known]
        if unknown:
            problems.append(problem('benchmarks.%s' % benchmark, 'unknown variant(s) %s; defined: %s'
                                    % (', '.join(map(str, unknown)), ', '.join(sorted(known)))))
            continue
        out[benchmark] = sorted(names)
    return out


def _check_windows(windows, benchmarks, problems):
    if not isinstance(windows, list) or not windows:
        problems.append(problem('windows', 'must be a non-empty list of {name, start, hours, focus}'))
        return []
    out, spans = [], []
    for index, window in enumerate(windows):
        field = 'windows[%d]' % index
        if not isinstance(window, dict):
            problems.append(problem(field, 'must be a mapping, got %r' % (window,)))
            continue
        start, hours, focus = _minutes(window.get('start')), window.get('hours'), window.get('focus')
        if not isinstance(window.get('name'), str) or not NAME_PATTERN.match(window.get('name', '')):
            problems.append(problem(field + '.name', 'required: 1-40 lowercase letters, digits and "-"'))
        if start is None:
            problems.append(problem(field + '.start', '%r is not a time of day: use HH:MM (UTC)' % (window.get('start'),)))
        if not isinstance(hours, (int, float)) or isinstance(hours, bool) or not 0 < hours <= 24:
            problems.append(problem(field + '.hours', 'must be more than 0 and at most 24, got %r' % (hours,)))
            hours = None
        if not isinstance(focus, list) or not focus:
            problems.append(problem(field + '.focus', 'a window with no benchmarks runs nothing: list some of %s'
                                    % ', '.join(sorted(benchmarks))))
            focus = []
        if start is None or hours is None:
            continue
        end = start + int(round(hours * 60))
        if end > 24 * 60:
            problems.append(problem(field, 'ends after midnight (%s + %s h): windows stay within a day'
                                    % (window['start'], hours)))
        for other_name, other_start, other_end in spans:
            if start < other_end and other_start < end:
                problems.append(problem(field, 'overlaps window %s' % other_name))
        spans.append((window.get('name'), start, end))
        out.append({'name': window.get('name'), 'start_minute': start, 'end_minute': end,
                    'focus': [b for b in focus if b in benchmarks]})
    uncovered = sorted(benchmarks - set(b for w in out for b in w['focus']))
    if out and uncovered:
        problems.append(problem('windows', 'no window runs %s: add it to a focus' % ', '.join(uncovered)))
    return sorted(out, key=lambda w: w['start_minute'])


def family_quotas(request, data, families):
    """({family: vCPU quota}, problems): vcpu_quota's, else default_vcpu_quota's. A catalog selection's
    type above its family's quota is left out by the caller, not refused: a catalog has such types."""
    quotas, problems = request.get('vcpu_quota', {}) or {}, []
    if not isinstance(quotas, dict):
        return {}, [problem('vcpu_quota', 'must map a family to its vCPU quota, got %r' % (quotas,))]
    out = {}
    for family in sorted(families):
        quota = quotas.get(family, request.get('default_vcpu_quota', data.get('default_vcpu_quota')))
        if not _is_int(quota) or quota < 1:
            problems.append(problem('vcpu_quota.%s' % family, 'must be a whole number of vCPUs, got %r' % (quota,)))
        else:
            out[family] = quota
    return out, problems


def _check_quotas(request, data, types, problems):
    """Each family's quota (family_quotas); a size the quota cannot hold once is refused, named."""
    out, more = family_quotas(request, data, set(family for _name, family, _size in types))
    problems.extend(more)
    for _name, family, size in types:
        if family in out and data['size_vcpus'][size] > out[family]:
            problems.append(problem('vcpu_quota.%s' % family, 'quota %d vCPUs is smaller than one %s.%s (%d vCPUs): '
                                    'raise the quota or drop the size' % (out[family], family, size,
                                                                          data['size_vcpus'][size])))
    return out


def expand(request, data, prices):
    """Every job: (region, type, benchmark, variant) with vCPUs, wave, market, estimated minutes
    and cost. prices: {(region, type): on-demand USD/h or None}."""
    waves = data['size_waves'] if request['size_waves'] else [list(data['size_vcpus'])]
    wave_of = dict((size, index) for index, sizes in enumerate(waves) for size in sizes)
    spot_from = data['size_vcpus'][request['spot_from_size']] if request['spot_from_size'] else None
    jobs = []
    for region, (name, family, size) in ((r, t) for r in request['regions'] for t in request['types']):
        if 'region_types' in request and name not in request['region_types'].get(region, ()):
            continue
        vcpus = vcpus_of(request, data, name, size)
        for benchmark in sorted(request['variants']):
            for variant in request['variants'][benchmark]:
                spec = data['variants'][benchmark][variant]
                # Larger sizes run bigger problems (HPL's N grows with memory): minutes grow per doubling.
                doublings = max(0, (vcpus // 2).bit_length() - 1)
                minutes = int(round(spec['minutes'] * spec.get('growth_per_doubling', 1.0) ** doublings))
                spot = spot_from is not None and vcpus >= spot_from
                price = prices.get((region, name))
                jobs.append({'region': region, 'instance_type': name, 'family': family, 'size': size, 'vcpus': vcpus,
                             'wave': wave_of.get(size, len(waves)), 'benchmark': benchmark, 'variant': variant,
                             'market': 'spot-with-fallback' if spot else 'on-demand', 'estimated_minutes': minutes,
                             'on_demand_price_per_hour_usd': price,
                             'estimated_cost_on_demand_usd': None if price is None else round(minutes / 60.0 * price, 4),
                             'estimated_cost_usd': None if price is None else round(
                                 minutes / 60.0 * price * (data['spot_price_factor'] if spot else 1.0), 4)})
    return sorted(jobs, key=lambda j: (j['wave'], j['benchmark'], j['variant'], j['region'], j['family'], j['vcpus'],
                                       j['size']))


def rotation_week(request, data, prices, state):
    """A coverage request's week: (request narrowed to the types this week measures, left out,
    figures, the rotation state after it). A type's cost is the sum of its jobs' estimates."""
    costs = {}
    for job in expand(request, data, prices):
        pair = (job['region'], job['instance_type'])
        known = job['estimated_cost_usd'] is not None and costs.get(pair, 0.0) is not None
        costs[pair] = costs.get(pair, 0.0) + job['estimated_cost_usd'] if known else None
    candidates = [(region, name) for region in request['regions'] for name, _family, _size in request['types']
                  if 'region_types' not in request or name in request['region_types'].get(region, ())]
    week = str(request['start_date'])
    chosen, left, figures = _rotation.pick(candidates, costs, state, week, request['coverage'])
    names = set(name for _region, name in chosen)
    narrowed = dict(request, types=[t for t in request['types'] if t[0] in names],
                    region_types=dict((region, sorted(n for r, n in chosen if r == region)) for region in request['regions']))
    return narrowed, left, figures, _rotation.next_state(state, chosen, week, figures)


def job_key(job):
    """What makes a job unique in a schedule."""
    return (job['region'], job['instance_type'], job['benchmark'], job['variant'])


class Refusal(Exception):
    """The jobs do not fit the days and caps; the message says which to raise."""


def _rotated(candidates, focus, turn):
    """Round-robin over the focus benchmarks, starting `turn` places further on."""
    start = turn % len(focus) if focus else 0
    queues = [[j for j in candidates if j['benchmark'] == b] for b in focus[start:] + focus[:start]]
    out = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def _fits(placed, start, job, request):
    """Can `job` run from `start` (window minutes) among `placed` without breaking a cap?"""
    end = start + job['estimated_minutes']
    checkpoints = [start] + [p['start'] for p in placed if start < p['start'] < end]
    quota = request['vcpu_quota'][job['family']]
    for moment in checkpoints:
        running = [p for p in placed if p['start'] <= moment < p['end']]
        if len(running) + 1 > request['max_concurrency']:
            return False
        # Quotas are per region: the same family elsewhere does not count.
        if sum(p['vcpus'] for p in running if (p['region'], p['family']) == (job['region'], job['family'])) \
                + job['vcpus'] > quota:
            return False
    return True


def _place_in_window(window, candidates, request, day_room):
    placed = []
    length = window['end_minute'] - window['start_minute']
    for job in candidates:
        if len(placed) >= day_room:
            break
        for start in sorted(set([0] + [p['end'] for p in placed])):
            if start + job['estimated_minutes'] > length:
                break
            if _fits(placed, start, job, request):
                placed.append(dict(job, start=start, end=start + job['estimated_minutes']))
                break
    return placed


def plan_schedule(request, jobs):
    """Windows in time order with their jobs; raises Refusal when some job does not fit."""
    remaining = list(jobs)
    for job in remaining:
        if job['estimated_minutes'] > max(w['end_minute'] - w['start_minute'] for w in request['windows']):
            raise Refusal('%s %s %s/%s takes about %d minutes, longer than any window; lengthen a window'
                          % (job['region'], job['instance_type'], job['benchmark'], job['variant'],
                             job['estimated_minutes']))
    start = datetime.datetime.strptime(str(request['start_date']), '%Y-%m-%d')
    windows, turn = [], 0
    for day in range(request['days']):
        date = start + datetime.timedelta(days=day)
        day_room = request['max_jobs_per_day']
        for window in request['windows']:
            if not remaining:
                break
            wave = min(j['wave'] for j in remaining)
            candidates = [j for j in remaining if j['wave'] == wave and j['benchmark'] in window['focus']]
            if request['rotation']:
                candidates = _rotated(candidates, window['focus'], turn)
            turn += 1
            placed = _place_in_window(window, candidates, request, day_room) if day_room else []
            day_room -= len(placed)
            taken = set(job_key(j) for j in placed)
            remaining = [j for j in remaining if job_key(j) not in taken]
            opens = date + datetime.timedelta(minutes=window['start_minute'])
            windows.append({'name': 'd%d-%s' % (day + 1, window['name']), 'day': day + 1,
                            'date': date.strftime('%Y-%m-%d'), 'window': window['name'],
                            'start': opens.strftime('%Y-%m-%dT%H:%M:%SZ'),
                            'end': (date + datetime.timedelta(minutes=window['end_minute'])).strftime('%Y-%m-%dT%H:%M:%SZ'),
                            'size_wave': wave if placed else None, 'jobs': [_public(j) for j in placed]})
    if remaining:
        raise Refusal('%d of %d jobs do not fit in %d days of %d windows (max_jobs_per_day %d, max_concurrency %d, '
                      'vCPU quotas %s); raise days or a cap, or lengthen the windows'
                      % (len(remaining), len(jobs), request['days'], len(request['windows']), request['max_jobs_per_day'],
                         request['max_concurrency'], ', '.join('%s %d' % kv for kv in sorted(request['vcpu_quota'].items()))))
    return windows


def _public(job):
    out = dict((k, v) for k, v in job.items() if k not in ('start', 'end'))
    out['start_offset_minutes'] = job['start']
    return out


def summarize(windows, request):
    """Totals for the plan file and the terminal; windows = every window of every day."""
    jobs = [j for w in windows for j in w['jobs']]
    used = [w for w in windows if w['jobs']]
    priced = [j for j in jobs if j['estimated_cost_usd'] is not None]
    return {
        'jobs': len(jobs), 'windows': request['days'] * len(request['windows']), 'windows_used': len(used),
        'days': request['days'], 'days_used': len(set(w['day'] for w in used)),
        'jobs_per_window': ['%s: %d' % (w['name'], len(w['jobs'])) for w in used],
        'estimated_cost_usd': round(sum(j['estimated_cost_usd'] for j in priced), 2),
        'estimated_cost_on_demand_usd': round(sum(j['estimated_cost_on_demand_usd'] for j in priced), 2),
        'jobs_without_price': len(jobs) - len(priced),
        'estimated_instance_hours': round(sum(j['estimated_minutes'] for j in jobs) / 60.0, 1),
    }
