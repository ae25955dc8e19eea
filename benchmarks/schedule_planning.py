# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How long the batch planner takes on the seed scenario, and what it plans.

Seed scenario (playbooks/schedules/example.yml): 3 families (m7i, c7g, r7a) x 4 sizes x the 5
benchmark variants of roles/schedule/vars/main.yml, 7 days x 3 windows, at most 30 jobs a day,
5 at once. Prints the planner's own time (check + expand + place + summary; median of 20) and the
wall time of `ansible-playbook playbooks/schedule.yml` against moto_server (offerings, Service
Quotas), then the summary: jobs per window and the estimated cost with and without spot.

Usage: .venv/bin/python benchmarks/schedule_planning.py
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, '.cache', 'collections'))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from ansible_collections.instancebench.aws.plugins.module_utils import _pricing, _batch_planner  # noqa: E402
from harness.ansible_runner import BIN, ansible_env  # noqa: E402
from harness.moto import MotoServer  # noqa: E402


def _load(path, key):
    with open(os.path.join(REPO, path)) as handle:
        return yaml.safe_load(handle)[key]


def plan_once(request, data, table):
    checked, problems = _batch_planner.check_request(request, data)
    if problems:
        raise SystemExit('\n'.join(problems))
    prices = dict(((region, name), _pricing.table_price(table, region, name))
                  for region in checked['regions'] for name, _family, _size in checked['types'])
    windows = _batch_planner.plan_schedule(checked, _batch_planner.expand(checked, data, prices))
    return windows, _batch_planner.summarize(windows, checked)


def main():
    request = _load('playbooks/schedules/example.yml', 'instancebench_schedule')
    data = _load('roles/schedule/vars/main.yml', '_schedule_data')
    table = _load('roles/ec2_provision/vars/prices.yml', '_ec2_provision_prices')
    timings = []
    for _repeat in range(20):
        started = time.perf_counter()
        windows, summary = plan_once(request, data, table)
        timings.append(time.perf_counter() - started)
    print('planner (check, expand, place, summarize): median %.1f ms, max %.1f ms over 20 runs'
          % (1000 * statistics.median(timings), 1000 * max(timings)))

    workdir = tempfile.mkdtemp(prefix='ib-schedule-')
    os.makedirs(os.path.join(workdir, 'home'))
    server = MotoServer().start()
    try:
        env = dict(ansible_env(os.path.join(workdir, 'home')), **server.env())
        started = time.monotonic()
        proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), os.path.join(REPO, 'playbooks', 'schedule.yml'),
                               '-e', '@' + os.path.join(REPO, 'playbooks', 'schedules', 'example.yml'),
                               '-e', 'instancebench_plan_dir=' + os.path.join(workdir, 'plans')],
                              env=env, cwd=REPO, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
    finally:
        server.stop()
    if proc.returncode != 0:
        raise SystemExit(proc.stdout[-3000:])
    print('ansible-playbook playbooks/schedule.yml (moto: offerings, Service Quotas; writes the plan): %.1f s wall' % wall)
    figures = (summary['jobs'], summary['windows_used'], summary['windows'], summary['days_used'], summary['days'],
               summary['estimated_instance_hours'], summary['estimated_cost_usd'], summary['estimated_cost_on_demand_usd'])
    print('%d jobs in %d of %d windows over %d of %d days; %.1f instance-hours; estimated %.2f USD with spot from '
          'xlarge up, %.2f USD all on-demand' % figures)
    for window in windows:
        if window['jobs']:
            kinds = sorted(set(j['size'] for j in window['jobs']))
            benches = sorted(set('%s/%s' % (j['benchmark'], j['variant']) for j in window['jobs']))
            last = max(j['start_offset_minutes'] + j['estimated_minutes'] for j in window['jobs'])
            print('  %-14s %s  %2d jobs  size %-8s  busy %3d min  %s' % (
                window['name'], window['start'], len(window['jobs']), ','.join(kinds), last, ', '.join(benches)))
    print('plan file: %s' % os.path.join(workdir, 'plans', 'weekly-seed-us-east-1.yml'))


if __name__ == '__main__':
    main()
