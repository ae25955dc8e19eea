# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The build cache's key and entries: what makes two binaries interchangeable, and what a reader refuses."""

import hashlib

from ansible_collections.instancebench.aws.plugins.module_utils import _build_cache

HOST = {'arch': 'x86_64', 'uarch': {'name': 'znver4'}, 'cpu_flags_sha256': 'f' * 64, 'libc': 'glibc 2.36',
        'os': {'id': 'debian', 'version_id': '12'}, 'compiler': {'banner': 'gcc (Debian 12.2.0-14) 12.2.0'}}


def _key(host=None, flags=('-O3',), inputs=None):
    return _build_cache.cache_key(_build_cache.key_parts('stream', host or HOST, 'a' * 64, list(flags), inputs or {}))


def test_every_part_the_binary_depends_on_changes_the_key():
    base = _key()
    assert _key() == base, 'the same inputs, the same key'
    others = [_key(flags=('-O2',)), _key(inputs={'configure': ['--enable-avx512']}),
              _key(dict(HOST, uarch={'name': 'znver5'})), _key(dict(HOST, cpu_flags_sha256='e' * 64)),
              _key(dict(HOST, libc='glibc 2.41')), _key(dict(HOST, os={'id': 'debian', 'version_id': '13'})),
              _key(dict(HOST, compiler={'banner': 'gcc 14.2.0'})), _key(dict(HOST, arch='aarch64'))]
    assert base not in others and len(set(others)) == len(others)


def test_only_complete_entries_are_offered_and_a_mismatch_is_refused_by_name():
    key = _key()
    base = _build_cache.entry_prefix('stream', key)
    listing = [base + 'by=a/binary', base + 'by=a/manifest.json', base + 'by=b/binary',   # b: no manifest yet
               base + 'by=AROA1:i-1/binary', base + 'by=AROA1:i-1/manifest.json']
    assert _build_cache.complete_writers(listing, 'stream', key) == ['AROA1:i-1', 'a']
    parts = _build_cache.key_parts('stream', HOST, 'a' * 64, ['-O3'], {})
    data = b'binary bytes'
    document = _build_cache.manifest(parts, hashlib.sha256(data).hexdigest(), len(data), {'run_id': 'r'})
    assert _build_cache.entry_problem(document, parts, data) is None
    assert _build_cache.entry_problem(document, dict(parts, flags=['-O2']), data) == 'its manifest names other key parts'
    assert 'sha256 is not the manifest' in _build_cache.entry_problem(document, parts, data + b'\0')


def test_the_result_says_where_the_binary_came_from():
    assert _build_cache.record({'skipped': True}) == {'from_cache': False}
    assert _build_cache.record({'hit': False, 'key': 'k', 'rejected': ['by=a: unreadable']}) == {
        'from_cache': False, 'key': 'k', 'rejected': ['by=a: unreadable']}
    assert _build_cache.record({'hit': True, 'key': 'k', 'sha256': 's', 'built_by': {'job_id': 'j'}}) == {
        'from_cache': True, 'key': 'k', 'sha256': 's', 'built_by': {'job_id': 'j'}}


def test_a_staged_entry_is_promoted_only_for_a_job_launched_for_its_writer_with_a_valid_result_of_that_binary():
    built_by = {'run_id': 'r', 'job_id': 'j', 'region': 'us-east-1', 'instance_type': 'c7a.large'}
    document = {'sha256': 's' * 64, 'built_by': built_by}
    valid = {'validation': {'passed': True}, 'build': {'binary_sha256': 's' * 64}}
    assert _build_cache.promotion_problem(document, 'W', {'writer': 'W'}, valid) is None
    assert 'does not name the job' in _build_cache.promotion_problem({'sha256': 'x'}, 'W', {'writer': 'W'}, valid)
    assert 'no launched record' in _build_cache.promotion_problem(document, 'W', None, valid)
    assert 'launched for writer V, not W' in _build_cache.promotion_problem(document, 'W', {'writer': 'V'}, valid)
    assert 'no valid result' in _build_cache.promotion_problem(
        document, 'W', {'writer': 'W'}, dict(valid, validation={'passed': False}))
    assert 'names another binary' in _build_cache.promotion_problem(
        document, 'W', {'writer': 'W'}, dict(valid, build={'binary_sha256': 't' * 64}))


def test_staged_entries_are_the_complete_ones():
    base = _build_cache.STAGING + 'benchmark=fftw/key=k1/'
    listing = [base + 'by=A:i-1/binary', base + 'by=A:i-1/manifest.json', base + 'by=A:i-2/binary',
               _build_cache.PREFIX + 'benchmark=fftw/key=k1/by=A:i-9/manifest.json']
    assert _build_cache.staged_entries(listing) == [('fftw', 'k1', 'A:i-1')]
