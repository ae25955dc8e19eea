# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Molecule scenarios of the benchmark roles: syntax, converge, idempotence, verify, cleanup."""

import os
import subprocess

import pytest

from harness.ansible_runner import BIN, REPO, ansible_env


@pytest.mark.parametrize('scenario', ['stream', 'fftw', 'hpl'])
def test_molecule_scenario(scenario, mirror, ansible_home):
    env = ansible_env(ansible_home)
    env['NO_COLOR'] = '1'
    proc = subprocess.run([os.path.join(BIN, 'molecule'), 'test', '-s', scenario], cwd=os.path.join(REPO, 'extensions'),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert 'idempotence' in proc.stdout and 'Executed: Successful' in proc.stdout
