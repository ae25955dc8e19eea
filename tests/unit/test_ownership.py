# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from ansible_collections.instancebench.aws.plugins.module_utils._ownership import owned_instances

JOB = {'instance_id': 'i-0123456789abcdef0', 'run_id': 'r1', 'job_id': 'stream-default-1'}


def _described(**tags):
    return [{'instance_id': JOB['instance_id'], 'tags': tags}]


def test_an_instance_with_its_jobs_tags_is_owned():
    assert owned_instances(_described(**{'instancebench:run-id': 'r1', 'instancebench:job-id': 'stream-default-1'}),
                           [JOB]) == (['i-0123456789abcdef0'], [])


def test_anything_else_is_refused_with_why():
    for described in (_described(Name='production-database'),
                      _described(**{'instancebench:run-id': 'r2', 'instancebench:job-id': 'stream-default-1'}),
                      _described(**{'instancebench:run-id': 'r1', 'instancebench:job-id': 'other'}), []):
        ids, refusals = owned_instances(described, [JOB])
        assert ids == [] and len(refusals) == 1
    ids, refusals = owned_instances([], [dict(JOB, instance_id='i-1 && reboot')])
    assert ids == [] and 'not an instance id' in refusals[0]


def test_an_instance_long_gone_can_go_unmentioned():
    expected = [{'instance_id': 'i-0123456789abcdef0', 'run_id': 'r1', 'job_id': 'stream-default-1'}]
    assert owned_instances([], expected) == ([], ['i-0123456789abcdef0 (job stream-default-1) is not there, or not running'])
    assert owned_instances([], expected, report_gone=False) == ([], [])
    foreign = [{'instance_id': 'i-0123456789abcdef0', 'tags': {'instancebench:run-id': 'other'}}]
    assert owned_instances(foreign, expected, report_gone=False)[1], 'a foreign instance is still named'
