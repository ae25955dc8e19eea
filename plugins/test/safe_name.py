# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: safe_name
short_description: Whether a value is a name that can go into keys, tags, file names and scripts as it is
version_added: "0.2.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - True when the whole value is 1 to 64 letters, digits, C(.), C(_) or C(-), not starting with C(.) or C(-).
    A trailing newline fails (unlike a C(match) test whose pattern ends in C($)).
options:
  _input:
    description: The value to test.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Check the run id
  ansible.builtin.assert:
    that: stream_run_id is instancebench.aws.safe_name
"""

RETURN = r"""
_value:
  description: Whether the value is a safe name.
  type: bool
"""

from ansible_collections.instancebench.aws.plugins.module_utils._names import is_safe_name, is_safe_path


class TestModule(object):
    def tests(self):
        return {'safe_name': is_safe_name, 'safe_path': is_safe_path}
