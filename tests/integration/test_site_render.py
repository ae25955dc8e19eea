# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The snapshot's static site in a real browser (headless Chromium, offline): the table sorts by
the column the address names, both ways, filters by family, the plots are drawn, and no page
loads anything from the network."""

import html.parser
import os
import re
import subprocess

from ansible_collections.instancebench.aws.plugins.module_utils import _publish, _snapshot, _store
from harness.browser import BROWSER, OFFLINE
from harness.stored_jobs import STREAM_SERIAL, store_job, store_scaled_job

NOW = 1764151200.0 + 86400
TRIAD = 'stream/default/triad_bandwidth'


class _Rows(html.parser.HTMLParser):
    """Instance types of the table's visible rows, in document order."""

    def __init__(self):
        super().__init__()
        self.rows, self._in_body, self._hidden, self._cell = [], False, False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'tbody':
            self._in_body = True
        elif tag == 'tr' and self._in_body:
            self._hidden, self._cell = 'display: none' in (attrs.get('style') or ''), 0
        elif tag == 'td' and self._in_body:
            self._cell += 1

    def handle_endtag(self, tag):
        if tag == 'tbody':
            self._in_body = False

    def handle_data(self, data):
        if self._in_body and self._cell == 1 and data.strip() and not self._hidden:
            self.rows.append(data.strip())


def _dom(page, fragment, profile):
    proc = subprocess.run([BROWSER, '--headless', '--no-sandbox', '--disable-gpu', '--user-data-dir=' + profile,
                           '--virtual-time-budget=2000', '--dump-dom'] + OFFLINE + ['file://%s#%s' % (page, fragment)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0 and '</html>' in proc.stdout, proc.stderr[-2000:]
    return proc.stdout


def _visible_rows(dom):
    parser = _Rows()
    parser.feed(dom)
    return parser.rows


def test_the_site_sorts_filters_and_draws_offline(tmp_path):
    assert BROWSER, 'no headless Chromium: scripts/install_system_deps.sh installs chromium-headless-shell'
    store = _store.FileStore(str(tmp_path / 'store'))
    store_job(store, 'r1', 'a', 'c7a.large', price=0.10264)                               # triad 30.52
    store_job(store, 'r1', 'b', 'm7i.large', price=0.1008, output=STREAM_SERIAL)          # triad 29.50
    store_scaled_job(store, 'r1', 'c', 'c7i.large', 0.9, price=0.08925)                   # triad 27.47
    store_job(store, 'r2', 'd', 'c7a.large', price=0.10264, output=STREAM_SERIAL)
    tables, runs, _cache = _publish.read_runs(store, str(tmp_path / 'dataset'), NOW, workers=1, work_parent=str(tmp_path))
    written = _snapshot.write(str(tmp_path / 'dataset'), tables, runs.pop('fingerprints'), NOW)
    index = os.path.join(written['path'], 'site', 'index.html')
    medians = dict((a['instance_type'], a['median']) for a in tables['aggregates'] if a['metric'] == 'triad_bandwidth')
    by_triad = sorted(medians, key=medians.get)
    profile = str(tmp_path / 'profile')

    descending = _visible_rows(_dom(index, 'sort=%s:desc' % TRIAD, profile))
    ascending = _visible_rows(_dom(index, 'sort=%s:asc' % TRIAD, profile))
    assert descending == by_triad[::-1] and ascending == by_triad, (descending, ascending, medians)
    by_price = _visible_rows(_dom(index, 'sort=price:asc', profile))
    assert by_price == ['c7i.large', 'm7i.large', 'c7a.large']
    assert _visible_rows(_dom(index, 'family=c7a&sort=%s:desc' % TRIAD, profile)) == ['c7a.large']

    dom = _dom(index, '', profile)
    assert dom.count('class="pt"') == 3, 'one point per priced instance type in the scatter'
    page = os.path.join(written['path'], 'site', 'types', 'c7a.large.html')
    typed = _dom(page, '', profile)
    assert 'class="band"' in typed and typed.count('<polyline class="line"') == 4, 'a series per STREAM metric'
    # Nothing from the network: every src/href is a relative file (the licence is text, not a link).
    for name in (index, page):
        text = open(name).read()
        assert not re.findall(r'(?:src|href)="(?:https?:)?//', text), name
