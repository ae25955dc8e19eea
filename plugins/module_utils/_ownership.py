# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: which instances a destructive action may touch — only those whose own EC2 tags say
they belong to the job the results store names (the store is written by instances: not trusted)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_INSTANCE_ID = re.compile(r'i-[0-9a-f]{8,17}\Z')
RUN_TAG, JOB_TAG = 'instancebench:run-id', 'instancebench:job-id'


def is_instance_id(value):
    return isinstance(value, str) and _INSTANCE_ID.match(value) is not None


def owned_instances(described, expected, report_gone=True):
    """(ids to act on, refusals). `described`: ec2_instance_info's instances (with `tags`);
    `expected`: [{instance_id, run_id, job_id}] from the store. report_gone=False leaves out the
    instances that are simply not there any more (an abandoned attempt's, terminated long ago)."""
    by_id = dict((i.get('instance_id'), i) for i in described or [])
    ids, refusals = [], []
    for entry in expected or []:
        instance_id = entry.get('instance_id')
        if not is_instance_id(instance_id):
            refusals.append('%r (job %s) is not an instance id' % (instance_id, entry.get('job_id')))
            continue
        found = by_id.get(instance_id)
        tags = (found or {}).get('tags') or {}
        if found is None:
            if report_gone:
                refusals.append('%s (job %s) is not there, or not running' % (instance_id, entry.get('job_id')))
        elif tags.get(RUN_TAG) != entry.get('run_id') or tags.get(JOB_TAG) != entry.get('job_id'):
            refusals.append('%s does not carry the tags of run %s job %s (it has %s=%r, %s=%r): not touched'
                            % (instance_id, entry.get('run_id'), entry.get('job_id'), RUN_TAG, tags.get(RUN_TAG),
                               JOB_TAG, tags.get(JOB_TAG)))
        elif instance_id not in ids:
            ids.append(instance_id)
    return ids, refusals
