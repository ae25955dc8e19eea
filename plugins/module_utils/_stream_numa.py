# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the stream_numa benchmark's output (roles/stream_numa/files/stream_numa_job.sh: STREAM
once per (cpu node, memory node) pair under numactl) read pass by pass with _stream's analyzer.

Each pass's metrics are STREAM's, suffixed with the pair (`triad_bandwidth_n0_m1`: node 0's cores,
node 1's memory); its checks are STREAM's, prefixed with it. On a host with one NUMA node the one
pair is local: its figures are published with a `single_numa_node` check saying that no remote
figure exists there, never an invented one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers, _passes, _stream
from ansible_collections.instancebench.aws.plugins.module_utils._numa import pair_name

_PASS_MARK = re.compile(r'^=== instancebench stream_numa pass cpu_node=(\S+) mem_node=(\S+) threads=(\S+)\s*$')
_END_MARK = _passes.end_marker('stream_numa')
# A remote pair faster than the local one by more than this is worth a reader's attention (a
# binding that did not hold, or a noisy neighbour during the local pass); not an error.
REMOTE_FASTER_TOLERANCE = 1.10

_check = _numbers.check


def _new_pass(match):
    return {'cpu_node': _numbers.integer(match.group(1)), 'mem_node': _numbers.integer(match.group(2)),
            'threads': _numbers.integer(match.group(3)), 'rc': None, 'lines': []}


def _pass_line(current, _lineno, line, _malformed):
    current['lines'].append(line)


def read(text):
    """{'passes': [{cpu_node, mem_node, threads, rc (None: no end marker), lines}], 'malformed'}."""
    return _passes.walk(text, _PASS_MARK, _END_MARK, _new_pass, _pass_line, None)


def _pass_metrics(name, found, expected):
    """STREAM's analysis of one pass, renamed for its pair."""
    analysed = _stream.analyze('\n'.join(found['lines']) + '\n', {
        'threads': found['threads'], 'array_size_elements': expected.get('array_size_elements'),
        'llc_bytes': expected.get('llc_bytes')})
    metrics = dict(('%s_%s' % (metric, name), entry) for metric, entry in analysed[0].items())
    checks = [dict(c, name='%s.%s' % (name, c['name'])) for c in analysed[1]]
    checks.insert(0, _check('%s.exit_status' % name, found['rc'] == 0,
                            'numactl and STREAM exited %s' % ('with status %s' % found['rc'] if found['rc'] is not None
                                                              else 'without an end marker: cut short')))
    return metrics, checks


def _remote_checks(metrics, pairs):
    """Per remote pair: not faster than its CPU node's local pair beyond the tolerance (a warning)."""
    checks = []
    for pair in pairs:
        local = metrics.get('triad_bandwidth_%s' % pair_name(pair[0], pair[0]))
        remote = metrics.get('triad_bandwidth_%s' % pair_name(pair[0], pair[1]))
        if pair[0] == pair[1] or not local or not remote:
            continue
        checks.append(_check('%s.remote_not_faster' % pair_name(pair[0], pair[1]),
                             remote[0] <= REMOTE_FASTER_TOLERANCE * local[0],
                             'triad %.1f GB/s with memory on node %d, %.1f GB/s on its own node %d'
                             % (remote[0], pair[1], local[0], pair[0]), severity='warning'))
    return checks


def analyze(text, expected):
    """One repetition -> (metrics {name: (value, 'GB/s', True)}, checks).

    expected: pairs [[cpu node, mem node, threads], ...] and single_node as planned (_numa.plan),
    array_size_elements and llc_bytes as built."""
    parsed = read(text)
    checks = [_numbers.format_check(parsed['malformed'])]
    by_pair = dict(((p['cpu_node'], p['mem_node']), p) for p in parsed['passes'])
    asked = [tuple(int(v) for v in pair) for pair in expected.get('pairs') or []] or \
        [(p['cpu_node'], p['mem_node'], p['threads']) for p in parsed['passes']]
    metrics = {}
    for cpu_node, mem_node, threads in asked:
        name = pair_name(cpu_node, mem_node)
        found = by_pair.get((cpu_node, mem_node))
        if found is None:
            checks.append(_check('%s.exit_status' % name, False, 'no such pass in the output (cut short?)'))
            continue
        checks.append(_check('%s.threads_asked' % name, found['threads'] == threads,
                             'the job ran %s threads, the plan asked %d' % (found['threads'], threads)))
        pass_metrics, pass_checks = _pass_metrics(name, found, expected)
        metrics.update(pass_metrics)
        checks.extend(pass_checks)
    single = expected['single_node'] if 'single_node' in expected else all(p[0] == p[1] for p in asked)
    if single:
        checks.append(_check('single_numa_node', True, 'this host has one NUMA node: its local bandwidth is '
                             'measured (%s), no remote memory exists to measure'
                             % ', '.join(pair_name(p[0], p[1]) for p in asked)))
    else:
        checks.extend(_remote_checks(metrics, asked))
    return metrics, checks
