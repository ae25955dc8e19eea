# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""installed_program describes the real binary on this machine: its resolved path and sha256, the
package that owns it, and the library it loads; a missing program fails naming it."""

import hashlib
import json
import os
import shutil

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.instancebench.aws.plugins.modules import installed_program


def _run(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            installed_program.main()
    return json.loads(capsys.readouterr().out)


def test_a_distribution_program_its_package_and_the_libc_it_loads(capsys):
    out = _run(capsys, program='ls', library='libc.so')
    real = os.path.realpath(shutil.which('ls'))
    with open(real, 'rb') as handle:
        assert (out['program'], out['program_sha256']) == (real, hashlib.sha256(handle.read()).hexdigest())
    if shutil.which('dpkg-query'):
        assert out['program_package'].startswith('coreutils '), out['program_package']
        assert out['library_package'].startswith('libc6'), out['library_package']
    assert os.path.basename(out['library']).startswith('libc.so') and len(out['library_sha256']) == 64
    assert out['changed'] is False


def test_a_library_it_does_not_load_is_empty_and_a_missing_program_fails(capsys):
    out = _run(capsys, program='ls', library='libcrypto.so.99')
    assert (out['library'], out['library_sha256'], out['library_package']) == ('', '', '')
    missing = _run(capsys, program='no-such-benchmark-binary')
    assert missing['failed'] and 'no-such-benchmark-binary is not installed (not found in PATH)' in missing['msg']
