#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: installed_program
short_description: Describe a program the distribution installed, for a result's build record
version_added: "0.4.0"
description:
  - For a benchmark run with the distribution's binary instead of a pinned build (stress-ng, sysbench,
    OpenSSL), returns what identifies that binary in a result - its real path, sha256 and the package (and
    version) that owns it - and, when O(library) is given, the shared library of that name it loads (the
    library does the work C(openssl speed) measures), with its sha256 and package.
  - Packages are asked of dpkg, else rpm; C(unknown) when neither knows the file.
author:
  - instancebench.aws contributors (@instancebench)
options:
  program:
    description: Command name (looked up in PATH) or absolute path.
    type: str
    required: true
  library:
    description: Name prefix of a shared library the program loads (for example C(libcrypto.so)), as ldd lists it.
    type: str
    default: ''
notes:
  - Read-only; supports check mode. A program that is not installed fails, naming it.
"""

EXAMPLES = r"""
- name: Describe the distribution's openssl and the libcrypto it loads
  instancebench.aws.installed_program:
    program: openssl
    library: libcrypto.so
  register: __openssl_described
"""

RETURN = r"""
program:
  description: The program's real path (links resolved).
  returned: success
  type: str
  sample: /usr/bin/stress-ng
program_sha256:
  description: sha256 of the program file.
  returned: success
  type: str
program_package:
  description: The owning package and its version (C(stress-ng 0.15.06-2)), or C(unknown).
  returned: success
  type: str
library:
  description: The loaded library's real path; empty when the program does not load one of that name.
  returned: when library is given
  type: str
library_sha256:
  description: sha256 of the library; empty when not loaded.
  returned: when library is given
  type: str
library_package:
  description: The library's owning package and version, or C(unknown).
  returned: when library is given
  type: str
"""

import hashlib
import os
import shutil
import subprocess

from ansible.module_utils.basic import AnsibleModule


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _run(argv):
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True,
                              check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def owner(*paths):
    """'<package> <version>' of the first path a package database knows; 'unknown' otherwise.
    On merged-/usr systems dpkg may register either /usr/bin/x or /bin/x (coreutils: /bin/ls), so
    each path is asked as given and without its /usr."""
    asked = []
    for path in paths:
        asked.extend([path] + ([path[len('/usr'):]] if path.startswith('/usr/') else []))
    for path in asked:
        if shutil.which('dpkg-query'):
            found = _run(['dpkg-query', '-S', path])
            if found:
                package = found.splitlines()[0].split(': ', 1)[0]
                version = _run(['dpkg-query', '-W', '-f=${Version}', package.split(',')[0].strip()]) or ''
                return ('%s %s' % (package, version)).strip()
        if shutil.which('rpm'):
            found = _run(['rpm', '-qf', path])
            if found:
                return found.splitlines()[0].strip()
    return 'unknown'


def loaded_library(program, name):
    """The path ldd gives for the first library whose name starts with `name`, or ''."""
    listing = _run(['ldd', program]) or ''
    for line in listing.splitlines():
        fields = line.split()
        if fields and fields[0].startswith(name) and len(fields) > 2 and fields[2].startswith('/'):
            return fields[2]
    return ''


def main():
    module = AnsibleModule(
        argument_spec=dict(program=dict(type='str', required=True), library=dict(type='str', default='')),
        supports_check_mode=True,
    )
    asked = module.params['program']
    found = asked if os.path.isabs(asked) else shutil.which(asked)
    if not found or not os.path.isfile(found):
        module.fail_json(msg='%s is not installed (not found%s); install its package or build it from the pinned source'
                         % (asked, '' if os.path.isabs(asked) else ' in PATH'))
    program = os.path.realpath(found)
    out = {'program': program, 'program_sha256': sha256_file(program), 'program_package': owner(program, found)}
    if module.params['library']:
        loaded = loaded_library(program, module.params['library'])
        resolved = os.path.realpath(loaded) if loaded else ''
        out.update(library=resolved, library_sha256=sha256_file(resolved) if resolved else '',
                   library_package=owner(resolved, loaded) if resolved else '')
    module.exit_json(changed=False, **out)


if __name__ == '__main__':
    main()
