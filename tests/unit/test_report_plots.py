# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report's SVG plots: value axes whose ticks cover the data with round steps, and the latency
curve on a log2 x axis (from a captured run of our pointer chase)."""

import math
import re

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _latency, _svg_plots
from harness.fixtures import read_fixture
from harness.report_jobs import LATENCY, LATENCY_RUNS


@pytest.mark.parametrize('top', [1.09e-6, 0.5, 1.09, 7.2, 10.0, 30.52, 305.96, 4743.0, 75672.3, 1.2e7])
def test_ticks_cover_the_largest_value_with_a_round_step(top):
    ticks = _svg_plots.nice_ticks(top)
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert ticks[0] == 0 and ticks[-1] >= top and ticks[-2] < top, ticks
    assert any(abs(mantissa - m) < 1e-6 for m in (1, 2, 2.5, 5)), ticks
    assert 3 <= len(ticks) <= 6
    labels = [_svg_plots.tick_text(t, ticks) for t in ticks]
    assert len(set(labels)) == len(labels), labels


def test_the_curve_is_drawn_on_a_log2_axis_with_the_marks_where_the_sizes_are():
    _metrics, _checks, observed = _latency.analyze(read_fixture('latency', LATENCY_RUNS[0][1]), LATENCY)
    points = observed['curves']['random_4k']
    svg = _svg_plots.line_plot('latency', [('vm, random 4k', points, 0, '')], [(32768, 'L1d'), (1 << 20, 'L2')],
                               'working-set size', 'ns per load')
    path = re.search(r'<path class="line0" d="M([^"]+)"/>', svg).group(1)
    xs = [float(pair.split()[0]) for pair in path.split('L')]
    sizes = [size for size, _ns in sorted(points)]
    # Equal size ratios are equal distances: x is linear in log2(size).
    per_doubling = (xs[-1] - xs[0]) / math.log(sizes[-1] / float(sizes[0]), 2)
    assert all(abs((x - xs[0]) - per_doubling * math.log(size / float(sizes[0]), 2)) < 0.2
               for x, size in zip(xs, sizes))
    marks = [float(x) for x in re.findall(r'<path class="mark" d="M([0-9.]+) ', svg)]
    assert abs((marks[1] - marks[0]) - 5 * per_doubling) < 0.2, 'L2 is 5 doublings above L1d'
    assert 'working-set size' in svg and 'ns per load' in svg


def test_an_interval_of_one_value_draws_no_error_bar_and_the_unit_names_the_axis():
    _metrics, _checks, observed = _latency.analyze(read_fixture('latency', LATENCY_RUNS[0][1]), LATENCY)
    size, ns = observed['curves']['random_4k'][-1]
    entries = [{'label': 'same', 'median': ns, 'ci_low': ns, 'ci_high': ns},
               {'label': 'none', 'median': ns, 'ci_low': None, 'ci_high': None}]
    svg = _svg_plots.bar_chart('latency', entries, 'median', 'ns', spread=('ci_low', 'ci_high'), higher_is_better=False)
    assert 'errorbar' not in svg and svg.count('class="bar"') == 2
    assert re.search(r'class="unit"[^>]*>ns</text>', svg)
