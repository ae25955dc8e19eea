# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: benchmark_role_call
short_description: The role that runs a benchmark and that role's job settings
version_added: "0.4.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - For a benchmark name the registry (C(plugins/module_utils/_benchmarks.py)) knows, returns C(role), the
    fully qualified name of the role that builds and runs it, and C(vars), the job context renamed to that
    role's options (C(run_id) becomes C(stream_run_id) for STREAM).
  - launch.yml includes one role per selected benchmark this way, so a new benchmark needs no edit there.
options:
  _input:
    description: A registered benchmark name.
    type: str
    required: true
  context:
    description:
      - The job context, every key of C(JOB_CONTEXT) in the registry (run_id, results_store, sources_mirror,
        work_dir, instance, replica, job_id, variant, background, deadline_epoch, power_off_command).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Run a benchmark's role with this job's settings
  ansible.builtin.include_role:
    name: "{{ __call.role }}"
  vars:
    __call: "{{ 'stream' | instancebench.aws.benchmark_role_call(__job_context) }}"
"""

RETURN = r"""
_value:
  description: "C(role): the role's fully qualified name; C(vars): {<role>_<key>: value} for every context key."
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks


def benchmark_role_call(name, context):
    try:
        return _benchmarks.role_call(name, context)
    except KeyError as exc:
        raise AnsibleFilterError(str(exc.args[0]))


class FilterModule(object):
    def filters(self):
        return {'benchmark_role_call': benchmark_role_call}
