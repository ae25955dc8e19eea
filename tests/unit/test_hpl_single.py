# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""hpl_ranks_per: single (the scheduler's hpl `single` variant): one rank of one thread, N from the
memory per physical core, and one core's peak."""

import math
import os

import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.filter.hpl_plan import hpl_peaks, hpl_plan
from ansible_collections.instancebench.aws.plugins.module_utils import _hpl

ROLE = os.path.join(os.path.dirname(__file__), '..', '..', 'roles', 'hpl')
GIB = 2 ** 30


def _yaml(*parts):
    with open(os.path.join(ROLE, *parts)) as handle:
        return yaml.safe_load(handle)


def _host(cores, sockets=1, available=64 * GIB):
    return {'topology': {'physical_cores': cores, 'sockets': sockets, 'logical_cpus': 2 * cores},
            'caches': {'l3': {'instances': sockets}}, 'memory': {'available_bytes': available},
            'uarch': {'name': 'znver4', 'family_name': 'genoa'}, 'cpu': {'mhz': 2600.0}}


@pytest.mark.parametrize('cores, sockets', [(1, 1), (2, 1), (48, 1), (96, 2)])
def test_single_is_one_rank_of_one_thread_on_a_one_by_one_grid(cores, sockets):
    plan = hpl_plan(_host(cores, sockets), 256, 0.8, 'single')
    assert (plan['ranks'], plan['threads'], plan['p'], plan['q']) == (1, 1, 1, 1)


@pytest.mark.parametrize('cores', [1, 2, 16, 96])
def test_single_sizes_n_from_the_memory_per_core(cores):
    host = _host(cores)
    plan = hpl_plan(host, 256, 0.8, 'single')
    per_core = 64 * GIB // cores
    assert plan['n'] == int(math.sqrt(0.8 * per_core / 8)) // 256 * 256
    assert plan['n'] % 256 == 0 and 8 * plan['n'] ** 2 <= 0.8 * per_core
    # The whole host's N is the same rule over all the memory: about sqrt(cores) times larger.
    whole = hpl_plan(host, 256, 0.8, 'core')['n']
    assert whole == pytest.approx(plan['n'] * math.sqrt(cores), rel=256.0 * math.sqrt(cores) / whole + 0.01)


def test_single_keeps_an_explicit_n_and_refuses_one_that_does_not_fit_a_core_share():
    assert hpl_plan(_host(2), 192, 0.8, 'single', n=2000)['n'] == 2000
    with pytest.raises(Exception, match='hpl_n'):
        hpl_plan(_host(64, available=8 * GIB), 192, 0.8, 'single', n=10000)   # 800 MB matrix > 0.8 x 128 MiB


def test_matrix_memory_is_the_share_per_physical_core_only_for_single():
    topology = {'physical_cores': 8, 'sockets': 1}
    assert _hpl.matrix_memory(64 * GIB, topology, 'single') == 8 * GIB
    for ranks_per in ('core', 'l3', 'socket'):
        assert _hpl.matrix_memory(64 * GIB, topology, ranks_per) == 64 * GIB


def test_the_peak_a_single_core_run_is_held_to_is_one_cores():
    peak = _yaml('vars', 'peak.yml')
    host = _host(48)
    plan = hpl_plan(host, 256, 0.8, 'single')
    # run.yml asks for the peaks of ranks x threads cores.
    single = hpl_peaks(host, plan['ranks'] * plan['threads'], peak['_hpl_flops_per_cycle'], peak['_hpl_family_clock_ghz'])
    whole = hpl_peaks(host, 48, peak['_hpl_flops_per_cycle'], peak['_hpl_family_clock_ghz'])
    assert single and len(single) == len(whole)
    for one, every in zip(single, whole):
        assert one['value'] == pytest.approx(every['value'] / 48) and one['assumption'].startswith('1 cores x ')
    # One core alone may turbo above the all-core clock AWS states: its peak is no ceiling there.
    assert [bool(p.get('ceiling')) for p in single] == [False] * len(single)
    assert any(p.get('ceiling') for p in whole), 'the whole host is held to the family clock'


def test_the_role_offers_exactly_the_layouts_the_rule_knows():
    specs = _yaml('meta', 'argument_specs.yml')['argument_specs']['main']['options']
    assert specs['hpl_ranks_per']['choices'] == list(_hpl.RANKS_PER)
    with pytest.raises(ValueError, match='core, l3, socket, single'):
        _hpl.layout({'physical_cores': 2, 'sockets': 1}, {}, 'numa')
