# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: toolchain_candidate
short_description: The newer compiler to install when the probed one refused the CPU's catalog flags
version_added: "0.2.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Returns C(candidate) (C(packages), C(command)) or none, and a C(reason) to show. A candidate is given only
    when host_facts recorded a native fallback for a microarchitecture the flag catalog has flags for, and the
    distribution release has a newer compiler in the table.
positional: table, prefer
options:
  _input:
    description: The host facts (C(ansible_facts['instancebench_host'])).
    type: dict
    required: true
  table:
    description: OS id to version id to kind (C(gcc), C(clang)) to candidates, newest first (roles/toolchain/vars/main.yml).
    type: dict
    required: true
  prefer:
    description: The kind to try first.
    type: str
    default: gcc
"""

EXAMPLES = r"""
- name: Decide the compiler
  ansible.builtin.set_fact:
    __choice: "{{ ansible_facts['instancebench_host'] | instancebench.aws.toolchain_candidate(_toolchain_candidates, 'gcc') }}"
"""

RETURN = r"""
_value:
  description: C({candidate, reason}).
  type: dict
"""

from ansible_collections.instancebench.aws.plugins.module_utils._compiler import toolchain_candidate as _candidate
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def toolchain_candidate(host, table, prefer='gcc'):
    return _candidate(host, table, prefer)


class FilterModule(object):
    def filters(self):
        return {'toolchain_candidate': toolchain_candidate}
