# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The comparison scripts (`make compare`) read a run's results through the store's key layout:
the host's result.json and job.json in its writer folder, whatever else the run keeps."""

import os
import sys

from ansible_collections.instancebench.aws.plugins.module_utils import _store

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                'benchmarks'))
import _local_launch  # noqa: E402


def _job(store, run_id, benchmark, variant, writer='host'):
    job_id = '%s-%s-0123456789ab' % (benchmark, variant)
    prefix = _store.job_prefix(run_id, 'local', 'vm', benchmark, job_id)
    folder = _store.writer_prefix(prefix, writer)
    store.put_json(prefix + '/status-launched.json', {'writer': writer})          # the controller's record
    store.put_json(folder + '/job.json', {'command': ['/work/build/job-%s.sh' % variant], 'job': {'id': job_id}})
    store.put_json(folder + '/result.json', {'job': {'benchmark': benchmark, 'variant': variant, 'id': job_id}})
    store.put(folder + '/raw.log', b'output\n')
    return job_id


def test_results_and_their_job_records_come_from_the_writer_folder(tmp_path):
    store = _store.FileStore(str(tmp_path))
    ids = sorted([_job(store, 'compare-1', 'fftw', 'simd'), _job(store, 'compare-1', 'fftw', 'nosimd', writer='AROA1:i-1')])
    store.put_json(_store.schedule_key('compare-1'), {'windows': []})
    _job(store, 'compare-2', 'fftw', 'simd')                                        # another run: not read

    docs = _local_launch.stored_results(str(tmp_path), 'compare-1')
    assert sorted(doc['job']['id'] for doc in docs) == ids
    for doc in docs:
        assert doc['_job']['job']['id'] == doc['job']['id']
        assert doc['_job']['command'] == ['/work/build/job-%s.sh' % doc['job']['variant']]
    assert _local_launch.stored_results(str(tmp_path), 'compare-9') == []
