# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the collect report as text lines, Markdown and one self-contained HTML page.

Plots are inline SVG drawn here (no JavaScript, no network, no plotting library on the
controller): per benchmark, the headline value per instance type and the same per dollar-hour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _states


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


def text_lines(summary, headline, width=120):
    """The terminal table: one line of counts, then the headline figures per instance type."""
    lines = ['runs %s: %d jobs (%s); %.1f %% finished; cost %s USD' % (
        ', '.join(summary['runs']) or '-', summary['jobs'], _states_phrase(summary),
        summary['percent_finished'], _fmt(summary['cost_usd'], 4))] + plan_lines(summary)
    lines.extend(_aligned([('job', 'instance type', 'uarch', 'state', 'median of repetitions')] + [
        (j['job_id'], j['instance_type'], j['uarch'] or '-', j['state'], j['summary'])
        for j in summary['job_lines']], width) if summary['job_lines'] else [])
    rows = [('benchmark', 'instance type', 'uarch', 'n', 'median', 'CI of median', 'quality', 'unit', 'USD/h',
             'per USD/h')]
    for entry in headline:
        rows.append((entry['benchmark'], _label(entry), entry['uarch'] or '-', str(entry['n']),
                     _fmt(entry['median']), _interval(entry), entry.get('quality') or '-', entry['unit'],
                     _fmt(entry['price_per_hour_usd'], 5), _fmt(entry['per_usd_hour'])))
    if len(rows) > 1:
        lines.extend(_aligned(rows, width))
    for problem in summary['problems']:
        lines.append(('PROBLEM %s: %s' % (problem['job_id'], '; '.join(problem['problems'])))[:width * 2])
    if summary['jobs_with_problems'] > len(summary['problems']):
        more = summary['jobs_with_problems'] - len(summary['problems'])
        lines.append('... %d more jobs with problems (see the report)' % more)
    return lines


def markdown(summary, headline, dataset_files):
    out = ['# instancebench report', '',
           '- Runs: %s' % (', '.join('`%s`' % r for r in summary['runs']) or '-'),
           '- Jobs: %d (%s); %.1f %% finished' % (summary['jobs'], _states_phrase(summary), summary['percent_finished']),
           '- Cost of the jobs with a known price: %s USD (runtime x price per hour)' % _fmt(summary['cost_usd'], 4),
           '- Dataset: %s' % ', '.join('`%s`' % f for f in dataset_files)]
    out += ['- %s' % line[0].upper() + line[1:] for line in plan_lines(summary)] + ['']
    for benchmark in sorted(set(e['benchmark'] for e in headline)):
        entries = [e for e in headline if e['benchmark'] == benchmark]
        out += ['## %s (%s), median per instance type' % _title(benchmark), '',
                '| instance type | uarch | jobs | median | CI of median | quality | unit | USD/h | per USD/h |',
                '|---|---|---:|---:|---|---|---|---:|---:|']
        out += ['| %s | %s | %d | %s | %s | %s | %s | %s | %s |' % (
            _label(e), e['uarch'] or '-', e['n'], _fmt(e['median']), _interval(e),
            _noisy_mark(e), e['unit'], _fmt(e['price_per_hour_usd'], 5), _fmt(e['per_usd_hour'])) for e in entries]
        out.append('')
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


