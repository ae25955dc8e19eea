# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cache_record
short_description: Where a benchmark binary came from, for the result
version_added: "0.4.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - From instancebench.aws.build_cache's C(fetched) answer - C(from_cache), the cache key and, when the
    binary came from the cache, its sha256 and the job that built it. A skipped lookup (the binary was on
    the host already) gives C(from_cache) false.
options:
  _input:
    description: The registered result of the build_cache C(fetched) task.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Record the binary's origin
  ansible.builtin.set_fact:
    __stream_origin: "{{ __stream_cached | instancebench.aws.cache_record }}"
"""

RETURN = r"""
_value:
  description: C(from_cache), C(key), and C(sha256) and C(built_by) when from the cache.
  type: dict
"""

from ansible_collections.instancebench.aws.plugins.module_utils._build_cache import record


def cache_record(fetched):
    return record(fetched)


class FilterModule(object):
    def filters(self):
        return {'cache_record': cache_record}
