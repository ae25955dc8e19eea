# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: read jobs back from a results store, tell their state, check and tabulate them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _result
from ansible_collections.instancebench.aws.plugins.module_utils._store import StoreError, sha256_bytes

# Later sentinels win: a terminal state beats running, running beats launched.
STATE_ORDER = ('launched', 'running', 'completed', 'failed', 'timed_out')
_JOB_KEY = re.compile(r'^runs/run=([^/]+)/job=([^/]+)/([^/]+)$')


def group_jobs(keys):
    """{(run_id, job_id): set(file names)} from store keys."""
    jobs = {}
    for key in keys:
        match = _JOB_KEY.match(key)
        if match:
            jobs.setdefault((match.group(1), match.group(2)), set()).add(match.group(3))
    return jobs


def job_state(names):
    states = [name[len('status-'):-len('.json')] for name in names
              if name.startswith('status-') and name.endswith('.json')]
    known = [state for state in STATE_ORDER if state in states]
    return known[-1] if known else 'unknown'


def inspect_job(store, run_id, job_id, names):
    """One row: state, integrity of result.json (sha256 + schema) and its headline metrics."""
    prefix = 'runs/run=%s/job=%s' % (run_id, job_id)
    row = {'run_id': run_id, 'job_id': job_id, 'state': job_state(names), 'problems': [],
           'benchmark': None, 'host': None, 'instance_type': None, 'uarch': None,
           'valid': False, 'headline': {}, 'threads': None}
    if 'result.json' not in names:
        return row
    try:
        data = store.get(prefix + '/result.json')
        recorded = (store.head(prefix + '/result.json') or {}).get('sha256')
    except StoreError as exc:
        row['problems'].append(str(exc))
        return row
    if recorded and recorded != sha256_bytes(data):
        row['problems'].append('result.json sha256 %s does not match the recorded %s' % (sha256_bytes(data), recorded))
    try:
        doc = json.loads(data.decode('utf-8'))
    except ValueError as exc:
        row['problems'].append('result.json is not JSON: %s' % exc)
        return row
    row['problems'].extend(_result.validate(doc)[:5])
    row.update(benchmark=doc.get('job', {}).get('benchmark'),
               host=doc.get('instance', {}).get('hostname'),
               instance_type=doc.get('instance', {}).get('type'),
               uarch=doc.get('system', {}).get('uarch', {}).get('name'),
               threads=doc.get('parameters', {}).get('threads'),
               valid=bool(doc.get('validation', {}).get('passed')) and not row['problems'],
               headline=dict((m['name'], m['value']) for m in doc.get('metrics', [])),
               summary=summary(doc))
    return row


def summary(doc):
    """One short phrase with the number a reader looks for first, per benchmark."""
    metrics = dict((m['name'], m) for m in doc.get('metrics', []))
    if not metrics:
        return '-'
    benchmark = doc.get('job', {}).get('benchmark')
    if benchmark == 'stream' and 'triad_bandwidth' in metrics:
        return 'triad %.1f GB/s' % metrics['triad_bandwidth']['value']
    if benchmark == 'hpl' and 'gflops' in metrics:
        entries = (doc.get('efficiency') or {}).get('entries') or []
        peak = ' (%.0f %% of peak)' % (100 * entries[0]['efficiency']) if entries else ''
        return '%.1f GFLOP/s%s' % (metrics['gflops']['value'], peak)
    if benchmark == 'fftw':
        best = max((m for m in metrics.values() if m['name'].startswith('mflops_')), key=lambda m: m['value'])
        return 'best %.0f Mflop/s (%s)' % (best['value'], best['name'][len('mflops_'):])
    first = doc['metrics'][0]
    return '%s %.4g %s' % (first['name'], first['value'], first['unit'])


def collect(store, run_id=None):
    prefix = 'runs/run=%s/' % run_id if run_id else 'runs/'
    jobs = group_jobs(store.list(prefix))
    return [inspect_job(store, run, job, names) for (run, job), names in sorted(jobs.items())]


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
