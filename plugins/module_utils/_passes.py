# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: how a suite that runs at several thread (worker, process) counts in one job names its
passes — the suffix of every metric of the pass: `t<N>` for N, `all` for every logical CPU (0)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers


def label(count):
    """0 -> 'all', N -> 'tN'."""
    return 'all' if int(count) == 0 else 't%d' % int(count)


def runs(counts, logical_cpus, variable):
    """[[label, count], ...] in the order asked, 0 resolved to `logical_cpus`; a label asked twice
    runs once. ValueError names `variable` (the role option) when a count is not 0 or more."""
    asked = list(counts or []) if isinstance(counts, (list, tuple)) else None
    if not asked or any(_numbers.integer(str(c)) is None or int(c) < 0 for c in asked):
        raise ValueError('%s (%s) must be a non-empty list of 0 (every logical CPU) or more' % (variable, counts))
    found = []
    for count in asked:
        if label(count) not in [run[0] for run in found]:
            found.append([label(count), int(logical_cpus) if int(count) == 0 else int(count)])
    return found


def end_marker(suite):
    """The line a suite's job script prints after a pass: `=== instancebench <suite> pass end rc=N`."""
    return re.compile(r'^=== instancebench %s pass end rc=(\S+)\s*$' % re.escape(suite))


def close(current, match, lineno, line, malformed):
    """Record a pass's exit status from its end marker (`match`); a marker with no open pass, or
    without a whole status, is a malformed line. current: the open pass (rc None) or None."""
    if current is None or current['rc'] is not None:
        malformed.append(_numbers.malformed(lineno, line, 'an end marker after a pass marker'))
        return
    current['rc'] = _numbers.integer(match.group(1))
    if current['rc'] is None:
        malformed.append(_numbers.malformed(lineno, line, 'an end marker with a whole exit status'))


def walk(text, pass_mark, end_mark, new_pass, pass_line, banner):
    """{'passes': [...], 'malformed': [...]} of a job script's output: a pass opens at `pass_mark`
    (new_pass(match) makes it), closes at `end_mark`; every other non-empty line of an open pass goes
    to pass_line(current, lineno, line, malformed); the program's `banner` line is skipped."""
    parsed = {'passes': [], 'malformed': []}
    current = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        match = pass_mark.match(line)
        if match:
            current = new_pass(match)
            parsed['passes'].append(current)
            continue
        match = end_mark.match(line)
        if match:
            close(current, match, lineno, line, parsed['malformed'])
            continue
        if current is None or current['rc'] is not None or not line or line == banner:
            continue
        pass_line(current, lineno, line, parsed['malformed'])
    return parsed
