# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read back what a test run stored, checked against the published schema with jsonschema."""

import glob
import json
import os

import jsonschema

from harness.ansible_runner import REPO

SCHEMA = os.path.join(REPO, 'benchmarks', 'schema', 'result-v1.schema.json')


def stored_results(store_dir, run_id):
    """Every result.json of `run_id` under a file store directory, schema-validated."""
    with open(SCHEMA) as handle:
        schema = json.load(handle)
    docs = []
    for path in sorted(glob.glob(os.path.join(str(store_dir), 'runs', 'run=%s' % run_id, '*', '*', '*', 'job=*', 'by=*', 'result.json'))):
        with open(path) as handle:
            doc = json.load(handle)
        jsonschema.validate(doc, schema)
        doc['_path'] = path
        docs.append(doc)
    return docs


def stored_result(store_dir, run_id):
    """The one result of `run_id`; fails the test when there is not exactly one."""
    docs = stored_results(store_dir, run_id)
    assert len(docs) == 1, 'expected one result for run %s, found %d' % (run_id, len(docs))
    return docs[0]


def results_by_benchmark(store_dir, run_id):
    """{benchmark: its one result} of `run_id` (a job per benchmark), schema-validated."""
    return dict((doc['job']['benchmark'], doc) for doc in stored_results(store_dir, run_id))
