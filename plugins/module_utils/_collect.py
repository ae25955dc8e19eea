# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: read jobs back from a results store, tell their state, check and tabulate them.

One listing per run gives every job and its sentinels (states come from key names); then per job
at most: the controller's record (launched, else the lease: it names the job's writer and carries
the deadline) and result.json (one GET, its sha256 comes with it). Raw logs are never read.

A job's host writes in its own folder of the job (`by=<writer>/`, _store); the controller's
record names that writer, and only its folder counts: another instance of the run that wrote into
this job's directory (its policy allows its own folder of any job) is a problem, never a number.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _quality
from ansible_collections.instancebench.aws.plugins.module_utils import _result
from ansible_collections.instancebench.aws.plugins.module_utils import _states
from ansible_collections.instancebench.aws.plugins.module_utils._job import parse_utc, seconds_between
from ansible_collections.instancebench.aws.plugins.module_utils._store import (
    RUNS_ROOT, WRITER_FOLDER, StoreError, parse_job_key, parse_sums, run_prefix, sha256_bytes, split_writer)

# Later sentinels win: a terminal state beats running, running beats launched, launched beats the
# lease a controller takes before it launches anything (_states).
STATE_ORDER = _states.STORE_STATES
TERMINAL_STATES = _states.TERMINAL_STATES
# Written by the controller, never by the instance: the launched record, or before it the lease.
CONTROLLER_RECORDS = ('status-launched.json', 'status-leased.json')
NEVER_STARTED = 'never started'


def group_jobs(keys):
    """[(prefix, names, partitions)] in key order; partitions: run_id, region, instance_type,
    benchmark, job_id, as the layout spells them (_store.parse_job_key)."""
    jobs = {}
    for key in keys:
        parsed = parse_job_key(key)
        if parsed:
            prefix, name, parts = parsed
            jobs.setdefault(prefix, (set(), parts))[0].add(name)
    return [(prefix, names, parts) for prefix, (names, parts) in sorted(jobs.items())]


def writers(names):
    """The writer folders a job's directory holds."""
    return sorted(set(writer for writer, _name in map(split_writer, names) if writer is not None))


def choose_writer(names, record):
    """(writer or None, [writers whose objects do not count], problem or None). The writer the
    controller's record names; with no record naming one (a host that is not an EC2 instance, or a
    store from before writer folders), the only writer there is."""
    present = writers(names)
    named = record.get('writer') if isinstance(record, dict) else None
    if isinstance(named, str) and named:
        return named, [w for w in present if w != named], None
    if len(present) <= 1:
        return (present[0] if present else None), [], None
    return None, present, 'objects from %d writers (%s) and no launched record naming the job\'s own' % (
        len(present), ', '.join(present))


def job_view(names, writer):
    """{object name: its path in the job's directory}: the controller's records and what the
    chosen writer wrote, as one folder."""
    view = {}
    for name in sorted(names):
        folder, rest = split_writer(name)
        if folder is None:
            view.setdefault(rest, rest)
        elif folder == writer:
            view[rest] = name   # the writer's own objects win over a same-named one at job level
    return view


def read_record(store, prefix, names):
    """(the controller's newest record as a dict or None, problem or None)."""
    name = controller_record_name(names)
    if name is None:
        return None, None
    try:
        record = store.get_json('%s/%s' % (prefix, name))
    except (StoreError, ValueError) as exc:
        return None, '%s cannot be read: %s' % (name, exc)
    if not isinstance(record, dict):
        return None, '%s is not a JSON object' % name
    return record, None


def open_job(store, prefix, names):
    """(view, record, problems): the job as its controller and its own writer left it."""
    record, problem = read_record(store, prefix, names)
    writer, ignored, writer_problem = choose_writer(names, record)
    problems = [p for p in (problem, writer_problem) if p]
    if ignored and writer is not None:
        problems.append('objects by %s ignored: not the instance launched for this job (%s); another instance of '
                        'the run wrote into its directory' % (', '.join(WRITER_FOLDER + w for w in ignored), writer))
    return job_view(names, writer), record, problems


