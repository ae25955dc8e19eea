# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A benchmark runs in its own session, tied to the module by PR_SET_PDEATHSIG. A module killed
between the fork and that prctl would leave the benchmark running for hours: the child must see
that its parent is gone and exit before it execs anything."""

import os
import subprocess
import sys
import time

from ansible_collections.instancebench.aws.plugins.module_utils import _job


def test_a_child_whose_parent_is_already_gone_never_runs_the_benchmark(tmp_path):
    marker = tmp_path / 'ran'
    not_my_parent = os.getpid() + 1000000  # never a live pid (pid_max is at most 2**22)
    proc = subprocess.Popen(['sh', '-c', 'touch %s; sleep 30' % marker], start_new_session=True,
                            preexec_fn=_job.die_with_parent(not_my_parent))
    assert proc.wait(timeout=10) == 1
    assert not marker.exists(), 'the benchmark must not start once its module is gone'


def test_a_child_of_a_live_parent_runs_and_dies_with_it(tmp_path):
    """The parent here is a small Python process that starts the child the module's way and is
    then SIGKILLed, as async_wrapper's hard limit does."""
    pid_file = tmp_path / 'child.pid'
    parent = subprocess.Popen([sys.executable, '-c', (
        'import os, subprocess, time\n'
        'from ansible_collections.instancebench.aws.plugins.module_utils import _job\n'
        'subprocess.Popen(["sh", "-c", "echo $$ > %s; exec sleep 300"], start_new_session=True,\n'
        '                 preexec_fn=_job.die_with_parent(os.getpid()))\n'
        'time.sleep(300)\n') % pid_file], env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    deadline = time.monotonic() + 20
    while not (pid_file.exists() and pid_file.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pid_file.read_text())
    assert os.path.exists('/proc/%d' % child), 'the child runs while its parent lives'
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while os.path.exists('/proc/%d' % child) and 'Z' not in open('/proc/%d/stat' % child).read().rsplit(')', 1)[1].split()[0]:
        if time.monotonic() > deadline:
            os.kill(child, 9)
            raise AssertionError('the child outlived its parent')
        time.sleep(0.05)
