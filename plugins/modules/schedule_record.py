#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: schedule_record
short_description: Keep a scheduled plan's schedule with its run in the results store
version_added: "0.3.0"
description:
  - Writes the schedule of a plan made by C(playbooks/schedule.yml) to C(runs/run=<run_id>/schedule.json)
    in the results store, through the same store code as every other object, so it carries its sha256
    (S3 object metadata, or a C(.sha256) file in a file store). collect.yml reads it to tell how far
    the plan has come, jobs not launched yet included.
  - Idempotent; a stored schedule with the same content is left alone.
author:
  - instancebench.aws contributors (@instancebench)
options:
  run_id:
    description: Run identifier (letters, digits, C(.), C(_), C(-)).
    type: str
    required: true
  schedule:
    description: The plan's checked C(schedule) (as plan_info returns it in C(plan)).
    type: dict
    required: true
  max_concurrency:
    description: The plan's C(max_concurrency), kept with the schedule (collect spreads the time left over it).
    type: int
    required: true
extends_documentation_fragment:
  - instancebench.aws.results_store
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode.
"""

EXAMPLES = r"""
- name: Record the schedule of a scheduled plan in the results store
  instancebench.aws.schedule_record:
    store: "{{ __ec2_provision_plan['results']['url'] }}"
    run_id: weekly-seed
    schedule: "{{ __ec2_provision_plan['schedule'] }}"
    max_concurrency: "{{ __ec2_provision_plan['max_concurrency'] }}"
"""

RETURN = r"""
key:
  description: Store key of the schedule.
  returned: always
  type: str
  sample: runs/run=weekly-seed/schedule.json
sha256:
  description: sha256 of the stored document (what the store recorded with it).
  returned: always
  type: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _names
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            store=dict(type='str', required=True),
            run_id=dict(type='str', required=True),
            schedule=dict(type='dict', required=True),
            max_concurrency=dict(type='int', required=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not _names.is_safe_name(params['run_id']):
        module.fail_json(msg='run_id %r: use 1-64 letters, digits, ".", "_" and "-"' % params['run_id'])
    document = dict(params['schedule'], run_id=params['run_id'], max_concurrency=params['max_concurrency'])
    key = _store.schedule_key(params['run_id'])
    try:
        changed, digest = _store.put_json_if_changed(module.results_store(params['store']), key, document,
                                                     module.check_mode)
    except _store.StoreError as exc:
        module.fail_json(msg='cannot record the schedule of run %s in %s: %s' % (params['run_id'], params['store'], exc))
    module.exit_json(changed=changed, key=key, sha256=digest)


if __name__ == '__main__':
    main()
