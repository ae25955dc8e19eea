# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: unknown_role_vars
short_description: Variables with a role's prefix that the role does not know (typos), with the closest known name
version_added: "0.3.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Takes the names of the variables set for the host that start with the role's prefix and the
    options of the role's argument_specs, and returns one message per name the role does not know,
    naming the closest known one when there is one.
  - Names of another benchmark role whose name extends this one's (C(stream_numa_*) beside C(stream_*))
    belong to that role and are not reported.
positional: role, options
options:
  _input:
    description: Variable names (e.g. C(query('ansible.builtin.varnames', '^stream_'))).
    type: list
    elements: str
    required: true
  role:
    description: The role's name; its variables start with this and C(_).
    type: str
    required: true
  options:
    description: The role's argument_specs options (the main entry point's C(options)).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Warn about stream_* variables the role does not know
  ansible.builtin.debug:
    msg: "{{ item }}"
  loop: "{{ query('ansible.builtin.varnames', '^stream_') | instancebench.aws.unknown_role_vars('stream', __specs) }}"
"""

RETURN = r"""
_value:
  description: "One message per unknown name, e.g. C(stream_repetitons: not a variable of the stream role; did you mean stream_repetitions?)."
  type: list
  elements: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils._typos import unknown_settings


def unknown_role_vars(names, role, options):
    # stream_numa_threads is the stream_numa role's, not a typo of the stream role's.
    others = tuple('%s_' % found.role for found in map(_benchmarks.get, _benchmarks.names())
                   if found.role != role and found.role.startswith(role + '_'))
    mine = [name for name in names if not (others and name.startswith(others))]
    return unknown_settings(mine, list(options or {}), role + '_', '%s role' % role)


class FilterModule(object):
    def filters(self):
        return {'unknown_role_vars': unknown_role_vars}
