# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One benchmark, one place: a toy benchmark registered in _benchmarks is accepted by the plan
check, the result schema, run_benchmark's analyzer lookup, collect's summary, the dataset and the
report, with no other edit."""

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _collect_pass, _plan, _result
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from harness.stored_jobs import BUILD, SYSTEM

TOY_OUTPUT = 'toy: 41.5 widgets/s\n'
SHIPPED = ['stream', 'fftw', 'hpl', '7zip', 'sysbench', 'stressng', 'openssl', 'compile', 'latency', 'gemm', 'vector_ops',
           'stream_numa', 'stream_cache', 'stream_isa']
ALL = ', '.join(SHIPPED)


def _toy_analyze(text, expected):
    value = float(text.split()[1])
    return ({'widget_rate': (value, 'widgets/s', True)},
            [{'name': 'toy_verified', 'passed': True, 'detail': 'the toy says ok'}])


@pytest.fixture
def toy():
    benchmark = _benchmarks.register(_benchmarks.Benchmark(
        'toy', 'Toy widgets', 'widget throughput', _toy_analyze, headline='widget_rate',
        phrase=lambda metrics: '%.1f widgets/s' % metrics['widget_rate']['value']))
    yield benchmark
    _benchmarks.unregister('toy')


def _toy_document(job_id):
    reps = [_result.analyzer('toy')(TOY_OUTPUT, {}) for _rep in range(3)]
    metrics, checks, passed, _observed = _result.combine(reps)
    job = {'run_id': 'r1', 'job_id': job_id, 'benchmark': 'toy', 'variant': 'default', 'state': 'completed',
           'reason': None, 'started_at': '2026-11-26T10:05:00.000000Z', 'finished_at': '2026-11-26T10:06:00.000000Z',
           'duration_s': 60.0}
    instance = {'type': None, 'id': None, 'region': None, 'availability_zone': None, 'market': None,
                'price_per_hour_usd': None, 'ami': None, 'hostname': 'lab1', 'launched_at': None}
    system, build = dict(SYSTEM), dict(BUILD, source=dict(BUILD['source'], name='toy'))
    artifacts = {'raw_log': {'key': 'raw.log', 'sha256': _store.sha256_bytes(TOY_OUTPUT.encode()), 'bytes': 20}}
    return _result.document(job, instance, system, build, {'repetitions': 3, 'timeout_s': 60, 'threads': 1}, metrics, checks, passed, artifacts)


def test_an_unregistered_benchmark_is_refused_everywhere_by_name():
    _plan_, problems = _plan.check_plan({'region': 'us-east-1', 'instance_types': ['c7a.large'], 'benchmarks': ['toy'],
                                         'max_runtime_minutes': 30, 'results': {'bucket': 'bench-results'}})
    assert problems == ["benchmarks[0]: unknown benchmark 'toy'; choose from %s" % ALL]
    with pytest.raises(KeyError, match='registered: %s' % ALL):
        _result.analyzer('toy')


def test_a_registered_toy_benchmark_goes_through_every_layer(toy, tmp_path):
    plan, problems = _plan.check_plan({'region': 'us-east-1', 'instance_types': ['c7a.large'],
                                       'benchmarks': ['stream', 'toy'], 'max_runtime_minutes': 30,
                                       'results': {'bucket': 'bench-results'}})
    assert problems == [] and plan['benchmarks'] == ['stream', 'toy']

    doc = _toy_document('toy-default-000000000001')
    assert _result.validate(doc) == [], 'the schema takes the registered name'
    assert doc['metrics'][0]['value'] == 41.5 and doc['validation']['passed']

    store = _store.FileStore(str(tmp_path / 'store'))
    prefix = _store.job_prefix('r1', 'local', 'lab1', 'toy', doc['job']['job_id'])
    meta = store.put_json(prefix + '/result.json', doc)
    store.put(prefix + '/SHA256SUMS', ('%s  result.json\n' % meta['sha256']).encode())
    store.put_json(prefix + '/status-completed.json', {'state': 'completed'})
    outcome = _collect_pass.write_collection(store, ['r1'], str(tmp_path / 'report'), 1795000000.0, workers=1)

    assert outcome['summary']['jobs_with_problems'] == 0, outcome['summary']['problems']
    assert any('41.5 widgets/s' in line for line in outcome['table']), 'collect summary: the phrase registered'
    [cell] = [h for h in outcome['headline'] if h['benchmark'] == 'toy']
    assert (cell['metric'], cell['median'], cell['n']) == ('widget_rate', 41.5, 1), 'dataset: the headline metric'
    report = (tmp_path / 'report' / 'report.md').read_text()
    assert '## Toy widgets (widget throughput), median per instance type' in report
    assert 'Toy widgets' in (tmp_path / 'report' / 'report.html').read_text()
    dataset = (tmp_path / 'report' / 'dataset.csv').read_text()
    assert ',toy,' in dataset and 'widget_rate' in dataset


def test_every_shipped_benchmark_has_an_analyzer_a_title_and_a_phrase():
    assert _benchmarks.names() == SHIPPED
    for name in _benchmarks.names():
        found = _benchmarks.get(name)
        assert callable(found.analyze) and found.title and found.what and found.phrase
    assert _benchmarks.headline_metrics() == {'stream': 'triad_bandwidth', 'hpl': 'gflops', '7zip': 'total_mips_all',
                                              'sysbench': 'cpu_events_per_s_all', 'stressng': 'div16_ops_per_s_all',
                                              'openssl': 'rsa2048_sign_per_s_all', 'latency': 'dram_latency_ns',
                                              'gemm': 'dgemm_gflops_all', 'vector_ops': 'daxpy_dram_gbs_all',
                                              'compile': 'builds_per_hour', 'stream_numa': 'triad_bandwidth_n0_m0',
                                              'stream_cache': 'triad_l2_gbs_all', 'stream_isa': 'triad_bandwidth_native'}


def test_a_selection_is_a_list_or_a_comma_separated_string_of_registered_names():
    assert _benchmarks.select(None) == (['stream', 'fftw', 'hpl'], ''), 'nothing named: the defaults; suites opt in'
    assert _benchmarks.defaults() == ['stream', 'fftw', 'hpl']
    assert _benchmarks.select('stream, hpl') == (['stream', 'hpl'], '')
    assert _benchmarks.select(['fftw']) == (['fftw'], '')
    assert _benchmarks.select('strem') == (
        [], 'instancebench_benchmarks has strem: choose from %s (a list, or a comma-separated string '
            'such as stream,hpl)' % ALL)
    assert _benchmarks.select('[stream, hpl]') == (['stream', 'hpl'], ''), 'what -e name=[a, b] gives'
    assert _benchmarks.select("['fftw']") == (['fftw'], '')
    assert _benchmarks.select('[strem]')[1].startswith('instancebench_benchmarks has strem:')
    assert _benchmarks.select([]) == ([], 'instancebench_benchmarks is empty, so nothing would run: choose from '
                                          + ALL)
    assert _benchmarks.select(' , ')[1].startswith('instancebench_benchmarks is empty')
    assert 'must be a list' in _benchmarks.select({'stream': 1})[1]


def _role_options(role):
    import os
    import yaml
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'roles', role, 'meta', 'argument_specs.yml')
    with open(path) as handle:
        return yaml.safe_load(handle)['argument_specs']['main']['options']


CONTEXT = dict((key, 'v-%s' % key) for key in _benchmarks.JOB_CONTEXT)


def test_every_benchmark_role_takes_the_whole_job_context_launch_hands_it():
    for name in _benchmarks.names():
        call = _benchmarks.role_call(name, CONTEXT)
        role = call['role'].rsplit('.', 1)[1]
        options = _role_options(role)
        missing = sorted(set(call['vars']) - set(options))
        assert missing == [], '%s role lacks job-context options %s' % (role, missing)
        assert call['vars']['%s_run_id' % role] == 'v-run_id' and len(call['vars']) == len(_benchmarks.JOB_CONTEXT)


def test_a_role_call_names_the_role_and_refuses_an_unknown_benchmark_or_an_incomplete_context(toy):
    assert _benchmarks.role_call('stream', CONTEXT)['role'] == 'instancebench.aws.stream'
    assert _benchmarks.role_call('7zip', CONTEXT)['vars']['sevenzip_replica'] == 'v-replica', 'its role, not its name'
    with pytest.raises(KeyError, match="unknown benchmark 'strem'"):
        _benchmarks.role_call('strem', CONTEXT)
    partial = dict(CONTEXT)
    del partial['deadline_epoch']
    with pytest.raises(KeyError, match='a job context has exactly'):
        _benchmarks.role_call('toy', partial)


def test_the_cv_gate_is_the_registry_s_and_unknown_names_have_none(toy):
    assert _benchmarks.cv_gate('stream') == {'triad_bandwidth': 0.03}
    assert _benchmarks.cv_gate('hpl') == {'gflops': 0.02}
    assert _benchmarks.cv_gate('toy') == {} and _benchmarks.cv_gate('nobody') == {}


def test_a_metric_the_registry_does_not_declare_or_in_another_unit_invalidates_the_repetition():
    import os
    fixture = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stream', 'znver4-omp2-o3-native.txt')
    with open(fixture) as handle:
        text = handle.read()
    metrics, checks = _result.analyzer('stream')(text, {})[:2]
    assert 'metrics_declared' not in [c['name'] for c in checks] and metrics['triad_bandwidth'][1] == 'GB/s'
    assert _benchmarks.undeclared_metrics('stream', {'triad_bandwidth': (50.0, 'MB/s', True)}) == [
        'triad_bandwidth in MB/s (higher is better), declared in GB/s (higher is better)']
    assert _benchmarks.undeclared_metrics('hpl', {'gflops': (1.0, 'GFLOP/s', True), 'walltime': (2.0, 's', False)}) == [
        'walltime is not a metric hpl declares (dgemm_gflops, gflops, gflops_*, hpl_dgemm_ratio, time, uplift_*)']
    original = _benchmarks.get('stream')
    try:
        _benchmarks.register(_benchmarks.Benchmark(
            'stream', original.title, original.what, lambda t, e: ({'triad_bandwidth': (1.0, 'MB/s', True)}, []),
            metrics=original.metrics))
        [check] = _result.analyzer('stream')(text, {})[1]
        assert check['name'] == 'metrics_declared' and not check['passed']
        assert _result.combine([_result.analyzer('stream')(text, {})])[2] is False, 'not published'
    finally:
        _benchmarks.register(original)
    assert _benchmarks.names() == SHIPPED, 'replacing keeps the order'
