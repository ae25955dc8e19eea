# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures: the collection on sys.path, a filled source mirror, a real sshd test host."""

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(REPO, '.cache', 'collections')
LINK = os.path.join(COLLECTIONS, 'ansible_collections', 'instancebench', 'aws')

# `ansible_collections.instancebench.aws...` must import: link the checkout into place.
os.makedirs(os.path.dirname(LINK), exist_ok=True)
if not os.path.islink(LINK):
    os.symlink(REPO, LINK)
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
sys.path.insert(0, os.path.join(REPO, 'tests'))

from harness.moto import MotoServer  # noqa: E402
from harness.seaweed import SeaweedS3  # noqa: E402
from harness.sshd import SshdHost  # noqa: E402

FIXTURES = os.path.join(REPO, 'tests', 'fixtures')


@pytest.fixture(scope='session')
def mirror():
    """The verified source mirror, filled from the package registries (see scripts/)."""
    path = os.path.join(REPO, '.cache', 'mirror')
    subprocess.run([sys.executable, os.path.join(REPO, 'scripts', 'fill_mirror_from_registries.py'),
                    '--mirror', path], check=True)
    return path


@pytest.fixture(scope='session')
def ssh_host():
    """A real sshd on 127.0.0.1 for the whole session, stopped by PID at the end."""
    host = SshdHost('bench1').start()
    yield host
    host.stop()


@pytest.fixture
def ansible_home(tmp_path):
    path = tmp_path / 'ansible-home'
    path.mkdir()
    return str(path)


@pytest.fixture(scope='session')
def moto_server():
    """moto_server (EC2/IAM/SSM/S3 stand-in) on 127.0.0.1 for the session, stopped by PID."""
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture
def moto(moto_server):
    """The session's moto_server, emptied before the test."""
    moto_server.reset()
    return moto_server


@pytest.fixture(scope='session')
def instance_host(moto_server):
    """An sshd test host standing in for an EC2 instance: its SSH sessions see the S3 endpoint and
    credentials an instance profile would give (sshd SetEnv), nothing else of the controller."""
    host = SshdHost('instance1', env=moto_server.env()).start()
    yield host
    host.stop()


@pytest.fixture(scope='session')
def seaweed(tmp_path_factory):
    """SeaweedFS S3 (weed mini) on 127.0.0.1 for the session, stopped by PID at the end."""
    server = SeaweedS3(str(tmp_path_factory.mktemp('seaweed'))).start()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(seaweed, request):
    """A fresh bucket on the session's SeaweedFS, named after the test."""
    name = 'ib-' + ''.join(c if c.isalnum() else '-' for c in request.node.name.lower())[:40].strip('-')
    return seaweed.create_bucket(name)


@pytest.fixture(scope='session')
def s3_instance_host(seaweed):
    """An sshd test host standing in for an EC2 instance whose results go to SeaweedFS: its SSH
    sessions see the S3 endpoint and credentials (what an instance profile gives), nothing else."""
    host = SshdHost('instance-s3', env=seaweed.env()).start()
    yield host
    host.stop()
