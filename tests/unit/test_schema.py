# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The published schema is the Python one, and our small validator agrees with jsonschema."""

import copy
import json
import os

import jsonschema
import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _result
from ansible_collections.instancebench.aws.plugins.module_utils._result_schema import RESULT_SCHEMA

REPO = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
FIXTURE = os.path.join(REPO, 'tests', 'fixtures', 'stream', 'znver4-omp2-o3-native.txt')


def test_published_schema_matches_the_source():
    with open(os.path.join(REPO, 'benchmarks', 'schema', 'result-v1.schema.json')) as handle:
        assert json.load(handle) == RESULT_SCHEMA, 'run `make schema` to republish benchmarks/schema/'
    jsonschema.Draft202012Validator.check_schema(RESULT_SCHEMA)


def _valid_doc():
    with open(FIXTURE) as handle:
        text = handle.read()
    reps = [_result.analyzer('stream')(text, {'threads': 2}) for _rep in range(3)]
    metrics, checks, passed, _observed = _result.combine(reps)
    job = {'run_id': 'r1', 'job_id': 'stream-default-abc', 'benchmark': 'stream', 'variant': 'default',
           'state': 'completed', 'reason': None, 'started_at': 't0', 'finished_at': 't1', 'duration_s': 1.5}
    instance = dict.fromkeys(['type', 'id', 'region', 'availability_zone', 'price_per_hour_usd', 'ami'])
    instance.update(market='none', hostname='h')
    system = {'arch': 'x86_64', 'cpu': {}, 'uarch': {'name': 'znver4', 'source': 'detected'},
              'topology': {'logical_cpus': 2, 'physical_cores': 2, 'sockets': 1, 'threads_per_core': 1,
                           'numa_nodes': 1},
              'caches': {}, 'memory': {'total_bytes': 1, 'available_bytes': 1}, 'os': {}, 'kernel': '6.1',
              'compiler': {'name': 'gcc'}}
    build = {'compiler': 'gcc', 'compiler_version': '12.2.0', 'flags': ['-O3'], 'flag_source': 'catalog',
             'flag_warnings': [], 'binary_sha256': 'a' * 64,
             'source': {'name': 'stream', 'version': '5.10', 'url': 'u', 'sha256': 'b' * 64}}
    artifacts = {'raw_log': {'key': 'k', 'sha256': 'c' * 64, 'bytes': 10}}
    return _result.document(job, instance, system, build, {'repetitions': 3, 'timeout_s': 60}, metrics, checks,
                            passed, artifacts)


def _break(doc, how):
    doc = copy.deepcopy(doc)
    if how == 'missing_job':
        del doc['job']
    elif how == 'bad_state':
        doc['job']['state'] = 'finished'
    elif how == 'metric_string':
        doc['metrics'][0]['value'] = '48.1'
    elif how == 'extra_field':
        doc['surprise'] = 1
    elif how == 'bad_sha':
        doc['build']['binary_sha256'] = 'xyz'
    elif how == 'invalid_with_numbers':
        doc['validation']['passed'] = False
    elif how == 'negative_stdev':
        doc['metrics'][0]['stdev'] = -1.0
    return doc


def test_a_real_result_is_valid_for_both_validators():
    doc = _valid_doc()
    assert doc['validation']['passed'] and len(doc['metrics']) == 4
    assert _result.validate(doc) == []
    jsonschema.validate(doc, RESULT_SCHEMA)


@pytest.mark.parametrize('how', ['missing_job', 'bad_state', 'metric_string', 'extra_field', 'bad_sha',
                                 'invalid_with_numbers', 'negative_stdev'])
def test_both_validators_reject_the_same_broken_documents(how):
    doc = _break(_valid_doc(), how)
    assert _result.validate(doc), 'our validator accepted %s' % how
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, RESULT_SCHEMA)


def test_one_failed_repetition_withholds_every_number():
    good = _result.analyzer('stream')(open(FIXTURE).read(), {})
    bad = (good[0], good[1] + [{'name': 'solution_validates', 'passed': False, 'detail': 'x'}])
    metrics, checks, passed, _observed = _result.combine([good, bad])
    assert passed is False and metrics == []
    assert any(c['name'] == 'rep2.solution_validates' and not c['passed'] for c in checks)
