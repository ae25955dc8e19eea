# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collect.yml over many jobs in a real S3 server (SeaweedFS on 127.0.0.1): wall time and memory.

Fills a fresh SeaweedFS with N completed STREAM jobs laid out as instances write them (launched
and running and completed sentinels, job.json, system.json, raw.log, result.json, SHA256SUMS:
8 objects per job), spread over 12 instance types, then runs
`ansible-playbook playbooks/collect.yml` once and prints its wall time, the peak resident
memory of the controller's process tree (sampled every 50 ms) and of its largest process, and
checks the dataset has a record per job and metric.

Usage: .venv/bin/python benchmarks/collect_scaling.py [JOBS]   (default 10000)
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, '.cache', 'collections'))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from ansible_collections.instancebench.aws.plugins.module_utils import _store  # noqa: E402
from harness.ansible_runner import BIN, ansible_env, write_inventory  # noqa: E402
from harness.seaweed import SeaweedS3  # noqa: E402
from harness.stored_jobs import LAUNCHED_AT, SYSTEM, read_fixture, result_document  # noqa: E402

TYPES = ['%s.%s' % (family, size) for family in ('c7a', 'c7i', 'c7g', 'm7a', 'm7i', 'r7a')
         for size in ('large', 'xlarge')]
RUN = 'scale'


def populate(server, bucket, jobs):
    client = server.client()
    store = _store.S3Store(bucket, 'ib', client=client)
    raw = read_fixture('stream', 'znver4-omp2-o3-native.txt').encode()

    def one(index):
        instance_type = TYPES[index % len(TYPES)]
        job_id = 'stream-default-%012x' % index
        prefix = _store.job_prefix(RUN, 'us-east-1', instance_type, 'stream', job_id)
        instance = {'type': instance_type, 'id': 'i-%017x' % index, 'region': 'us-east-1',
                    'availability_zone': 'us-east-1a', 'market': 'on-demand', 'price_per_hour_usd': 0.1 + index % 7 / 100.0,
                    'ami': 'ami-1', 'hostname': 'ip-10-0-0-1', 'launched_at': LAUNCHED_AT}
        writer = 'AROABENCHROLE:%s' % instance['id']   # the instance's own folder, as on EC2
        host = _store.writer_prefix(prefix, writer)
        store.put_json(prefix + '/status-launched.json', {'state': 'launched', 'job_id': job_id, 'writer': writer,
                                                          'deadline_epoch': 4102444800})
        store.put_json(host + '/status-running.json', {'state': 'running'})
        sums = {'job.json': store.put_json(host + '/job.json', {'job_id': job_id}),
                'system.json': store.put_json(host + '/system.json', SYSTEM),
                'raw.log': store.put(host + '/raw.log', raw),
                'result.json': store.put_json(host + '/result.json', result_document(RUN, job_id, instance))}
        store.put(host + '/SHA256SUMS', ''.join('%s  %s\n' % (m['sha256'], n) for n, m in sorted(sums.items())).encode())
        store.put_json(host + '/status-completed.json', {'state': 'completed'})

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(one, range(jobs)))


def _tree_rss_kb(root):
    """Resident KB of `root` and its descendants, and of the largest of them."""
    children = {}
    rss = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            with open('/proc/%s/statm' % entry) as handle:
                rss[int(entry)] = int(handle.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') // 1024
        except (OSError, IndexError, ValueError):
            continue
    total, largest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        todo.extend(children.get(pid, []))
    return total, largest


def collect(server, bucket, workdir):
    inventory = write_inventory(os.path.join(workdir, 'hosts.yml'), {})
    argv = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, os.path.join(REPO, 'playbooks', 'collect.yml'),
            '-e', json.dumps({'instancebench_results_store': 's3://%s/ib' % bucket, 'instancebench_run_id': RUN,
                              'instancebench_report_dir': os.path.join(workdir, 'report')})]
    env = dict(ansible_env(os.path.join(workdir, 'ansible-home')), **server.env())
    peak = {'total': 0, 'largest': 0}
    started = time.monotonic()
    proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done = threading.Event()

    def sample():
        while not done.is_set():
            total, largest = _tree_rss_kb(proc.pid)
            peak['total'], peak['largest'] = max(peak['total'], total), max(peak['largest'], largest)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out = proc.communicate()[0]
    wall = time.monotonic() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(out[-3000:])
    return wall, peak, out


def main():
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    workdir = tempfile.mkdtemp(prefix='ib-collect-scaling-')
    os.makedirs(os.path.join(workdir, 'ansible-home'))
    server = SeaweedS3(os.path.join(workdir, 'seaweed')).start()
    try:
        bucket = server.create_bucket('collect-scaling')
        started = time.monotonic()
        populate(server, bucket, jobs)
        print('filled SeaweedFS with %d jobs (%d objects) in %.1f s' % (jobs, 8 * jobs, time.monotonic() - started))
        wall, peak, out = collect(server, bucket, workdir)
        with open(os.path.join(workdir, 'report', 'dataset.jsonl')) as handle:
            records = sum(1 for _line in handle)
        summary = [line for line in out.splitlines() if line.strip().strip('"').startswith('runs %s' % RUN)]
        print('collect.yml over %d jobs: %.1f s wall; peak RSS of the controller process tree %.0f MB, '
              'largest process %.0f MB; %d dataset records' % (jobs, wall, peak['total'] / 1024.0,
                                                               peak['largest'] / 1024.0, records))
        print((summary[0].strip().strip('",') if summary else '(no summary line found)'))
        if records != 4 * jobs:
            raise SystemExit('expected %d records (4 STREAM metrics per job), got %d' % (4 * jobs, records))
    finally:
        server.stop()


if __name__ == '__main__':
    main()