def terminal_sentinels(names):
    return [state for state in TERMINAL_STATES if 'status-%s.json' % state in names]


def job_state(names):
    states = [name[len('status-'):-len('.json')] for name in names
              if name.startswith('status-') and name.endswith('.json')]
    known = [state for state in STATE_ORDER if state in states]
    return known[-1] if known else 'unknown'


def controller_record_name(names):
    """The newest record the controller wrote for the job (launched, else the lease), or None."""
    return next((name for name in CONTROLLER_RECORDS if name in names), None)


def never_started(names, record, now):
    """True when the controller leased or launched the job and its benchmark did not start by the
    record's start_by_epoch: the controller stopped (killed, or lost) between launch and start."""
    start_by = _number(record.get('start_by_epoch')) if isinstance(record, dict) else None
    return (job_state(names) in ('leased', 'launched') and start_by is not None and now is not None
            and now > start_by)


def derive_state(names, record, now):
    """(state, reason): the sentinels' state; failed when the benchmark never started within the
    grace the controller's record gives; timed_out when the job's deadline (from the launched
    record) passed without a terminal sentinel."""
    state = job_state(names)
    if state in TERMINAL_STATES:
        return state, None
    record = record if isinstance(record, dict) else {}
    if never_started(names, record, now):
        return 'failed', '%s: no running sentinel by %s (the controller that %s it stopped before starting the ' \
            'benchmark); a later launch retries it' % (NEVER_STARTED, record.get('start_by'), state)
    deadline = _number(record.get('deadline_epoch'))
    if deadline is not None and now is not None and now > deadline:
        return 'timed_out', 'deadline %s passed with no terminal sentinel (last state: %s)' % (
            record.get('deadline'), state)
    return state, None


