#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: build_cache
short_description: Fetch a benchmark binary built before for the same key, or keep one just built
version_added: "0.4.0"
description:
  - The build-artifact cache in the results store. The key is everything the binary depends on
    (benchmark, source sha256, compiler banner, flags, the build's other inputs, microarchitecture,
    architecture, OS and C library); entries live under C(cache/benchmark=<b>/key=<sha256>/by=<writer>/).
  - C(state=fetched) looks for a complete entry of this key, downloads its binary to O(path) and verifies
    its sha256 against the entry's manifest, which must name exactly these key parts (a binary is never
    shared across keys). Without one, C(hit) is false and the caller builds.
  - C(state=stored) keeps the binary at O(path) under this host's writer name, the binary first and the
    manifest last (a reader never takes a half-written entry); an entry already there with the same
    sha256 is left alone. With O(staged) (an EC2 instance) it goes to C(cache-staging/) instead, which
    readers never use.
  - C(state=promoted) runs on the controller with its own credentials (collect.yml) - it moves each staged
    entry to C(cache/) when the job that built it was launched by the controller for that writer and
    completed with a valid result naming the same binary sha256; other entries are named and left.
  - C(fetched) and C(stored) run on the benchmark host with the host's own store credentials, like run_benchmark.
author:
  - instancebench.aws contributors (@instancebench)
