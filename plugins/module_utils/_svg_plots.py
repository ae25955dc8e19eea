# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the report's plots as inline SVG elements (no JavaScript, no plotting library, no network).

Three kinds: horizontal bars per instance type with error bars over a confidence interval; grouped
bars (one group per metric, one bar per instance type); a line plot over a log2 x axis (the latency
curve). Every value axis has ticks and names its unit. Colours are CSS classes the page defines
(CSS below): `bar`, `errorbar`, `axis`, `series<i>`, `line<i>`, `mark`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html
import math

# Bars are blue, error bars magenta: nothing else on the page has either colour (the screenshot
# test finds them by it). Series (grouped bars, lines) take the palette in order. Strokes are 2 px
# wide so that their middle pixels have the exact colour.
PALETTE = ('#38a169', '#d69e2e', '#805ad5', '#319795', '#e53e3e', '#4a5568')
CSS = ('svg{display:block;margin:1em 0}svg text{font-size:13px}.bar{fill:#2b6cb0}'
       '.bar.noisy{fill:#c05621;fill-opacity:.55}.errorbar{stroke:#d53f8c;stroke-width:2;fill:none}'
       '.axis{stroke:#718096;stroke-width:2;fill:none}.mark{stroke:#a0aec0;stroke-width:2;stroke-dasharray:4 3;fill:none}'
       '.noisy{fill-opacity:.45}.page-thp{stroke-dasharray:7 4}'
       + ''.join('.series%d{fill:%s}.line%d{stroke:%s;stroke-width:2;fill:none}' % (i, c, i, c)
                 for i, c in enumerate(PALETTE)))
LABEL_W, PLOT_W, ROW_H = 190, 420, 24


def fmt(value, digits=1):
    """A figure for a label: '-' for None, fewer decimals for large numbers."""
    if value is None:
        return '-'
    if abs(value) >= 1000:
        digits = 0
    return ('%.' + str(digits) + 'f') % value


