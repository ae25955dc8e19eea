# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: launch_summary
short_description: What one launch.yml invocation did with a plan's jobs, in one line
version_added: "0.3.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Counts the jobs' outcomes (running, in_flight, done, deferred, failed, not_launched, unreachable;
    module_utils/_states.py holds the vocabulary), lists the jobs that are problems, and words the line
    launch.yml ends with.
positional: run_id, results_url, max_concurrency
options:
  _input:
    description: Job id to the outcome launch recorded for it (C(ec2_provision_outcome)).
    type: dict
    required: true
  run_id:
    description: The run id.
    type: str
    required: true
  results_url:
    description: The results store of the plan.
    type: str
    required: true
  max_concurrency:
    description: The plan's max_concurrency (named when jobs were deferred).
    type: int
    required: true
"""

EXAMPLES = r"""
- name: Summarise
  ansible.builtin.debug:
    msg: "{{ (__outcomes | instancebench.aws.launch_summary('r1', 's3://b/p', 10)).message }}"
"""

RETURN = r"""
_value:
  description: C(counts) per outcome, C(alive) (jobs running on their own now), C(problems) (one line per job), C(message).
  type: dict
"""

from ansible_collections.instancebench.aws.plugins.module_utils._states import launch_summary as _launch_summary


def launch_summary(outcomes, run_id, results_url, max_concurrency):
    return _launch_summary(outcomes or {}, run_id, results_url, max_concurrency)


class FilterModule(object):
    def filters(self):
        return {'launch_summary': launch_summary}
