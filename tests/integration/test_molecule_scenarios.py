# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Molecule scenarios of the benchmark roles: syntax, converge, idempotence, verify, cleanup."""

import os
import subprocess

import pytest

from harness import ec2
from harness.ansible_runner import BIN, REPO, ansible_env


def _molecule(scenario, env):
    return subprocess.run([os.path.join(BIN, 'molecule'), 'test', '-s', scenario], cwd=os.path.join(REPO, 'extensions'),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900, check=False)


@pytest.mark.parametrize('scenario', ['stream', 'fftw', 'hpl'])
def test_molecule_scenario(scenario, mirror, ansible_home):
    env = ansible_env(ansible_home)
    env['NO_COLOR'] = '1'
    proc = _molecule(scenario, env)
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert 'idempotence' in proc.stdout and 'Executed: Successful' in proc.stdout


def test_molecule_ec2_provision_against_moto(moto, instance_host, ansible_home):
    """The provisioning role: converge, idempotence, verify, cleanup against moto_server."""
    ec2.client(moto, 's3').create_bucket(Bucket='molecule-results')
    env = ansible_env(ansible_home)
    env.update(moto.env(), NO_COLOR='1', MOLECULE_PUBLIC_KEY=instance_host.client_key + '.pub')
    proc = _molecule('ec2_provision', env)
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert 'idempotence' in proc.stdout and 'Executed: Successful' in proc.stdout
    groups = ec2.client(moto, 'ec2').describe_security_groups(
        Filters=[{'Name': 'group-name', 'Values': ['instancebench-molecule-ec2']}])['SecurityGroups']
    assert groups == [], 'the cleanup step deletes the run security group'