def _number(value):
    """A number from a stored record, or None (a record is data from an instance: any type)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def store_state(store, prefix, names, now):
    """(stored | in_flight | over | abandoned, epoch it ended or None, the controller's record, or
    for a job that ended with a terminal sentinel, that sentinel) —
    what a launch needs to know of a job already in the store: completed (stored), leased, launched
    or running before its deadline (in_flight), failed / timed out / past its deadline (over, with
    when: a retry waits from then), or leased / launched and never started within its grace
    (abandoned: its instance is to be terminated and the job retried)."""
    view, record, _problems = open_job(store, prefix, names)
    names = set(view)
    state = job_state(names)
    if state == 'completed':
        return 'stored', None, None
    if state in TERMINAL_STATES:
        try:
            sentinel = store.get_json('%s/%s' % (prefix, view['status-%s.json' % state]))
        except (StoreError, ValueError):
            sentinel = {}
        ended = parse_utc(sentinel.get('timestamp')) if isinstance(sentinel, dict) else None
        # The sentinel in place of a record: its reason tells a spot interruption (retried on-demand).
        return 'over', ended.timestamp() if ended else None, sentinel if isinstance(sentinel, dict) else None
    if never_started(names, record, now):
        return 'abandoned', _number(record.get('start_by_epoch')), record
    derived, _reason = derive_state(names, record, now)
    if derived == 'timed_out':
        return 'over', _number(record.get('deadline_epoch')), record
    return 'in_flight', None, record


def _empty_row(prefix, parts):
    row = dict(parts, prefix=prefix, state='unknown', state_reason=None, state_derived=False, problems=[],
               valid=False, variant=None, host=None, uarch=None, threads=None, market=None,
               price_per_hour_usd=None, instance_id=None, launched_at=None, finished_at=None,
               runtime_s=None, cost_usd=None, headline={}, metrics=[], summary='-', quality=None,
               quality_warnings=[], compliant=None, broken_rules=[], replica=None, attempt=None,
               result_sha256=None, raw_log_key=None, reproducibility={})
    return row


def inspect_job(store, prefix, names, parts, now=None):
    """One row, whatever the stored objects hold: a malformed or foreign object becomes a problem
    naming it and the job, never an exception that stops the whole collect."""
    try:
        return _inspect_job(store, prefix, names, parts, now)
    except Exception as exc:  # data written by instances: any shape; the rest of the run goes on
        row = _empty_row(prefix, parts)
        row['problems'].append('cannot read job %s (%s): %s: %s' % (parts.get('job_id'), prefix, type(exc).__name__, exc))
        return row


def _inspect_job(store, prefix, names, parts, now=None):
    """One row: state, integrity of result.json (recorded sha256 + schema) and its metrics.
    Metrics are given only for a result that validated and checked out."""
    row = _empty_row(prefix, parts)
    view, launched, row['problems'] = open_job(store, prefix, names)
    names = set(view)
    terminal = terminal_sentinels(names)
    if len(terminal) > 1:
        row['problems'].append('contradictory sentinels: %s (two controllers, or a tampered store)' % ', '.join(terminal))
    if parts.get('region') != 'local' and controller_record_name(names) is None:
        # Every EC2 job of a run has the controller's launched record (or, before the launch, its
        # lease): a job without either was not started by this run's controller, and is not counted.
        row['problems'].append('no status-launched.json: job %s was not started by this run\'s controller' % parts.get('job_id'))
    row['state'], row['state_reason'] = derive_state(names, launched, now)
    row['state_derived'] = row['state_reason'] is not None
    if launched:
        row.update(market=launched.get('market'), price_per_hour_usd=_number(launched.get('price_per_hour_usd')),
                   instance_id=launched.get('instance_id'), launched_at=launched.get('started_at'),
                   replica=launched.get('replica'), attempt=launched.get('attempt'))
    if 'result.json' not in names:
        if row['state'] == 'completed':
            row['problems'].append('completed sentinel but no result.json')
        return row
    doc = _checked_result(store, prefix, view, row)
    row['raw_log_key'] = '%s/%s' % (prefix, view['raw.log']) if 'raw.log' in view else None
    if doc is not None and not row['problems']:
        _fill_from_result(row, doc)
    return row


def _checked_result(store, prefix, view, row):
    try:
        data, recorded = store.get_with_sha256('%s/%s' % (prefix, view['result.json']))
        if recorded is None and 'SHA256SUMS' in view:
            recorded = parse_sums(store.get('%s/%s' % (prefix, view['SHA256SUMS']))).get('result.json')
    except StoreError as exc:
        row['problems'].append(str(exc))
        return None
    actual = row['result_sha256'] = sha256_bytes(data)
    if recorded is None:
        row['problems'].append('result.json has no recorded sha256 to check it against')
    elif recorded != actual:
        row['problems'].append('result.json sha256 %s does not match the recorded %s' % (actual, recorded))
    try:
        doc = json.loads(data.decode('utf-8'))
    except ValueError as exc:
        row['problems'].append('result.json is not JSON: %s' % exc)
        return None
    row['problems'].extend(_result.validate(doc)[:5])
    if isinstance(doc, dict) and doc.get('job', {}).get('job_id') not in (None, row['job_id']):
        row['problems'].append('result.json belongs to job %s, not %s' % (doc['job']['job_id'], row['job_id']))
    return doc if isinstance(doc, dict) else None


def _fill_from_result(row, doc):
    job, instance = doc.get('job') or {}, doc.get('instance') or {}
    if not row['state_derived'] and job.get('reason'):
        row['state_reason'] = job['reason']
    row.update(variant=job.get('variant'), host=instance.get('hostname'), finished_at=job.get('finished_at'),
               uarch=(doc.get('system') or {}).get('uarch', {}).get('name'),
               threads=(doc.get('parameters') or {}).get('threads'),
               market=instance.get('market') or row['market'], instance_id=instance.get('id') or row['instance_id'],
               launched_at=instance.get('launched_at') or row['launched_at'])
    if instance.get('price_per_hour_usd') is not None:
        row['price_per_hour_usd'] = instance['price_per_hour_usd']
    if instance.get('type') and row['instance_type'] != instance['type'] and not row['problems']:
        row['instance_type'] = instance['type']
    row['runtime_s'] = _runtime(row['launched_at'], job)
    if row['runtime_s'] is not None and row['price_per_hour_usd'] is not None:
        row['cost_usd'] = round(row['runtime_s'] / 3600.0 * row['price_per_hour_usd'], 6)
    row['reproducibility'] = reproducibility(doc)
    row['valid'] = bool((doc.get('validation') or {}).get('passed')) and not row['problems']
    if row['valid']:
        row['metrics'] = [dict((k, m.get(k)) for k in METRIC_FIELDS) for m in doc.get('metrics', [])]
        compliance = doc.get('compliance') or {'compliant': True, 'broken': []}   # 1.0 documents had no rules
        quality = doc.get('quality') or {}
        row.update(quality=quality.get('status', 'unjudged'), quality_warnings=quality.get('warnings') or [],
                   compliant=compliance['compliant'], broken_rules=compliance['broken'])
        # A result that broke a run rule keeps its numbers in the dataset but has no headline.
        row['headline'] = dict((m['name'], m['value']) for m in row['metrics']) if row['compliant'] else {}
        row['summary'] = summary(doc)


METRIC_FIELDS = ('name', 'value', 'unit', 'higher_is_better', 'cv', 'n', 'ci_low', 'ci_high', 'ci_level')


def _text(value):
    return value if isinstance(value, str) else None


def reproducibility(doc):
    """What it takes to reproduce the job's numbers, flat: where it ran, on what CPU and
    software, built how, from which source and binary, with which parameters."""
    instance, system, build = (doc.get(k) if isinstance(doc.get(k), dict) else {} for k in ('instance', 'system', 'build'))
    source = build.get('source') if isinstance(build.get('source'), dict) else {}
    observed = build.get('observed') if isinstance(build.get('observed'), dict) else {}
    parameters = doc.get('parameters') if isinstance(doc.get('parameters'), dict) else {}
    cpu = system.get('cpu') if isinstance(system.get('cpu'), dict) else {}
    flags = build.get('flags')
    return {
        'availability_zone': _text(instance.get('availability_zone')), 'ami': _text(instance.get('ami')),
        'arch': _text(system.get('arch')), 'cpu_model': _text(cpu.get('model_name')),
        'kernel': _text(system.get('kernel')),
        'compiler': _text(build.get('compiler')), 'compiler_version': _text(build.get('compiler_version')),
        'flags': ' '.join(f for f in flags if isinstance(f, str)) if isinstance(flags, list) else None,
        'flag_source': _text(build.get('flag_source')),
        'blas': _text(parameters.get('blas')), 'blas_kernel': _text(observed.get('openblas_core')),
        'source_name': _text(source.get('name')), 'source_version': _text(source.get('version')),
        'source_sha256': _text(source.get('sha256')), 'binary_sha256': _text(build.get('binary_sha256')),
        'parameters': json.dumps(parameters, sort_keys=True),
        'environment': json.dumps(doc.get('environment') or {}, sort_keys=True),
    }


def _runtime(launched_at, job):
    """Seconds the host was paid for: launch to the job's end when the launch time is known
    (EC2 jobs), else the benchmark's own duration (a host that is not billed per job)."""
    if launched_at and job.get('finished_at'):
        seconds = seconds_between(launched_at, job['finished_at'])
        if seconds is not None and seconds >= 0:
            return round(seconds, 3)
    return job.get('duration_s')


