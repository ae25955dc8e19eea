#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: results_info
short_description: List the jobs in a results store with their state, integrity and headline metrics
version_added: "0.1.0"
description:
  - Lists C(runs/run=<run_id>/job=<job_id>/) in the store, tells each job's state from its status
    sentinels, re-checks C(result.json) against its recorded sha256 and the result schema, and
    returns one row per job plus a printable table.
author:
  - instancebench.aws contributors (@instancebench)
options:
  store:
    description: Results store URL, C(file:///absolute/path).
    type: str
    required: true
  run_id:
    description: Only this run; all runs when omitted.
    type: str
notes:
  - Read-only; supports check mode.
"""

EXAMPLES = r"""
- name: Read the results of one run
  instancebench.aws.results_info:
    store: file:///var/tmp/instancebench/results
    run_id: 20261125T174139Z
  register: results

- name: Print them
  ansible.builtin.debug:
    msg: "{{ results.table }}"
"""

RETURN = r"""
jobs:
  description: One entry per job.
  returned: always
  type: list
  elements: dict
  sample:
    - {run_id: 20261125T174139Z, job_id: stream-default-e475c5a04b63, state: completed, valid: true,
       benchmark: stream, host: bench1, uarch: znver4, threads: 2, problems: [],
       headline: {triad_bandwidth: 36.2}}
table:
  description: The jobs as fixed-width text lines, header first.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.instancebench.aws.plugins.module_utils import _collect
from ansible_collections.instancebench.aws.plugins.module_utils import _store


def main():
    module = AnsibleModule(
        argument_spec=dict(
            store=dict(type='str', required=True),
            run_id=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    try:
        store = _store.open_store(module.params['store'])
        rows = _collect.collect(store, module.params['run_id'])
    except _store.StoreError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=False, jobs=rows, table=_collect.table(rows))


if __name__ == '__main__':
    main()
