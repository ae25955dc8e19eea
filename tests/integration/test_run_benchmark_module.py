# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The result module on outputs that must never become a number, and under its timeout."""

import json
import os
import subprocess
import time

from harness.ansible_runner import REPO, ansible_env, module_argv
from harness.stored_jobs import BUILD, SYSTEM
from harness.waiting import wait_for

FIXTURES = os.path.join(REPO, 'tests', 'fixtures', 'stream')


def _module(tmp_path, home, command, **args):
    params = dict(benchmark='stream', command=command, chdir=str(tmp_path / 'job'), store='file://%s' % (tmp_path / 'store'),
                  run_id='modtest', system=SYSTEM, build=BUILD, repetitions=2, timeout=60)
    params.update(args)
    os.makedirs(params['chdir'], exist_ok=True)
    proc = subprocess.run(module_argv('instancebench.aws.run_benchmark', params), env=ansible_env(home),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    return proc


def _stored(tmp_path):
    job_dirs = list((tmp_path / 'store' / 'runs' / 'run=modtest').glob('region=*/type=*/benchmark=stream/job=*/by=host'))
    assert len(job_dirs) == 1
    return job_dirs[0]


def _assert_invalid_kept(job_dir, phrase):
    doc = json.loads((job_dir / 'result.json').read_text())
    assert doc['validation']['passed'] is False
    assert doc['metrics'] == [], 'an invalid result must carry no number'
    assert doc['job']['state'] == 'failed'
    assert phrase in doc['job']['reason']
    assert (job_dir / 'raw.log').stat().st_size > 0, 'raw log must be kept'
    assert (job_dir / 'status-failed.json').exists()


def test_output_without_solution_validates_is_stored_invalid(tmp_path, ansible_home):
    proc = _module(tmp_path, ansible_home, ['cat', os.path.join(FIXTURES, 'derived-no-solution-validates.txt')])
    assert proc.returncode != 0 and 'stream job' in proc.stdout and 'failed' in proc.stdout, proc.stdout
    _assert_invalid_kept(_stored(tmp_path), 'solution_validates')


def test_truncated_output_is_stored_invalid(tmp_path, ansible_home):
    proc = _module(tmp_path, ansible_home, ['cat', os.path.join(FIXTURES, 'znver4-killed-at-1.5s.txt')])
    assert proc.returncode != 0, proc.stdout
    _assert_invalid_kept(_stored(tmp_path), 'truncated')


def test_valid_output_gives_statistics(tmp_path, ansible_home):
    proc = _module(tmp_path, ansible_home, ['cat', os.path.join(FIXTURES, 'znver4-omp2-o3-native.txt')],
                   expected={'threads': 2, 'array_size_elements': 33554432}, repetitions=3)
    assert proc.returncode == 0, proc.stdout
    doc = json.loads((_stored(tmp_path) / 'result.json').read_text())
    triad = [m for m in doc['metrics'] if m['name'] == 'triad_bandwidth'][0]
    assert triad['values'] == [30.5202] * 3 and triad['stdev'] == 0.0 and triad['cv'] == 0.0


def test_expected_threads_mismatch_invalidates(tmp_path, ansible_home):
    proc = _module(tmp_path, ansible_home, ['cat', os.path.join(FIXTURES, 'znver4-omp2-o3-native.txt')],
                   expected={'threads': 4})
    assert proc.returncode != 0
    _assert_invalid_kept(_stored(tmp_path), 'threads')


def test_graceful_timeout_keeps_partial_output(tmp_path, ansible_home):
    script = tmp_path / 'hang.sh'
    script.write_text('#!/bin/sh\necho "partial line before the hang"\nexec sleep 60\n')
    script.chmod(0o755)
    marker = tmp_path / 'powered-off'
    poweroff = tmp_path / 'poweroff'  # recorded stand-in for systemctl poweroff
    poweroff.write_text('#!/bin/sh\ntouch %s\n' % marker)
    poweroff.chmod(0o755)
    started = time.monotonic()
    proc = _module(tmp_path, ansible_home, [str(script)], timeout=2, kill_grace=1, power_off_command=[str(poweroff)])
    assert proc.returncode != 0 and 'timed_out' in proc.stdout, proc.stdout
    assert time.monotonic() - started < 30, 'the guard, not the 60 s hang, must end the job'
    job_dir = _stored(tmp_path)
    doc = json.loads((job_dir / 'result.json').read_text())
    assert doc['job']['state'] == 'timed_out' and doc['metrics'] == []
    assert 'SIGTERM' in doc['job']['reason']
    assert 'partial line before the hang' in (job_dir / 'raw.log').read_text()
    assert (job_dir / 'status-timed_out.json').exists()
    wait_for(marker.exists, 5, 'the power-off stand-in: a timed-out job still powers its host off')
    assert marker.stat().st_mtime >= (job_dir / 'status-timed_out.json').stat().st_mtime


def test_async_hard_limit_kills_the_module_and_its_benchmark(tmp_path, ansible_home):
    """Second guard: when the module's own timeout is too long, Ansible's async limit kills the
    module, and the benchmark dies with it (it runs in its own session). No terminal sentinel is
    left: collect tells timed_out from the job's deadline."""
    pid_file = tmp_path / 'bench.pid'
    script = tmp_path / 'hang.sh'
    script.write_text('#!/bin/sh\necho $$ > %s\nexec sleep 300\n' % pid_file)
    script.chmod(0o755)
    params = dict(benchmark='stream', command=[str(script)], chdir=str(tmp_path / 'job'),
                  store='file://%s' % (tmp_path / 'store'), run_id='modtest', system=SYSTEM, build=BUILD,
                  repetitions=1, timeout=600)
    os.makedirs(params['chdir'])
    env = dict(ansible_env(ansible_home), ANSIBLE_ASYNC_DIR=str(tmp_path / 'async'))
    proc = subprocess.run(module_argv('instancebench.aws.run_benchmark', params) + ['-B', '4', '-P', '0'], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    assert proc.returncode == 0 and 'ansible_job_id' in proc.stdout, proc.stdout
    for _wait in range(100):
        if pid_file.exists() and pid_file.read_text().strip():
            break
        time.sleep(0.1)
    bench_pid = int(pid_file.read_text())
    for _wait in range(150):  # the limit is 4 s; async_wrapper checks every few seconds
        if not os.path.exists('/proc/%d' % bench_pid) or 'Z' in open('/proc/%d/stat' % bench_pid).read().split()[2]:
            break
        time.sleep(0.1)
    else:
        os.kill(bench_pid, 9)
        raise AssertionError('the benchmark outlived the async hard limit')
    job_dir = _stored(tmp_path)
    assert (job_dir / 'status-running.json').exists()
    assert not list(job_dir.glob('status-[cft]*.json')), 'a killed module writes no terminal sentinel'


def test_a_c_benchmark_killed_at_its_timeout_keeps_what_it_printed(tmp_path, ansible_home):
    """C stdio writing to a file is fully buffered: without line buffering, everything it printed
    before the kill would be lost."""
    source = tmp_path / 'prints_then_hangs.c'
    source.write_text('#include <stdio.h>\n#include <unistd.h>\n'
                      'int main(void) { printf("Function    Best Rate MB/s\\nCopy:  1.0 2.0 3.0 4.0\\n"); sleep(60); return 0; }\n')
    binary = tmp_path / 'prints_then_hangs'
    subprocess.run(['gcc', str(source), '-o', str(binary)], check=True)
    proc = _module(tmp_path, ansible_home, [str(binary)], timeout=2, kill_grace=1, repetitions=1)
    assert proc.returncode != 0 and 'timed_out' in proc.stdout, proc.stdout
    raw = (_stored(tmp_path) / 'raw.log').read_text()
    assert 'Copy:  1.0 2.0 3.0 4.0' in raw, raw
