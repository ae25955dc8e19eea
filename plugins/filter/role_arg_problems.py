# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: role_arg_problems
short_description: A benchmark role's wrong settings, one line each, before the role starts
version_added: "0.4.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Checks settings against the role's argument specs (type, elements, choices) and its C(_<role>_limits)
    (ranges the specs cannot say), and says each wrong one as the field, the value, the rule it broke and
    the fix - instead of Ansible's argument-spec dump or one message listing every constraint.
  - Names the role does not know are left to C(unknown_role_vars), which warns with the closest name.
positional: options, limits
options:
  _input:
    description: The settings, name to value (what the user set, or the role's variables).
    type: dict
    required: true
  options:
    description: The role's C(argument_specs.main.options).
    type: dict
    required: true
  limits:
    description: The role's C(_<role>_limits) (C(min), C(above), C(max), C(zero_or), C(non_empty), C(each_min), C(pattern), C(each_pattern), C(means)).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Stop on a wrong setting, saying which and how to fix it
  ansible.builtin.fail:
    msg: "{{ __problems | join('; ') }}"
  vars:
    __problems: "{{ {'stream_repetitions': 0} | instancebench.aws.role_arg_problems(__options, _stream_limits) }}"
  when: __problems | length > 0
"""

RETURN = r"""
_value:
  description: 'One line per wrong setting, e.g. C(stream_repetitions=0 breaks "at least 1": use 1 or more).'
  type: list
  elements: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils._role_args import problems


def role_arg_problems(values, options, limits):
    return problems(values or {}, options or {}, limits or {})


class FilterModule(object):
    def filters(self):
        return {'role_arg_problems': role_arg_problems}
