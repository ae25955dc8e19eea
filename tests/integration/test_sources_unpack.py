# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sources role's unpack entry point, which every role that builds from a tarball uses, on a
real sshd host: check mode never fails on a directory it would create (a tarball fetched for
another build key) and writes nothing, a real run unpacks once and marks the tree whole, a re-run
changes nothing, and a tree cut short (no marker) is unpacked again."""

import hashlib
import io
import re
import tarfile

from harness.ansible_runner import run_playbook, write_inventory

PLAYBOOK = '''
- hosts: benchmark_hosts
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        sources_fetched: {demo: {present: "{{ tarball_present }}", path: "{{ tarball }}", sha256: "{{ tarball_sha256 }}"}}
    - ansible.builtin.include_role:
        name: instancebench.aws.sources
        tasks_from: unpack
      vars:
        sources_unpack_name: demo
        sources_unpack_dest: "{{ dest }}"
        sources_unpack_strip_components: 1
    - ansible.builtin.debug:
        msg: "UNPACKED={{ sources_unpacked }}"
'''
FILES = {'demo-1.0/configure': b'#!/bin/sh\necho configured\n', 'demo-1.0/src/main.c': b'int main(void) { return 0; }\n'}


def _tarball(path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w:gz') as archive:
        for name, data in FILES.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def _unpacked(proc):
    return re.findall(r'UNPACKED=(\w+)', proc.stdout)


def test_unpack_once_whole_and_check_mode_without_a_directory(tmp_path, ssh_host, ansible_home):
    playbook = tmp_path / 'unpack.yml'
    playbook.write_text(PLAYBOOK)
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    tarball = tmp_path / 'demo-1.0.tar.gz'
    sha256 = _tarball(tarball)
    dest = tmp_path / 'build' / 'demo-key' / 'src'
    extra = {'tarball': str(tarball), 'tarball_sha256': sha256, 'tarball_present': True, 'dest': str(dest)}
    marker = dest / '.unpacked-demo'

    # The tarball is here but this build key's directory is not: check mode says "nothing to build
    # from yet" instead of failing on a missing destination, and creates nothing.
    check = run_playbook(str(playbook), inventory, ansible_home, extra, check=True)
    assert check.returncode == 0, check.stdout[-4000:]
    assert _unpacked(check) == ['False'] and not (tmp_path / 'build').exists()
    # A fresh host in check mode has no tarball at all.
    absent = run_playbook(str(playbook), inventory, ansible_home, dict(extra, tarball_present=False), check=True)
    assert absent.returncode == 0 and _unpacked(absent) == ['False'], absent.stdout[-4000:]

    first = run_playbook(str(playbook), inventory, ansible_home, extra)
    assert first.returncode == 0, first.stdout[-4000:]
    assert _unpacked(first) == ['True'] and first.recap['bench1']['changed'] == 3   # directory, unpack, marker
    assert (dest / 'configure').read_bytes() == FILES['demo-1.0/configure'], 'top directory stripped'
    assert (dest / 'src' / 'main.c').read_bytes() == FILES['demo-1.0/src/main.c']
    assert marker.read_text().strip() == sha256

    again = run_playbook(str(playbook), inventory, ansible_home, extra)
    assert again.returncode == 0 and again.recap['bench1']['changed'] == 0, again.stdout[-4000:]
    check_again = run_playbook(str(playbook), inventory, ansible_home, extra, check=True)
    assert check_again.returncode == 0 and _unpacked(check_again) == ['True'], check_again.stdout[-4000:]
    assert check_again.recap['bench1']['changed'] == 0

    # An unpack cut short leaves files but no marker: it is unpacked again, never built from half a tree.
    marker.unlink()
    (dest / 'src' / 'main.c').unlink()
    redo = run_playbook(str(playbook), inventory, ansible_home, extra)
    assert redo.returncode == 0, redo.stdout[-4000:]
    assert (dest / 'src' / 'main.c').read_bytes() == FILES['demo-1.0/src/main.c']
    assert marker.read_text().strip() == sha256