options:
  state:
    description:
      - C(fetched) (download a cached binary when there is one), C(stored) (keep a built one) or
        C(promoted) (the controller moves checked staged entries into the cache).
    type: str
    choices: [fetched, stored, promoted]
    required: true
  store:
    description: Results store URL (C(s3://bucket/prefix) or an absolute directory).
    type: str
    required: true
  benchmark:
    description: The benchmark the binary belongs to (required unless C(promoted)).
    type: str
  host:
    description: The host's facts (C(ansible_facts.instancebench_host) from instancebench.aws.host_facts; required unless C(promoted)).
    type: dict
  source_sha256:
    description: sha256 of the benchmark's source (required unless C(promoted)).
    type: str
  flags:
    description: Compiler flags of the build (required unless C(promoted)).
    type: list
    elements: str
  inputs:
    description: The build's other inputs (configure options, our kernels' sha256, the BLAS it links, ...).
    type: dict
    default: {}
  path:
    description: Where the binary is (C(stored)) or goes (C(fetched)) on the host (required unless C(promoted)).
    type: path
  writer:
    description: This host's writer name (C(by=<writer>)); an instance's is its C(aws:userid), as in the job folder.
    type: str
    default: host
  built_by:
    description:
      - Which job built the binary (C(run_id), C(job_id), C(region), C(instance_type)), kept in the manifest
        (C(stored)); a staged entry is promoted only when they name a job that checks out.
    type: dict
    default: {}
  staged:
    description: With C(stored), write to C(cache-staging/) (an EC2 instance - the controller promotes it) rather than C(cache/).
    type: bool
    default: false
notes:
  - Supports check mode - C(fetched) says whether a cached binary exists and downloads nothing,
    C(stored) and C(promoted) write nothing.
"""

EXAMPLES = r"""
- name: Take FFTW's bench from the cache when a host with the same key built it
  instancebench.aws.build_cache:
    state: fetched
    store: s3://my-bench-results/instancebench
    benchmark: fftw
    host: "{{ ansible_facts['instancebench_host'] }}"
    source_sha256: "{{ sources_fetched['fftw'].sha256 }}"
    flags: "{{ __fftw_cflags }}"
    inputs: {configure: "{{ __fftw_configure }}"}
    path: /var/tmp/instancebench/fftw/bench
  register: __fftw_cached
"""

RETURN = r"""
hit:
  description: Whether a cached binary was found (C(fetched)) and is now at O(path) (outside check mode).
  returned: state=fetched
  type: bool
key:
  description: sha256 of the key parts.
  returned: state=fetched or state=stored
  type: str
key_parts:
  description: What the key is made of.
  returned: state=fetched or state=stored
  type: dict
sha256:
  description: sha256 of the binary (fetched and verified, or stored).
  returned: when there is a binary
  type: str
built_by:
  description: The job that built the cached binary (run_id, job_id, writer).
  returned: state=fetched and hit
  type: dict
rejected:
  description: Entries of this key that could not serve it, each with why (another key's manifest, a sha256 mismatch).
  returned: state=fetched
  type: list
  elements: str
promoted:
  description: Staged entries moved to the cache (C(benchmark), C(key), C(writer), C(job_id)).
  returned: state=promoted
  type: list
  elements: dict
refused:
  description: Staged entries left where they are, each with why (no launched record for that writer, no valid result, another binary).
  returned: state=promoted
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.instancebench.aws.plugins.module_utils import _build_cache
from ansible_collections.instancebench.aws.plugins.module_utils import _names
from ansible_collections.instancebench.aws.plugins.module_utils import _store


def _fetch(module, store, parts, key):
    params = module.params
    rejected = []
    try:
        listing = store.list(_build_cache.entry_prefix(params['benchmark'], key))
    except _store.StoreError as exc:   # no cache is no reason to fail the job: it builds
        module.warn('build cache not readable (%s); building' % exc)
        return dict(hit=False, changed=False, rejected=rejected)
    for writer in _build_cache.complete_writers(listing, params['benchmark'], key):
        binary_key, manifest_key = _build_cache.writer_keys(params['benchmark'], key, writer)
        try:   # one unreadable entry is refused, never the end of the job: the next one, or a build
            document = store.get_json(manifest_key)
            problem = _build_cache.entry_problem(document, parts)
            if problem is None and module.check_mode:
                return dict(hit=True, changed=True, sha256=document['sha256'], built_by=document.get('built_by'),
                            rejected=rejected)
            data = store.get(binary_key) if problem is None else None
        except (_store.StoreError, ValueError) as exc:
            problem, data = 'unreadable: %s' % exc, None
        problem = problem or _build_cache.entry_problem(document, parts, data)
        if problem:
            rejected.append('by=%s: %s' % (writer, problem))
            continue
        partial = params['path'] + '.part'
        os.makedirs(os.path.dirname(params['path']) or '.', exist_ok=True)
        with open(partial, 'wb') as handle:
            handle.write(data)
        os.chmod(partial, 0o755)
        os.replace(partial, params['path'])
        return dict(hit=True, changed=True, sha256=document['sha256'], built_by=document.get('built_by'),
                    rejected=rejected)
    return dict(hit=False, changed=False, rejected=rejected)


def _keep(module, store, parts, key):
    params = module.params
    with open(params['path'], 'rb') as handle:
        data = handle.read()
    document = _build_cache.manifest(parts, _store.sha256_bytes(data), len(data),
                                     dict(params['built_by'], writer=params['writer']))
    root = _build_cache.STAGING if params['staged'] else _build_cache.PREFIX
    binary_key, manifest_key = _build_cache.writer_keys(params['benchmark'], key, params['writer'], root)
    if store.exists(manifest_key) and _build_cache.entry_problem(store.get_json(manifest_key), parts) is None \
            and store.get_json(manifest_key).get('sha256') == document['sha256']:
        return dict(changed=False, sha256=document['sha256'])
    if not module.check_mode:
        store.put(binary_key, data)
        store.put_json(manifest_key, document)   # last: the entry is complete only now
    return dict(changed=True, sha256=document['sha256'])


def _promote(module, store):
    """Staged entries whose job checks out, copied into the cache (binary first, manifest last)."""
    promoted, refused = [], []
    for benchmark, key, writer in _build_cache.staged_entries(store.list(_build_cache.STAGING)):
        binary_key, manifest_key = _build_cache.writer_keys(benchmark, key, writer, _build_cache.STAGING)
        target_binary, target_manifest = _build_cache.writer_keys(benchmark, key, writer)
        try:
            if store.exists(target_manifest):
                continue
            document = store.get_json(manifest_key)
            built_by = document.get('built_by') or {}
            launched = result = None
            if all(built_by.get(f) for f in ('run_id', 'job_id', 'region', 'instance_type')):
                job = _store.job_prefix(built_by['run_id'], built_by['region'], built_by['instance_type'], benchmark,
                                        built_by['job_id'])
                launched_key = job + '/status-launched.json'
                result_key = _store.writer_prefix(job, writer) + '/result.json'
                launched = store.get_json(launched_key) if store.exists(launched_key) else None
                result = store.get_json(result_key) if store.exists(result_key) else None
            problem = _build_cache.promotion_problem(document, writer, launched, result)
            data = store.get(binary_key) if problem is None else None
            problem = problem or _build_cache.entry_problem(document, document.get('key_parts'), data)
        except (_store.StoreError, ValueError, AttributeError) as exc:
            problem = 'unreadable: %s' % exc
        if problem:
            refused.append('%s key=%s by=%s: %s' % (benchmark, key[:12], writer, problem))
            continue
        if not module.check_mode:
            store.put(target_binary, data)
            store.put(target_manifest, _store.json_bytes(document))
        promoted.append({'benchmark': benchmark, 'key': key, 'writer': writer, 'job_id': document['built_by']['job_id']})
    return dict(changed=bool(promoted), promoted=promoted, refused=refused)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type='str', choices=['fetched', 'stored', 'promoted'], required=True),
            store=dict(type='str', required=True),
            benchmark=dict(type='str'),
            host=dict(type='dict'),
            source_sha256=dict(type='str'),
            flags=dict(type='list', elements='str'),
            inputs=dict(type='dict', default={}),
            path=dict(type='path'),
            writer=dict(type='str', default='host'),
            built_by=dict(type='dict', default={}),
            staged=dict(type='bool', default=False),
        ),
        required_if=[('state', state, ('benchmark', 'host', 'source_sha256', 'flags', 'path'))
                     for state in ('fetched', 'stored')],
        supports_check_mode=True,
    )
    params = module.params
    if params['state'] == 'promoted':
        try:
            result = _promote(module, _store.open_store(params['store']))
        except _store.StoreError as exc:   # collect's report is written; promotion waits for the next collect
            module.warn('build cache promotion in %s not done: %s' % (params['store'], exc))
            result = dict(changed=False, promoted=[], refused=[])
        module.exit_json(**result)
    if not _names.is_safe_name(params['benchmark']):
        module.fail_json(msg='benchmark %r: use 1-64 letters, digits, ".", "_" and "-"' % params['benchmark'])
    if not _build_cache.WRITER.match(params['writer']):
        module.fail_json(msg='writer %r: use letters, digits, ":", ".", "_" and "-" (an instance\'s aws:userid)'
                         % params['writer'])
    parts = _build_cache.key_parts(params['benchmark'], params['host'], params['source_sha256'], params['flags'],
                                   params['inputs'])
    key = _build_cache.cache_key(parts)
    if params['state'] == 'stored' and not os.path.isfile(params['path']):
        module.fail_json(msg='path %s: no binary to keep in the build cache (build it first)' % params['path'])
    try:
        store = _store.open_store(params['store'])
        result = _fetch(module, store, parts, key) if params['state'] == 'fetched' else _keep(module, store, parts, key)
    except (_store.StoreError, ValueError, IOError, OSError) as exc:
        # The cache saves minutes; it never costs a job: without it the host builds, or keeps its build to itself.
        module.warn('build cache of %s in %s not used: %s' % (params['benchmark'], params['store'], exc))
        result = dict(changed=False, hit=False, rejected=[]) if params['state'] == 'fetched' else dict(changed=False)
    module.exit_json(key=key, key_parts=parts, **result)


if __name__ == '__main__':
    main()
