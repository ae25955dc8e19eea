# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Captured outputs under tests/fixtures/<kind>/ (each folder's README says how they were made)."""

import os

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'fixtures')


def read_fixture(kind, name):
    with open(os.path.join(FIXTURES, kind, name)) as handle:
        return handle.read()
