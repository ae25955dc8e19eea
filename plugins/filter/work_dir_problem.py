# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: work_dir_problem
short_description: Why a work directory cannot be trusted with builds, or an empty string
version_added: "0.2.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - From C(ansible.builtin.stat)'s C(stat) of the work directory, a phrase when it is not a directory, belongs
    to another user, or may be written by its group or others; an empty string when it is this user's own or
    does not exist yet.
positional: uid
options:
  _input:
    description: The C(stat) dictionary of the work directory.
    type: dict
    required: true
  uid:
    description: The connecting user's uid.
    type: int
    required: true
"""

EXAMPLES = r"""
- name: Refuse a shared work directory
  ansible.builtin.assert:
    that: (__stat.stat | instancebench.aws.work_dir_problem(0)) | length == 0
"""

RETURN = r"""
_value:
  description: The problem, such as C(belongs to uid 65534, not to this user (uid 0)), or C('').
  type: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils._names import work_dir_problem as _problem


def work_dir_problem(stat, uid):
    return _problem(stat, int(uid))


class FilterModule(object):
    def filters(self):
        return {'work_dir_problem': work_dir_problem}
