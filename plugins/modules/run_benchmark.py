#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: run_benchmark
short_description: Run a benchmark binary, validate and parse its output, and store the result document
version_added: "0.1.0"
description:
  - Runs a built benchmark binary O(repetitions) times under a graceful timeout (SIGTERM to the
    process group, then SIGKILL after O(kill_grace) seconds). Output goes straight to a log file,
    so a killed run keeps everything it printed.
  - Parses each repetition with the benchmark's parser, runs its validation checks (for STREAM,
    the complete table and C(Solution Validates)) and reports per metric the median, min, max,
    sample standard deviation and coefficient of variation.
  - Writes status sentinels (C(running), then C(completed), C(failed) or C(timed_out)), the job
    record, the system-info document, the raw log, the result document (validated against the
    result schema before writing) and a C(SHA256SUMS) of those artifacts to the results store,
    under C(runs/run=<run_id>/region=<region>/type=<instance type>/benchmark=<benchmark>/job=<job_id>/).
  - With an C(s3://) store, every write goes through a local spool first (under O(chdir)) and is
    sent in order, retried with back-off for up to O(upload_timeout) seconds when S3 cannot be
    reached; a second run of the job sends what an earlier one left spooled.
  - Meant to run under C(async) with C(poll=0) on a benchmark instance; with O(power_off_command)
    the host powers itself off once every object is stored (an EC2 instance launched with
    shutdown behaviour C(terminate) then terminates). It is not powered off while objects are
    still spooled; the instance's boot-time failsafe stops it at its deadline.
  - A job whose result already exists in the store is not run again (idempotent), unless
    O(force=true).
  - A result that fails validation is stored with C(validation.passed=false) and no metrics,
    and the task fails unless O(fail_on_invalid=false).
author:
  - instancebench.aws contributors (@instancebench)
options:
  benchmark:
    description:
      - Which parser and checks apply to the output; a name the benchmark registry
        (C(plugins/module_utils/_benchmarks.py)) knows, for example C(stream), C(hpl) or C(7zip). Another name
        fails, naming the registered ones.
    type: str
    required: true
  variant:
    description: Name of the parameter set, part of the job identity.
    type: str
    default: default
  command:
    description: The benchmark command as an argument vector (no shell).
    type: list
    elements: str
    required: true
  environment:
    description: Extra environment variables for the benchmark (for example C(OMP_NUM_THREADS)).
    type: dict
    default: {}
  chdir:
    description: Working directory for the benchmark and its local log spool.
    type: path
    required: true
  repetitions:
    description:
      - How many times at least to run the binary; statistics are taken over the runs made.
    type: int
    default: 3
  max_repetitions:
    description:
      - Run again, up to this many times in all, until every metric of O(cv_gate) has a coefficient of
        variation within its gate (judged from 3 runs on). 0 or less than O(repetitions) runs exactly
        O(repetitions) times. A further run starts only if it fits before O(timeout).
      - The result's C(quality) says C(stable) (gate held), C(noisy) (the maximum came first) or C(unjudged).
    type: int
    default: 0
  cv_gate:
    description:
      - "Metric name (or a pattern such as C(mflops_*)) to the largest coefficient of variation (stdev / mean)
        accepted, for example C({triad_bandwidth: 0.03})."
      - Omitted, the benchmark's own gate from the benchmark registry (C(plugins/module_utils/_benchmarks.py)).
    type: dict
  timeout:
    description: Deadline in seconds for all repetitions together.
    type: int
    default: 3600
  kill_grace:
    description: Seconds between SIGTERM and SIGKILL when the deadline passes.
    type: int
    default: 10
  store:
    description:
      - Results store URL as seen from the host that runs the job, C(file:///absolute/path).
    type: str
    required: true
  run_id:
    description: Run identifier; letters, digits, C(.), C(_) and C(-).
    type: str
    required: true
  job_id:
    description:
      - Job identifier. Derived from run id, region, instance type, benchmark, variant and
        O(replica) when omitted, so the same job always gets the same id.
    type: str
  replica:
    description:
      - Which of a plan's identical instances this job runs on (part of the derived job id). Not a repetition
        (the runs inside one job) and not an attempt (a retry of a job).
    type: int
    default: 0
  instance:
    description:
      - Where the job runs (C(type), C(id), C(region), C(availability_zone), C(market), C(price_per_hour_usd), C(ami), C(launched_at)).
      - C(writer) names the folder of the job's directory this host writes in (C(by=<writer>/)); on EC2
        the instance role's C(aws:userid), C(<role id>:<instance id>), the only folder the instance
        policy lets it write. Default C(host), for a host with no cloud identity.
    type: dict
    default: {}
  system:
    description: Host facts from M(instancebench.aws.host_facts) (the C(instancebench_host) fact).
    type: dict
    required: true
  build:
    description: How the binary was built (compiler, version, flags, flag source and warnings, source pin).
    type: dict
    required: true
  parameters:
    description: Benchmark parameters recorded in the result (array size, threads, binding, ...).
    type: dict
    default: {}
  expected:
    description: Values the output must report for the result to validate (STREAM C(threads), C(array_size_elements)).
    type: dict
    default: {}
  peaks:
    description:
      - Theoretical peaks to compare a metric's headline value with, each C(metric), C(value) (same unit)
        and C(assumption) (how the peak was computed, e.g. which clock). Stored under C(efficiency).
      - "A peak with C(ceiling=true) is an upper bound: a headline above 105 % of it fails the check
        C(below_peak.<metric>) (the peak table or its clock is wrong), and the result carries no number."
    type: list
    elements: dict
    default: []
  upload_timeout:
    description: Seconds to keep retrying writes S3 refused or could not be reached for, after the benchmark ran.
    type: int
    default: 900
  power_off_command:
    description:
      - Command (argument vector) run last, after every object is stored, whatever the job's
        state. Empty (the default) leaves the host running, for example to debug it.
    type: list
    elements: str
    default: []
  force:
    description: Run even when the store already holds a result for this job.
    type: bool
    default: false
  fail_on_invalid:
    description: Fail the task when the job did not complete with a validated result (the result is stored either way).
    type: bool
    default: true
  spot_watch:
    description:
      - Whether to watch the instance metadata for EC2 spot notices while the benchmark runs.
        C(auto) watches when O(instance) says C(market=spot); C(always) also elsewhere (tests with a stand-in
        O(imds_endpoint)); C(never) does not.
      - An instance-action notice stops the benchmark (its process group gets SIGTERM, then SIGKILL after
        O(kill_grace)); what ran is stored (raw log, the result without numbers) with a C(failed) sentinel whose
        C(reason) is C(spot-interruption) and whose C(notice) holds the notice's action and time. A later launch
        retries the job on-demand.
      - A rebalance recommendation is recorded (raw log and the result's check C(spot.rebalance_recommendation),
        a warning) and the job runs on. An endpoint that does not answer is said once in the raw log and the job
        runs on.
    type: str
    choices: [auto, always, never]
    default: auto
  imds_endpoint:
    description: The instance metadata service (IMDSv2) the spot watch asks.
    type: str
    default: http://169.254.169.254
  spot_poll_interval:
    description: Seconds between two looks at the spot notices while the benchmark runs.
    type: int
    default: 5
  counters:
    description:
      - Run each repetition under C(perf stat) (instructions, cycles, cache misses, counted into a CSV file
        beside the repetition's log, not into its output) and record the counts and the median IPC under the
        result's C(counters).
      - Only where counting works (a CPU PMU in C(/sys/bus/event_source/devices), the C(perf) binary,
        C(perf_event_paranoid), and a trial count of C(true)); elsewhere (many VMs) the repetitions run as
        without it and C(counters) says why, with no numbers.
      - Off (the default), the command runs exactly as given and the result has no C(counters).
    type: bool
    default: false
notes:
  - Check mode reports whether the job would run; it runs nothing and writes nothing.
"""

EXAMPLES = r"""
- name: Run STREAM three times and store the result
  instancebench.aws.run_benchmark:
    benchmark: stream
    command: ["/var/lib/instancebench/build/stream-3f2a/stream"]
    environment:
      OMP_NUM_THREADS: "2"
      OMP_PROC_BIND: spread
      OMP_PLACES: cores
    chdir: /var/lib/instancebench/jobs
    repetitions: 3
    timeout: 600
    store: file:///var/lib/instancebench/results
    run_id: 20261125-demo
    system: "{{ instancebench_host }}"
    build: "{{ __stream_build }}"
    parameters:
      array_size_elements: 16777216
    expected:
      threads: 2
      array_size_elements: 16777216
"""

RETURN = r"""
job_id:
  description: The job identifier used in the store.
  returned: always
  type: str
  sample: stream-default-5b0c1f8e9a2d
state:
  description: C(completed), C(failed) or C(timed_out); C(pending) in check mode.
  returned: always
  type: str
  sample: completed
result_key:
  description: Store key of the result document.
  returned: always
  type: str
  sample: runs/run=demo/region=local/type=bench1/benchmark=stream/job=stream-default-5b0c1f8e9a2d/by=host/result.json
powered_off:
  description: Whether O(power_off_command) was started.
  returned: always
  type: bool
  sample: false
store:
  description: The store URL written to.
  returned: always
  type: str
  sample: file:///var/lib/instancebench/results
result:
  description: The result document (see benchmarks/schema/result-v1.schema.json).
  returned: when the job ran or had already run
  type: dict
spot_notices:
  description:
    - What the spot watch saw, in order; each with C(kind) (C(interruption), C(rebalance) or C(unreachable)),
      C(seen_at), and C(action) and C(time) (interruption), C(notice_time) (rebalance) or C(detail).
  returned: when the job ran with the spot watch on
  type: list
  elements: dict
  sample: [{"kind": "interruption", "action": "terminate", "time": "2026-12-05T08:22:00Z", "seen_at": "2026-12-05T08:20:01Z"}]
headline:
  description: Metric name to median value, for a quick look (empty when invalid).
  returned: always
  type: dict
  sample: {"triad_bandwidth": 48.1}
"""

import os
import platform
import shutil
import tempfile
import time
import traceback

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _counters
from ansible_collections.instancebench.aws.plugins.module_utils import _cpu
from ansible_collections.instancebench.aws.plugins.module_utils import _job
from ansible_collections.instancebench.aws.plugins.module_utils import _names
from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils import _quality
from ansible_collections.instancebench.aws.plugins.module_utils import _result
from ansible_collections.instancebench.aws.plugins.module_utils import _spot_notice
from ansible_collections.instancebench.aws.plugins.module_utils import _states
from ansible_collections.instancebench.aws.plugins.module_utils import _store

_INSTANCE_FIELDS = ('type', 'id', 'region', 'availability_zone', 'market', 'price_per_hour_usd', 'ami', 'hostname',
                    'launched_at')


def _instance(params):
    given = params['instance'] or {}
    instance = dict((field, given.get(field)) for field in _INSTANCE_FIELDS)
    instance['hostname'] = instance['hostname'] or platform.node()
    instance['market'] = instance['market'] or 'none'
    return instance


def _sentinel(store, prefix, state, reason=None, notice=None):
    """Sentinels are small JSON documents, never empty files: they say who and when (and, for a
    spot interruption, the notice's action and time)."""
    body = {'state': state, 'timestamp': _job.utc_now(), 'host': platform.node(), 'reason': reason}
    if notice:
        body['notice'] = notice
    return store.put_json('%s/status-%s.json' % (prefix, state), body)


def _spot_watch(module, instance):
    """The job's watch of the spot notices (None when off): a callable for run_with_timeout that
    says whether to stop, and the SpotWatch with what it saw."""
    params = module.params
    if not _spot_notice.watch_enabled(params['spot_watch'], instance['market']):
        return None, None
    watch = _spot_notice.SpotWatch(_spot_notice.ImdsClient(params['imds_endpoint']))
    failures = []

    def interrupted():
        try:
            watch.poll()
        except Exception as exc:  # a bug in the watch must not cost the benchmark; said once
            if not failures:
                module.warn('spot notice watch failed: %s: %s' % (type(exc).__name__, exc))
            failures.append(exc)
        return watch.interruption is not None
    return interrupted, watch


def _analyze(analyze, text, expected):
    """The benchmark's analyzer; whatever it raises becomes a failed check, never a crash."""
    try:
        analysed = analyze(text, expected)
    except Exception as exc:  # a parser bug must cost one repetition, not the job's log
        return {}, [{'name': 'parser', 'passed': False,
                     'detail': 'the parser failed on this output (%s: %s); the raw log is kept'
                               % (type(exc).__name__, exc)}], {}
    return analysed[0], analysed[1], analysed[2] if len(analysed) > 2 else {}


def _cpu_flags():
    try:
        with open('/proc/cpuinfo') as handle:
            return _cpu.cpu_identity(_cpu.parse_cpuinfo(handle.read()), platform.machine()).get('flags')
    except (IOError, OSError):
        return None


def _gate(params):
    """The CV gate asked for, else the benchmark's own (the registry's)."""
    gate = params['cv_gate'] if params['cv_gate'] is not None else _benchmarks.cv_gate(params['benchmark'])
    return dict((str(k), float(v)) for k, v in gate.items())


def _counting(module):
    """(perf path or None, available, reason) for O(counters); perf only where a trial count worked."""
    perf = shutil.which('perf')
    usable, reason = _counters.availability('/', perf, os.geteuid() == 0)
    if not usable:
        return None, False, reason
    handle, probe = tempfile.mkstemp(prefix='instancebench-perf-', suffix='.csv')
    os.close(handle)
    try:
        module.run_command(_counters.command_prefix(perf, probe) + ['true'])
        with open(probe) as csv:
            usable, reason = _counters.probe_verdict(reason, csv.read())
    finally:
        os.unlink(probe)
    return (perf if usable else None), usable, reason


def _run_repetitions(module, store, prefix, log_dir, job_id, watch=(None, None), counted=None):
    """Run at least `repetitions` and at most `max_repetitions` times, stopping once the CV gate
    holds. Each run's log is stored (raw-rep<N>.log) before a further repetition starts, so a job
    that dies later keeps every repetition already run. `watch`: _spot_watch()'s pair; a spot
    interruption notice stops the run in progress and the job. `counted`: (perf path, list) to run each
    repetition under perf stat and append its counts to the list.
    Returns (analysed reps, raw log bytes, state, reason, env)."""
    params = module.params
    analyze = _result.analyzer(params['benchmark'])
    env = dict(os.environ)
    env.update((str(k), str(v)) for k, v in params['environment'].items())
    maximum = max(params['repetitions'], params['max_repetitions'] or 0)
    gate = _gate(params)
    deadline = time.monotonic() + params['timeout']
    reps, chunks, durations = [], [], []
    state, reason = 'completed', None
    flags = _cpu_flags()
    stop_on_notice, spot = watch
    logged = 0
    for index in range(1, maximum + 1):
        log_path = os.path.join(log_dir, '%s.rep%d.log' % (job_id, index))
        if os.path.exists(log_path):
            os.unlink(log_path)
        command = params['command']
        if counted:
            counts_path = log_path[:-len('.log')] + '.perf.csv'
            if os.path.exists(counts_path):
                os.unlink(counts_path)   # an earlier run's counts must not stand in for a perf that never started
            command = _counters.command_prefix(counted[0], counts_path) + list(command)
        remaining = deadline - time.monotonic()
        outcome = _job.run_with_timeout(command, env, params['chdir'], log_path,
                                        max(1.0, remaining), params['kill_grace'], stop_on_notice,
                                        params['spot_poll_interval'])
        with open(log_path, 'rb') as handle:
            text = handle.read()
        if counted:
            counted[1].append(_counters.repetition(_read_text(counts_path)))
        # What the spot watch saw during this run, after its output (the analyzer reads the output only).
        notes = ''.join(_spot_notice.log_line(event) for event in spot.events[logged:]) if spot else ''
        logged = len(spot.events) if spot else 0
        chunks.append(('=== instancebench repetition %d (of %d to %d) rc=%s signal=%s duration_s=%.3f ===\n'
                       % (index, params['repetitions'], maximum, outcome['rc'], outcome['signal'],
                          outcome['duration_s'])).encode() + text + notes.encode())
        metrics, checks, observed = _analyze(analyze, text.decode('utf-8', 'replace'), params['expected'])
        checks.append({'name': 'exit_status', 'passed': outcome['rc'] == 0 and not outcome['timed_out']
                       and not outcome['interrupted'], 'detail': 'rc=%s signal=%s' % (outcome['rc'], outcome['signal'])})
        if observed.get('openblas_core'):
            checks.append(_quality.blas_kernel_check(observed['openblas_core'], flags, platform.machine(), env))
        reps.append((metrics, checks, observed))
        durations.append(outcome['duration_s'])
        if outcome['timed_out']:
            state, reason = 'timed_out', 'deadline of %ss passed during repetition %d (%s sent)' % (
                params['timeout'], index, outcome['signal'])
            break
        if outcome['interrupted']:
            state, reason = 'failed', _states.SPOT_INTERRUPTION
            break
        stop, _cvs = _quality.gate_reached(reps, gate, params['repetitions'])
        # Another repetition only if it fits before the deadline (as long as the longest so far).
        if stop or index == maximum or deadline - time.monotonic() < 1.2 * max(durations):
            break
        # Before the next run: this run's log in the store (each object written once), so a job
        # that dies later keeps it. raw.log, written at the end, holds every run's log.
        store.put('%s/raw-rep%d.log' % (prefix, index), chunks[-1])
    return reps, b''.join(chunks), state, reason, _quality.library_environment(env)


def _read_text(path):
    """A file's text, empty when the run did not write it (perf never started)."""
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return ''


def main():
    module = AnsibleModule(
        argument_spec=dict(
            benchmark=dict(type='str', required=True),
            variant=dict(type='str', default='default'),
            command=dict(type='list', elements='str', required=True),
            environment=dict(type='dict', default={}),
            chdir=dict(type='path', required=True),
            repetitions=dict(type='int', default=3),
            max_repetitions=dict(type='int', default=0),
            cv_gate=dict(type='dict'),
            timeout=dict(type='int', default=3600),
            kill_grace=dict(type='int', default=10),
            store=dict(type='str', required=True),
            run_id=dict(type='str', required=True),
            job_id=dict(type='str'),
            replica=dict(type='int', default=0),
            instance=dict(type='dict', default={}),
            system=dict(type='dict', required=True),
            build=dict(type='dict', required=True),
            parameters=dict(type='dict', default={}),
            expected=dict(type='dict', default={}),
            peaks=dict(type='list', elements='dict', default=[]),
            upload_timeout=dict(type='int', default=900),
            power_off_command=dict(type='list', elements='str', default=[]),
            force=dict(type='bool', default=False),
            fail_on_invalid=dict(type='bool', default=True),
            spot_watch=dict(type='str', default='auto', choices=list(_spot_notice.WATCH_MODES)),
            imds_endpoint=dict(type='str', default=_spot_notice.DEFAULT_ENDPOINT),
            spot_poll_interval=dict(type='int', default=5),
            counters=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if _benchmarks.get(params['benchmark']) is None:
        module.fail_json(msg='benchmark %r is not registered; choose from %s (module_utils/_benchmarks.py)'
                         % (params['benchmark'], ', '.join(_benchmarks.names())))
    for name in ('repetitions', 'timeout', 'kill_grace', 'spot_poll_interval'):
        if params[name] < 1:
            module.fail_json(msg='%s must be at least 1, got %s' % (name, params[name]))
    if params['job_id'] and not _names.is_safe_name(params['job_id']):
        module.fail_json(msg='job_id %r: use 1-64 letters, digits, ".", "_" and "-" (it names files and keys)'
                         % params['job_id'])
    try:
        store = _store.open_store(params['store'])
    except _store.StoreError as exc:
        module.fail_json(msg=str(exc))
    instance = _instance(params)
    job_id = params['job_id'] or _job.job_id(params['run_id'], instance['region'] or 'local',
                                             instance['type'] or instance['hostname'], params['benchmark'],
                                             params['variant'], params['replica'])
    writer = (params['instance'] or {}).get('writer') or _store.HOST_WRITER
    try:
        prefix = _store.writer_prefix(_store.job_prefix(params['run_id'], instance['region'] or 'local',
                                                        instance['type'] or instance['hostname'],
                                                        params['benchmark'], job_id), writer)
    except _store.StoreError as exc:
        module.fail_json(msg='instance.%s' % exc)
    result_key = prefix + '/result.json'
    out = dict(changed=False, job_id=job_id, result_key=result_key, store=store.url, headline={},
               powered_off=False)

    if isinstance(store, _store.S3Store):
        store = _store.SpooledStore(store, os.path.join(params['chdir'], 'spool', job_id))
        if store.pending() and not module.check_mode:
            store.flush(deadline=params['upload_timeout'])  # what an earlier, interrupted run left
    try:
        stored = store.exists(result_key) and not params['force']
        doc = store.get_json(result_key) if stored else None
    except (_store.StoreError, ValueError) as exc:
        # Every exit path ends with the power-off step: a store that cannot be read must not leave
        # the instance up until its failsafe.
        drained = {} if module.check_mode else _drain_and_power_off(module, store)
        out['powered_off'] = drained.get('powered_off', False)
        messages = ['results store error before the run: %s (this host writes under by=%s/; on EC2 that is '
                    'the instance role\'s aws:userid, the only folder its policy allows)' % (exc, writer),
                    drained.get('msg')]
        module.fail_json(**dict(out, msg='; '.join(m for m in messages if m)))
    if doc is not None:
        out.update(state=(doc.get('job') or {}).get('state') if isinstance(doc, dict) else None, result=doc,
                   headline=_headline(doc) if isinstance(doc, dict) else {})
        module.exit_json(**out)
    if module.check_mode:
        module.exit_json(changed=True, state='pending', **dict((k, v) for k, v in out.items() if k != 'changed'))

    finished = {}
    try:
        finished = _run_and_store(module, store, prefix, job_id, instance, out)
    except _store.StoreError as exc:
        finished = {'failed': True, 'msg': 'results store error: %s' % exc}
    except Exception as exc:  # anything else still ends in a failed sentinel and the power-off below
        finished = {'failed': True, 'msg': 'run_benchmark failed: %s' % traceback.format_exc(limit=5)}
        try:
            _sentinel(store, prefix, 'failed', 'internal error: %s' % exc)
        except Exception:
            pass
    finished.update(_drain_and_power_off(module, store))
    out.update(finished)
    if out.pop('failed', False):
        module.fail_json(**out)
    module.exit_json(**out)


def _drain_and_power_off(module, store):
    """Last step whatever happened: send what is spooled, then power off if asked to."""
    params = module.params
    if isinstance(store, _store.SpooledStore) and store.flush(deadline=params['upload_timeout']):
        return {'failed': True, 'msg': '%d objects could not be stored within %ss (last error: %s); they stay '
                'in %s and the host is left running for its failsafe' % (store.pending(), params['upload_timeout'],
                                                                         store.last_error, store.spool_dir)}
    if not params['power_off_command']:
        return {}
    try:
        _job.start_detached(params['power_off_command'])
    except OSError as exc:
        module.warn('power off command %s failed: %s' % (params['power_off_command'], exc))
        return {}
    return {'powered_off': True}


def _run_and_store(module, store, prefix, job_id, instance, out):
    params = module.params
    log_dir = os.path.join(params['chdir'], 'logs')
    if not os.path.isdir(log_dir):
        os.makedirs(log_dir)
    job = {'run_id': params['run_id'], 'job_id': job_id, 'benchmark': params['benchmark'],
           'variant': params['variant'], 'state': 'running', 'reason': None,
           'started_at': _job.utc_now(), 'finished_at': None, 'duration_s': 0.0}
    started = time.monotonic()
    _sentinel(store, prefix, 'running')
    artifacts = {'job.json': store.put_json(prefix + '/job.json', {
        'job': job, 'instance': instance, 'command': params['command'], 'parameters': params['parameters']}),
        'system.json': store.put_json(prefix + '/system.json', params['system'])}

    stop_on_notice, spot = _spot_watch(module, instance)
    perf, counting, why = _counting(module) if params['counters'] else (None, False, None)
    counted = (perf, []) if perf else None
    reps, raw, state, reason, environment = _run_repetitions(module, store, prefix, log_dir, job_id,
                                                             (stop_on_notice, spot), counted)
    raw_meta = artifacts['raw.log'] = store.put(prefix + '/raw.log', raw)
    metrics, checks, passed, observed = _result.combine(reps)
    if spot:
        checks.extend(_spot_notice.checks(spot.events))
        out['spot_notices'] = spot.events   # an interruption's check fails the result (below)
    if passed:
        checks.extend(_quality.peak_checks(metrics, params['peaks']))
        passed = not any(_numbers.invalidates(c) for c in checks)
        metrics = metrics if passed else []
    quality = _quality.quality(reps, _gate(params),
                               params['repetitions'], max(params['repetitions'], params['max_repetitions'] or 0),
                               _result.warnings(checks))
    if state == 'completed' and not passed:
        state = 'failed'
        reason = '; '.join('%s: %s' % (c['name'], c['detail']) for c in checks if not c['passed'])
    job.update(state=state, reason=reason, finished_at=_job.utc_now(),
               duration_s=round(time.monotonic() - started, 3))
    parameters = dict(params['parameters'], repetitions=len(reps), timeout_s=params['timeout'])
    build = dict(params['build'], observed=observed) if observed else params['build']
    valid = passed and state == 'completed'
    doc = _result.document(job, instance, params['system'], build, parameters, metrics, checks, valid,
                           {'raw_log': raw_meta}, _result.efficiency(metrics, params['peaks']) if valid else None,
                           quality, environment,
                           _counters.summary(counting, why, counted[1] if counted else []) if params['counters'] else None)
    problems = _result.validate(doc)
    if problems:
        # A document that breaks the schema is a bug in the caller or in us: keep the raw log,
        # mark the job failed, and say exactly which field is wrong.
        _sentinel(store, prefix, 'failed', 'result document failed schema validation')
        return {'failed': True, 'changed': True, 'state': 'failed',
                'msg': 'result document does not match the schema: %s' % '; '.join(problems[:10])}
    artifacts['result.json'] = store.put_json(prefix + '/result.json', doc)
    store.put(prefix + '/SHA256SUMS', ''.join('%s  %s\n' % (meta['sha256'], name)
                                              for name, meta in sorted(artifacts.items())).encode())
    notice = dict((k, spot.interruption.get(k)) for k in ('action', 'time', 'seen_at')) \
        if spot and spot.interruption and reason == _states.SPOT_INTERRUPTION else None
    _sentinel(store, prefix, state, reason, notice)  # last: a terminal sentinel means everything above is stored
    out.update(changed=True, state=state, result=doc, headline=_headline(doc))
    if state != 'completed' and params['fail_on_invalid']:
        return {'failed': True, 'msg': '%s job %s %s: %s (raw log kept at %s/raw.log)'
                % (params['benchmark'], job_id, state, reason, store.url + '/' + prefix)}
    return {}


def _headline(doc):
    return dict((m['name'], m['value']) for m in doc.get('metrics', []))


if __name__ == '__main__':
    main()
