# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stream_array_size
short_description: Choose STREAM_ARRAY_SIZE for a host, or explain why none fits
version_added: "0.1.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - Returns the number of elements per array. At least 4 times the total last-level cache
    (STREAM's run rule) and at least O(floor); the three arrays must fit in O(memory_fraction)
    of the available memory, else the filter fails with a message naming the variable to change.
  - A non-zero O(requested) is used as given, after the same memory check.
positional: floor, memory_fraction, requested
options:
  _input:
    description: The host facts (C(ansible_facts['instancebench_host'])).
    type: dict
    required: true
  floor:
    description: Smallest array size in elements.
    type: int
    required: true
  memory_fraction:
    description: Fraction of available memory the three arrays may use.
    type: float
    required: true
  requested:
    description: Explicit array size in elements; 0 chooses automatically.
    type: int
    default: 0
"""

EXAMPLES = r"""
- name: Size STREAM for this host
  ansible.builtin.set_fact:
    __stream_array_size: "{{ ansible_facts['instancebench_host'] | instancebench.aws.stream_array_size(10000000, 0.6) }}"
"""

RETURN = r"""
_value:
  description: Elements per array.
  type: int
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.instancebench.aws.plugins.module_utils import _stream
from ansible_collections.instancebench.aws.plugins.plugin_utils._host_filter import host_facts_filter


@host_facts_filter
def stream_array_size(host, floor, memory_fraction, requested=0):
    fraction = float(memory_fraction)
    if not 0 < fraction <= 0.9:
        raise ValueError('stream_memory_fraction must be above 0 and at most 0.9, got %s' % memory_fraction)
    elements, _reason = _stream.choose_array_size(
        host['llc']['total_bytes'], host['memory']['available_bytes'], fraction, int(floor), int(requested or 0))
    return elements


def stream_code_model_flags(elements):
    """Documented in stream_code_model_flags.yml."""
    return ['-mcmodel=medium'] if _stream.needs_medium_code_model(int(elements)) else []


@host_facts_filter
def stream_memory_peaks(host, table):
    """Documented in stream_memory_peaks.yml."""
    return _stream.memory_peaks(host['uarch'].get('family_name'), host['topology']['sockets'],
                                host['topology']['physical_cores'], table)


def stream_tuned_source(text):
    """Documented in stream_tuned_source.yml."""
    try:
        return _stream.tuned_source(text)
    except ValueError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {'stream_array_size': stream_array_size, 'stream_code_model_flags': stream_code_model_flags,
                'stream_memory_peaks': stream_memory_peaks, 'stream_tuned_source': stream_tuned_source}
