# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""For the comparison scripts: run launch.yml on this machine into a file store and read back the
result documents of the run, wherever the store's key layout puts them (the store knows it)."""

import json
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, '.cache', 'collections'))

from ansible_collections.instancebench.aws.plugins.module_utils import _store  # noqa: E402


def launch(store_dir, run_id, extra, check=True):
    """Run launch.yml with `extra`; returns the run's result documents, each with `_job` (job.json).
    check=False: a failing playbook is not fatal, the caller gets whatever results were stored."""
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'))
    variables = dict(extra, instancebench_run_id=run_id, instancebench_results_store='file://' + store_dir)
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
                           os.path.join(REPO, 'playbooks', 'launch.yml'), '-e', json.dumps(variables)],
                          cwd=REPO, env=env, check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0 and check:
        raise RuntimeError('launch.yml exited with status %d: %s' % (proc.returncode, failure(proc.stdout)))
    docs = stored_results(store_dir, run_id)
    if not docs and check:
        sys.exit('launch.yml stored no result for run %s in %s' % (run_id, store_dir))
    return docs


def failure(output):
    """The last line of a playbook's output that says what failed (a fatal task's message)."""
    lines = [line.strip() for line in output.splitlines() if re.search(r'fatal:|FAILED!|"msg":|ERROR!', line)]
    return lines[-1][:400] if lines else 'no fatal line in its output'


def launch_one(store_dir, run_id, extra):
    """launch() for a run of one job (one benchmark, one variant): its result document."""
    docs = launch(store_dir, run_id, extra)
    if len(docs) != 1:
        sys.exit('run %s in %s stored %d results, expected one: give each launch a run id of its own'
                 % (run_id, store_dir, len(docs)))
    return docs[0]


def launch_each(store_dir, run_id, extra):
    """launch() for a run of several benchmarks, one job each: {benchmark: its result document}; a
    benchmark that stored no result is absent (the others still count)."""
    docs = launch(store_dir, run_id, extra, check=False)
    by_benchmark = dict((doc['job']['benchmark'], doc) for doc in docs)
    if len(by_benchmark) != len(docs):
        sys.exit('run %s in %s stored two results of one benchmark: give each launch a run id of its own'
                 % (run_id, store_dir))
    return by_benchmark


def stored_results(store_dir, run_id):
    """The result documents of `run_id` in a file store, each with `_job` (the job.json its host wrote
    beside it), found through the store's own key layout (_store.parse_job_key, split_writer)."""
    store = _store.FileStore(store_dir)
    docs = []
    for key in store.list(_store.run_prefix(run_id)):
        parsed = _store.parse_job_key(key)
        if parsed is None:
            continue
        prefix, name, _parts = parsed
        writer, leaf = _store.split_writer(name)
        if leaf == 'result.json':
            folder = '%s/%s%s/' % (prefix, _store.WRITER_FOLDER, writer) if writer else prefix + '/'
            doc = store.get_json(key)
            doc['_job'] = store.get_json(folder + 'job.json')
            docs.append(doc)
    return docs
