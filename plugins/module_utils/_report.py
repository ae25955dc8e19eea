# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the collect report as text lines, Markdown and one self-contained HTML page.

A section per registered benchmark that has results, in the registry's order (the one list of
benchmarks): what its figure means, the headline value per instance type with the confidence
interval of each median as an error bar, the same per USD-hour, the figures the registry's
`report_metrics` name side by side (grouped bars, one plot per unit), the curves its results carry
(the latency curve) and the tables. `figures` is what _report_data gathered; plots are _svg_plots'.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _states
from ansible_collections.instancebench.aws.plugins.module_utils import _svg_plots

NO_PRICE_LOCAL = 'no price (not an EC2 instance)'
NO_PRICE = 'no price known'
BARS = 20                                  # instance types in one bar chart; the table has every one
SERIES = len(_svg_plots.PALETTE)           # instance types in one grouped plot
NO_FIGURES = {'figures': {}, 'curves': {}, 'local_types': [], 'all_local': False}


def _title(benchmark):
    """(title, what it measures) from the registry; the bare name for a benchmark nobody registered."""
    found = _benchmarks.get(benchmark)
    return (found.title, found.what) if found else (benchmark, '')


def _fmt(value, digits=1):
    return '-' if value is None else ('%.' + str(digits) + 'f') % value


def _states_phrase(summary):
    states = summary['states']
    ordered = [s for s in _states.REPORT_ORDER if s in states] + sorted(set(states) - set(_states.REPORT_ORDER))
    return ', '.join('%d %s' % (states[s], s) for s in ordered) or 'no jobs'


def price_text(entry, figures):
    """The price per hour a headline entry ran at, or why there is none."""
    if entry.get('price_per_hour_usd') is not None:
        return _fmt(entry['price_per_hour_usd'], 5)
    return NO_PRICE_LOCAL if entry['instance_type'] in figures['local_types'] else NO_PRICE


def cost_text(summary, figures):
    if summary['cost_usd'] is not None:
        return '%s USD' % _fmt(summary['cost_usd'], 4)
    return NO_PRICE_LOCAL if figures['all_local'] else 'unknown (no job with a price)'


def plan_lines(summary):
    """One sentence per scheduled plan: how far it has come, time and cost."""
    return ['plan %s (run %s): %d jobs: %d completed, %d running, %d failed, %d pending; %.1f %% done; '
            'about %.1f h of jobs left; cost so far %s USD (estimated %s for the completed jobs, %s for all)'
            % (p['schedule'], p['run_id'], p['jobs'], p['completed'], p['running'], p['failed'], p['pending'],
               p['percent_done'], p['estimated_hours_left'], _fmt(p['cost_usd'], 2),
               _fmt(p['estimated_cost_of_completed_usd'], 2), _fmt(p['estimated_cost_usd'], 2))
            for p in summary.get('plans', [])]


def _interval(entry, digits=1):
    """'low-high (level)' of a headline entry, or '-'."""
    if entry.get('ci_low') is None or entry.get('ci_high') is None:
        return '-'
    return '%s-%s (%.0f %%)' % (_fmt(entry['ci_low'], digits), _fmt(entry['ci_high'], digits),
                                100 * (entry.get('ci_level') or 0))


def _aligned(rows, width):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return [' '.join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip()[:width] for row in rows]


def text_lines(summary, headline, width=140, figures=None):
    """The terminal table: one line of counts, then the headline figures per instance type."""
    figures = figures or NO_FIGURES
    lines = ['runs %s: %d jobs (%s); %.1f %% finished; cost %s' % (
        ', '.join(summary['runs']) or '-', summary['jobs'], _states_phrase(summary),
        summary['percent_finished'], cost_text(summary, figures))] + plan_lines(summary)
    lines.extend(_aligned([('job', 'instance type', 'uarch', 'state', 'median of repetitions')] + [
        (j['job_id'], j['instance_type'], j['uarch'] or '-', j['state'], j['summary'])
        for j in summary['job_lines']], width) if summary['job_lines'] else [])
    rows = [('benchmark', 'instance type', 'uarch', 'n', 'median', 'CI of median', 'quality', 'unit', 'USD/h',
             'per USD/h')]
    for entry in headline:
        rows.append((entry['benchmark'], _label(entry), entry['uarch'] or '-', str(entry['n']),
                     _fmt(entry['median']), _interval(entry), entry.get('quality') or '-', entry['unit'],
                     price_text(entry, figures), per_usd_text(entry)))
    if len(rows) > 1:
        lines.extend(_aligned(rows, width))
    for problem in summary['problems']:
        lines.append(('PROBLEM %s: %s' % (problem['job_id'], '; '.join(problem['problems'])))[:width * 2])
    if summary['jobs_with_problems'] > len(summary['problems']):
        more = summary['jobs_with_problems'] - len(summary['problems'])
        lines.append('... %d more jobs with problems (see the report)' % more)
    return lines


