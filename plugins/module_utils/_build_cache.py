# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the build-artifact cache — a benchmark binary built once per key and fetched, verified,
by every later host whose key is the same, instead of compiling (FFTW takes minutes on 2 vCPUs).

The key is everything the binary depends on: benchmark, source sha256, compiler banner, flags, the
build's other inputs (configure options, our kernels' sha256, the BLAS it links), microarchitecture
and the exact CPU features shown, architecture, OS and C library. Entries live in the results store:

    cache/benchmark=<b>/key=<sha256 of the key parts>/by=<writer>/binary
    cache/benchmark=<b>/key=<...>/by=<writer>/manifest.json   (written last: the entry is complete)

A reader takes an entry whose manifest names exactly its key parts and whose binary has the
manifest's sha256. Who may write `cache/`: a host outside EC2 (the operator's own, trusted) writes
there directly; an EC2 instance writes only to `cache-staging/.../by=<its aws:userid>/` (the
instance policy says so), and the controller promotes an entry to `cache/` only when the job that
built it was launched by the controller for that writer (its launched record names it) and
completed with a valid result naming the same binary sha256 — so one instance's binary never runs
in another job unless its own job checked out.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re

PREFIX = 'cache/'
STAGING = 'cache-staging/'
# An instance writes as its aws:userid, "<role id>:<instance id>"; a host outside EC2 as `host`.
WRITER = re.compile(r'^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}\Z')


def key_parts(benchmark, host, source_sha256, flags, inputs):
    """What the binary depends on, from the host's facts and the build's own inputs."""
    os_release = host.get('os') or {}
    return {
        'benchmark': benchmark,
        'source_sha256': source_sha256,
        'compiler': (host.get('compiler') or {}).get('banner'),
        'flags': list(flags),
        'inputs': dict(inputs or {}),
        'uarch': (host.get('uarch') or {}).get('name'),
        # The exact CPU features shown: a binary built where AVX-512 is visible dies (SIGILL) where a
        # hypervisor hides it, whatever the flags (-march=native, or a catalog -march that implies it).
        'cpu_flags_sha256': host.get('cpu_flags_sha256'),
        'arch': host.get('arch'),
        'os': '%s %s' % (os_release.get('id', '?'), os_release.get('version_id', '?')),
        'libc': host.get('libc') or 'unknown',
    }


def cache_key(parts):
    """sha256 of the canonical JSON of the key parts: one changed flag, another key."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, separators=(',', ':')).encode('utf-8')).hexdigest()


def entry_prefix(benchmark, key, root=PREFIX):
    return '%sbenchmark=%s/key=%s/' % (root, benchmark, key)


def writer_keys(benchmark, key, writer, root=PREFIX):
    base = '%sby=%s/' % (entry_prefix(benchmark, key, root), writer)
    return base + 'binary', base + 'manifest.json'


def complete_writers(listing, benchmark, key, root=PREFIX):
    """Writers with a complete entry (binary and manifest), in name order, from a store listing."""
    prefix = entry_prefix(benchmark, key, root) + 'by='
    found = {}
    for name in listing:
        if name.startswith(prefix):
            writer, _slash, leaf = name[len(prefix):].partition('/')
            found.setdefault(writer, set()).add(leaf)
    return sorted(writer for writer, leaves in found.items() if {'binary', 'manifest.json'} <= leaves)


def staged_entries(listing):
    """[(benchmark, key, writer)] of the complete entries in a listing of STAGING."""
    found = set()
    for name in listing:
        parts = name[len(STAGING):].split('/') if name.startswith(STAGING) else []
        if len(parts) == 4 and parts[0].startswith('benchmark=') and parts[1].startswith('key=') \
                and parts[2].startswith('by='):
            found.add((parts[0][len('benchmark='):], parts[1][len('key='):], parts[2][len('by='):]))
    return sorted(entry for entry in found
                  if entry[2] in complete_writers(listing, entry[0], entry[1], STAGING))


def promotion_problem(document, writer, launched, result):
    """Why a staged entry may not go to the cache (None when it may): its job must be one the
    controller launched for this writer, completed with a valid result naming this binary."""
    built_by = (document or {}).get('built_by') or {}
    if not all(built_by.get(field) for field in ('run_id', 'job_id', 'region', 'instance_type')):
        return 'its manifest does not name the job that built it (run_id, job_id, region, instance_type)'
    if not isinstance(launched, dict):
        return 'no launched record for job %s: the controller did not launch it' % built_by['job_id']
    if launched.get('writer') != writer:
        return 'job %s was launched for writer %s, not %s' % (built_by['job_id'], launched.get('writer'), writer)
    if not isinstance(result, dict) or not (result.get('validation') or {}).get('passed'):
        return 'job %s has no valid result' % built_by['job_id']
    if (result.get('build') or {}).get('binary_sha256') != document.get('sha256'):
        return 'job %s\'s result names another binary' % built_by['job_id']
    return None


def manifest(parts, sha256, size, built_by):
    return {'key': cache_key(parts), 'key_parts': parts, 'sha256': sha256, 'bytes': size, 'built_by': built_by}


def entry_problem(document, parts, data=None):
    """Why a stored entry cannot serve these key parts (None when it can): a manifest for other parts
    (never shared across keys), or a binary whose sha256 is not the manifest's."""
    if not isinstance(document, dict) or document.get('key_parts') != parts:
        return 'its manifest names other key parts'
    if data is not None and hashlib.sha256(data).hexdigest() != document.get('sha256'):
        return 'the binary\'s sha256 is not the manifest\'s %s' % document.get('sha256')
    return None


def record(fetched):
    """What the result says of the binary's origin, from build_cache's `fetched` answer (or a skipped
    task: the binary was already on the host)."""
    if not isinstance(fetched, dict) or fetched.get('skipped') or 'hit' not in fetched:
        return {'from_cache': False}
    out = {'from_cache': bool(fetched['hit']), 'key': fetched.get('key')}
    if fetched['hit']:
        out.update(sha256=fetched.get('sha256'), built_by=fetched.get('built_by'))
    if fetched.get('rejected'):
        out['rejected'] = fetched['rejected']
    return out
