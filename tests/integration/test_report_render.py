# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report renders with its plots: a headless Chromium screenshot of it, looked at.

Stored jobs of every registered benchmark (captured runs, tests/harness/report_jobs.py) are
collected; Chromium's DOM must have a section per benchmark with its heading and every plot an
axis naming its unit; its screenshot must show the bars (lengths as the medians), an error bar per
interval drawn (spanning the confidence interval), an axis per plot, and the latency curve rising
over a log-scale x axis with the cache sizes marked.
"""

import math
import os
import re
import subprocess

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _collect_pass, _store
from harness.browser import BROWSER, OFFLINE
from harness.png import bars, blobs, pixels_of, read_png
from harness.report_jobs import BENCHMARKS, CACHES, store_every_benchmark
from harness.stored_jobs import store_job

# The report's colours (plugins/module_utils/_svg_plots.py CSS).
BAR_RGB = (0x2b, 0x6c, 0xb0)
ERRORBAR_RGB = (0xd5, 0x3f, 0x8c)
AXIS_RGB = (0x71, 0x80, 0x96)
MARK_RGB = (0xa0, 0xae, 0xc0)
# The first two instance types' curves (and series of grouped bars).
LINE0_RGB, LINE1_RGB = (0x38, 0xa1, 0x69), (0xd6, 0x9e, 0x2e)
PLOT_W = 420  # width of a bar chart's value axis
HEIGHT = 9000


def _chromium(args, profile):
    proc = subprocess.run([BROWSER, '--headless', '--no-sandbox', '--disable-gpu', '--user-data-dir=' + profile]
                          + OFFLINE + args, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _screenshot(page, png, profile, height=1400):
    _chromium(['--window-size=1000,%d' % height, '--screenshot=' + png, 'file://' + page], profile)
    assert os.path.getsize(png) > 1000


def _collected(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_every_benchmark(store)
    outcome = _collect_pass.write_collection(store, ['r1'], str(tmp_path / 'report'), now=0, workers=1)
    return outcome, str(tmp_path / 'report' / 'report.html')


def _bars_in_page_order(headline):
    """[(benchmark, entry, value key)] of every blue bar, top to bottom: per section (registry order)
    the medians best first, then per USD-hour for a higher-is-better figure with a price."""
    out = []
    for name in _benchmarks.names():
        entries = [e for e in headline if e['benchmark'] == name]
        higher = _benchmarks.metric_spec(name, _benchmarks.get(name).headline)[1] if entries else True
        out += [(name, e, 'median') for e in sorted(entries, key=lambda e: -e['median'] if higher else e['median'])]
        if higher:
            priced = [e for e in entries if e['per_usd_hour'] is not None]
            out += [(name, e, 'per_usd_hour') for e in sorted(priced, key=lambda e: -e['per_usd_hour'])]
    return out


def test_every_benchmark_has_a_section_with_error_bars_axes_and_the_latency_curve(tmp_path):
    assert BROWSER, 'no headless Chromium: scripts/install_system_deps.sh installs chromium-headless-shell'
    outcome, page = _collected(tmp_path)
    html = open(page).read()
    profile = str(tmp_path / 'profile')

    # The DOM Chromium built: a section per benchmark with results, in the registry's order, with
    # its title (none for a registered one without results); every plot names its unit under its axis.
    dom = _chromium(['--dump-dom', 'file://' + page], profile)
    assert re.findall(r'<section id="bench-([^"]+)"', dom) == [n for n in _benchmarks.names() if n in BENCHMARKS]
    for name in BENCHMARKS:
        assert '<h2>%s <small>' % _benchmarks.get(name).title in dom
    svgs = re.findall(r'<svg.*?</svg>', dom, re.S)
    assert svgs and all(re.search(r'class="unit"[^>]*>[^<]+<', svg) for svg in svgs), 'an axis without its unit'
    assert set(e['unit'] for e in outcome['headline']) <= set(re.findall(r'class="unit"[^>]*>([^<]+)<', dom))
    assert 'no price (not an EC2 instance)' in dom

    png = str(tmp_path / 'report.png')
    _screenshot(page, png, profile, HEIGHT)
    image = read_png(png)
    content = [y for y, (row, _c) in enumerate(image[2]) if min(row) < 250]
    assert content[-1] < HEIGHT - 20, 'the page is taller than the screenshot: raise HEIGHT'

    # Bars: one per headline entry and per priced one per USD-hour, lengths as the figures.
    expected = _bars_in_page_order(outcome['headline'])
    found = blobs(pixels_of(image, BAR_RGB))
    assert len(found) == len(expected), (len(found), [(b, e['label'], k) for b, e, k in expected])
    widths = dict(((b, e['label'], k), box[2] - box[0] + 1) for (b, e, k), box in zip(expected, found))
    stream = [(e, k) for b, e, k in expected if b == 'stream' and k == 'median']
    (first, _k), (last, _k2) = stream[0], stream[-1]
    ratio = widths[('stream', last['label'], 'median')] / float(widths[('stream', first['label'], 'median')])
    assert abs(ratio - last['median'] / first['median']) < 0.01, 'bar lengths follow the medians'

    # Error bars: every interval the page draws is visible, each across a bar, and the one on
    # OpenSSL's headline bar spans its confidence interval.
    errors = blobs(pixels_of(image, ERRORBAR_RGB))
    assert len(errors) == html.count('class="errorbar"') and len(errors) >= 10, len(errors)
    index = [b for b, _e, k in expected].index('openssl')
    _benchmark, entry, _key = expected[index]
    box = found[index]
    [error] = [e for e in errors if box[1] <= (e[1] + e[3]) / 2.0 <= box[3]]
    width = box[2] - box[0] + 1
    assert abs((error[0] + 1 - box[0]) - width * entry['ci_low'] / entry['median']) <= 2, (error, box, entry)
    assert abs((error[2] - box[0]) - width * entry['ci_high'] / entry['median']) <= 2, (error, box, entry)

    # Axes: one per plot, each the width of its plot.
    axes = [box for box in blobs(pixels_of(image, AXIS_RGB)) if box[2] - box[0] >= PLOT_W]
    assert len(axes) == html.count('<svg'), (len(axes), html.count('<svg'))

    # The latency curve (the last plot): inside its L-shaped axis, the lines (one colour per
    # instance type) cross most of the width and rise (higher latency is higher up: smaller y) with
    # the size; the cache sizes are marked where a log2 x axis puts them.
    curve_axis = axes[-1]
    assert curve_axis[3] - curve_axis[1] > 200, 'the last plot is the curve (a tall axis)'
    inside = [(x, y) for x, y in pixels_of(image, LINE0_RGB) + pixels_of(image, LINE1_RGB)
              if curve_axis[0] < x < curve_axis[2] and curve_axis[1] <= y < curve_axis[3] - 2]
    columns = sorted(set(x for x, _y in inside))
    assert len(columns) > 0.6 * (curve_axis[2] - curve_axis[0]), len(columns)
    quarter = (columns[-1] - columns[0]) // 4
    left = [y for x, y in inside if x < columns[0] + quarter]
    right = [y for x, y in inside if x > columns[-1] - quarter]
    assert sum(left) / len(left) - sum(right) / len(right) > 100, 'the curve rises with the working set'
    marks = sorted(set(x for x, y in pixels_of(image, MARK_RGB) if curve_axis[1] <= y <= curve_axis[3]))
    clusters = [[marks[0]]]
    for x in marks[1:]:
        (clusters[-1] if x - clusters[-1][-1] <= 2 else clusters.append([x]) or clusters[-1]).append(x)
    centres = [sum(c) / float(len(c)) for c in clusters]
    sizes = [CACHES[level]['size_bytes'] for level in ('l1d', 'l2', 'l3')]
    assert len(centres) == len(sizes), centres
    measured = (centres[1] - centres[0]) / (centres[2] - centres[1])
    assert abs(measured - math.log(sizes[1] / sizes[0], 2) / math.log(sizes[2] / sizes[1], 2)) < 0.05


def test_html_report_plots_per_dollar(tmp_path):
    assert BROWSER, 'no headless Chromium: scripts/install_system_deps.sh installs chromium-headless-shell'
    store = _store.open_store(str(tmp_path / 'store'))
    store_job(store, 'r1', 'a', 'c7a.large', price=0.10264)
    store_job(store, 'r1', 'b', 'c7i.large', price=0.08925)
    _collect_pass.write_collection(store, ['r1'], str(tmp_path / 'report'), now=0, workers=1)
    png = str(tmp_path / 'report.png')
    _screenshot(str(tmp_path / 'report' / 'report.html'), png, str(tmp_path / 'profile'))
    found = bars(png, BAR_RGB)
    # STREAM: one chart of medians, one per USD-hour; a bar per instance type in each.
    assert len(found) == 4, found
    medians, per_dollar = found[:2], found[2:]
    assert abs(medians[0][1] - medians[1][1]) <= 1, 'same triad on both types: bars of the same length'
    # Per USD-hour the cheaper c7i.large leads; the other bar is shorter by the price ratio.
    ratio = per_dollar[1][1] / float(per_dollar[0][1])
    assert abs(ratio - 0.08925 / 0.10264) < 0.02, per_dollar
    assert all(height >= 10 for _x, _w, height in found)
