# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: build_record
short_description: The part of a result's build record every benchmark role shares
version_added: "0.1.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Returns compiler, compiler_version, flag_source, flag_warnings (from the host facts) and
    source (name, version, url, sha256 of the verified source). Each role combines it with what
    only it knows (flags, configure options, BLAS, MPI, binary checksum).
positional: fetched, name
options:
  _input:
    description: The host facts (C(ansible_facts['instancebench_host'])).
    type: dict
    required: true
  fetched:
    description: The entry of the C(sources_fetched) fact for this source.
    type: dict
    required: true
  name:
    description: The source's pin name.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Describe the build for the result
  ansible.builtin.set_fact:
    __stream_build: >-
      {{ ansible_facts['instancebench_host'] | instancebench.aws.build_record(sources_fetched['stream'], 'stream')
         | combine({'flags': __stream_cflags}) }}
"""

RETURN = r"""
_value:
  description: compiler, compiler_version, flag_source, flag_warnings and source.
  type: dict
"""

from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def build_record(host, fetched, name):
    return {
        'compiler': host['compiler']['name'],
        'compiler_version': host['compiler']['version'],
        'flag_source': host['cflags_source'],
        'flag_warnings': host['cflags_warnings'],
        'source': {'name': name, 'version': fetched['version'], 'url': fetched['url'], 'sha256': fetched['sha256']},
    }


class FilterModule(object):
    def filters(self):
        return {'build_record': build_record}
