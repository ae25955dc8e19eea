# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/architecture.md stays true to the code: every module, module_utils file and role has its
row in "Pieces and their one job", and no row names a file that is gone."""

import glob
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _doc():
    with open(os.path.join(REPO, 'docs', 'architecture.md')) as handle:
        return handle.read()


def _pieces():
    return ['%s/%s' % (kind, os.path.basename(path))
            for kind in ('modules', 'module_utils')
            for path in sorted(glob.glob(os.path.join(REPO, 'plugins', kind, '*.py')))
            if os.path.basename(path) != '__init__.py']


def test_every_module_and_module_utils_file_has_a_row():
    rows = [line for line in _doc().splitlines() if line.startswith('| `')]
    missing = [piece for piece in _pieces() if not any('`%s`' % piece in row for row in rows)]
    assert missing == [], 'add a row to docs/architecture.md for %s' % ', '.join(missing)


def test_no_row_names_a_file_that_is_gone():
    named = re.findall(r'`(modules|module_utils)/(\w+\.py)`', _doc())
    gone = sorted(set('%s/%s' % pair for pair in named) - set(_pieces()))
    assert gone == [], 'docs/architecture.md names files that do not exist: %s' % ', '.join(gone)


def test_every_shipped_benchmark_role_is_named():
    from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
    doc = _doc()
    missing = [name for name in _benchmarks.names() if '`roles/%s`' % _benchmarks.get(name).role not in doc]
    assert missing == [], 'name the roles of %s in docs/architecture.md' % ', '.join(missing)