def sections(headline, figures):
    """[(benchmark, its headline entries, its figure entries, its curves or None)] in the registry's
    order, for every benchmark with something to show."""
    out = []
    for name in _benchmarks.names():
        # Best first, as the metric's direction says (the headline table puts the largest first).
        entries = sorted([e for e in headline if e['benchmark'] == name],
                         key=lambda e: 0 if _higher_is_better(name) else e['median'])
        figs = figures['figures'].get(name, [])
        curves = figures['curves'].get(name)
        if entries or figs or (curves and curves['lines']):
            out.append((name, entries, figs, curves))
    return out


def _higher_is_better(benchmark):
    found = _benchmarks.get(benchmark)
    spec = _benchmarks.metric_spec(benchmark, found.headline) if found and found.headline else None
    return spec[1] if spec else True


def meaning(benchmark, entries):
    """What the section's headline figure is, in one sentence."""
    found = _benchmarks.get(benchmark)
    if not entries or found is None or not found.headline:
        return ('No single figure ranks %s: each of its figures is shown side by side, the median per instance '
                'type with the confidence interval of that median.' % _title(benchmark)[0])
    return ('%s (%s, %s is better): the median over each instance type\'s jobs, best first; the error bar and the '
            '"CI of median" column are the confidence interval of that median at the level given (below 95 %% with '
            'few repetitions); a noisy figure (repetitions spread beyond the CV gate) is marked and drawn hatched.'
            % (found.headline, entries[0]['unit'], 'higher' if _higher_is_better(benchmark) else 'lower'))


def per_usd_text(entry):
    """The figure per USD-hour; none for a lower-is-better figure (dividing it by a price ranks nothing)."""
    return _fmt(entry['per_usd_hour']) if _higher_is_better(entry['benchmark']) else '-'


def _figure_cell(entry):
    text = '%s (%s-%s)' % (_fmt(entry['median']), _fmt(entry['ci_low']), _fmt(entry['ci_high']))
    return text + (' noisy' if entry['quality'] == 'noisy' else '')


def figure_rows(figs):
    """(header, rows) of every figure as 'median (low-high)': a row per metric and a column per
    instance type while they are few (SERIES), else a row per instance type and a column per metric."""
    metrics = sorted(set(e['metric'] for e in figs))
    units = dict((e['metric'], e['unit']) for e in figs)
    cells = dict(((e['label'], e['metric']), e) for e in figs)
    labels = sorted(set(e['label'] for e in figs))
    if len(labels) <= SERIES:
        return ['figure'] + labels, [['%s (%s)' % (m, units[m])] + [
            _figure_cell(cells[(label, m)]) if (label, m) in cells else '-' for label in labels] for m in metrics]
    header = ['instance type'] + ['%s (%s)' % (m, units[m]) for m in metrics]
    return header, [[label] + [_figure_cell(cells[(label, m)]) if (label, m) in cells else '-' for m in metrics]
                    for label in labels]