def summary(doc):
    """One short phrase with the number a reader looks for first, per benchmark, and how sure it is."""
    phrase = _headline_phrase(doc)
    quality = doc.get('quality') or {}
    if phrase == '-' or not quality:
        return phrase
    worst = _quality.worst_cv(quality)
    marks = [quality['status'] + (', CV %.1f %%' % (100 * worst[1]) if worst else '')]
    if not (doc.get('compliance') or {}).get('compliant', True):
        marks.append('non-compliant')
    if quality.get('warnings'):
        marks.append('%d warning(s)' % len(quality['warnings']))
    return '%s [%s]' % (phrase, '; '.join(marks))


def _headline_phrase(doc):
    metrics = dict((m['name'], m) for m in doc.get('metrics', []))
    if not metrics:
        return '-'
    entries = (doc.get('efficiency') or {}).get('entries') or []
    peak = ' (%.0f %% of peak)' % (100 * entries[0]['efficiency']) if entries else ''
    return _benchmarks.summary_phrase(doc.get('job', {}).get('benchmark'), metrics, peak)


def partitions(store, run_ids):
    """The run/region/type partitions to read, by delimiter listings (no object is listed)."""
    runs = [run_prefix(run) for run in run_ids] if run_ids else store.list_dirs(RUNS_ROOT)
    return [kind for run in runs for region in store.list_dirs(run) for kind in store.list_dirs(region)]


