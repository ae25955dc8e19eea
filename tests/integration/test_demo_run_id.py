# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo RUN_ID=<id>` resumes a run: the Makefile hands the id to launch and collect, and
launch.yml over the embedded inventory (what make demo runs) says "stored result reused" per job
and changes nothing when the job's result is already stored."""

import os
import subprocess

from harness.ansible_runner import REPO, run_playbook

LOCAL_INVENTORY = os.path.join(REPO, 'inventories', 'local', 'hosts.yml')


def _demo_commands(*args):
    """The playbook lines `make -n demo` would run (prints, runs nothing)."""
    out = subprocess.run(['make', '--no-print-directory', '-n', 'demo'] + list(args), cwd=REPO, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    # Words joined by one space: an option make leaves out leaves only spacing behind.
    return [' '.join(line.split()) for line in out.splitlines() if 'ansible-playbook' in line]


def test_make_demo_passes_run_id_to_launch_and_collect():
    resumed = _demo_commands('RUN_ID=20261201T224331Z')
    assert [line for line in resumed if 'launch.yml' in line or 'collect.yml' in line] == [
        ".venv/bin/ansible-playbook playbooks/launch.yml -e instancebench_run_id='20261201T224331Z'",
        ".venv/bin/ansible-playbook playbooks/collect.yml -e instancebench_run_id='20261201T224331Z'"]
    # Without RUN_ID: a new run id each time, and collect reports every run.
    assert all('instancebench_run_id' not in line for line in _demo_commands())


def test_make_demo_runs_the_benchmarks_named():
    suite = _demo_commands('BENCHMARKS=latency,stream_cache')
    assert [line for line in suite if 'launch.yml' in line] == [
        ".venv/bin/ansible-playbook playbooks/launch.yml -e instancebench_benchmarks='latency,stream_cache'"]
    assert all('instancebench_benchmarks' not in line for line in _demo_commands())


def test_same_run_id_on_the_embedded_inventory_reuses_the_stored_result(tmp_path, mirror, ansible_home):
    # The embedded inventory as make demo uses it; store and work directory in the test's own folder.
    extra = {'instancebench_run_id': 'demo-again', 'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
             'instancebench_sources_mirror': mirror, 'instancebench_work_dir': str(tmp_path / 'work'),
             'instancebench_benchmarks': 'stream', 'stream_repetitions': 2, 'stream_max_repetitions': 2}
    first = run_playbook('launch.yml', LOCAL_INVENTORY, ansible_home, extra)
    assert first.returncode == 0, first.stdout[-4000:]
    assert 'stored result reused' not in first.stdout

    second = run_playbook('launch.yml', LOCAL_INVENTORY, ansible_home, extra)
    assert second.returncode == 0, second.stdout[-4000:]
    assert second.recap['localhost']['changed'] == 0, second.stdout[-4000:]
    reused = [line for line in second.stdout.splitlines() if 'stored result reused' in line]
    assert len(reused) == 1 and 'STREAM on localhost: stored result reused (job stream-default-' in reused[0] \
        and 'of run demo-again, completed); nothing was run' in reused[0], reused
