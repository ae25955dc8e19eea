#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rotation_record
short_description: Keep a coverage schedule's rotation state in the results store
version_added: "0.4.0"
description:
  - Writes the rotation state that M(instancebench.aws.schedule_plan) returned for a C(coverage) request
    (when each instance type was last planned, and the weeks so far) to
    C(rotation/schedule=<name>/state.json) in the results store, so that next week's plan continues
    the rotation where this one stopped.
  - Idempotent; a stored state with the same content is left alone (planning the same week again
    changes nothing).
author:
  - instancebench.aws contributors (@instancebench)
options:
  schedule:
    description: The schedule's name (the request's C(name)).
    type: str
    required: true
  state:
    description: The rotation state (C(rotation.state) of M(instancebench.aws.schedule_plan)).
    type: dict
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
- name: Keep the rotation state once the week's plans are written
  instancebench.aws.rotation_record:
    store: "{{ planned.rotation.store }}"
    schedule: catalog-weekly
    state: "{{ planned.rotation.state }}"
  when: planned.rotation is defined
"""

RETURN = r"""
key:
  description: Store key of the rotation state.
  returned: always
  type: str
  sample: rotation/schedule=catalog-weekly/state.json
sha256:
  description: sha256 of the stored document.
  returned: always
  type: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils import _rotation
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule
from ansible_collections.instancebench.aws.plugins.module_utils._batch_planner import NAME_PATTERN


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            store=dict(type='str', required=True),
            schedule=dict(type='str', required=True),
            state=dict(type='dict', required=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not NAME_PATTERN.match(params['schedule']):
        module.fail_json(msg='schedule %r: use 1-40 lowercase letters, digits and "-"' % params['schedule'])
    key = _rotation.STATE_KEY % params['schedule']
    try:
        changed, digest = _store.put_json_if_changed(module.results_store(params['store']), key, params['state'],
                                                     module.check_mode)
    except _store.StoreError as exc:
        module.fail_json(msg='cannot keep the rotation state of %s in %s: %s' % (params['schedule'], params['store'], exc))
    module.exit_json(changed=changed, key=key, sha256=digest)


if __name__ == '__main__':
    main()
