# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-lint (production profile, offline) and ansible-test sanity, as part of the test command."""

import os
import subprocess

from harness.ansible_runner import BIN, REPO


def _run(argv, timeout):
    env = dict(os.environ, NO_COLOR='1', PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    return subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, check=False)


def test_ansible_lint_production_profile():
    proc = _run([os.path.join(BIN, 'ansible-lint'), '--offline', '--nocolor'], 600)
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert "Profile 'production' was required, and it passed" in proc.stdout


def test_ansible_test_sanity():
    proc = _run(['bash', os.path.join(REPO, 'scripts', 'ansible_test_sanity.sh')], 1800)
    assert proc.returncode == 0, proc.stdout[-8000:]
    assert 'Running sanity test "validate-modules"' in proc.stdout
