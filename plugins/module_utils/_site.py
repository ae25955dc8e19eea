# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the snapshot's static site — `site/index.html` and one page per instance type.

Self-contained (inline CSS, JavaScript and SVG; no network resource): a table of every instance
type sortable by any column (click a header; `#sort=<column>:<asc|desc>` in the address does the
same) with filters by architecture, family and size, a price-performance scatter per headline
metric, and per type its figures over time with each job's confidence interval as a band.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _store

_CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1a202c}table{border-collapse:collapse}
th,td{padding:3px 8px;border-bottom:1px solid #e2e8f0;text-align:right}th{cursor:pointer;background:#f7fafc}
td:first-child,th:first-child,td.t{text-align:left}th.asc:after{content:" \\25b2"}th.desc:after{content:" \\25bc"}
.ci{color:#718096;font-size:12px}svg{background:#fff;border:1px solid #e2e8f0;margin:8px 16px 8px 0}
.pt{fill:#2b6cb0}.band{fill:#bee3f8}.line{stroke:#2b6cb0;fill:none;stroke-width:1.5}.ax{stroke:#a0aec0}
text{font-size:11px;fill:#4a5568}label{margin-right:16px}"""

# Sort and filter the table in place; the address (#sort=col:dir&arch=...) holds the state.
_JS = """(function(){
var t=document.getElementById('types'),b=t.tBodies[0],hs=t.tHead.rows[0].cells;
function val(r,i){var c=r.cells[i],v=c.getAttribute('data-v');return v===null?c.textContent:(v===''?null:parseFloat(v));}
function sort(i,dir){var rows=[].slice.call(b.rows);rows.sort(function(x,y){var a=val(x,i),c=val(y,i);
 if(a===null&&c===null)return 0;if(a===null)return 1;if(c===null)return -1;
 var o=(typeof a==='number'&&typeof c==='number')?a-c:String(a).localeCompare(String(c));return dir==='asc'?o:-o;});
 rows.forEach(function(r){b.appendChild(r);});for(var k=0;k<hs.length;k++)hs[k].className='';hs[i].className=dir;}
function state(){var s={};location.hash.replace(/^#/,'').split('&').forEach(function(p){var kv=p.split('=');
 if(kv[0])s[decodeURIComponent(kv[0])]=decodeURIComponent(kv[1]||'');});return s;}
function save(s){var p=[];for(var k in s)if(s[k])p.push(encodeURIComponent(k)+'='+encodeURIComponent(s[k]));
 history.replaceState(null,'','#'+p.join('&'));}
function filter(s){[].forEach.call(b.rows,function(r){var ok=['arch','family','size'].every(function(f){
 return !s[f]||r.getAttribute('data-'+f)===s[f];});r.style.display=ok?'':'none';});}
function apply(){var s=state();['arch','family','size'].forEach(function(f){document.getElementById('f-'+f).value=s[f]||'';});
 filter(s);if(s.sort){var p=s.sort.split(':');for(var i=0;i<hs.length;i++)if(hs[i].getAttribute('data-col')===p[0])sort(i,p[1]||'desc');}}
[].forEach.call(hs,function(h,i){h.addEventListener('click',function(){var s=state(),
 dir=h.className==='desc'?'asc':'desc';s.sort=h.getAttribute('data-col')+':'+dir;save(s);sort(i,dir);});});
['arch','family','size'].forEach(function(f){document.getElementById('f-'+f).addEventListener('change',function(e){
 var s=state();s[f]=e.target.value;save(s);filter(s);});});
apply();})();"""


def _number(value, digits=4):
    return '' if value is None else ('%.*g' % (digits, value))


def headline_cells(aggregates):
    """{instance type: {column: aggregate}} for the headline metrics, and the column names in order."""
    headlines = _benchmarks.headline_metrics()
    out, columns = {}, []
    for cell in aggregates:
        if headlines.get(cell['benchmark']) != cell['metric']:
            continue
        column = _benchmarks.figure_key(cell)
        if column not in columns:
            columns.append(column)
        out.setdefault(cell['instance_type'], {})[column] = cell
    return out, sorted(columns)


def _size(instance_type):
    return instance_type.split('.', 1)[1] if '.' in instance_type else ''


def _page(title, body):
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>%s</title>'
            '<style>%s</style></head><body>%s</body></html>\n') % (html.escape(title), _CSS, body)


def index_html(aggregates, info):
    cells, columns = headline_cells(aggregates)
    types = sorted(set(c['instance_type'] for c in aggregates))
    first = dict((c['instance_type'], c) for c in reversed(aggregates))
    head = ['<th data-col="instance_type">instance type</th>', '<th data-col="arch">arch</th>',
            '<th data-col="uarch">uarch</th>', '<th data-col="price">USD/h</th>']
    for column in columns:
        head.append('<th data-col="%s">%s</th>' % (html.escape(column), html.escape(column)))
        head.append('<th data-col="%s/usd">%s per USD-h</th>' % (html.escape(column), html.escape(column.rsplit('/', 1)[1])))
    rows = []
    for instance_type in types:
        cell = first[instance_type]
        row = ['<td class="t"><a href="types/%s.html">%s</a></td>' % (_store.partition(instance_type), html.escape(instance_type)),
               '<td class="t">%s</td>' % html.escape(cell['arch'] or ''), '<td class="t">%s</td>' % html.escape(cell['uarch'] or ''),
               '<td data-v="%s">%s</td>' % (_number(cell['on_demand_price_per_hour_usd'], 8), _number(cell['on_demand_price_per_hour_usd']))]
        for column in columns:
            found = cells.get(instance_type, {}).get(column)
            if found is None:
                row += ['<td data-v=""></td>', '<td data-v=""></td>']
                continue
            row.append('<td data-v="%s" title="%d jobs, CI %s-%s">%s <span class="ci">%s-%s</span></td>' % (
                _number(found['median'], 10), found['jobs'], _number(found['ci_low']), _number(found['ci_high']),
                _number(found['median']), _number(found['ci_low'], 3), _number(found['ci_high'], 3)))
            row.append('<td data-v="%s">%s</td>' % (_number(found['value_per_usd_hour_on_demand'], 10),
                                                    _number(found['value_per_usd_hour_on_demand'])))
        rows.append('<tr data-arch="%s" data-family="%s" data-size="%s">%s</tr>' % (
            html.escape(cell['arch'] or ''), html.escape(cell['family'] or ''), html.escape(_size(instance_type)), ''.join(row)))
    filters = ''.join(_select(name, sorted(set(values)))
                      for name, values in (('arch', [first[t]['arch'] or '' for t in types]),
                                           ('family', [first[t]['family'] or '' for t in types]),
                                           ('size', [_size(t) for t in types])))
    scatters = ''.join(scatter(column, cells) for column in columns)
    body = ('<h1>instancebench.aws dataset</h1><p>Snapshot %s (dataset schema %s): %d instance types, %d jobs. '
            'Medians over valid, stable jobs with their confidence interval; click a column to sort. '
            'Licence: CC BY 4.0.</p><p>%s</p><table id="types"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
            '<h2>Price and performance</h2>%s<script>%s</script>') % (
        html.escape(info['snapshot']), html.escape(info['schema_version']), len(types), info['counts']['jobs'],
        filters, ''.join(head), ''.join(rows), scatters, _JS)
    return _page('instancebench.aws dataset %s' % info['snapshot'], body)


def _select(name, values):
    options = '<option value="">all</option>' + ''.join(
        '<option value="%s">%s</option>' % (html.escape(v), html.escape(v)) for v in values if v)
    return '<label>%s <select id="f-%s">%s</select></label>' % (name, name, options)


def _scale(low, high, out_low, out_high):
    span = (high - low) or 1.0
    return lambda v: out_low + (v - low) * (out_high - out_low) / span


def scatter(column, cells, width=420, height=260):
    """Price per hour (x) against the headline median (y), a point per instance type."""
    points = [(t, c[column]) for t, c in sorted(cells.items())
              if column in c and c[column]['on_demand_price_per_hour_usd']]
    if not points:
        return ''
    prices = [c['on_demand_price_per_hour_usd'] for _t, c in points]
    values = [c['median'] for _t, c in points]
    x = _scale(0, max(prices) * 1.1, 50, width - 10)
    y = _scale(0, max(values) * 1.1, height - 30, 10)
    marks = ''.join('<circle class="pt" cx="%.1f" cy="%.1f" r="4"><title>%s: %s %s at %s USD/h</title></circle>'
                    '<text x="%.1f" y="%.1f">%s</text>' % (
                        x(c['on_demand_price_per_hour_usd']), y(c['median']), html.escape(t), _number(c['median']),
                        html.escape(c['unit'] or ''), _number(c['on_demand_price_per_hour_usd']),
                        x(c['on_demand_price_per_hour_usd']) - 20, y(c['median']) + 16 + 12 * (i % 2), html.escape(t))
                    for i, (t, c) in enumerate(points))
    unit = points[0][1]['unit'] or ''
    return ('<svg class="scatter" width="%d" height="%d" role="img" aria-label="%s against price">'
            '<line class="ax" x1="50" y1="%d" x2="%d" y2="%d"/><line class="ax" x1="50" y1="10" x2="50" y2="%d"/>'
            '<text x="50" y="%d">USD/h (0 to %s)</text><text x="4" y="12">%s</text>%s</svg>') % (
        width, height, html.escape(column), height - 30, width - 10, height - 30, height - 30, height - 12,
        _number(max(prices) * 1.1, 3),
        html.escape('%s (%s, to %s)' % (column.rsplit('/', 1)[1], unit, _number(max(values) * 1.1, 3))), marks)


def series(label, figure, width=560, height=220):
    """A figure's jobs over time (`figure`: a list per field, in time order): each job's median as
    a point joined by a line, its confidence interval over repetitions as a band."""
    points = [i for i, when in enumerate(figure['measured_at']) if when]
    if not points:
        return ''
    values = [figure['value'][i] for i in points]
    lows = [figure['ci_low'][i] if figure['ci_low'][i] is not None else v for i, v in zip(points, values)]
    highs = [figure['ci_high'][i] if figure['ci_high'][i] is not None else v for i, v in zip(points, values)]
    # The axis spans the data with a margin, its ends written on the chart: from zero, a 3 % shift
    # between runs (what the changes table reports) would be a flat line.
    margin = (max(highs) - min(lows)) * 0.15 or abs(max(highs)) * 0.05 or 1.0
    bottom, top = min(lows) - margin, max(highs) + margin
    # Pixel positions computed once per point (a year of weekly jobs for every figure of every type).
    xs = [50 + i * (width - 60) / max(1, len(points) - 1) for i in range(len(points))]
    ys, high_ys, low_ys = ([height - 30 - (v - bottom) * (height - 40) / (top - bottom) for v in column]
                           for column in (values, highs, lows))
    band = ' '.join('%.1f,%.1f' % pair for pair in zip(xs + xs[::-1], high_ys + low_ys[::-1]))
    line = ' '.join('%.1f,%.1f' % pair for pair in zip(xs, ys))
    unit = html.escape(figure['unit'] or '')
    runs = [html.escape(figure['run_id'][i]) for i in points]
    dots = ''.join('<circle class="pt" cx="%.1f" cy="%.1f" r="3"><title>%s %s: %s %s</title></circle>' % (
        xs[n], ys[n], runs[n], html.escape(figure['measured_at'][i]), _number(values[n]), unit)
        for n, i in enumerate(points))
    return ('<svg class="series" width="%d" height="%d" role="img" aria-label="%s over time">'
            '<polygon class="band" points="%s"/><polyline class="line" points="%s"/>%s'
            '<line class="ax" x1="50" y1="%d" x2="%d" y2="%d"/><text x="4" y="12">%s (%s, axis %s to %s)</text>'
            '<text x="50" y="%d">%s to %s</text></svg>') % (
        width, height, html.escape(label), band, line, dots, height - 30, width - 10, height - 30,
        html.escape(label), unit, _number(bottom, 3), _number(top, 3), height - 12,
        html.escape(figure['measured_at'][points[0]][:10]), html.escape(figure['measured_at'][points[-1]][:10]))


def type_html(instance_type, cells, history, info):
    """A type's page: its aggregates, and each figure of `history` ({figure key: lists}) over time."""
    rows = ''.join('<tr><td class="t">%s/%s/%s</td><td>%s</td><td>%s-%s</td><td>%d</td><td>%d</td><td>%s</td></tr>' % (
        html.escape(c['benchmark']), html.escape(c['variant']), html.escape(c['metric']), _number(c['median']),
        _number(c['ci_low']), _number(c['ci_high']), c['jobs'], c['days'], html.escape(c['unit'] or '')) for c in cells)
    # Rates and bandwidths are drawn; times (a rate's other side: FFTW's per-problem times, HPL's
    # run time) are in the table and the JSON API.
    times = set(_benchmarks.figure_key(c) for c in cells if c['higher_is_better'] is False)
    charts = ''.join(series(label, figure) for label, figure in sorted(history.items()) if label not in times)
    body = ('<p><a href="../index.html">all instance types</a></p><h1>%s</h1><p>Snapshot %s. Each point is one job '
            '(the median of its repetitions), the band its confidence interval; times are in the table and in '
            '<code>api/types/</code>.</p><table><thead><tr><th>figure</th>'
            '<th>median</th><th>CI</th><th>jobs</th><th>days</th><th>unit</th></tr></thead><tbody>%s</tbody></table>'
            '%s') % (html.escape(instance_type), html.escape(info['snapshot']), rows, charts)
    return _page('%s - instancebench.aws' % instance_type, body)
