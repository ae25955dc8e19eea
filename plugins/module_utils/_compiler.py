# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: compiler identity and the flag catalog lookup with per-compiler fallback.

`runner(argv, data)` returns (rc, stdout, stderr); modules pass AnsibleModule.run_command,
tests pass a subprocess wrapper. Nothing here imports Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re


def compiler_version(runner, compiler):
    """Return {'command', 'name', 'version', 'banner'} or None when it does not run."""
    try:
        rc, out, err = runner([compiler, '--version'], None)
    except (OSError, IOError):
        return None
    if rc != 0:
        return None
    banner = (out or err or '').splitlines()[0] if (out or err) else ''
    # gcc: "gcc (Debian 12.2.0-14+deb12u1) 12.2.0" -> the last number is the release.
    # clang: "Debian clang version 14.0.6" -> the number after "version".
    name = 'clang' if 'clang' in banner.lower() else ('gcc' if 'gcc' in banner.lower() else compiler)
    match = re.search(r'version (\d+(?:\.\d+)+)', banner)
    numbers = re.findall(r'\d+\.\d+(?:\.\d+)?', banner)
    version = match.group(1) if match else (numbers[-1] if numbers else None)
    return {
        'command': compiler,
        'name': name,
        'version': version,
        'banner': banner,
    }


def flag_accepted(runner, compiler, flags):
    """True when the compiler builds an empty C unit with `flags` and says nothing.

    Any diagnostic counts as a refusal: gcc only *warns* about some wrong-architecture
    flags (e.g. -mcpu on x86), and a warning here means the flag is not doing its job.
    """
    argv = [compiler] + list(flags) + ['-x', 'c', '-c', '-o', '/dev/null', '-']
    try:
        rc, _out, err = runner(argv, 'int main(void) { return 0; }\n')
    except (OSError, IOError):
        return False
    return rc == 0 and not (err or '').strip()


def resolve_flags(runner, compiler, catalog, uarch, arch):
    """Pick the catalog flags for `uarch`, falling back to native when the compiler refuses.

    Returns (flags, source, warnings). `source` is 'catalog' or 'native-fallback'.
    """
    entry = catalog.get('uarch', {}).get(uarch)
    native = catalog.get('native', {}).get(arch, ['-march=native'])
    warnings = []
    if entry is None:
        warnings.append("microarchitecture '%s' has no entry in the flag catalog; using %s"
                        % (uarch, ' '.join(native)))
        return list(native), 'native-fallback', warnings
    wanted = list(entry['flags'])
    if flag_accepted(runner, compiler, wanted):
        return wanted, 'catalog', warnings
    warnings.append("%s does not accept %s for %s (needs %s %s or newer); using %s instead"
                    % (compiler, ' '.join(wanted), uarch, entry.get('compiler', 'gcc'),
                       entry.get('min_version', '?'), ' '.join(native)))
    return list(native), 'native-fallback', warnings


def toolchain_candidate(host, table, prefer='gcc'):
    """{'candidate': {packages, command} or None, 'reason'}: a newer compiler for this host when
    the probed one refused the catalog's flags for its CPU (a native fallback), from `table`
    (os id -> version id -> kind -> [candidates], newest first), `prefer`red kind first."""
    compiler = host.get('compiler') or {}
    if host.get('cflags_source') != 'native-fallback':
        return {'candidate': None, 'reason': '%s accepts the flags for %s (%s): nothing to install'
                % (compiler.get('command'), (host.get('uarch') or {}).get('name'), ' '.join(host.get('cflags') or []))}
    if not host.get('cflags_catalog'):
        return {'candidate': None, 'reason': 'the flag catalog has no flags for %s: a newer compiler would not help'
                % (host.get('uarch') or {}).get('name')}
    os_facts = host.get('os') or {}
    releases = (table or {}).get(os_facts.get('id')) or {}
    kinds = releases.get(str(os_facts.get('version_id'))) or {}
    order = [prefer] + sorted(kind for kind in kinds if kind != prefer)
    for kind in order:
        for candidate in kinds.get(kind) or []:
            if candidate['command'] != compiler.get('command'):
                return {'candidate': candidate, 'reason': '%s refused %s: installing %s'
                        % (compiler.get('command'), ' '.join(host['cflags_catalog']), candidate['command'])}
    return {'candidate': None, 'reason': 'no newer compiler is known for %s %s (roles/toolchain/vars/main.yml): '
            'the native fallback stays, recorded' % (os_facts.get('id'), os_facts.get('version_id'))}
