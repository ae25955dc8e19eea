# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/mirror.yml copies a mirror served over HTTP on 127.0.0.1, verifying every pin;
the stream role then builds from that HTTP mirror on the sshd host."""

import hashlib
import os
import shutil

from harness.ansible_runner import run_playbook, write_inventory
from harness.http_server import http_directory as http_mirror


def test_mirror_playbook_copies_and_verifies(tmp_path, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    with http_mirror(mirror) as url:
        proc = run_playbook('mirror.yml', inventory, ansible_home,
                            {'mirror_dir': str(tmp_path / 'copy'), 'mirror_names': ['stream'], 'mirror_from': url})
    assert proc.returncode == 0, proc.stdout
    with open(tmp_path / 'copy' / 'stream' / 'stream.c', 'rb') as handle:
        assert hashlib.sha256(handle.read()).hexdigest().startswith('a52bae5e')


def test_mirror_playbook_refuses_a_wrong_file(tmp_path, mirror, ansible_home):
    bad = tmp_path / 'bad'
    shutil.copytree(mirror, bad)
    with open(bad / 'stream' / 'stream.c', 'a') as handle:
        handle.write('\n')
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {})
    with http_mirror(str(bad)) as url:
        proc = run_playbook('mirror.yml', inventory, ansible_home,
                            {'mirror_dir': str(tmp_path / 'copy'), 'mirror_names': ['stream'], 'mirror_from': url})
    assert proc.returncode != 0 and 'did not match' in proc.stdout, proc.stdout
    assert not os.path.exists(tmp_path / 'copy' / 'stream' / 'stream.c')


def test_role_builds_from_an_http_mirror(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    served = []
    with http_mirror(mirror, served) as url:
        proc = run_playbook('launch.yml', inventory, ansible_home, {
            'instancebench_run_id': 'http-mirror', 'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
            'instancebench_sources_mirror': url, 'instancebench_work_dir': str(tmp_path / 'work'),
            'stream_repetitions': 1, 'stream_max_repetitions': 1, 'instancebench_benchmarks': ['stream']})
    assert proc.returncode == 0, proc.stdout
    assert served == ['/stream/stream.c'], 'the source must come from the HTTP mirror, once'
    assert os.path.exists(tmp_path / 'work' / 'sources' / 'stream' / 'stream.c')
