# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: quality_line
short_description: One line on how far a result can be trusted
version_added: "0.2.0"
author:
  - instancebench.aws contributors (@instancebench)
description:
  - From a result document, the quality (stable, noisy or unjudged), the coefficient of variation of each
    gated metric against its gate, the runs made, and every warning (BLAS kernel narrower than the CPU,
    compiler flag fallback).
options:
  _input:
    description: The result document (C(result) returned by instancebench.aws.run_benchmark).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Say how sure the result is
  ansible.builtin.debug:
    msg: "{{ __stream_job.result | instancebench.aws.quality_line }}"
"""

RETURN = r"""
_value:
  description: "For example C(quality stable over 3 runs (3 to 10): triad_bandwidth CV 0.8 % (gate 3 %); no kernel or flag warning)."
  type: str
"""

from ansible_collections.instancebench.aws.plugins.module_utils._quality import summary_line


def quality_line(doc):
    return summary_line(doc)


class FilterModule(object):
    def filters(self):
        return {'quality_line': quality_line}
