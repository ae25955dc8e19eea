# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Galaxy tarball holds what an installed collection needs and none of a checkout's leftovers
(caches, results, reports, test state), whatever this checkout has lying around."""

import os
import subprocess
import tarfile

from harness.ansible_runner import BIN, REPO

LEFTOVERS = ('.cache', '.hypothesis', '.pytest_cache', 'results', 'reports', '.venv', 'inventories', 'tests/output')


def test_the_tarball_leaves_out_a_checkouts_leftovers(tmp_path):
    planted = []
    for name in ('.hypothesis', '.pytest_cache', 'results', 'reports'):
        path = os.path.join(REPO, name)
        if not os.path.exists(path):
            os.makedirs(path)
            planted.append(path)
        with open(os.path.join(path, 'planted-by-test.txt'), 'w') as handle:
            handle.write('x\n')
    try:
        proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(tmp_path),
                               REPO], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300,
                              check=False)
        assert proc.returncode == 0, proc.stdout
    finally:
        for name in ('.hypothesis', '.pytest_cache', 'results', 'reports'):
            marker = os.path.join(REPO, name, 'planted-by-test.txt')
            if os.path.exists(marker):
                os.unlink(marker)
        for path in planted:
            os.rmdir(path)
    [tarball] = [p for p in os.listdir(str(tmp_path)) if p.endswith('.tar.gz')]
    with tarfile.open(os.path.join(str(tmp_path), tarball)) as archive:
        names = archive.getnames()
    assert not [n for n in names if n.split('/')[0] in LEFTOVERS or n.startswith('tests/output')], \
        [n for n in names if n.split('/')[0] in LEFTOVERS][:10]
    for needed in ('meta/runtime.yml', 'plugins/modules/run_benchmark.py', 'roles/benchmark_job/tasks/main.yml',
                   'roles/stream/tasks/run.yml', 'playbooks/launch.yml'):
        assert needed in names, needed
