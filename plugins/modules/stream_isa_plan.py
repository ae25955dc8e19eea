#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: stream_isa_plan
short_description: Decide which ISA baseline levels STREAM is built and run at on this host
version_added: "0.4.0"
description:
  - Reads this CPU's flags from C(/proc/cpuinfo) and returns, of the ISA levels in O(levels) for this
    architecture, those the CPU supports and the compiler accepts as C(-march), and every other level
    with the named check that skipped it and the reason (the flags the CPU lacks, or the compiler's refusal).
  - A level the CPU lacks is never handed to the compiler nor run.
author:
  - instancebench.aws contributors (@instancebench)
options:
  levels:
    description:
      - ISA levels per architecture (C(x86_64), C(aarch64)), baseline first, each with C(name), optionally
        C(march) (default the name) and the CPU flags it C(requires) beyond the level below
        (see roles/host_facts/vars/isa_levels.yml).
    type: dict
    required: true
  compiler:
    description: C compiler whose acceptance of each C(-march) is probed.
    type: str
    default: gcc
  cpuinfo:
    description: File the CPU flags are read from (tests point it at a captured copy).
    type: path
    default: /proc/cpuinfo
notes:
  - Read-only; supports check mode.
"""

EXAMPLES = r"""
- name: Decide the ISA levels to build STREAM at
  instancebench.aws.stream_isa_plan:
    levels: "{{ _host_facts_isa_levels }}"
    compiler: "{{ ansible_facts['instancebench_host']['compiler']['command'] }}"
  register: __stream_isa_plan
"""

RETURN = r"""
arch:
  description: The machine architecture the levels were taken for.
  returned: success
  type: str
  sample: x86_64
baseline:
  description: Metric-safe name of the architecture's lowest level, which uplifts are measured against (null when the table has none).
  returned: success
  type: str
  sample: x86_64
build:
  description: The levels to build and run, baseline first.
  returned: success
  type: list
  elements: dict
  sample: [{name: x86-64-v3, march: x86-64-v3, metric: x86_64_v3}]
skipped:
  description: The levels not built, each with the check that skipped it (C(cpu_supports) or C(compiler_accepts)) and why.
  returned: success
  type: list
  elements: dict
  sample: [{name: x86-64-v4, metric: x86_64_v4, check: cpu_supports, reason: "this CPU lacks avx512f (...)"}]
"""

import platform

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.instancebench.aws.plugins.module_utils import _compiler, _isa_levels


def main():
    module = AnsibleModule(
        argument_spec=dict(levels=dict(type='dict', required=True), compiler=dict(type='str', default='gcc'),
                           cpuinfo=dict(type='path', default='/proc/cpuinfo')),
        supports_check_mode=True,
    )
    params = module.params
    try:
        with open(params['cpuinfo']) as handle:
            flags = _isa_levels.cpu_flags(handle.read())
    except (IOError, OSError) as exc:
        module.fail_json(msg='cannot read %s (Linux hosts only): %s' % (params['cpuinfo'], exc))

    def runner(argv, data):
        rc, out, err = module.run_command(argv, data=data, binary_data=True, handle_exceptions=False)
        return rc, out, err

    def accepts(march):
        return _compiler.flag_accepted(runner, params['compiler'], ['-march=%s' % march])

    try:
        found = _isa_levels.plan(params['levels'], platform.machine(), flags, accepts)
    except ValueError as exc:
        module.fail_json(msg='levels: %s' % exc)
    module.exit_json(changed=False, **found)


if __name__ == '__main__':
    main()
