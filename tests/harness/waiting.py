# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting in tests for something a background process does (a sentinel in S3, a file)."""

import time


def wait_for(predicate, timeout, what, every=0.2):
    """Return once predicate() is true; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError('timed out waiting for ' + what)
