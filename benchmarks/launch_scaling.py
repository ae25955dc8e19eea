# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side cost of launch.yml per host, for 1, 10 and 30 hosts.

Each point: a fresh moto_server (EC2/IAM/SSM/S3), N sshd test hosts standing in for N c7a.large
instances (plan: instances_per_type N, max_concurrency N), and launch.yml with
instancebench_provision_only=true: check the plan, create network/IAM/key, launch N instances,
SSH into each, gather host facts, verify the CPU, terminate. No benchmark runs, so the figure is
the controller's own work (Ansible + amazon.aws + moto on 127.0.0.1), not STREAM's.

Prints wall time, controller CPU time (ansible-playbook and its children: forks, modules run
locally, ssh clients), both per host, and the 1-minute load average before and after each point
(the machine is shared: a wall figure means little without it). With --profile, also the slowest tasks of each point
(ansible.posix.profile_tasks: a task's wall across all hosts), the playbook's output kept in
$TMPDIR/launch_scaling-<N>.log. Usage: PYTHONPATH=.cache/collections .venv/bin/python benchmarks/launch_scaling.py
[--profile] [N ...]
"""

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from harness import ec2  # noqa: E402
from harness.ansible_runner import BIN, ansible_env, write_inventory  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.sshd import SshdHost  # noqa: E402


PROFILE_LINE = re.compile(r'^(?P<task>.+?) -+ (?P<seconds>\d+\.\d+)s$')


def slowest_tasks(stdout, top=12):
    """profile_tasks' closing table: [(seconds, task)] slowest first."""
    rows = []
    for line in stdout.splitlines():
        match = PROFILE_LINE.match(line.strip())
        if match:
            rows.append((float(match.group('seconds')), match.group('task')))
    return sorted(rows, reverse=True)[:top]


def measure(count, workdir, profile=False):
    server = MotoServer().start()
    hosts = []
    try:
        hosts = [SshdHost('scale%d' % index, env=server.env()).start() for index in range(count)]
        ec2.client(server, 's3').create_bucket(Bucket='bench-results')
        plan = ec2.plan(hosts[0], instances_per_type=count, max_concurrency=count)
        extra = ec2.launch_vars('scale-%d' % count, plan, hosts, '', os.path.join(workdir, 'work'),
                                instancebench_provision_only=True)
        env = ansible_env(os.path.join(workdir, 'home-%d' % count))
        env.update(server.env())
        env['ANSIBLE_FORKS'] = str(max(count, 5))
        if profile:
            env['ANSIBLE_CALLBACKS_ENABLED'] = 'instancebench.aws.progress,ansible.posix.profile_tasks'
            env['PROFILE_TASKS_TASK_OUTPUT_LIMIT'] = 'all'
        inventory = write_inventory(os.path.join(workdir, 'hosts.yml'), {})
        load_before = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', inventory,
                               os.path.join(REPO, 'playbooks', 'launch.yml'), '-e', json.dumps(extra)],
                              env=env, cwd=REPO, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit('launch.yml failed for %d hosts:\n%s' % (count, proc.stdout[-4000:]))
        launched = len(ec2.instances(server, 'scale-%d' % count))
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if profile:
            with open(os.path.join(tempfile.gettempdir(), 'launch_scaling-%d.log' % count), 'w') as handle:
                handle.write(proc.stdout)
        return {'hosts': count, 'launched': launched, 'wall_s': wall, 'cpu_s': cpu,
                'load': (load_before, os.getloadavg()[0]),
                'peak_rss_mb': after.ru_maxrss / 1024.0, 'slowest': slowest_tasks(proc.stdout) if profile else []}
    finally:
        for host in hosts:
            host.stop()
        server.stop()


def main():
    profile = '--profile' in sys.argv[1:]
    counts = [int(arg) for arg in sys.argv[1:] if arg != '--profile'] or [1, 10, 30]
    print('launch.yml with a plan, provision only (launch, SSH, host facts, CPU check, terminate); '
          'moto_server + sshd test hosts on 127.0.0.1, %d CPUs' % os.cpu_count())
    print('%6s %9s %9s %12s %9s %12s %14s %11s' % ('hosts', 'launched', 'wall s', 'wall s/host', 'cpu s', 'cpu s/host',
                                                   'peak RSS MB*', 'load 1 min'))
    with tempfile.TemporaryDirectory(prefix='ib-scaling-') as workdir:
        for count in counts:
            row = measure(count, workdir, profile)
            print('%6d %9d %9.1f %12.2f %9.1f %12.2f %14.0f %5.1f-%-5.1f' % (
                row['hosts'], row['launched'], row['wall_s'], row['wall_s'] / count, row['cpu_s'],
                row['cpu_s'] / count, row['peak_rss_mb'], row['load'][0], row['load'][1]), flush=True)
            for seconds, task in row['slowest']:
                print('%23.1f s  %s' % (seconds, task))
    print('* largest single child process so far (ansible-playbook or a fork), not the sum')


if __name__ == '__main__':
    main()
