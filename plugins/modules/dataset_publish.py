#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: dataset_publish
short_description: Publish every run of a results store as one versioned dataset snapshot
version_added: "0.2.0"
description:
  - Reads every run of a results store (or O(run_ids)) with the same checks as collect (state,
    recorded sha256, schema, the job's own writer), and writes one dataset snapshot into O(dest) -
    a dated, immutable folder C(snapshots/<YYYYMMDDTHHMMSSZ>/) and C(latest.json) (and a C(latest)
    symlink) pointing at it.
  - "A snapshot holds four tables - C(results) (one row per valid job x metric with everything it
    takes to reproduce it), C(jobs) (one row per job), C(aggregates) (per instance type x
    benchmark x variant x metric over every run: jobs, launches, days, median with its confidence
    interval, CV, min, max, first and last measured, value per USD-hour) and C(changes) (the
    newest run against the earlier ones) - as CSV, one SQLite file, Parquet (results partitioned
    by benchmark, a file per run; jobs a file per run) and a static JSON API (C(api/index.json),
    one file per instance type and per benchmark), with a README describing the columns, a
    C(LICENSE) (CC BY 4.0), C(dataset.json) and C(SHA256SUMS). A snapshot that only adds runs to
    the latest one grows its table files (copies, appends, hard links)."
  - Incremental - a run whose jobs are all over and whose listing did not change since the last
    publish is taken from the publish cache (C(dest/cache/), checked against the sha256 in
    C(dest/manifest.json)) and not read again. A publish made from the same runs, references and
    settings as the latest snapshot writes no new snapshot (C(changed=false)).
  - The tables live in a DuckDB database under O(dest) (in check mode, in the system's temporary
    folder) while the snapshot is written, removed after; memory stays bounded however many runs
    the store holds.
author:
  - instancebench.aws contributors (@instancebench)
options:
  run_ids:
    description: Runs to publish; every run in the store when empty.
    type: list
    elements: str
    default: []
  dest:
    description: Directory that holds the snapshots, the cache and the manifest (created if missing).
    type: path
    required: true
  upload_to:
    description:
      - Also copy the snapshot to this C(s3://bucket/prefix) (C(snapshots/<name>/...), then C(latest.json)
        last, every object with its sha256), for a site or readers that fetch from S3. A snapshot already
        there is not sent again. Empty (the default) - the local O(dest) only.
    type: str
    default: ''
  full:
    description: List and read every run again, ignoring the cache (a periodic check of the whole store).
    type: bool
    default: false
  relist_after_days:
    description:
      - A run whose jobs have all been over for longer than this is not even listed again (its
        instances are gone and its objects are written once); listing a year of runs on S3 would
        take minutes. Younger runs are listed, and read again when their listing changed.
      - 0 lists every run every time.
    type: float
    default: 7
  references:
    description:
      - Reference values, a YAML file or a directory of them (C(benchmarks/references/) in the collection).
        Per instance type, family or microarchitecture (the most specific wins), C(<benchmark>/<variant>/<metric>)
        maps to C(value), C(lower) and C(upper) (fractions of the value) and C(unit). A job outside its
        range is flagged (C(reference_status)) and kept out of the aggregates. A path that does not exist
        means no references.
    type: path
  change_k:
    description:
      - A shift of the newest run's median against the earlier runs' is a change (regression or
        improvement) when it exceeds both this many standard deviations of the earlier jobs and
        O(change_tolerance) of their median.
    type: float
    default: 3.0
  change_tolerance:
    description: The smallest shift that counts, as a fraction of the earlier median (see O(change_k)).
    type: float
    default: 0.05
  now_epoch:
    description: The time job deadlines are compared with and the snapshot is named after; now when omitted.
    type: float
  cloudwatch_namespace:
    description:
      - Send CloudWatch metrics of each run once it is over, into this namespace (empty, the default -
        none). Per run C(Jobs) by C(State), C(RuntimeSeconds), C(CostUSD); per run, instance type and
        variant each headline figure (C(stream.triad_bandwidth), C(hpl.gflops)). A run's metrics go out
        once (the manifest remembers); runs over two weeks old are left out (CloudWatch refuses them).
      - Uses this module's AWS settings (region, credentials, endpoint).
    type: str
    default: ''
  workers:
    description:
      - Parallel reads of an S3 store (each job costs one request). A file store is read on every
        core instead, in processes of their own (its reads are CPU work).
    type: int
    default: 16
