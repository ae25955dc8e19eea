# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: a job's lease — which controller launches it. Taken with a conditional create in the
results store before anything is launched, so two controllers on one run never start a job twice."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def take_lease(store, key, lease, check_mode=False):
    """(changed, held_by): create the lease unless one is there. A lease with the same holder is
    ours (the same launch.yml invocation again); any other is held_by, and nothing is written."""
    current = store.get_json(key) if store.exists(key) else None
    if current is None:
        if check_mode:
            return True, None
        if store.create_json(key, lease) is not None:
            return True, None
        current = store.get_json(key)   # another controller created it between our look and our write
    if isinstance(current, dict) and lease.get('holder') and current.get('holder') == lease['holder']:
        return False, None
    return False, current if isinstance(current, dict) else {'holder': None, 'unreadable': True}
