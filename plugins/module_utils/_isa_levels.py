# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: which ISA baseline levels (x86-64 psABI levels, Arm architecture versions) this CPU can
run, from its /proc/cpuinfo flags, and which of those the compiler accepts as -march.

The table is data (roles/host_facts/vars/isa_levels.yml): per architecture, the levels from the
baseline up, each with the flags it adds over the level below. A level needs its own flags and every lower
level's. A level the CPU lacks is never handed to the compiler nor run: it is skipped with the
missing flags as the reason (no SIGILL); a level the compiler refuses is skipped with that reason.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers

# The microarchitecture build (the host's catalog flags) runs beside the levels under this name.
NATIVE = 'native'


def metric_name(level):
    """A level's name as a metric suffix: 'x86-64-v3' -> 'x86_64_v3', 'armv8.2-a+sve' -> 'armv8_2_a_sve'."""
    return re.sub(r'[^a-z0-9]+', '_', str(level).lower()).strip('_')


def cpu_flags(cpuinfo_text):
    """The flags of /proc/cpuinfo's first `flags` (x86) or `Features` (aarch64) line, as a set."""
    for line in cpuinfo_text.splitlines():
        key, _sep, value = line.partition(':')
        if key.strip() in ('flags', 'Features'):
            return set(value.split())
    return set()


def levels_for(table, arch):
    """[{name, march, metric, requires (cumulative, sorted)}] for `arch`, baseline first.
    ValueError names the table entry when a level has no name."""
    found, needed = [], set()
    for index, level in enumerate((table or {}).get(arch) or []):
        if not level.get('name'):
            raise ValueError('ISA level table %s[%d] has no name' % (arch, index))
        needed |= set(level.get('requires') or [])
        found.append({'name': level['name'], 'march': level.get('march') or level['name'],
                      'metric': metric_name(level['name']), 'requires': sorted(needed)})
    return found


def naming_levels(table, arch):
    """The levels that may name a CPU the microarchitecture table does not know (`names_cpu`), best
    first, each with its cumulative `requires`: what _cpu.isa_level takes."""
    named = [level['name'] for level in (table or {}).get(arch) or [] if level.get('names_cpu')]
    return [level for level in reversed(levels_for(table, arch)) if level['name'] in named]


def plan(table, arch, flags, accepts):
    """What to build and what to skip on this CPU.

    flags: the CPU's flags (a set); accepts(march) -> whether the compiler takes -march=<march>
    (called only for levels the CPU has). Returns {arch, baseline (metric of the lowest level, None
    when the architecture has no table), build [{name, march, metric}], skipped [{name, metric,
    check, reason}]}. A level above a skipped one is still judged on its own flags."""
    found = {'arch': arch, 'baseline': None, 'build': [], 'skipped': []}
    levels = levels_for(table, arch)
    if levels:
        found['baseline'] = levels[0]['metric']
    for level in levels:
        missing = [flag for flag in level['requires'] if flag not in flags]
        entry = {'name': level['name'], 'metric': level['metric']}
        if missing:
            found['skipped'].append(dict(entry, check='cpu_supports', reason='this CPU lacks %s (%s needs %s)' % (
                ', '.join(missing), level['name'], ', '.join(level['requires']))))
        elif not accepts(level['march']):
            found['skipped'].append(dict(entry, check='compiler_accepts',
                                         reason='the compiler refuses -march=%s' % level['march']))
        else:
            found['build'].append(dict(entry, march=level['march']))
    return found


def exit_check(level, program, rc):
    """`<level>.exit_status` of one level's pass (rc None: the pass has no end marker)."""
    return _numbers.check('%s.exit_status' % level, rc == 0, '%s exited %s' % (
        program, 'with status %s' % rc if rc is not None else 'without an end marker: cut short'))


def skipped_checks(skipped, ran, not_done):
    """`<level>.<check>` for every level the plan skipped (`skipped`: [{metric, check, reason}]): passed,
    saying `not_done` and why, unless the output has a pass for it anyway (`ran`: the levels found)."""
    return [_numbers.check('%s.%s' % (skip['metric'], skip['check']), skip['metric'] not in ran,
                           '%s: %s' % (not_done, skip['reason']) if skip['metric'] not in ran
                           else 'skipped (%s) yet the output has a pass for it' % skip['reason'])
            for skip in skipped or []]
