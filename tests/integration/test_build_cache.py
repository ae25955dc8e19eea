# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The build-artifact cache over SSH: a second host (a fresh work directory, nothing built) with the
same key builds nothing, takes the binary from the store and verifies its sha256; a changed flag is
another key and builds anew; a corrupted cache entry is refused and the host builds. (What an EC2
instance may write, and the controller's promotion, are in test_s3_policy.py.)"""

import glob
import json
import os

from harness.ansible_runner import run_playbook, write_inventory
from harness.results import stored_result


def _vars(tmp_path, mirror, run_id, work, **more):
    return dict({
        'instancebench_run_id': run_id,
        'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
        'instancebench_sources_mirror': mirror,
        'instancebench_work_dir': str(tmp_path / work),
        'stream_repetitions': 2, 'stream_max_repetitions': 2,
        'instancebench_benchmarks': ['stream'],
    }, **more)


def _compiled(proc):
    """Whether the play compiled STREAM (its compile task reported a change)."""
    lines = proc.stdout.splitlines()
    for index, line in enumerate(lines):
        if 'TASK [instancebench.aws.stream : Compile STREAM]' in line:
            return any(following.startswith('changed:') for following in lines[index + 1:index + 3])
    return False


def _entries(tmp_path):
    return sorted(glob.glob(str(tmp_path / 'store' / 'cache' / 'benchmark=stream' / 'key=*' / 'by=*' / 'manifest.json')))


def test_a_second_host_with_the_same_key_takes_the_binary_and_a_changed_flag_builds_anew(
        tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    first = run_playbook('launch.yml', inventory, ansible_home, _vars(tmp_path, mirror, 'cache-1', 'host-a'))
    assert first.returncode == 0, first.stdout[-4000:]
    assert _compiled(first)
    built = stored_result(tmp_path / 'store', 'cache-1')
    assert built['build']['binary_cache']['from_cache'] is False
    [manifest_path] = _entries(tmp_path)
    manifest = json.load(open(manifest_path))
    assert manifest['sha256'] == built['build']['binary_sha256'] and manifest['built_by']['run_id'] == 'cache-1'
    assert manifest['key_parts']['uarch'] == built['system']['uarch']['name']

    second = run_playbook('launch.yml', inventory, ansible_home, _vars(tmp_path, mirror, 'cache-2', 'host-b'))
    assert second.returncode == 0, second.stdout[-4000:]
    assert not _compiled(second), 'the second host compiles nothing'
    cached = stored_result(tmp_path / 'store', 'cache-2')
    origin = cached['build']['binary_cache']
    assert origin['from_cache'] is True and origin['built_by']['run_id'] == 'cache-1'
    assert origin['sha256'] == cached['build']['binary_sha256'] == built['build']['binary_sha256']
    assert cached['validation']['passed'] is True

    changed = run_playbook('launch.yml', inventory, ansible_home,
                           _vars(tmp_path, mirror, 'cache-3', 'host-c', stream_extra_cflags=['-DINSTANCEBENCH_CACHE_TEST']))
    assert changed.returncode == 0, changed.stdout[-4000:]
    assert _compiled(changed), 'a changed flag is another key: built anew'
    assert stored_result(tmp_path / 'store', 'cache-3')['build']['binary_cache']['from_cache'] is False
    assert len(_entries(tmp_path)) == 2


def test_a_corrupted_cache_entry_is_refused_and_the_host_builds(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    assert run_playbook('launch.yml', inventory, ansible_home,
                        _vars(tmp_path, mirror, 'tamper-1', 'host-a')).returncode == 0
    [manifest_path] = _entries(tmp_path)
    binary = os.path.join(os.path.dirname(manifest_path), 'binary')
    with open(binary, 'ab') as handle:
        handle.write(b'\0')          # not the binary the manifest names any more
    second = run_playbook('launch.yml', inventory, ansible_home, _vars(tmp_path, mirror, 'tamper-2', 'host-b'))
    assert second.returncode == 0, second.stdout[-4000:]
    assert _compiled(second)
    origin = stored_result(tmp_path / 'store', 'tamper-2')['build']['binary_cache']
    assert origin['from_cache'] is False and "the binary's sha256 is not the manifest's" in origin['rejected'][0]
