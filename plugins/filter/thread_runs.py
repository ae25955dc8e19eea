# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: thread_runs
short_description: The passes of a suite that runs at several thread counts in one job, labelled as its metrics end
version_added: "0.4.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Returns C([[label, count], ...]) in the order given. A count of 0 is every logical CPU of the host,
    labelled C(all); any other count N is labelled C(tN). A label asked twice runs once.
  - Fails with a message naming O(variable) when the list is empty or holds a negative count.
  - One rule for every suite (7-Zip threads, sysbench threads, stress-ng workers, OpenSSL processes), so a
    metric's suffix means the same everywhere.
positional: counts, variable
options:
  _input:
    description: The host facts (C(ansible_facts['instancebench_host'])).
    type: dict
    required: true
  counts:
    description: Thread (worker, process) counts; 0 means every logical CPU.
    type: list
    elements: int
    required: true
  variable:
    description: The role option the counts came from, named in the error.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Decide the 7-Zip runs (1 thread and every logical CPU)
  ansible.builtin.set_fact:
    __sevenzip_runs: "{{ ansible_facts['instancebench_host'] | instancebench.aws.thread_runs([1, 0], 'sevenzip_thread_counts') }}"
"""

RETURN = r"""
_value:
  description: "[label, count] pairs, e.g. C([[t1, 1], [all, 2]])."
  type: list
  elements: list
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _passes
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def thread_runs(host, counts, variable):
    return _passes.runs(counts, host['topology']['logical_cpus'], variable)


class FilterModule(object):
    def filters(self):
        return {'thread_runs': thread_runs}
