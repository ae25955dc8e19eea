# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""job_record with `jobs`: a batch of job hosts takes its leases and writes its launched records in
one module run (launch.yml, run_once), with the same keys, records and lease rules as one run per job."""

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.modules import job_record


def _run(capsys, **args):
    with patch_module_args(dict(args, max_runtime_minutes=60, start_grace_minutes=20, run_id='r1',
                                instance_region='us-east-1')):
        with pytest.raises(SystemExit):
            job_record.main()
    return json.loads(capsys.readouterr().out)


def _job(suffix, instance_type='c7a.large'):
    return {'job_id': 'stream-default-%s' % (suffix * 12), 'instance_type': instance_type, 'benchmark': 'stream',
            'replica': 0, 'window': None}


JOBS = [_job('a'), _job('b', 'm7i.large'), _job('c')]


def test_a_batch_takes_each_lease_once_and_leaves_the_ones_another_controller_holds(tmp_path, capsys):
    url = 'file://%s' % tmp_path
    held = _run(capsys, store=url, job=JOBS[1], lease_holder='other', state='leased')
    assert held['changed'] is True

    out = _run(capsys, store=url, jobs=JOBS, lease_holder='me', state='leased')
    assert sorted(out['jobs']) == sorted(job['job_id'] for job in JOBS)
    mine, theirs = out['jobs'][JOBS[0]['job_id']], out['jobs'][JOBS[1]['job_id']]
    assert mine['held_by'] is None and mine['changed'] is True and mine['record']['holder'] == 'me'
    assert theirs['held_by']['holder'] == 'other' and theirs['changed'] is False
    assert theirs['key'] == held['key'], 'the same key one run per job uses'
    store = _store.FileStore(str(tmp_path))
    leases = sorted(k for k in store.list('runs/run=r1/') if k.endswith('/status-leased.json'))
    assert len(leases) == 3 and store.get_json(theirs['key'])['holder'] == 'other', 'their lease is not overwritten'

    again = _run(capsys, store=url, jobs=JOBS, lease_holder='me', state='leased')
    assert again['changed'] is False and again['jobs'][JOBS[0]['job_id']]['held_by'] is None, 'our own lease again'


def test_a_batch_writes_each_launched_record_with_its_own_instance_and_deadline(tmp_path, capsys):
    url = 'file://%s' % tmp_path
    instances = {JOBS[0]['job_id']: {'id': 'i-0000000000000001', 'launched_at': '2026-11-26T10:00:00+00:00',
                                     'writer': 'AROA1:i-0000000000000001'},
                 JOBS[2]['job_id']: {'id': 'i-0000000000000003', 'launched_at': '2026-11-26T11:00:00+00:00'}}
    out = _run(capsys, store=url, jobs=[JOBS[0], JOBS[2]], instances=instances, plan={'name': 'p'})
    assert out['changed'] is True and sorted(out['jobs']) == sorted(instances)
    first, third = out['jobs'][JOBS[0]['job_id']], out['jobs'][JOBS[2]['job_id']]
    assert (first['record']['instance_id'], first['record']['deadline']) == ('i-0000000000000001', '2026-11-26T11:00:00Z')
    assert (third['record']['instance_id'], third['record']['start_by']) == ('i-0000000000000003', '2026-11-26T11:20:00Z')
    assert first['record']['writer'] == 'AROA1:i-0000000000000001'

    one = _run(capsys, store=url, job=JOBS[0], instance=instances[JOBS[0]['job_id']], plan={'name': 'p'})
    assert one['key'] == first['key'] and one['record'] == first['record'] and one['changed'] is False, \
        'one run per job and the batch write the same record'
    store = _store.FileStore(str(tmp_path))
    assert store.get_json(third['key']) == third['record']


def test_a_job_without_its_fields_fails_naming_the_field(tmp_path, capsys):
    out = _run(capsys, store='file://%s' % tmp_path, jobs=[JOBS[0], {'job_id': 'x'}], lease_holder='me', state='leased')
    assert out['failed'] is True and 'job.instance_type is missing' in out['msg']
    assert _store.FileStore(str(tmp_path)).list('runs/') == [], 'nothing written before every job is checked'


@pytest.mark.parametrize('state', ['leased', 'launched'])
def test_a_job_the_store_refuses_fails_alone_and_the_batch_is_recorded(tmp_path, capsys, state):
    """One refused write (here: a file where the job's folder must go) is that job's error; the other
    jobs of the batch are recorded, so a failure never reaches jobs that are done or running."""
    url = 'file://%s' % tmp_path
    refused = JOBS[1]
    blocker = tmp_path / _store.job_prefix('r1', 'us-east-1', refused['instance_type'], refused['benchmark'],
                                           refused['job_id'])
    blocker.parent.mkdir(parents=True)
    blocker.write_text('not a folder')
    instances = dict((job['job_id'], {'id': 'i-%016d' % number, 'launched_at': '2026-11-26T10:00:00+00:00'})
                     for number, job in enumerate(JOBS))
    args = dict(lease_holder='me', state='leased') if state == 'leased' else dict(instances=instances)
    out = _run(capsys, store=url, jobs=JOBS, **args)
    assert 'failed' not in out or out['failed'] is False
    entry = out['jobs'][refused['job_id']]
    assert refused['job_id'] in entry['error'] and entry['record'] is None and entry['held_by'] is None
    assert refused["job_id"] in json.dumps(out.get("warnings")), out.get("warnings")
    store = _store.FileStore(str(tmp_path))
    written = sorted(k for k in store.list('runs/run=r1/') if k.endswith('/status-%s.json' % state))
    assert len(written) == 2 and all(out['jobs'][job['job_id']]['key'] in written for job in (JOBS[0], JOBS[2]))


def test_an_empty_batch_records_nothing(tmp_path, capsys):
    out = _run(capsys, store='file://%s' % tmp_path, jobs=[], lease_holder='me', state='leased')
    assert out['changed'] is False and out['jobs'] == {}