def nice_ticks(top, count=5):
    """Tick values from 0 to at least `top` with a 1, 2 or 5 x 10^k step (about `count` of them)."""
    if not top or top <= 0:
        return [0.0, 1.0]
    raw = top / float(count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks, value = [], 0.0
    while value < top + step * 1e-9 or len(ticks) < 2:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < top:
        ticks.append(round(value, 10))
    return ticks


def tick_text(value, ticks):
    """A tick's value with as many decimals as the step needs (0, 2.5, 5 / 0, 20, 40)."""
    step = ticks[1] - ticks[0]
    digits = next((d for d in range(7) if abs(round(step, d) - step) <= 1e-6 * step), None)
    return '%g' % value if digits is None else ('%.' + str(digits) + 'f') % value


def _svg(width, height, title):
    return ['<svg xmlns="http://www.w3.org/2000/svg" role="img" width="%d" height="%d" aria-label="%s">'
            % (width, height, html.escape(title)),
            '<text x="0" y="18" font-weight="bold">%s</text>' % html.escape(title)]


def label_width(labels):
    """Room left of the bars for the longest label (13 px sans-serif: about 7.5 px a character)."""
    return max([LABEL_W] + [14 + int(7.5 * len(text)) for text in labels])


def _value_axis(parts, axis_y, ticks, unit, left=LABEL_W, width=PLOT_W):
    """The horizontal value axis under the bars: line, ticks with values, and the unit."""
    parts.append('<path class="axis" d="M%d %dH%d"/>' % (left, axis_y, left + width))
    for tick in ticks:
        x = left + int(round(width * tick / ticks[-1]))
        parts.append('<path class="axis" d="M%d %dV%d"/><text x="%d" y="%d" text-anchor="middle">%s</text>'
                     % (x, axis_y, axis_y + 5, x, axis_y + 18, tick_text(tick, ticks)))
    parts.append('<text class="unit" x="%d" y="%d" text-anchor="middle">%s</text>'
                 % (left + width // 2, axis_y + 34, html.escape(unit)))


def _error_bar(parts, low, high, scale, mid, left=LABEL_W):
    """An interval drawn as a line with end caps; None when there is nothing to draw."""
    if low is None or high is None or not high > low:
        return None  # an interval of one value (identical repetitions) has no spread to draw
    x1, x2 = left + int(round(scale * low)), left + int(round(scale * high))
    parts.append('<path class="errorbar" d="M%d %dH%dM%d %dV%dM%d %dV%d"/>'
                 % (x1, mid, x2, x1, mid - 5, mid + 5, x2, mid - 5, mid + 5))
    return x2


def bar_chart(title, entries, key, unit, spread=None, higher_is_better=True, limit=20, label=None):
    """Horizontal bars, best first (as the metric's direction says), the first `limit` of them and a
    note naming how many more the table holds. With `spread` (low key, high key) each bar carries an
    error bar over that interval; a noisy entry's bar is hatched and labelled noisy."""
    label = label or (lambda e: e.get('label') or e['instance_type'])
    entries = sorted([e for e in entries if e.get(key) is not None],
                     key=lambda e: (-e[key] if higher_is_better else e[key], label(e)))
    if not entries:
        return ''
    shown, hidden = entries[:limit], len(entries) - limit
    top = 34
    ticks = nice_ticks(max([e[key] for e in shown] + ([e.get(spread[1]) or 0 for e in shown] if spread else [])))
    scale = PLOT_W / float(ticks[-1])
    height = top + ROW_H * len(shown) + 44 + (20 if hidden > 0 else 0)
    left = label_width(label(e) for e in shown)
    parts = _svg(left + PLOT_W + 230, height, title)
    for index, entry in enumerate(shown):
        y = top + index * ROW_H
        noisy = entry.get('quality') == 'noisy'
        parts.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 8, y + 15,
                                                                          html.escape(label(entry))))
        width = max(1, int(round(scale * entry[key])))
        parts.append('<rect class="bar%s" x="%d" y="%d" width="%d" height="%d"/>'
                     % (' noisy' if noisy else '', left, y + 3, width, ROW_H - 6))
        right = left + width
        if spread:
            right = max(right, _error_bar(parts, entry.get(spread[0]), entry.get(spread[1]), scale, y + ROW_H // 2,
                                          left) or 0)
        parts.append('<text x="%d" y="%d">%s %s%s</text>' % (right + 6, y + 15, fmt(entry[key]), html.escape(unit),
                                                             ' (noisy)' if noisy else ''))
    axis_y = top + ROW_H * len(shown) + 4
    _value_axis(parts, axis_y, ticks, unit, left)
    if hidden > 0:
        parts.append('<text class="note" x="%d" y="%d">%d more in the table below (the first %d shown)</text>'
                     % (left, axis_y + 52, hidden, limit))
    parts.append('</svg>')
    return '\n'.join(parts)


def grouped_bars(title, groups, series, unit, hidden=0):
    """One group of bars per metric, one bar per series (instance type) in palette order, with error
    bars and a legend. groups: [(group label, {series label: entry with median, ci_low, ci_high,
    quality})]; series: the series labels, at most len(PALETTE); hidden: series left out (a note says so)."""
    groups = [(name, cells) for name, cells in groups if any(cells.get(s) for s in series)]
    if not groups or not series:
        return ''
    values = [c[k] for _n, cells in groups for c in cells.values() for k in ('median', 'ci_high')
              if c.get(k) is not None]
    ticks = nice_ticks(max(values or [1.0]))
    scale = PLOT_W / float(ticks[-1])
    bar_h, gap, top = 14, 10, 34 + 20
    group_h = bar_h * len(series) + gap
    height = top + group_h * len(groups) + 44 + (20 if hidden else 0)
    left = label_width(name for name, _cells in groups)
    parts = _svg(left + PLOT_W + 230, height, title)
    for index, name in enumerate(series):
        x = left + index * 110
        parts.append('<rect class="series%d" x="%d" y="28" width="12" height="12"/><text x="%d" y="39">%s</text>'
                     % (index % len(PALETTE), x, x + 16, html.escape(name[:14])))
    for number, (name, cells) in enumerate(groups):
        y0 = top + number * group_h
        parts.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                     % (left - 8, y0 + group_h // 2 + 2, html.escape(name)))
        for index, label in enumerate(series):
            cell = cells.get(label)
            if not cell or cell.get('median') is None:
                continue
            y = y0 + index * bar_h
            width = max(1, int(round(scale * cell['median'])))
            noisy = cell.get('quality') == 'noisy'
            parts.append('<rect class="series%d%s" x="%d" y="%d" width="%d" height="%d"/>'
                         % (index % len(PALETTE), ' noisy' if noisy else '', left, y + 1, width, bar_h - 2))
            right = max(left + width, _error_bar(parts, cell.get('ci_low'), cell.get('ci_high'), scale,
                                                 y + bar_h // 2, left) or 0)
            parts.append('<text x="%d" y="%d" font-size="11">%s%s</text>'
                         % (right + 4, y + bar_h - 3, fmt(cell['median']), ' (noisy)' if noisy else ''))
    axis_y = top + group_h * len(groups) + 2
    _value_axis(parts, axis_y, ticks, unit, left)
    if hidden:
        parts.append('<text class="note" x="%d" y="%d">%d more instance types in the table below</text>'
                     % (left, axis_y + 52, hidden))
    parts.append('</svg>')
    return '\n'.join(parts)


def _size(value):
    for unit, size in (('GiB', 1 << 30), ('MiB', 1 << 20), ('KiB', 1 << 10)):
        if value >= size:
            return '%g %s' % (round(value / float(size), 1), unit)
    return '%d B' % value


def line_plot(title, lines, marks, x_label, y_label, hidden=0):
    """Lines over a log2 x axis (sizes in bytes) and a linear y axis from 0. lines: [(label, points
    [[x, y], ...], colour index in the palette, css class of its dash or '')]; marks: [(x, label)]
    drawn as dashed verticals (the cache sizes). hidden: lines left out (a note says so)."""
    lines = [(label, [p for p in points if p[0] > 0], colour, dash) for label, points, colour, dash in lines]
    lines = [line for line in lines if line[1]]
    if not lines:
        return ''
    left, width, top, plot_h = 70, 560, 34, 300
    xs = [p[0] for _l, points, _c, _d in lines for p in points] + [m[0] for m in marks]
    low, high = math.floor(math.log(min(xs), 2)), math.ceil(math.log(max(xs), 2))
    high = max(high, low + 1)
    y_ticks = nice_ticks(max(p[1] for _l, points, _c, _d in lines for p in points))

    def x_of(value):
        return left + width * (math.log(value, 2) - low) / float(high - low)

    def y_of(value):
        return top + plot_h - plot_h * value / float(y_ticks[-1])

    legend_h = 18 * len(lines)
    parts = _svg(left + width + 40, top + plot_h + 66 + legend_h + (18 if hidden else 0), title)
    for tick in y_ticks:
        y = y_of(tick)
        parts.append('<path class="axis" d="M%d %.1fH%d"/><text x="%d" y="%.1f" text-anchor="end">%s</text>'
                     % (left - 5, y, left, left - 8, y + 4, tick_text(tick, y_ticks)))
    step = max(1, (high - low + 7) // 8)  # at most about 8 labels
    for power in range(int(low), int(high) + 1, step):
        x = x_of(2 ** power)
        parts.append('<path class="axis" d="M%.1f %dV%d"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                     % (x, top + plot_h + 6, top + plot_h + 11, x, top + plot_h + 24, _size(2 ** power)))
    for value, name in marks:
        x = x_of(value)
        parts.append('<path class="mark" d="M%.1f %dV%d"/><text x="%.1f" y="%d" font-size="11">%s</text>'
                     % (x, top, top + plot_h, x + 3, top + 12, html.escape('%s %s' % (name, _size(value)))))
    for index, (label, points, colour, dash) in enumerate(lines):
        css = 'line%d%s' % (colour % len(PALETTE), (' ' + dash) if dash else '')
        path = 'M' + 'L'.join('%.1f %.1f' % (x_of(x), y_of(y)) for x, y in sorted(points))
        parts.append('<path class="%s" d="%s"/>' % (css, path))
        y = top + plot_h + 58 + 18 * index
        parts.append('<path class="%s" d="M%d %dH%d"/><text x="%d" y="%d">%s</text>'
                     % (css, left, y - 4, left + 30, left + 36, y, html.escape(label)))
    # The x axis a few pixels below y = 0, so that an L1 latency of 1 ns does not run along it.
    parts.append('<path class="axis" d="M%d %dV%dH%d"/>' % (left, top, top + plot_h + 6, left + width))
    parts.append('<text class="unit" x="%d" y="%d" text-anchor="middle">%s</text>'
                 % (left + width // 2, top + plot_h + 40, html.escape(x_label)))
    parts.append('<text class="unit" x="12" y="%d" transform="rotate(-90 12 %d)" text-anchor="middle">%s</text>'
                 % (top + plot_h // 2, top + plot_h // 2, html.escape(y_label)))
    if hidden:
        parts.append('<text class="note" x="%d" y="%d">%d more lines left out (the result holds every curve)</text>'
                     % (left, top + plot_h + 66 + legend_h + 10, hidden))
    parts.append('</svg>')
    return '\n'.join(parts)
