# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""results_info: the read-only look at a store — one row per job with its state, integrity and
headline, and a printable table; a store it cannot read fails with the accepted forms."""

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.modules import results_info
from harness.stored_jobs import STREAM_TRUNCATED, store_job


def _run(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            results_info.main()
    return json.loads(capsys.readouterr().out)


def test_rows_and_table_per_job_of_one_run(tmp_path, capsys):
    store = _store.FileStore(str(tmp_path))
    store_job(store, 'r1', 'stream-default-aaaaaaaaaaaa', 'c7a.large')
    store_job(store, 'r1', 'stream-default-bbbbbbbbbbbb', 'm7i.large', output=STREAM_TRUNCATED,
              states=('launched', 'running', 'failed'))
    store_job(store, 'r2', 'stream-default-cccccccccccc', 'c7g.large')

    out = _run(capsys, store='file://%s' % tmp_path, run_id='r1')
    rows = dict((row['job_id'], row) for row in out['jobs'])
    assert sorted(rows) == ['stream-default-aaaaaaaaaaaa', 'stream-default-bbbbbbbbbbbb'], 'only run r1'
    good, bad = rows['stream-default-aaaaaaaaaaaa'], rows['stream-default-bbbbbbbbbbbb']
    assert (good['state'], good['valid'], good['problems']) == ('completed', True, [])
    assert good['headline']['triad_bandwidth'] > 0
    assert bad['state'] == 'failed' and not bad['valid']
    assert out['changed'] is False
    assert any('stream-default-aaaaaaaaaaaa' in line and 'completed' in line for line in out['table'])

    every = _run(capsys, store=str(tmp_path))
    assert sorted(row['run_id'] for row in every['jobs']) == ['r1', 'r1', 'r2'], 'all runs without run_id'


def test_an_unreadable_store_url_fails_naming_the_forms(capsys):
    out = _run(capsys, store='ftp://somewhere/results')
    assert out['failed'] and 'use file:///absolute/path or s3://bucket/prefix' in out['msg']
