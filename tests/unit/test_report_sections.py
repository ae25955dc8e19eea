# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report has a section per benchmark with results, in the registry's order, with what its
figure means, its tables and plots, the spread of every median, the latency curve, and says why a
figure has no price; big collections plot the first ones and say how many more there are."""

import json
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _collect, _collect_pass, _report
from ansible_collections.instancebench.aws.plugins.module_utils import _report_data, _store, _svg_plots
from harness.report_jobs import BENCHMARKS, CACHES, LATENCY_RUNS, LOCAL, PRICES, store_every_benchmark
from harness.stored_jobs import SYSTEM, host_objects, store_job


def _collected(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_every_benchmark(store)
    outcome = _collect_pass.write_collection(store, ['r1'], str(tmp_path / 'report'), now=0, workers=2)
    return (outcome, (tmp_path / 'report' / 'report.md').read_text(), (tmp_path / 'report' / 'report.html').read_text())


def _section(page, benchmark):
    return re.search(r'<section id="bench-%s">.*?</section>' % benchmark, page, re.S).group(0)


def test_a_section_per_benchmark_with_results_in_the_registry_order(tmp_path):
    outcome, markdown, page = _collected(tmp_path)
    wanted = [name for name in _benchmarks.names() if name in BENCHMARKS]
    assert re.findall(r'<section id="bench-([^"]+)">', page) == wanted
    titles = [_benchmarks.get(name).title for name in wanted]
    assert [line[3:].split(' (')[0] for line in markdown.splitlines() if line.startswith('## ')] == titles
    for name in wanted:
        section = _section(page, name)
        assert '<svg' in section and '<table>' in section and '<p class="means">' in section, name
    # FFTW has no headline: its section is its per-problem rates side by side, with their spread.
    fftw = _section(page, 'fftw')
    problems = set(r['metric'] for r in map(json.loads, (tmp_path / 'report' / 'dataset.jsonl').read_text().splitlines())
                   if r['benchmark'] == 'fftw' and r['metric'].startswith('mflops_'))
    assert problems and all('>%s</text>' % metric in fftw for metric in problems)
    assert 'No single figure ranks FFTW' in fftw and 'FFTW-Mflop/s' in fftw


def test_error_bars_come_from_the_confidence_intervals(tmp_path):
    outcome, markdown, page = _collected(tmp_path)
    spread = [e for e in outcome['headline'] if e['ci_high'] > e['ci_low']]
    assert spread, 'the stored jobs with two different captured repetitions have a spread'
    for entry in spread:
        section = _section(page, entry['benchmark'])
        chart = section.split('</svg>')[0]   # the first plot: the headline medians
        ticks = [float(t) for t in re.findall(r'text-anchor="middle">([0-9.]+)</text>', chart)]
        left = int(re.search(r'<rect class="bar[^"]*" x="(\d+)"', chart).group(1))
        scale = _svg_plots.PLOT_W / ticks[-1]
        low, high = left + round(scale * entry['ci_low']), left + round(scale * entry['ci_high'])
        assert 'class="errorbar" d="M%d ' % low in chart and 'H%dM' % high in chart, (entry, chart)
        assert '| %s |' % _report._interval(entry) in markdown


def test_latency_ranks_lowest_first_with_its_curve_and_cache_sizes_marked(tmp_path):
    outcome, markdown, page = _collected(tmp_path)
    latency = [e for e in outcome['headline'] if e['benchmark'] == 'latency']
    section = _section(page, 'latency')
    labels = re.findall(r'text-anchor="end">([^<]+)</text>', section.split('</svg>')[0])
    assert labels == [e['label'] for e in sorted(latency, key=lambda e: e['median'])], 'lower is better'
    assert 'per USD/hour' not in section, 'a latency divided by a price ranks nothing'
    assert '(ns, lower is better)' in section
    # One line per instance type and kind of pages, from the stored curves; the host's caches marked.
    curve = section.split('<figure class="curve">')[1]
    paths = re.findall(r'<path class="line(\d)( page-thp)?" d="M([^"]+)"/>', curve)
    lines = [(colour, dash) for colour, dash, path in paths if len(path.split('L')) > 10]
    assert lines == [('0', ''), ('0', ' page-thp'), ('1', ''), ('1', ' page-thp')], 'c7a.large and vm, 4k and thp'
    sizes = {'l1d': '32 KiB', 'l2': '1 MiB', 'l3': '32 MiB'}
    assert all('>%s %s</text>' % (level[0].upper() + level[1:], sizes[level]) in curve for level in CACHES)


def test_no_price_says_why(tmp_path):
    outcome, markdown, page = _collected(tmp_path)
    assert '| %s | znver4 | 1 |' % LOCAL in markdown
    local_rows = [line for line in markdown.splitlines() if line.startswith('| %s |' % LOCAL) and 'GB/s' in line]
    assert local_rows and all(line.endswith('| no price (not an EC2 instance) | - |') for line in local_rows)
    assert any('no price (not an EC2 instance)' in line for line in outcome['table'] if line.startswith('stream'))
    priced = [line for line in markdown.splitlines() if line.startswith('| c7a.large |') and 'GB/s |' in line]
    assert priced and '| %s |' % PRICES['c7a.large'] in priced[0]


def test_a_local_run_costs_nothing_it_can_price(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_job(store, 'r1', 'here', LOCAL, region='local', states=('running', 'completed'))
    outcome = _collect_pass.write_collection(store, ['r1'], str(tmp_path / 'report'), now=0, workers=1)
    assert outcome['table'][0].endswith('cost no price (not an EC2 instance)')
    page = (tmp_path / 'report' / 'report.html').read_text()
    assert 'No chart per USD/hour: no price (not an EC2 instance).' in page and 'per USD/hour (on' not in page


def test_a_big_collection_plots_the_first_and_says_how_many_more(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    kinds = ['m7a.%dxlarge' % size for size in range(1, _report.BARS + 6)]
    for index, kind in enumerate(kinds):
        store_job(store, 'r1', 'job%d' % index, kind, price=0.1 * (index + 1))
    outcome = _collect_pass.write_collection(store, ['r1'], str(tmp_path / 'report'), now=0, workers=4)
    page = (tmp_path / 'report' / 'report.html').read_text()
    charts = page.split('</svg>')
    assert charts[0].count('class="bar"') == _report.BARS and '5 more in the table below' in charts[0]
    legend = re.findall(r'<rect class="series\d" x="\d+" y="28"', charts[2])
    assert len(legend) == _report.SERIES and '%d more instance types' % (len(kinds) - _report.SERIES) in charts[2]
    assert all(kind in page.split('</svg>')[-1] for kind in kinds), 'the tables keep every type'


def test_a_curve_is_read_again_only_as_checked(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    system = dict(SYSTEM, caches=CACHES)
    prefix = store_job(store, 'r1', 'lat', 'c7a.large', outputs=LATENCY_RUNS, system=system, with_observed=True)
    data = _report_data.ReportData()
    for row in _collect.collect_rows(store, ['r1'], 0, workers=1):
        data.add(row)
    assert [len(line[2]) > 10 for line in data.curves(store)['latency']['lines']] == [True, True]
    doc = store.get_json(host_objects(prefix) + '/result.json')
    doc['build']['observed']['curves']['random_4k'][-1][1] *= 2   # a curve changed after collect checked it
    store.put_json(host_objects(prefix) + '/result.json', doc)
    curves = data.curves(store)['latency']
    assert curves['lines'] == [] and 'changed since the collect checked it' in curves['problems'][0]


def test_curve_points_that_are_not_numbers_are_left_out_and_said(tmp_path):
    """A result is written by the instance: a curve point that is not two numbers never breaks the report."""
    store = _store.open_store(str(tmp_path / 'store'))
    system = dict(SYSTEM, caches=CACHES)
    prefix = store_job(store, 'r1', 'lat', 'c7a.large', outputs=LATENCY_RUNS, system=system, with_observed=True)
    key = host_objects(prefix) + '/result.json'
    doc = store.get_json(key)
    doc['build']['observed']['curves']['random_4k'] += [[None, 3], 'x', [4096, float('nan')], [-1, 2]]
    store.put_json(key, doc)
    data = _report_data.ReportData()
    for row in _collect.collect_rows(store, ['r1'], 0, workers=1):
        data.add(row)
    curves = data.curves(store)['latency']
    assert len(curves['lines']) == 2 and all(p[0] > 0 for _n, _c, points in curves['lines'] for p in points)
    assert any('4 point(s) that are not two positive finite numbers left out' in p for p in curves['problems'])
