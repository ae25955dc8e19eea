# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: settings a user gave that nothing reads — a typo would otherwise be ignored in silence."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib


def unknown_settings(given, known, prefix, owner):
    """One message per name in `given` that starts with `prefix` and is not in `known`, with the
    closest known name when one is near ("stream_repetitons: not a variable of the stream role;
    did you mean stream_repetitions?")."""
    known = sorted(set(known))
    messages = []
    for name in sorted(set(given)):
        if not name.startswith(prefix) or name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = '; did you mean %s?' % close[0] if close else '; it is ignored (see %s\'s meta/argument_specs.yml)' % owner
        messages.append('%s: not a variable of the %s%s' % (name, owner, hint))
    return messages
