# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An instance writes only in its own folder of a job (by=<its aws:userid>/): the policy allows
that folder of every job of the run, so readers must take a job's objects from the folder its
controller's record names, and nothing another instance wrote into the job may count."""

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _collect
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from harness.stored_jobs import WRITER, host_objects, store_job

NOW = 1764151200.0 + 86400
ROGUE = 'AROATESTROLE0000000001:i-0rogue'


def _names(store, prefix):
    return set(key[len(prefix) + 1:] for key in store.list(prefix + '/'))


def _plant(store, source_prefix, target_prefix, writer):
    """Another instance of the run copies a job's host objects into a second job's directory,
    in its own writer folder (all its policy allows there)."""
    for name in ('result.json', 'SHA256SUMS', 'raw.log', 'status-completed.json'):
        store.put(host_objects(target_prefix, writer) + '/' + name, store.get(host_objects(source_prefix) + '/' + name))


def test_objects_another_instance_wrote_into_a_job_never_count(tmp_path):
    store = _store.FileStore(str(tmp_path))
    done = store_job(store, 'r1', 'done', 'c7a.large')
    waiting = store_job(store, 'r1', 'waiting', 'c7a.large', states=('leased', 'launched'))
    _plant(store, done, waiting, ROGUE)
    rows = dict((row['job_id'], row) for row in _collect.collect_rows(store, ['r1'], NOW))
    assert rows['done']['valid'] and rows['done']['headline']
    assert rows['waiting']['state'] == 'launched' and not rows['waiting']['valid'] and not rows['waiting']['headline']
    assert any('by=%s ignored' % ROGUE in p for p in rows['waiting']['problems']), rows['waiting']['problems']
    # ...and the launch does not take the planted result as the job's stored one.
    assert _collect.store_state(store, waiting, _names(store, waiting), NOW)[0] == 'in_flight'


def test_the_writer_the_launched_record_names_is_read_even_beside_a_foreign_one(tmp_path):
    store = _store.FileStore(str(tmp_path))
    other = store_job(store, 'r1', 'other', 'c7a.large')
    mine = store_job(store, 'r1', 'mine', 'c7a.large')
    _plant(store, other, mine, ROGUE)
    [row] = [r for r in _collect.collect_rows(store, ['r1'], NOW) if r['job_id'] == 'mine']
    assert row['state'] == 'completed' and row['instance_id'] == 'i-mine'
    # Its own result was read (the planted one belongs to job "other"); the foreign folder is reported.
    assert [p for p in row['problems'] if 'ignored' in p] == row['problems'] != [], row['problems']
    assert _collect.store_state(store, mine, _names(store, mine), NOW)[0] == 'stored'


def test_a_host_without_a_launched_record_is_read_from_its_only_folder(tmp_path):
    store = _store.FileStore(str(tmp_path))
    local = store_job(store, 'r1', 'local-job', 'bench1', region='local', states=('running', 'completed'))
    rows = _collect.collect_rows(store, ['r1'], NOW)
    assert [(r['job_id'], r['valid'], r['problems']) for r in rows] == [('local-job', True, [])]
    _plant(store, local, local, 'host')
    [row] = _collect.collect_rows(store, ['r1'], NOW)
    assert not row['valid'] and any('2 writers' in p for p in row['problems']), row['problems']


def test_a_store_from_before_writer_folders_still_reads(tmp_path):
    store = _store.FileStore(str(tmp_path))
    prefix = store_job(store, 'r1', 'old', 'c7a.large')
    for name in _names(store, prefix):
        writer, rest = _store.split_writer(name)
        if writer is not None:
            store.put(prefix + '/' + rest, store.get(prefix + '/' + name))
    record = store.get_json(prefix + '/status-launched.json')
    del record['writer']
    store.put_json(prefix + '/status-launched.json', record)
    for path in (tmp_path / host_objects(prefix)).iterdir():
        path.unlink()
    (tmp_path / host_objects(prefix)).rmdir()
    [row] = _collect.collect_rows(store, ['r1'], NOW)
    assert row['valid'] and row['state'] == 'completed', row['problems']


@pytest.mark.parametrize('writer', ['', '../x', 'a/b', ':i-0abc', 'AROA x', 'x' * 129, None, 5])
def test_a_writer_that_cannot_be_a_folder_is_refused(writer):
    with pytest.raises(_store.StoreError, match='writer'):
        _store.writer_prefix('runs/run=r1/job=j', writer)


def test_the_write_scope_and_the_layout_agree():
    key = host_objects(_store.job_prefix('r1', 'us-east-1', 'c7a.large', 'stream', 'j1')) + '/result.json'
    prefix, name, parts = _store.parse_job_key(key)
    assert name == 'by=%s/result.json' % WRITER and parts['job_id'] == 'j1'
    assert _store.split_writer(name) == (WRITER, 'result.json')
    scope = _store.instance_write_scope(_store.run_prefix('r1'))
    assert scope == 'runs/run=r1/*/by=${aws:userid}/*'
    assert prefix + '/' == key[:len(prefix) + 1]