def markdown(summary, headline, dataset_files, figures=None):
    figures = figures or NO_FIGURES
    out = ['# instancebench report', '',
           '- Runs: %s' % (', '.join('`%s`' % r for r in summary['runs']) or '-'),
           '- Jobs: %d (%s); %.1f %% finished' % (summary['jobs'], _states_phrase(summary), summary['percent_finished']),
           '- Cost of the jobs with a known price: %s (runtime x price per hour)' % cost_text(summary, figures),
           '- Dataset: %s' % ', '.join('`%s`' % f for f in dataset_files)]
    out += ['- %s' % line[0].upper() + line[1:] for line in plan_lines(summary)] + ['']
    for benchmark, entries, figs, _curves in sections(headline, figures):
        out += ['## %s (%s), median per instance type' % _title(benchmark), '', meaning(benchmark, entries), '']
        if entries:
            out += ['| instance type | uarch | jobs | median | CI of median | quality | unit | USD/h | per USD/h |',
                    '|---|---|---:|---:|---|---|---|---:|---:|']
            out += ['| %s | %s | %d | %s | %s | %s | %s | %s | %s |' % (
                _label(e), e['uarch'] or '-', e['n'], _fmt(e['median']), _interval(e),
                _noisy_mark(e), e['unit'], price_text(e, figures), per_usd_text(e)) for e in entries]
            out.append('')
        if figs:
            header, rows = figure_rows(figs)
            out += ['| %s |' % ' | '.join(header), '|%s' % ('---|' * len(header))]
            out += ['| %s |' % ' | '.join(row) for row in rows] + ['']
    if summary['unsuccessful']:
        out += ['## Jobs without a result (%d)' % summary['unsuccessful_count'], '',
                '| job | instance type | state | why |', '|---|---|---|---|']
        out += ['| %s | %s | %s | %s |' % (j['job_id'], j['instance_type'], j['state'], j['reason'].replace('|', '/'))
                for j in summary['unsuccessful']]
        out.append('')
    if summary['problems']:
        out += ['## Problems', ''] + ['- `%s`: %s' % (p['job_id'], '; '.join(p['problems'])) for p in summary['problems']]
        out.append('')
    return '\n'.join(out)


def _label(entry):
    """Instance type, with the variant when it is not the default one."""
    return entry.get('label') or entry['instance_type']


def _noisy_mark(entry):
    """Never show a noisy figure as if it were stable."""
    quality = entry.get('quality') or '-'
    return '**noisy**' if quality == 'noisy' else quality


def _html_table(header, rows):
    cells = ''.join('<th>%s</th>' % html.escape(h) for h in header)
    body = ''.join('<tr>%s</tr>' % ''.join('<td>%s</td>' % html.escape(str(c)) for c in row) for row in rows)
    return '<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (cells, body)


def bar_chart(title, entries, key, unit, spread=None, higher_is_better=True):
    """The headline bars (see _svg_plots.bar_chart), at most BARS of them."""
    return _svg_plots.bar_chart(title, entries, key, unit, spread=spread, higher_is_better=higher_is_better,
                                limit=BARS)


def _grouped_plots(name, entries, figs):
    """One grouped-bars plot per unit: a group per metric, a bar per instance type (the first SERIES,
    best first by the headline when there is one)."""
    order = [_label(e) for e in entries] + sorted(set(e['label'] for e in figs) - set(_label(e) for e in entries))
    series, hidden = order[:SERIES], max(0, len(order) - SERIES)
    plots = []
    for unit in sorted(set(e['unit'] for e in figs)):
        groups = []
        for metric in sorted(set(e['metric'] for e in figs if e['unit'] == unit)):
            groups.append((metric, dict((e['label'], e) for e in figs if e['metric'] == metric)))
        plots.append(_svg_plots.grouped_bars('%s: every figure in %s, per instance type (error bars: confidence '
                                             'interval of the median)' % (name, unit), groups, series, unit, hidden))
    return plots


def _curve_plot(benchmark, name, curves):
    spec = _benchmarks.get(benchmark).curves
    types = []
    lines = []
    for label, curve, points in curves['lines']:
        if label not in types:
            types.append(label)
        lines.append(('%s, %s' % (label, curve.replace('_', ' ')), points, types.index(label),
                      'page-thp' if curve.endswith(spec.get('dashed', '_thp')) else ''))
    sizes = {}
    for size, level, label in curves['marks']:
        sizes.setdefault(level, {}).setdefault(size, []).append(label)
    marks = []
    for level, by_size in sorted(sizes.items()):
        for size, labels in sorted(by_size.items()):
            text = level[0].upper() + level[1:]
            marks.append((size, text if len(by_size) == 1 else '%s (%s)' % (text, ', '.join(labels))))
    plot = _svg_plots.line_plot('%s: %s against %s' % (name, spec['y'], spec['x']), lines, marks, spec['x'],
                                spec['y'], hidden=curves['hidden'])
    caption = spec.get('caption') or ('One line per instance type and kind of pages (dashed: huge pages), from the '
                                      'first repetition of its first job; the dotted verticals are the cache sizes '
                                      'its host reported.')
    notes = ''.join('<p class="problems">%s</p>' % html.escape(p) for p in curves['problems'])
    return '<figure class="curve">%s<figcaption>%s</figcaption></figure>%s' % (plot, caption, notes)


