#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: host_facts
short_description: Gather the CPU, microarchitecture, topology, cache, memory and compiler facts a benchmark needs
version_added: "0.1.0"
description:
  - Reads C(/proc/cpuinfo), sysfs topology and cache files, C(/proc/meminfo) and C(/etc/os-release),
    and names the CPU's microarchitecture from a data table (x86 vendor/family/model, aarch64 MIDR
    implementer/part).
  - Probes the compiler and picks flags from the flag catalog; a flag the compiler refuses falls back
    to C(-march=native) (C(-mcpu=native) on aarch64) with a warning recorded in the facts.
  - Sets the C(instancebench_host) fact. Every result document stores it under C(system).
author:
  - instancebench.aws contributors (@instancebench)
options:
  uarch_table:
    description:
      - Microarchitecture table with C(x86_64) and C(aarch64) lists (see roles/host_facts/vars/uarch_table.yml).
    type: dict
    required: true
  flag_catalog:
    description:
      - Compiler flags per microarchitecture and the native fallback per architecture
        (see roles/host_facts/vars/flag_catalog.yml).
    type: dict
    required: true
  isa_levels:
    description:
      - ISA levels per architecture, baseline first, each with C(name) and the CPU flags it adds over the
        level below (C(requires); see roles/host_facts/vars/isa_levels.yml). A CPU the microarchitecture
        table does not know is named by the best level marked C(names_cpu) its flags reach (source
        C(isa-level), a recorded warning) before C(allow_unknown) is considered.
    type: dict
    default: {}
  compiler:
    description: C compiler to identify and probe.
    type: str
    default: gcc
  uarch:
    description:
      - Use this microarchitecture name instead of detecting it. Must be a key of the flag catalog.
    type: str
  allow_unknown:
    description:
      - When the CPU is neither in the table nor at a known ISA level, carry on as microarchitecture
        C(unknown) with native flags instead of failing.
    type: bool
    default: false
notes:
  - Read-only; supports check mode.
"""

EXAMPLES = r"""
- name: Gather benchmark host facts
  instancebench.aws.host_facts:
    uarch_table: "{{ _host_facts_uarch_table }}"
    flag_catalog: "{{ _host_facts_flag_catalog }}"
    compiler: gcc

- name: Show the microarchitecture
  ansible.builtin.debug:
    msg: "{{ ansible_facts['instancebench_host']['uarch']['name'] }}"
"""

RETURN = r"""
ansible_facts:
  description: Facts to add to ansible_facts.
  returned: always
  type: dict
  contains:
    instancebench_host:
      description: Host facts stored in every result document.
      returned: always
      type: dict
      sample:
        arch: x86_64
        cpu: {vendor: AuthenticAMD, family: 25, model: 17, model_name: AMD EPYC}
        uarch: {name: znver4, source: detected, family_name: genoa}
        topology: {logical_cpus: 2, physical_cores: 2, sockets: 1, threads_per_core: 1, numa_nodes: 1}
        caches: {l3: {size_bytes: 33554432, instances: 1, total_bytes: 33554432}}
        llc: {total_bytes: 33554432, source: sysfs-l3}
        memory: {total_bytes: 25276514304, available_bytes: 24884142080}
        compiler: {command: gcc, name: gcc, version: 12.2.0}
        cflags: ["-march=native"]
        cflags_source: native-fallback
        cflags_warnings: ["gcc does not accept -march=znver4 ..."]
        cflags_catalog: ["-march=znver4"]
