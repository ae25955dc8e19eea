# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report renders with its plots: a headless Chromium screenshot of it, looked at."""

import os
import subprocess

from ansible_collections.instancebench.aws.plugins.module_utils import _collect_pass, _store
from harness.browser import BROWSER, OFFLINE
from harness.png import bars
from harness.stored_jobs import store_job

BAR_RGB = (0x2b, 0x6c, 0xb0)  # .bar in the report's CSS


def _screenshot(page, png, profile):
    proc = subprocess.run([BROWSER, '--headless', '--no-sandbox', '--disable-gpu', '--user-data-dir=' + profile,
                           '--window-size=1000,1400', '--screenshot=' + png] + OFFLINE + ['file://' + page],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0 and os.path.getsize(png) > 1000, proc.stderr[-2000:]


def test_html_report_renders_its_plots(tmp_path):
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
