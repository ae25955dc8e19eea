# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: shared error handling of the sizing filters that take the host facts as input.

A sizing rule raises ValueError with the fix in its message; a missing fact means the
host_facts role did not run. Both become an AnsibleFilterError the user can act on.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

from ansible.errors import AnsibleFilterError


def host_facts_filter(function):
    @functools.wraps(function)
    def wrapper(host, *args, **kwargs):
        try:
            return function(host, *args, **kwargs)
        except (KeyError, TypeError) as exc:
            raise AnsibleFilterError('%s needs the instancebench_host facts (run the instancebench.aws.host_facts '
                                     'role first): missing %s' % (function.__name__, exc))
        except ValueError as exc:
            raise AnsibleFilterError(str(exc))
    return wrapper
