# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: HPL output parser, problem sizing (N, NB, P x Q) and theoretical peak.

Shared by both HPL sources (HPCC 1.5.0's HPL and netlib HPL 2.3): they print the same
`WR...` result lines and the same scaled-residual line ending in PASSED or FAILED.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

_RESULT = re.compile(r'^(W[RC]\S*)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9.eE+-]+)\s+([0-9.eE+-]+)\s*$')
_RESIDUAL = re.compile(r'^\|\|Ax-b\|\|.*=\s*([0-9.eE+-]+)\s*\.+\s*(PASSED|FAILED)\s*$')
_CORE = re.compile(r'^Core:\s*(\S+)')
_THRESHOLD = re.compile(r'scaled residuals are less than\s+([0-9.eE+-]+)')
DOUBLE_BYTES = 8


def parse(text):
    """{'runs': [{variant, n, nb, p, q, time_s, gflops, residual, passed}], 'openblas_core', 'threshold'}.

    A result line with no residual line after it (killed mid-check) has `passed` None.
    """
    runs, cores = [], set()
    threshold = None
    for raw in text.splitlines():
        line = raw.strip()
        result = _RESULT.match(line)
        if result:
            runs.append({'variant': result.group(1), 'n': int(result.group(2)), 'nb': int(result.group(3)),
                         'p': int(result.group(4)), 'q': int(result.group(5)), 'time_s': float(result.group(6)),
                         'gflops': float(result.group(7)), 'residual': None, 'passed': None})
            continue
        residual = _RESIDUAL.match(line)
        if residual and runs and runs[-1]['passed'] is None:
            runs[-1].update(residual=float(residual.group(1)), passed=residual.group(2) == 'PASSED')
            continue
        core = _CORE.match(line)
        if core:
            cores.add(core.group(1))
        match = _THRESHOLD.search(line)
        if match:
            threshold = float(match.group(1))
    return {'runs': runs, 'openblas_core': ','.join(sorted(cores)) or None, 'threshold': threshold}


def _check(name, passed, detail):
    return {'name': name, 'passed': bool(passed), 'detail': detail}


def analyze(text, expected):
    """(metrics, checks) for one repetition; `expected` may hold n, nb, p, q as generated."""
    parsed = parse(text)
    if not parsed['runs']:
        return {}, [_check('result_line', False, 'no WR result line in the output (truncated, or HPL did not start)')]
    run = parsed['runs'][-1]
    checks = [
        _check('result_line', True, '%s N=%d NB=%d P=%d Q=%d' % (run['variant'], run['n'], run['nb'], run['p'], run['q'])),
        _check('residual_passed', run['passed'] is True,
               'scaled residual %s %s (threshold %s)' % (run['residual'], 'PASSED' if run['passed'] else
                                                         'FAILED' if run['passed'] is False else 'missing',
                                                         parsed['threshold'])),
    ]
    for field in ('n', 'nb', 'p', 'q'):
        if expected.get(field):
            checks.append(_check(field, run[field] == int(expected[field]),
                                 'HPL.dat asked for %s, HPL reported %s' % (expected[field], run[field])))
    if expected.get('require_openblas_core'):
        checks.append(_check('openblas_core_reported', parsed['openblas_core'] is not None,
                             'OpenBLAS kernel: %s' % parsed['openblas_core']))
    metrics = {'gflops': (run['gflops'], 'GFLOP/s', True), 'time': (run['time_s'], 's', False)}
    return metrics, checks, {'openblas_core': parsed['openblas_core']} if parsed['openblas_core'] else {}


def problem_size(available_bytes, memory_fraction, nb, ranks=1, requested=0):
    """N from a fraction of available memory (8 N^2 bytes), rounded down to a multiple of NB.

    Raises ValueError naming the variable to change when N is below one block per rank
    or a requested N does not fit.
    """
    budget = int(available_bytes) * float(memory_fraction)
    largest = int(math.sqrt(budget / DOUBLE_BYTES)) // nb * nb
    if requested:
        requested = int(requested)
        if DOUBLE_BYTES * requested * requested > budget:
            raise ValueError('hpl_n=%d needs %.2f GiB for the matrix but hpl_memory_fraction=%s of the %.2f GiB '
                             'available allows N up to %d: lower hpl_n or raise hpl_memory_fraction'
                             % (requested, DOUBLE_BYTES * requested ** 2 / 2.0 ** 30, memory_fraction,
                                available_bytes / 2.0 ** 30, largest))
        return requested
    if largest < nb * max(1, ranks):
        raise ValueError('hpl_memory_fraction=%s of %.2f GiB available gives N=%d, less than one %d-block per '
                         'rank: raise hpl_memory_fraction' % (memory_fraction, available_bytes / 2.0 ** 30,
                                                              largest, nb))
    return largest


def process_grid(ranks, p=0, q=0):
    """(P, Q) with P x Q = ranks: the given pair if it fits, else the most square grid with P <= Q."""
    ranks = int(ranks)
    if p or q:
        if int(p) * int(q) != ranks:
            raise ValueError('hpl_p x hpl_q = %s x %s = %d, but the layout runs %d MPI ranks: choose P and Q '
                             'whose product is %d, or set both to 0 to choose automatically'
                             % (p, q, int(p) * int(q), ranks, ranks))
        return int(p), int(q)
    best = 1
    for candidate in range(1, int(math.sqrt(ranks)) + 1):
        if ranks % candidate == 0:
            best = candidate
    return best, ranks // best


def layout(topology, caches, ranks_per):
    """(ranks, threads per rank) for `core` (one rank per physical core), `l3` (one rank per
    last-level cache, threads inside) or `socket`."""
    cores = int(topology['physical_cores'])
    if ranks_per == 'core':
        groups = cores
    elif ranks_per == 'socket':
        groups = int(topology['sockets'])
    elif ranks_per == 'l3':
        groups = int(caches.get('l3', {}).get('instances') or topology['sockets'])
    else:
        raise ValueError("hpl_ranks_per must be core, l3 or socket, got %r" % ranks_per)
    groups = max(1, min(groups, cores))
    return groups, max(1, cores // groups)


def peak_gflops(cores, clock_ghz, flops_per_cycle):
    return float(cores) * float(clock_ghz) * float(flops_per_cycle)