extends_documentation_fragment:
  - instancebench.aws.results_store
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode (reads the store and tells whether a snapshot would be written; writes nothing).
  - AWS options apply to C(s3://) stores only.
requirements:
  - duckdb (the tables are built and written with it)
"""

EXAMPLES = r"""
- name: Publish every run of the S3 store into a local dataset directory
  instancebench.aws.dataset_publish:
    store: s3://my-bench-results/instancebench
    dest: /srv/instancebench/dataset
  register: published

- name: Say where it is
  ansible.builtin.debug:
    msg: "{{ published.path }}: {{ published.counts }}"
"""

RETURN = r"""
snapshot:
  description: The snapshot's name (its UTC time); the latest one's when nothing changed.
  returned: always
  type: str
  sample: 20261204T221500Z
path:
  description: The snapshot's folder.
  returned: always
  type: str
  sample: /srv/instancebench/dataset/snapshots/20261204T221500Z
counts:
  description: Rows per table.
  returned: always
  type: dict
  sample: {results: 1204, jobs: 233, aggregates: 96}
runs:
  description:
    - The runs read from the store (C(read)) and taken from the publish cache (C(reused)); of
      those, the ones not even listed (C(unlisted), over for longer than O(relist_after_days)).
  returned: always
  type: dict
  sample: {read: [20261204T101500Z], reused: [20261127T101500Z, 20261120T101500Z], unlisted: [20261120T101500Z]}
parquet:
  description: Whether the snapshot has Parquet files (always, since the tables are built with DuckDB; kept for readers of older results).
  returned: always
  type: bool
changes:
  description: Regressions and improvements of the newest run of each instance type and metric against the earlier runs.
  returned: always
  type: list
  elements: dict
change_lines:
  description: The same, one line each.
  returned: always
  type: list
  elements: str
  sample: ["REGRESSION c7a.large stream/default/triad_bandwidth: 30.52 -> 24.42 GB/s (-20.0 %, threshold 5.0 %), run w2 against w1"]
uploaded:
  description: The keys written under O(upload_to) (empty when the snapshot was there already or no upload was asked for).
  returned: always
  type: list
  elements: str
metrics:
  description: What went to CloudWatch (with O(cloudwatch_namespace)) - the runs sent, datapoints, runs too old to send.
  returned: always
  type: dict
  sample: {namespace: instancebench, runs: [20261204T101500Z], datapoints: 9, stale_runs: []}
content_sha256:
  description: One sha256 over what the tables were made from (run files, references, settings) and the files' shape; equal inputs, equal digest.
  returned: always
  type: str
files:
  description: The snapshot's files, relative to its folder (empty when nothing was written).
  returned: always
  type: list
  elements: str
"""

import os
import time

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible.module_utils.common.yaml import HAS_YAML, yaml_load

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.instancebench.aws.plugins.module_utils import _metrics
from ansible_collections.instancebench.aws.plugins.module_utils import _publish
from ansible_collections.instancebench.aws.plugins.module_utils import _references
from ansible_collections.instancebench.aws.plugins.module_utils import _snapshot
from ansible_collections.instancebench.aws.plugins.module_utils import _store
from ansible_collections.instancebench.aws.plugins.module_utils import _tables
from ansible_collections.instancebench.aws.plugins.module_utils._aws import InstancebenchAWSModule


def main():
    module = InstancebenchAWSModule(
        argument_spec=dict(
            store=dict(type='str', required=True),
            run_ids=dict(type='list', elements='str', default=[]),
            dest=dict(type='path', required=True),
            full=dict(type='bool', default=False),
            relist_after_days=dict(type='float', default=7.0),
            now_epoch=dict(type='float'),
            workers=dict(type='int', default=16),
            references=dict(type='path'),
            change_k=dict(type='float', default=3.0),
            change_tolerance=dict(type='float', default=0.05),
            cloudwatch_namespace=dict(type='str', default=''),
            upload_to=dict(type='str', default=''),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params['workers'] < 1:
        module.fail_json(msg='workers must be at least 1, got %s' % params['workers'])
    if params['upload_to'] and not params['upload_to'].startswith('s3://'):
        module.fail_json(msg='upload_to must be an s3://bucket/prefix URL, got %r (dest is the local copy)'
                         % params['upload_to'])
    if params['relist_after_days'] < 0:
        module.fail_json(msg='relist_after_days must be 0 or more, got %s' % params['relist_after_days'])
    if not (params['change_k'] > 0 and 0 <= params['change_tolerance'] < 1):
        module.fail_json(msg='change_k must be above 0 and change_tolerance in [0, 1), got %s and %s'
                         % (params['change_k'], params['change_tolerance']))
    try:
        references = _references.load(params['references'], yaml_load) if HAS_YAML else _references.check(None)
    except _references.ReferencesError as exc:
        module.fail_json(msg='references: %s' % exc)
    if not _tables.HAS_DUCKDB:
        module.fail_json(msg='the duckdb Python package is missing on the controller: pip install duckdb '
                         '(the dataset tables are built with it)')
    now = params['now_epoch'] if params['now_epoch'] is not None else time.time()
    commit = not module.check_mode
    if commit and not os.path.isdir(params['dest']):
        os.makedirs(params['dest'], 0o755)
    try:
        store = module.results_store(params['store'], workers=params['workers'])
        tables, runs, cache = _publish.read_runs(store, params['dest'], now, params['run_ids'], params['full'],
                                                 params['workers'], commit, references, params['change_k'],
                                                 params['change_tolerance'],
                                                 work_parent=params['dest'] if commit else None,
                                                 relist_after=params['relist_after_days'] * 86400.0 or None)
    except _store.StoreError as exc:
        module.fail_json(msg='cannot read the results store: %s' % exc)
    except ValueError as exc:
        module.fail_json(msg='the publish cache in %s cannot be read (%s): run again with full=true' % (params['dest'], exc))
    with tables:
        result = _publish_tables(module, tables, runs, cache, now, commit)
    module.exit_json(**result)


def _publish_tables(module, tables, runs, cache, now, commit):
    params = module.params
    if not tables.count('jobs'):
        module.fail_json(msg='no job in %s%s: nothing to publish (launch.yml writes runs there)'
                         % (params['store'], ' for runs %s' % ', '.join(params['run_ids']) if params['run_ids'] else ''))
    written = _snapshot.write(params['dest'], tables, runs.pop('fingerprints'), now, commit)
    uploaded = []
    if params['upload_to'] and commit:
        try:
            uploaded = _snapshot.upload(params['dest'], written, module.results_store(params['upload_to']))
        except _store.StoreError as exc:
            module.fail_json(msg='the snapshot is in %s but could not be copied to %s: %s'
                             % (written['path'], params['upload_to'], exc))
    metrics = _send_metrics(module, tables, cache, now) if params['cloudwatch_namespace'] else {}
    cache.save(commit)
    changes = tables.records('changes')
    return dict(changed=written['changed'], snapshot=written['snapshot'], path=written['path'],
                counts=written['counts'], runs=runs, parquet=written['parquet'],
                content_sha256=written['content_sha256'], files=written.get('files', []),
                changes=changes, change_lines=[_references.change_line(c) for c in changes],
                metrics=metrics, uploaded=uploaded)


def _send_metrics(module, tables, cache, now):
    """Each run that is over (cached) and not yet sent: its datapoints, then the manifest says so."""
    namespace = module.params['cloudwatch_namespace']
    out = {'namespace': namespace, 'runs': [], 'datapoints': 0, 'stale_runs': []}
    pending = sorted(run for run, entry in cache.manifest['runs'].items() if not entry.get('metrics_sent'))
    if not pending:
        return out
    client = module.client('cloudwatch', retry_decorator=AWSRetry.jittered_backoff())
    for run_id in pending:
        datums, stale = _metrics.run_datums(run_id, tables.records('jobs', run_id=run_id),
                                            tables.records('results', run_id=run_id), now)
        if stale:
            out['stale_runs'].append(run_id)
        elif not module.check_mode:
            for batch in _metrics.batches(datums):
                try:
                    client.put_metric_data(aws_retry=True, Namespace=namespace, MetricData=batch)
                except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
                    module.fail_json_aws(exc, msg='Could not send the metrics of run %s to CloudWatch (namespace %s)'
                                         % (run_id, namespace))
        out['runs'].append(run_id)
        out['datapoints'] += len(datums)
        if not module.check_mode:
            cache.manifest['runs'][run_id]['metrics_sent'] = namespace
    return out


if __name__ == '__main__':
    main()
