# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jobs written into a results store the way the controller and run_benchmark write them, with
result documents made by our analyzers from captured outputs of real runs (tests/fixtures/)."""

import datetime

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _result
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from harness.fixtures import read_fixture

SYSTEM = {'arch': 'x86_64', 'cpu': {}, 'uarch': {'name': 'znver4', 'source': 'detected'},
          'topology': {'logical_cpus': 2, 'physical_cores': 2, 'sockets': 1, 'threads_per_core': 1, 'numa_nodes': 1},
          'caches': {}, 'memory': {'total_bytes': 1, 'available_bytes': 1}, 'os': {}, 'kernel': 'k', 'compiler': None}
BUILD = {'compiler': 'gcc', 'compiler_version': '12.2.0', 'flags': ['-O3'], 'flag_source': 'catalog',
         'flag_warnings': [], 'binary_sha256': '0' * 64,
         'source': {'name': 'stream', 'version': '5.10', 'url': 'u', 'sha256': 'a' * 64}}
STREAM_OK = ('stream', 'znver4-omp2-o3-native.txt', {'threads': 2, 'array_size_elements': 33554432})
STREAM_TRUNCATED = ('stream', 'znver4-killed-at-1.5s.txt', {'threads': 2, 'array_size_elements': 33554432})
LAUNCHED_AT = '2026-11-26T10:00:00+00:00'
# The aws:userid an instance writes under (role id:instance id); the launched record names it.
WRITER = 'AROATESTROLE0000000001:i-0test'


def host_objects(prefix, writer=WRITER):
    """The folder of a job's directory its host writes in (what store_job fills)."""
    return _store.writer_prefix(prefix, writer)


def _iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def result_document(run_id, job_id, instance, output=STREAM_OK, repetitions=2, duration_s=600.0, outputs=None,
                    system=None, with_observed=False):
    """outputs: one (benchmark, fixture, expected) per repetition (captured runs that differ: a real
    spread), instead of `output` `repetitions` times; system: instead of SYSTEM; with_observed: the
    build keeps what the analyzer observed (the latency curves), as run_benchmark stores it."""
    outputs = outputs or [output] * repetitions
    benchmark, repetitions = outputs[0][0], len(outputs)
    text = _raw_log(outputs)
    reps = []
    for _benchmark, fixture, expected in outputs:
        analysed = _result.analyzer(benchmark)(read_fixture(_folder(benchmark), fixture), expected)
        analysed[1].append({'name': 'exit_status', 'passed': True, 'detail': 'rc=0 signal=None'})
        reps.append(tuple(analysed))
    metrics, checks, passed, observed = _result.combine(reps)
    state = 'completed' if passed else 'failed'
    started = datetime.datetime(2026, 11, 26, 10, 5, tzinfo=datetime.timezone.utc).timestamp()
    job = {'run_id': run_id, 'job_id': job_id, 'benchmark': benchmark, 'variant': 'default', 'state': state,
           'reason': None if passed else 'validation failed', 'started_at': _iso(started),
           'finished_at': _iso(started + duration_s), 'duration_s': duration_s}
    artifacts = {'raw_log': {'key': 'raw.log', 'sha256': _store.sha256_bytes(text.encode()), 'bytes': len(text)}}
    parameters = {'threads': 2, 'repetitions': repetitions, 'timeout_s': 3600}
    build = dict(BUILD, observed=observed) if with_observed and observed else BUILD
    return _result.document(job, instance, system or SYSTEM, build, parameters, metrics, checks, passed, artifacts)


def _raw_log(outputs):
    """The raw log of one output, or of each repetition's one after the other."""
    distinct = []
    for output in outputs:
        if output not in distinct:
            distinct.append(output)
    return ''.join(read_fixture(_folder(kind), fixture) for kind, fixture, _expected in distinct)


def _folder(benchmark):
    """The fixtures folder of a benchmark: its role's name ('7zip' is captured under sevenzip/)."""
    found = _benchmarks.get(benchmark)
    return found.role if found is not None else benchmark


def store_job(store, run_id, job_id, instance_type, price=None, states=('launched', 'running', 'completed'),
              output=STREAM_OK, deadline_epoch=None, region='us-east-1', result=True, instance_id=None,
              start_by_epoch=None, market='on-demand', **document):
    """Write one job; returns its prefix (the controller's records; host_objects(prefix) holds
    what the host wrote). `states`: sentinels to write, in order; `market`: the instance's;
    `document`: result_document's outputs, system, with_observed."""
    benchmark = (document.get('outputs') or [output])[0][0]
    prefix = _store.job_prefix(run_id, region, instance_type, benchmark, job_id)
    host = host_objects(prefix)
    instance = {'type': instance_type, 'id': instance_id or 'i-%s' % job_id[-8:], 'region': region, 'availability_zone': region + 'a',
                'market': market, 'price_per_hour_usd': price, 'ami': 'ami-1', 'hostname': 'ip-10-0-0-1',
                'launched_at': LAUNCHED_AT}
    for state in states:
        if state == 'launched':
            store.put_json(prefix + '/status-launched.json', {
                'state': 'launched', 'run_id': run_id, 'job_id': job_id, 'instance_id': instance['id'],
                'market': market, 'price_per_hour_usd': price, 'started_at': LAUNCHED_AT, 'writer': WRITER,
                'deadline': _iso(deadline_epoch or 0), 'deadline_epoch': deadline_epoch or 4102444800,
                'start_by': _iso(start_by_epoch or 0), 'start_by_epoch': start_by_epoch or 4102444800})
            continue
        if state == 'leased':
            store.put_json(prefix + '/status-leased.json', {
                'state': 'leased', 'run_id': run_id, 'job_id': job_id, 'holder': 'controller-test',
                'start_by': _iso(start_by_epoch or 0), 'start_by_epoch': start_by_epoch or 4102444800})
            continue
        if state in ('completed', 'failed') and result:
            doc = result_document(run_id, job_id, instance, output, **document)
            sums = {'raw.log': store.put(host + '/raw.log', _raw_log(document.get('outputs') or [output]).encode()),
                    'result.json': store.put_json(host + '/result.json', doc)}
            store.put(host + '/SHA256SUMS', ''.join('%s  %s\n' % (meta['sha256'], name)
                                                    for name, meta in sorted(sums.items())).encode())
        store.put_json(host + '/status-%s.json' % state, {'state': state})
    return prefix


def job_dir(key):
    """The job directory of a stored key, whether the controller or the job's host wrote it."""
    head = key.rsplit('/', 1)[0]
    parent, folder = head.rsplit('/', 1)
    return parent if folder.startswith(_store.WRITER_FOLDER) else head


STREAM_SERIAL = ('stream', 'znver4-serial-o2.txt', {'array_size_elements': 10000000})


def store_scaled_job(store, run_id, job_id, instance_type, factor, finished_at='2026-12-03T10:15:00.000000Z', **kwargs):
    """A job whose result is a captured run with every figure scaled and a later finish: a mutated
    copy, for the failure cases (a regression, a figure outside its reference)."""
    prefix = store_job(store, run_id, job_id, instance_type, **kwargs)
    doc = store.get_json(host_objects(prefix) + '/result.json')
    for metric in doc['metrics']:
        for field in ('value', 'median', 'min', 'max', 'ci_low', 'ci_high'):
            metric[field] = round(metric[field] * factor, 4)
        metric['values'] = [round(v * factor, 4) for v in metric['values']]
    doc['job']['finished_at'] = finished_at
    store.put_json(host_objects(prefix) + '/result.json', doc)
    return prefix
