# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: numbers read from benchmark output, whole tokens only, and plausibility checks.

Every parser reads its figures through `number()`: a token is a number only when all of it is
one (`76904.6.1`, `9.295e+0-1`, `5659x5.655` or `--` are not), so a garbled or cut line
becomes a named failed check instead of an exception or a wrong figure.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

NUMBER = r'[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?'
_WHOLE = re.compile(r'^%s$' % NUMBER)
_INTEGER = re.compile(r'^[+-]?\d+\Z')


def number(token):
    """The float a whole token spells, or None."""
    token = (token or '').strip()
    return float(token) if _WHOLE.match(token) else None


def integer(token):
    """The int a whole token spells, or None."""
    token = (token or '').strip()
    return int(token) if _INTEGER.match(token) else None


def malformed(lineno, line, what):
    """How a parser names a line it refused."""
    return 'line %d is not %s: %r' % (lineno, what, line[:160])


def format_check(problems):
    """The `number_format` check over a parser's refused lines."""
    shown = '; '.join(problems[:3]) + (' (and %d more)' % (len(problems) - 3) if len(problems) > 3 else '')
    return check('number_format', not problems, shown or 'every figure is a whole number token')


def check(name, passed, detail, severity=None):
    """A named check. severity None/error: failing it invalidates the result; `warning`: reported
    and kept; `rule`: a run rule broken, the result is kept but marked non-compliant."""
    found = {'name': name, 'passed': bool(passed), 'detail': detail}
    if severity:
        found['severity'] = severity
    return found


def invalidates(found):
    """Whether a failed `found` check makes the result invalid."""
    return not found['passed'] and found.get('severity', 'error') == 'error'


def finite_positive(value):
    return value is not None and not math.isnan(value) and not math.isinf(value) and value > 0


def agrees(reported, derived, tolerance):
    """|reported - derived| within `tolerance` (relative to derived)."""
    return finite_positive(reported) and finite_positive(derived) and abs(reported - derived) <= tolerance * derived


def plausible_metrics(metrics):
    """One check per metric: no zero, negative, NaN or infinite rate or time."""
    return [check('plausible.%s' % name, finite_positive(value), '%s = %r %s' % (name, value, unit)
                  if finite_positive(value) else '%s = %r %s: a rate or time must be finite and above 0'
                  % (name, value, unit))
            for name, (value, unit, _higher) in sorted(metrics.items())]
