# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Instance minutes per job with and without the build-artifact cache, on an sshd test host.

For each benchmark: a first "host" (an empty work directory) builds and keeps its binary in the
store's cache; a second host of the same microarchitecture (another empty work directory, same
store) takes it from the cache. Prints the wall time of each launch.yml job (what an instance is
paid for, less boot), the minutes saved and the share of the job. Short run settings; the build is
the real one.

Usage: .venv/bin/python benchmarks/build_cache_minutes.py [fftw stream]
"""

import os
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from harness.ansible_runner import run_playbook, write_inventory  # noqa: E402
from harness.sshd import SshdHost  # noqa: E402

SHORT = {'stream': {'stream_repetitions': 2, 'stream_max_repetitions': 2},
         'fftw': {'fftw_repetitions': 2, 'fftw_max_repetitions': 2, 'fftw_problems': ['icf1024', 'orf65536']}}


def job_seconds(workdir, inventory, home, benchmark, host_dir, run_id):
    extra = dict(SHORT[benchmark], instancebench_run_id=run_id, instancebench_benchmarks=[benchmark],
                 instancebench_results_store='file://%s/store' % workdir,
                 instancebench_sources_mirror=os.path.join(REPO, '.cache', 'mirror'),
                 instancebench_work_dir=os.path.join(workdir, host_dir))
    started = time.monotonic()
    proc = run_playbook('launch.yml', inventory, home, extra, timeout=3600)
    if proc.returncode != 0:
        sys.exit(proc.stdout[-3000:])
    return time.monotonic() - started


def main():
    benchmarks = sys.argv[1:] or ['fftw', 'stream']
    workdir = tempfile.mkdtemp(prefix='ib-cache-')
    home = os.path.join(workdir, 'home')
    os.makedirs(home)
    host = SshdHost('cache1').start()
    try:
        inventory = write_inventory(os.path.join(workdir, 'hosts.yml'), {'cache1': host.inventory_vars()})
        for benchmark in benchmarks:
            built = job_seconds(workdir, inventory, home, benchmark, 'host-a-' + benchmark, 'cache-a-' + benchmark)
            cached = job_seconds(workdir, inventory, home, benchmark, 'host-b-' + benchmark, 'cache-b-' + benchmark)
            print('%-7s first host (builds): %5.1f min; second host (build cache): %5.1f min; saved %.1f min '
                  '(%.0f %% of the job)' % (benchmark, built / 60, cached / 60, (built - cached) / 60,
                                            100 * (built - cached) / built))
    finally:
        host.stop()


if __name__ == '__main__':
    main()
