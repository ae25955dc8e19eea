# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stopping the servers the tests start: by PID, politely first."""

import os
import signal
import subprocess


def stop_process(proc, grace=5.0):
    """SIGTERM a Popen, SIGKILL it after `grace` seconds, and reap it."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def pids_mentioning(text):
    """PIDs whose command line contains `text` (e.g. a test's private ControlPath dir)."""
    pids = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as handle:
                if text.encode() in handle.read():
                    pids.append(int(entry))
        except OSError:
            continue
    return pids


def terminate_pid(pid):
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        pass
