# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real sshd test host on 127.0.0.1, started and stopped by the tests (by PID).

Every later issue reuses this: EC2 tests map moto's instances onto these hosts with
`ansible_host`/`ansible_port`, fire-and-forget tests kill and restart controllers around them.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time

from harness.processes import pids_mentioning, stop_process, terminate_pid

SSHD = shutil.which('sshd') or '/usr/sbin/sshd'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _wait_for_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=0.5) as sock:
                if sock.recv(4).startswith(b'SSH-'):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('sshd on 127.0.0.1:%d did not answer within %ss' % (port, timeout))


class SshdHost(object):
    """One sshd on 127.0.0.1:<free port> with its own host key, client key and config."""

    def __init__(self, name='bench1', workdir=None, env=None):
        """env: variables every SSH session gets (sshd SetEnv), e.g. the S3 endpoint and the
        credentials an EC2 instance would have from its instance profile."""
        self.name = name
        self.env = dict(env or {})
        self.dir = workdir or tempfile.mkdtemp(prefix='ib-sshd-%s-' % name)
        self.port = free_port()
        self.user = os.environ.get('USER') or 'root'
        self.client_key = os.path.join(self.dir, 'id_ed25519')
        self.control_dir = os.path.join(self.dir, 'cp')
        self.proc = None

    def start(self):
        if not os.path.exists(SSHD):
            raise RuntimeError('sshd not found: run scripts/install_system_deps.sh (openssh-server)')
        os.makedirs('/run/sshd', exist_ok=True)   # privilege separation directory sshd insists on
        os.makedirs(self.control_dir, exist_ok=True)
        host_key = os.path.join(self.dir, 'ssh_host_ed25519_key')
        for key in (host_key, self.client_key):
            subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key], check=True)
        shutil.copyfile(self.client_key + '.pub', os.path.join(self.dir, 'authorized_keys'))
        config = os.path.join(self.dir, 'sshd_config')
        with open(config, 'w') as handle:
            handle.write('\n'.join([
                'ListenAddress 127.0.0.1:%d' % self.port,
                'HostKey %s' % host_key,
                'AuthorizedKeysFile %s' % os.path.join(self.dir, 'authorized_keys'),
                'PidFile %s' % os.path.join(self.dir, 'sshd.pid'),
                'PasswordAuthentication no',
                'KbdInteractiveAuthentication no',
                'PermitRootLogin prohibit-password',
                'UsePAM no',
                'StrictModes no',          # keys live under /tmp
                'MaxStartups 100:30:200',  # Ansible forks open many sessions at once
                'MaxSessions 100',
                'Subsystem sftp internal-sftp',
            ] + (['SetEnv ' + ' '.join('%s=%s' % item for item in sorted(self.env.items()))] if self.env else [])
                + ['']))  # sshd keeps only the first SetEnv line: all variables go on one
        self.proc = subprocess.Popen([SSHD, '-D', '-e', '-f', config], stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, 'sshd.log'), 'w'))
        _wait_for_port(self.port)
        return self

    def inventory_vars(self, python='/usr/bin/python3'):
        """Host variables that make Ansible reach this host over real SSH."""
        return {
            'ansible_host': '127.0.0.1',
            'ansible_port': self.port,
            'ansible_user': self.user,
            'ansible_connection': 'ssh',
            'ansible_ssh_private_key_file': self.client_key,
            'ansible_ssh_common_args': ('-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null '
                                        '-o ControlMaster=auto -o ControlPersist=30s '
                                        '-o ControlPath=%s/%%C' % self.control_dir),
            'ansible_python_interpreter': python,
        }

    def stop(self):
        """Stop sshd and any ssh ControlPersist masters left by Ansible, by PID."""
        for pid in pids_mentioning(self.control_dir):
            terminate_pid(pid)
        stop_process(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
