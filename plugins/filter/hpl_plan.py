# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: hpl_plan
short_description: Choose HPL's N, P x Q, MPI ranks and threads for a host, or explain why not
version_added: "0.1.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Ranks and threads from O(ranks_per) (one rank per physical core, per last-level cache or per socket; or
    C(single), one rank of one thread).
  - N from O(memory_fraction) of the available memory (8 N^2 bytes; for C(single), of its share per physical
    core), rounded down to a multiple of O(nb), unless O(n) is given; P x Q the most square grid with P <= Q
    unless O(p) and O(q) are given.
  - Fails naming the variable to change when N does not fit or P x Q is not the number of ranks.
positional: nb, memory_fraction, ranks_per, n, p, q
options:
  _input:
    description: The host facts (C(ansible_facts['instancebench_host'])).
    type: dict
    required: true
  nb:
    description: Block size.
    type: int
    required: true
  memory_fraction:
    description: Fraction of available memory the matrix may use.
    type: float
    required: true
  ranks_per:
    description: C(core), C(l3), C(socket) or C(single).
    type: str
    required: true
  n:
    description: Explicit problem size; 0 chooses from memory.
    type: int
    default: 0
  p:
    description: Explicit process rows; 0 chooses.
    type: int
    default: 0
  q:
    description: Explicit process columns; 0 chooses.
    type: int
    default: 0
"""

EXAMPLES = r"""
- name: Plan HPL for this host
  ansible.builtin.set_fact:
    __hpl_plan: "{{ ansible_facts['instancebench_host'] | instancebench.aws.hpl_plan(256, 0.8, 'core') }}"
"""

RETURN = r"""
_value:
  description: "C(n), C(nb), C(p), C(q), C(ranks) and C(threads) (per rank)."
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.instancebench.aws.plugins.module_utils import _hpl
from ansible_collections.instancebench.aws.plugins.module_utils import _hpl_tuning
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def hpl_plan(host, nb, memory_fraction, ranks_per, n=0, p=0, q=0):
    nb = int(nb)
    if nb < 1:
        raise ValueError('hpl_nb must be a positive block size, got %s' % nb)
    fraction = float(memory_fraction)
    if not 0 < fraction <= 0.95:
        raise ValueError('hpl_memory_fraction must be above 0 and at most 0.95, got %s' % memory_fraction)
    ranks, threads = _hpl.layout(host['topology'], host.get('caches', {}), ranks_per)
    rows, cols = _hpl.process_grid(ranks, int(p or 0), int(q or 0))
    size = _hpl.problem_size(_hpl.matrix_memory(host['memory']['available_bytes'], host['topology'], ranks_per),
                             fraction, nb, ranks, int(n or 0))
    return {'n': size, 'nb': nb, 'p': rows, 'q': cols, 'ranks': ranks, 'threads': threads}


def _user_error(call, *args):
    try:
        return call(*args)
    except ValueError as exc:
        raise AnsibleFilterError(str(exc))


def hpl_tuning_search(plan, settings):
    """Documented in hpl_tuning_search.yml."""
    missing = [k for k in ('tuning', 'fixed_nb', 'tuning_n', 'tuning_nbs', 'table_nbs') if k not in settings]
    if missing:
        raise AnsibleFilterError('hpl_tuning_search: the settings lack %s' % ', '.join(missing))
    return _user_error(_hpl_tuning.search_settings, settings['tuning'], plan['n'], plan['nb'], settings['fixed_nb'],
                       settings['tuning_n'], settings['tuning_nbs'], settings['table_nbs'],
                       settings.get('nb_sweep') or [], settings.get('nb_sweep_n') or 0)


def hpl_tuning_start(plan, knobs, n, budget, nbs):
    """Documented in hpl_tuning_start.yml."""
    return _user_error(_hpl_tuning.start, min(int(n), int(plan['n'])), plan['p'], plan['q'], dict(knobs, nb=plan['nb']),
                       budget, nbs, plan.get('threads', 1))


def hpl_tuning_stage(state, stage):
    """Documented in hpl_tuning_stage.yml."""
    return _user_error(_hpl_tuning.plan_stage, state, stage)


def hpl_tuning_step(state, plan, outputs):
    """Documented in hpl_tuning_step.yml."""
    return _user_error(_hpl_tuning.step, state, plan, list(outputs))


@host_facts_filter
def hpl_dgemm_size(host, plan, target, memory_fraction):
    """Documented in hpl_dgemm_size.yml."""
    return _hpl.dgemm_size(plan['nb'], plan['threads'], plan['ranks'], target, host['memory']['available_bytes'],
                           memory_fraction)


@host_facts_filter
def hpl_peaks(host, cores, flops_per_cycle, family_clock_ghz):
    """Documented in hpl_peaks.yml."""
    return _hpl.peaks(host['uarch'].get('name'), host['uarch'].get('family_name'), (host.get('cpu') or {}).get('mhz'),
                      int(cores), flops_per_cycle, family_clock_ghz)


def hpl_blas_flags(name, link_table, pkgconfig_lines, package_version, multiarch, custom_cflags, custom_libs):
    """Documented in hpl_blas_flags.yml."""
    link = {} if name == 'custom' else link_table[name]
    return _hpl.blas_flags(name, link, pkgconfig_lines, package_version, multiarch, custom_cflags, custom_libs)


class FilterModule(object):
    def filters(self):
        return {'hpl_plan': hpl_plan, 'hpl_peaks': hpl_peaks, 'hpl_blas_flags': hpl_blas_flags,
                'hpl_tuning_search': hpl_tuning_search, 'hpl_tuning_start': hpl_tuning_start, 'hpl_tuning_stage': hpl_tuning_stage,
                'hpl_tuning_step': hpl_tuning_step, 'hpl_dgemm_size': hpl_dgemm_size}
