# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: job identity, timestamps and running a benchmark under a graceful timeout."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import os
import shutil
import signal
import subprocess
import time


def job_id(run_id, region, instance_type, benchmark, variant, replica=0, attempt=0):
    """Deterministic: a retried launch or a second collect can never mint a duplicate.
    `replica`: which of identical side-by-side copies; `attempt`: which retry of that copy (a first
    attempt's id carries no attempt part, so ids minted before retries existed stay the same)."""
    parts = [run_id, region, instance_type, benchmark, variant, replica] + (['attempt=%d' % attempt] if attempt else [])
    identity = '\x1f'.join(str(part) for part in parts)
    return '%s-%s-%s' % (benchmark, variant, hashlib.sha256(identity.encode('utf-8')).hexdigest()[:12])


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def parse_utc(text):
    """A timestamp as utc_now() or EC2 write it (Z or +00:00, with or without fraction); None if not one."""
    if not isinstance(text, str):
        return None
    clean = text.strip().replace('Z', '+00:00')
    for fmt in ('%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z'):
        try:
            return datetime.datetime.strptime(clean, fmt)
        except ValueError:
            continue
    return None


def seconds_between(start, end):
    first, last = parse_utc(start), parse_utc(end)
    return (last - first).total_seconds() if first and last else None


def run_with_timeout(argv, env, cwd, log_path, timeout_s, grace_s=10.0, watch=None, interval_s=5.0):
    """Run `argv` with stdout+stderr going straight to `log_path`, line-buffered (so a kill loses
    nothing already printed). On timeout: SIGTERM to the process group, then SIGKILL after `grace_s`.
    `watch`: called at the start and every `interval_s` seconds while it runs; when it returns true
    (a spot interruption notice), the group is stopped the same way.

    Returns {'rc', 'timed_out', 'interrupted', 'duration_s', 'signal'}.
    """
    started = time.monotonic()
    argv = line_buffered(argv)
    with open(log_path, 'ab') as log:
        try:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=die_with_parent(os.getpid()))
        except OSError as exc:
            log.write(('instancebench: cannot start %s: %s\n' % (argv[0], exc)).encode())
            return {'rc': 127, 'timed_out': False, 'interrupted': False, 'duration_s': 0.0, 'signal': None}
        deadline = started + timeout_s
        rc, sent, interrupted = None, None, False
        while rc is None:
            if watch is not None and watch():
                interrupted = True
                rc, sent = _stop_group(proc, grace_s)
                break
            left = deadline - time.monotonic()
            try:
                rc = proc.wait(timeout=max(0.0, min(left, interval_s) if watch is not None else left))
            except subprocess.TimeoutExpired:
                if watch is None or time.monotonic() >= deadline:
                    rc, sent = _stop_group(proc, grace_s)
    return {'rc': rc, 'timed_out': sent is not None and not interrupted, 'interrupted': interrupted,
            'duration_s': time.monotonic() - started, 'signal': sent}


def _stop_group(proc, grace_s):
    """SIGTERM to the process group, SIGKILL after `grace_s`: (rc, the last signal sent)."""
    _signal_group(proc.pid, signal.SIGTERM)
    try:
        return proc.wait(timeout=grace_s), 'SIGTERM'
    except subprocess.TimeoutExpired:
        _signal_group(proc.pid, signal.SIGKILL)
        return proc.wait(), 'SIGKILL'


def line_buffered(argv):
    """`argv` under coreutils' stdbuf -oL -eL where there is one: C stdio writing to a file is
    fully buffered, so a benchmark killed at its timeout would lose every line it had printed.
    (stdbuf's settings travel in the environment, so mpirun's ranks inherit them.)"""
    stdbuf = shutil.which('stdbuf')
    return [stdbuf, '-oL', '-eL'] + list(argv) if stdbuf else list(argv)


def start_detached(argv):
    """Start `argv` in its own session and do not wait: e.g. a power-off, which must not hold
    back the module's own answer."""
    subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def _libc():
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True)
    except Exception:  # not Linux, or no libc: the module's own timeout still applies
        return None


def die_with_parent(parent_pid):
    """A preexec_fn: in the child, SIGKILL when the module (`parent_pid`) dies. The benchmark has its
    own session (so our timeout can signal its whole group), which also hides it from async's
    hard-limit kill of the module's group; this ties it back to the module. Linux only, best effort.

    libc is loaded before the fork (an import in the child is slow and may take locks). A parent
    killed between the fork and the prctl would never send the signal, so the child checks that its
    parent is still `parent_pid` after asking for it, and exits at once otherwise."""
    libc = _libc()
    prctl = libc.prctl if libc is not None else None  # looked up (dlsym) before the fork too

    def preexec():
        if prctl is not None:
            prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent_pid:
            os._exit(1)
    return preexec


def _signal_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except OSError:
        pass