"""

import hashlib
import os
import platform
import pwd

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.instancebench.aws.plugins.module_utils import _compiler
from ansible_collections.instancebench.aws.plugins.module_utils import _cpu
from ansible_collections.instancebench.aws.plugins.module_utils import _isa_levels
from ansible_collections.instancebench.aws.plugins.module_utils import _topology


def _uarch(module, identity):
    """(uarch fact, table entry, warnings): detected, overridden or named by ISA level; fails with
    the fix when none of these applies."""
    params = module.params
    known = sorted(params['flag_catalog'].get('uarch', {}))
    if params['uarch']:
        if params['uarch'] not in known:
            module.fail_json(msg="unknown microarchitecture '%s' in host_facts_uarch: use one of %s, or leave "
                                 "it empty to detect the CPU" % (params['uarch'], ', '.join(known)))
        return {'name': params['uarch'], 'source': 'override', 'family_name': None}, None, []
    entry = _cpu.identify_uarch(identity, params['uarch_table'])
    if entry is None:
        level = _cpu.isa_level(identity, _isa_levels.naming_levels(params['isa_levels'], identity['arch']))
        if level is not None:
            return ({'name': level['name'], 'source': 'isa-level', 'family_name': None}, None,
                    ['%s is not in the microarchitecture table: named by its ISA level %s (no processor family, '
                     'so an EC2 CPU check cannot pass)' % (_cpu.describe_identity(identity), level['name'])])
        if params['allow_unknown']:
            return {'name': 'unknown', 'source': 'unknown', 'family_name': None}, None, []
        module.fail_json(msg="unknown microarchitecture: %s is not in the table roles/host_facts/vars/uarch_table.yml. "
                             "Add it there, set host_facts_uarch to one of %s, or set host_facts_allow_unknown=true "
                             "to build with native flags" % (_cpu.describe_identity(identity), ', '.join(known)))
    return {'name': entry['name'], 'source': 'detected', 'family_name': entry.get('family_name')}, entry, []


def main():
    module = AnsibleModule(
        argument_spec=dict(
            uarch_table=dict(type='dict', required=True),
            flag_catalog=dict(type='dict', required=True),
            compiler=dict(type='str', default='gcc'),
            isa_levels=dict(type='dict', default={}),
            uarch=dict(type='str'),
            allow_unknown=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    params = module.params
    machine = platform.machine()
    try:
        with open('/proc/cpuinfo') as handle:
            identity = _cpu.cpu_identity(_cpu.parse_cpuinfo(handle.read()), machine)
    except (IOError, OSError) as exc:
        module.fail_json(msg='cannot read /proc/cpuinfo (Linux hosts only): %s' % exc)
    uarch, entry, uarch_warnings = _uarch(module, identity)

    topology = _topology.cpu_topology() or {'logical_cpus': os.cpu_count(), 'physical_cores': os.cpu_count(),
                                            'sockets': 1, 'threads_per_core': 1}
    topology['numa_nodes'] = _topology.numa_nodes()
    caches = _topology.caches()
    llc_fallback = (entry or {}).get('llc_bytes_per_socket')
    llc_bytes, llc_source = _topology.last_level_cache(caches, llc_fallback, topology['sockets'])

    def runner(argv, data):
        rc, out, err = module.run_command(argv, data=data, binary_data=data is not None, handle_exceptions=False)
        return rc, out, err

    compiler = _compiler.compiler_version(runner, params['compiler'])
    if compiler is None:
        flags, flag_source, warnings = [], 'none', ['compiler %s not found or not runnable' % params['compiler']]
    else:
        flags, flag_source, warnings = _compiler.resolve_flags(runner, params['compiler'], params['flag_catalog'],
                                                               uarch['name'], identity['arch'])
    warnings = uarch_warnings + warnings
    for warning in warnings:
        module.warn(warning)
    # Hundreds of tokens: the uarch name says what matters to a reader; their sha256 says exactly which
    # features this host shows (a hypervisor can hide some), part of a build-cache key.
    cpu_flags_sha256 = hashlib.sha256(' '.join(sorted(identity.pop('flags', None) or [])).encode()).hexdigest()
    facts = {
        'arch': identity['arch'],
        'cpu': identity,
        'cpu_flags_sha256': cpu_flags_sha256,
        'uarch': uarch,
        'topology': topology,
        'caches': caches,
        'llc': {'total_bytes': llc_bytes, 'source': llc_source},
        'memory': _topology.meminfo(),
        'os': _topology.os_release(),
        'kernel': platform.release(),
        # A binary built here runs where this C library (or a newer one) is: part of a build-cache key.
        'libc': ' '.join(platform.libc_ver()).strip() or 'unknown',
        'user': {'name': pwd.getpwuid(os.getuid()).pw_name, 'uid': os.getuid()},
        'compiler': compiler,
        'cflags': flags,
        'cflags_source': flag_source,
        'cflags_warnings': warnings,
        # What the catalog asks for this microarchitecture (None without an entry): a native
        # fallback above means the compiler refused these.
        'cflags_catalog': (params['flag_catalog'].get('uarch', {}).get(uarch['name']) or {}).get('flags'),
    }
    module.exit_json(changed=False, ansible_facts={'instancebench_host': facts})


if __name__ == '__main__':
    main()
