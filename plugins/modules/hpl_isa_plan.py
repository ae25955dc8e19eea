#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: hpl_isa_plan
short_description: Decide which ISA levels HPL runs at on this host, and with which OpenBLAS kernel set
version_added: "0.4.0"
description:
  - Reads this CPU's flags from C(/proc/cpuinfo) and returns, of the ISA levels in O(levels) for this
    architecture, those the CPU supports with the OpenBLAS core (an C(OPENBLAS_CORETYPE) value) O(kernels)
    names for each, and every other level with the named check that skipped it and the reason
    (C(cpu_supports), the flags the CPU lacks; C(kernel_known), no core named; C(kernel_supports), the flags
    the core's kernels use beyond the level that the CPU lacks).
  - A level the CPU lacks is never run.
  - Also sizes N of every level's run (C(n) in the result).
author:
  - instancebench.aws contributors (@instancebench)
options:
  levels:
    description:
      - ISA levels per architecture (C(x86_64), C(aarch64)), baseline first, each with C(name) and the CPU flags
        it C(requires) beyond the level below (see roles/host_facts/vars/isa_levels.yml).
    type: dict
    required: true
  kernels:
    description:
      - Level name to C(core) (the OPENBLAS_CORETYPE value) and optionally C(requires), CPU flags its kernels
        use beyond the level's (see roles/hpl/vars/isa_kernels.yml).
    type: dict
    required: true
  plan:
    description: The HPL plan (C(n) from memory, C(nb), C(ranks), C(threads)).
    type: dict
    required: true
  target_n:
    description: N aimed at for one core; scaled by the cube root of the cores, a multiple of NB, at most the plan's N.
    type: int
    required: true
  n:
    description: N asked for (hpl_n); 0 sizes it from O(target_n).
    type: int
    default: 0
  cpuinfo:
    description: File the CPU flags are read from (tests point it at a captured copy).
    type: path
    default: /proc/cpuinfo
notes:
  - Read-only; supports check mode.
"""

EXAMPLES = r"""
- name: Decide the ISA levels HPL runs at
  instancebench.aws.hpl_isa_plan:
    levels: "{{ _host_facts_isa_levels }}"
    kernels: "{{ _hpl_isa_kernels }}"
    plan: "{{ __hpl_plan }}"
    target_n: "{{ _hpl_isa_target_n }}"
    n: "{{ hpl_n }}"
  register: __hpl_isa_plan
"""

RETURN = r"""
arch:
  description: The machine architecture the levels were taken for.
  returned: success
  type: str
  sample: x86_64
baseline:
  description: Metric-safe name of the lowest level run, which uplifts are measured against (null when none runs).
  returned: success
  type: str
  sample: x86_64
run:
  description: The levels to run, baseline first, each with its OpenBLAS core.
  returned: success
  type: list
  elements: dict
  sample: [{name: x86-64-v3, metric: x86_64_v3, core: Haswell}]
n:
  description: N of every level's run.
  returned: success
  type: int
  sample: 7488
skipped:
  description: The levels not run, each with the check that skipped it and why.
  returned: success
  type: list
  elements: dict
  sample: [{name: x86-64-v4, metric: x86_64_v4, check: cpu_supports, reason: "this CPU lacks avx512f (...)"}]
"""

import platform

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.instancebench.aws.plugins.module_utils import _hpl_isa, _isa_levels


def main():
    module = AnsibleModule(
        argument_spec=dict(levels=dict(type='dict', required=True), kernels=dict(type='dict', required=True),
                           plan=dict(type='dict', required=True), target_n=dict(type='int', required=True),
                           n=dict(type='int', default=0), cpuinfo=dict(type='path', default='/proc/cpuinfo')),
        supports_check_mode=True,
    )
    params = module.params
    try:
        with open(params['cpuinfo']) as handle:
            flags = _isa_levels.cpu_flags(handle.read())
    except (IOError, OSError) as exc:
        module.fail_json(msg='cannot read %s (Linux hosts only): %s' % (params['cpuinfo'], exc))
    try:
        found = _hpl_isa.plan(params['levels'], params['kernels'], platform.machine(), flags)
        plan = params['plan']
        found['n'] = _hpl_isa.problem_size(plan['n'], plan['nb'], int(plan['ranks']) * int(plan['threads']),
                                           params['target_n'], params['n'])
    except (ValueError, KeyError) as exc:
        module.fail_json(msg='levels, kernels or plan: %s' % exc)
    module.exit_json(changed=False, **found)


if __name__ == '__main__':
    main()