def bar_chart(title, entries, key, unit, spread=None):
    """A horizontal bar chart as an SVG element, entries sorted best first, with an axis. With
    `spread` (low key, high key) each bar carries an error bar over that interval; a noisy entry's
    bar is drawn hatched and labelled noisy."""
    entries = [e for e in entries if e.get(key) is not None]
    if not entries:
        return ''
    label_w, bar_w, row_h, top = 170, 420, 24, 34  # value labels get 230 px right of the longest bar
    height = top + row_h * len(entries) + 34
    largest = max([e[key] for e in entries] + [e.get(spread[1]) or 0 for e in entries] if spread else
                  [e[key] for e in entries]) or 1.0
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" role="img" width="%d" height="%d" aria-label="%s">'
             % (label_w + bar_w + 230, height, html.escape(title)),
             '<text x="0" y="18" font-weight="bold">%s</text>' % html.escape(title)]
    for index, entry in enumerate(sorted(entries, key=lambda e: -e[key])):
        y = top + index * row_h
        width = max(1, int(bar_w * entry[key] / largest))
        noisy = entry.get('quality') == 'noisy'
        parts.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (label_w - 8, y + 15,
                                                                          html.escape(_label(entry))))
        parts.append('<rect class="bar%s" x="%d" y="%d" width="%d" height="%d"/>'
                     % (' noisy' if noisy else '', label_w, y + 3, width, row_h - 6))
        right = label_w + width
        # An interval of one value (identical repetitions) has no spread to draw.
        if spread and entry.get(spread[0]) is not None and entry.get(spread[1]) is not None \
                and entry[spread[1]] > entry[spread[0]]:
            low, high = (label_w + int(bar_w * entry[spread[0]] / largest), label_w + int(bar_w * entry[spread[1]] / largest))
            mid = y + row_h // 2
            parts.append('<path class="errorbar" d="M%d %dH%dM%d %dV%dM%d %dV%d"/>'
                         % (low, mid, high, low, mid - 5, mid + 5, high, mid - 5, mid + 5))
            right = max(right, high)
        parts.append('<text x="%d" y="%d">%s %s%s</text>' % (right + 6, y + 15, _fmt(entry[key]), html.escape(unit),
                                                             ' (noisy)' if noisy else ''))
    axis_y = top + row_h * len(entries) + 4
    parts.append('<path class="axis" d="M%d %dH%d"/>' % (label_w, axis_y, label_w + bar_w))
    for tick in range(0, 5):
        x = label_w + bar_w * tick // 4
        parts.append('<path class="axis" d="M%d %dV%d"/><text x="%d" y="%d" text-anchor="middle">%s</text>'
                     % (x, axis_y, axis_y + 4, x, axis_y + 18, _fmt(largest * tick / 4.0)))
    parts.append('</svg>')
    return '\n'.join(parts)


def html_page(summary, headline, dataset_files):
    charts = []
    for benchmark in sorted(set(e['benchmark'] for e in headline)):
        entries = [e for e in headline if e['benchmark'] == benchmark]
        name, what = _title(benchmark)
        unit = entries[0]['unit']
        charts.append('<section><h2>%s <small>%s</small></h2>' % (html.escape(name), html.escape(what)))
        charts.append(bar_chart('%s, median per instance type (error bars: confidence interval of the median)' % name,
                                entries, 'median', unit, spread=('ci_low', 'ci_high')))
        charts.append(bar_chart('%s per USD/hour (on the price the job ran at)' % name, entries, 'per_usd_hour',
                                '%s per USD/h' % unit))
        charts.append(_html_table(('instance type', 'uarch', 'jobs', 'median (%s)' % unit, 'CI of median', 'quality',
                                   'USD/h', 'per USD/h'), [
            (_label(e), e['uarch'] or '-', e['n'], _fmt(e['median']), _interval(e), e.get('quality') or '-',
             _fmt(e['price_per_hour_usd'], 5), _fmt(e['per_usd_hour'])) for e in entries]))
        charts.append('</section>')
    if summary['unsuccessful']:
        charts.append('<h2>Jobs without a result (%d)</h2>' % summary['unsuccessful_count'])
        charts.append(_html_table(('job', 'instance type', 'state', 'why'), [
            (j['job_id'], j['instance_type'], j['state'], j['reason']) for j in summary['unsuccessful']]))
    problems = ''.join('<li><code>%s</code>: %s</li>' % (html.escape(p['job_id']), html.escape('; '.join(p['problems'])))
                       for p in summary['problems'])
    return '\n'.join([
        '<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', '<title>instancebench report</title>',
        '<style>body{font-family:sans-serif;margin:2em;max-width:60em}svg{display:block;margin:1em 0}'
        'svg text{font-size:13px}.bar{fill:#2b6cb0}.bar.noisy{fill:#c05621;fill-opacity:.55}'
        '.errorbar{stroke:#1a202c;stroke-width:1.5;fill:none}.axis{stroke:#718096;fill:none}table{border-collapse:collapse}'
        'td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}.problems{color:#b00}</style>',
        '</head><body>', '<h1>instancebench report</h1>',
        '<p id="summary">Runs %s: %d jobs (%s); %.1f %% finished; cost %s USD.</p>' % (
            html.escape(', '.join(summary['runs']) or '-'), summary['jobs'], html.escape(_states_phrase(summary)),
            summary['percent_finished'], _fmt(summary['cost_usd'], 4)),
        ''.join('<p class="plan">%s</p>' % html.escape(line) for line in plan_lines(summary)),
        '\n'.join(charts) or '<p>No validated STREAM or HPL result yet.</p>',
        ('<h2>Problems</h2><ul class="problems">%s</ul>' % problems) if problems else '',
        '<p>Dataset: %s</p>' % ', '.join('<code>%s</code>' % html.escape(f) for f in dataset_files),
        '</body></html>', ''])
