# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: hardware counters (`perf stat`) around a benchmark's repetitions, where the host has a PMU.

Pure stdlib. Whether counting can work (sysfs event sources, the perf binary, perf_event_paranoid),
the command prefix that counts a repetition into a CSV file (never into the benchmark's own output),
the parser of that CSV, and the `counters` part of the result document. A host without a CPU PMU
(many VMs) gets a recorded reason and no numbers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.instancebench.aws.plugins.module_utils._stats import summarize

# perf's names; the document's keys are the same with '_' (cache-misses -> cache_misses).
EVENTS = ('instructions', 'cycles', 'cache-misses')
EVENT_SOURCES = 'sys/bus/event_source/devices'
PARANOID = 'proc/sys/kernel/perf_event_paranoid'
# Above 2 (Debian's 3, Android's 4) perf_event_open is refused to anyone without CAP_PERFMON.
_PARANOID_MAX_UNPRIVILEGED = 2
_NOT_A_NUMBER = ('<not supported>', '<not counted>')


def cpu_pmus(root='/'):
    """The event sources under sysfs that count CPU instructions and cycles: `cpu` (x86), `cpu_core` /
    `cpu_atom` (hybrid Intel), `armv8_pmuv3*` and any `*_pmu` (Arm). Sorted; empty without any."""
    try:
        names = os.listdir(os.path.join(root, EVENT_SOURCES))
    except OSError:
        return []
    return sorted(name for name in names if name in ('cpu', 'cpu_core', 'cpu_atom')
                  or name.startswith('armv8_pmuv3') or name.endswith('_pmu'))


def availability(root='/', perf=None, privileged=False):
    """(usable, reason): whether `perf stat` can count this host's CPU events. `perf` is the perf binary's
    path (None: not installed); `privileged`: running as root (or with CAP_PERFMON)."""
    sources = os.path.join(root, EVENT_SOURCES)
    pmus = cpu_pmus(root)
    if not pmus:
        present = sorted(os.listdir(sources)) if os.path.isdir(sources) else []
        return False, ('no CPU PMU exposed: /%s has no cpu or *_pmu event source (present: %s); a VM whose '
                       'hypervisor does not pass the PMU through counts no hardware events'
                       % (EVENT_SOURCES, ', '.join(present) or 'none'))
    if not perf:
        return False, 'perf is not installed (PMU %s present): install linux-perf / linux-tools or perf' % ', '.join(pmus)
    try:
        with open(os.path.join(root, PARANOID)) as handle:
            paranoid = int(handle.read().strip())
    except (OSError, ValueError):
        return False, 'the kernel has no perf events (/%s missing or unreadable)' % PARANOID
    if paranoid > _PARANOID_MAX_UNPRIVILEGED and not privileged:
        return False, ('/%s is %d: perf events are refused to an unprivileged user; run the job as root or '
                       'set it to 2 or less' % (PARANOID, paranoid))
    return True, 'PMU %s, perf_event_paranoid %d' % (', '.join(pmus), paranoid)


def command_prefix(perf, output_path):
    """The argument vector that runs a command under `perf stat`, its CSV counts into `output_path`
    (the benchmark's own stdout and stderr stay the benchmark's). perf returns the command's exit status."""
    return [perf, 'stat', '-x,', '-o', output_path, '-e', ','.join(EVENTS), '--']


def _event_name(field):
    """'instructions', 'instructions:u', 'cpu_core/instructions/' -> 'instructions'."""
    match = re.match(r'^(?:[\w.-]+/)?([\w-]+)/?(?::\w+)?$', field.strip())
    return match.group(1) if match else field.strip()


def parse_stat(text):
    """perf stat's CSV (`-x,`: value, unit, event, run time, percent running, metric, metric unit) ->
    ({instructions, cycles, ipc, cache_misses, running_percent}, None), or (None, reason) when instructions
    or cycles have no count. perf has already scaled a multiplexed count; running_percent is the lowest
    share of the run any of them was counted for (100.0: not multiplexed). Counts of one event on several
    PMUs (hybrid CPUs) are summed."""
    counts, states, running = {}, {}, {}
    for line in text.splitlines():
        fields = line.split(',')
        if line.startswith('#') or len(fields) < 5:
            continue
        name = _event_name(fields[2])
        if name not in EVENTS:
            continue
        value = fields[0].strip()
        if value in _NOT_A_NUMBER:
            states.setdefault(name, value)
            continue
        try:
            counts[name] = counts.get(name, 0) + int(float(value))
            percent = float(fields[4]) if fields[4].strip() else 100.0
        except ValueError:
            states.setdefault(name, 'unreadable value %r' % value)
            continue
        running[name] = min(running.get(name, 100.0), percent)
    missing = [name for name in ('instructions', 'cycles') if name not in counts]
    if missing:
        said = ['%s %s' % (name, states[name]) for name in missing if name in states]
        if said:
            return None, 'perf stat: %s' % ', '.join(said)
        return None, 'perf stat wrote no count of %s (did the command start?)' % ' and '.join(missing)
    if counts['cycles'] <= 0:
        return None, 'perf stat counted 0 cycles'
    return {'instructions': counts['instructions'], 'cycles': counts['cycles'],
            'ipc': round(counts['instructions'] / float(counts['cycles']), 4),
            'cache_misses': counts.get('cache-misses'),
            'running_percent': min(running.values())}, None


def probe_verdict(reason, probe_text):
    """(usable, reason) after `perf stat` counted a trivial command (`true`) with the same events: a PMU
    in sysfs is not enough (a container's seccomp, a PMU perf cannot drive). The benchmark runs under
    perf only when the probe counted."""
    _values, failed = parse_stat(probe_text)
    if failed:
        return False, 'a trial perf stat counted nothing (%s): %s' % (reason, failed)
    return True, reason


def repetition(text):
    """One repetition's entry of `per_repetition`: the counts, or {'reason': ...} when it has none."""
    values, reason = parse_stat(text)
    return values if values is not None else {'reason': reason}


def summary(available, reason, per_repetition):
    """The result document's `counters`: available and why (or why not), each repetition's counts, and the
    median IPC over the repetitions that have one (None without any)."""
    ipcs = [rep['ipc'] for rep in per_repetition if rep.get('ipc') is not None]
    if available and per_repetition and not ipcs:
        reason = '%s; but no repetition was counted: %s' % (reason, per_repetition[0].get('reason'))
    return {'available': bool(available), 'reason': reason, 'per_repetition': list(per_repetition),
            'ipc': summarize(ipcs)['median'] if ipcs else None}