def _html_section(benchmark, entries, figs, curves, figures):
    name, what = _title(benchmark)
    heading = '<section id="bench-%s"><h2>%s <small>%s</small></h2>' % tuple(
        html.escape(text) for text in (benchmark, name, what))
    out = [heading, '<p class="means">%s</p>' % html.escape(meaning(benchmark, entries))]
    if entries:
        unit, higher = entries[0]['unit'], _higher_is_better(benchmark)
        out.append(bar_chart('%s, median per instance type (error bars: confidence interval of the median)' % name,
                             entries, 'median', unit, spread=('ci_low', 'ci_high'), higher_is_better=higher))
        # Lower is better (latency): a figure per dollar ranks nothing, so no such chart.
        if higher and any(e['per_usd_hour'] is not None for e in entries):
            out.append(bar_chart('%s per USD/hour (on the price the job ran at)' % name, entries, 'per_usd_hour',
                                 '%s per USD/h' % unit))
        elif higher:
            out.append('<p class="noprice">No chart per USD/hour: %s.</p>' % html.escape(
                NO_PRICE_LOCAL if all(e['instance_type'] in figures['local_types'] for e in entries) else NO_PRICE))
        out.append(_html_table(('instance type', 'uarch', 'jobs', 'median (%s)' % unit, 'CI of median', 'quality',
                                'USD/h', 'per USD/h'), [
            (_label(e), e['uarch'] or '-', e['n'], _fmt(e['median']), _interval(e), e.get('quality') or '-',
             price_text(e, figures), per_usd_text(e)) for e in entries]))
    if figs:
        out.extend(_grouped_plots(name, entries, figs))
        out.append('<div class="wide">%s</div>' % _html_table(*figure_rows(figs)))
    if curves and curves['lines']:
        out.append(_curve_plot(benchmark, name, curves))
    out.append('</section>')
    return '\n'.join(out)


def html_page(summary, headline, dataset_files, figures=None):
    figures = figures or NO_FIGURES
    body = [_html_section(b, entries, figs, curves, figures) for b, entries, figs, curves in sections(headline, figures)]
    if summary['unsuccessful']:
        body.append('<h2>Jobs without a result (%d)</h2>' % summary['unsuccessful_count'])
        body.append(_html_table(('job', 'instance type', 'state', 'why'), [
            (j['job_id'], j['instance_type'], j['state'], j['reason']) for j in summary['unsuccessful']]))
    problems = ''.join('<li><code>%s</code>: %s</li>' % (html.escape(p['job_id']), html.escape('; '.join(p['problems'])))
                       for p in summary['problems'])
    return '\n'.join([
        '<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', '<title>instancebench report</title>',
        '<style>body{font-family:sans-serif;margin:2em;max-width:60em}' + _svg_plots.CSS +
        'table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}'
        '.problems{color:#b00}section{margin-bottom:2.5em}.wide{overflow-x:auto}</style>',
        '</head><body>', '<h1>instancebench report</h1>',
        '<p id="summary">Runs %s: %d jobs (%s); %.1f %% finished; cost %s.</p>' % (
            html.escape(', '.join(summary['runs']) or '-'), summary['jobs'], html.escape(_states_phrase(summary)),
            summary['percent_finished'], html.escape(cost_text(summary, figures))),
        ''.join('<p class="plan">%s</p>' % html.escape(line) for line in plan_lines(summary)),
        '\n'.join(body) or '<p>No validated result yet.</p>',
        ('<h2>Problems</h2><ul class="problems">%s</ul>' % problems) if problems else '',
        '<p>Dataset: %s</p>' % ', '.join('<code>%s</code>' % html.escape(f) for f in dataset_files),
        '</body></html>', ''])