def _inspect_partition(store, partition, now, workers):
    return inspect_keys(store, store.list(partition), now, workers)


def inspect_keys(store, keys, now, workers):
    """One row per job of already listed keys (a partition's, or a whole run's), `workers` reads at once."""
    jobs = group_jobs(keys)
    if workers <= 1 or len(jobs) < 2 or not getattr(store, 'parallel_reads', True):
        return [inspect_job(store, prefix, names, parts, now) for prefix, names, parts in jobs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: inspect_job(store, job[0], job[1], job[2], now), jobs))


_CHILD = {}


def _child_start(store_factory, now, workers):
    _CHILD.update(store=store_factory(), now=now, workers=workers)


def _child_partition(partition):
    return _inspect_partition(_CHILD['store'], partition, _CHILD['now'], _CHILD['workers'])


def collect_rows(store, run_ids=None, now=None, workers=16, processes=1, store_factory=None):
    """Rows in key order, partition by partition (a generator: the caller streams them).
    `workers` threads read each partition's results in parallel (with S3 each job costs a round
    trip); with `processes` > 1 and a `store_factory` (each process opens its own store: S3
    clients do not survive a fork), partitions are read by that many processes, since parsing
    answers is CPU work a single Python process does one at a time."""
    found = partitions(store, run_ids)
    if processes > 1 and store_factory is not None and len(found) > 1:
        context = multiprocessing.get_context('fork')
        with context.Pool(min(processes, len(found)), initializer=_child_start,
                          initargs=(store_factory, now, workers)) as pool:
            for rows in pool.imap(_child_partition, found):
                yield from rows
        return
    for partition in found:
        yield from _inspect_partition(store, partition, now, workers)


def collect(store, run_id=None, now=None):
    return list(collect_rows(store, [run_id] if run_id else None, now))


def table(rows):
    """Fixed-width text lines, one block per run: a title line, a header, one line per job.

    Kept under 80 columns so Ansible's YAML output does not fold the lines.
    """
    lines = []
    header = ('job', 'host', 'uarch', 'state', 'valid', 'median of repetitions')
    for run_id in sorted(set(row['run_id'] for row in rows)):
        block = [header]
        for row in (r for r in rows if r['run_id'] == run_id):
            block.append((row['job_id'], row['host'] or '-', row['uarch'] or '-', row['state'],
                          'yes' if row['valid'] else 'NO', row.get('summary') or '-'))
        widths = [max(len(str(line[i])) for line in block) for i in range(len(header))]
        lines.append('run %s' % run_id)
        lines.extend(' '.join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip()
                     for line in block)
    return lines
