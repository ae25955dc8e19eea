# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPL on Intel oneMKL through the hpl role's `custom` BLAS, the way README's "HPL on MKL or Arm
Performance Libraries" says: MKL from PyPI's `mkl` wheel (the same shared libraries as Intel's
oneAPI repository; fetched once into .cache/mkl, checked against its sha256), linked with the
sequential link line (one MPI rank per core), run at a small N over real SSH. x86-64 only: MKL has no
Arm build (Arm Performance Libraries are in no registry this machine reaches, so untested here)."""

import hashlib
import os
import platform
import subprocess
import sys
import zipfile

import pytest

from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import stored_result

WHEEL = 'mkl-2026.2.1-py2.py3-none-manylinux_2_28_x86_64.whl'
WHEEL_SHA256 = '76322a3abf512594ab7b4e82cb72df91e4e5d195498769aa8b292373c1ddd6d1'
CACHE = os.path.join(REPO, '.cache', 'mkl')
LIB = os.path.join(CACHE, 'mkl-2026.2.1.data', 'data', 'lib')


def _mkl_lib():
    """The wheel's lib directory, downloaded from PyPI and unpacked the first time."""
    wheel = os.path.join(CACHE, WHEEL)
    if not os.path.exists(wheel):
        subprocess.run([sys.executable, '-m', 'pip', 'download', 'mkl==2026.2.1', '--no-deps', '--only-binary=:all:',
                        '--platform', 'manylinux_2_28_x86_64', '-d', CACHE], check=True)
    assert _sha256(wheel) == WHEEL_SHA256, 'the mkl wheel is not the pinned one'
    if not os.path.exists(os.path.join(LIB, 'libmkl_core.so.3')):
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(CACHE, [name for name in archive.namelist() if name.startswith('mkl-2026.2.1.data/data/lib/')])
    return LIB


@pytest.mark.skipif(platform.machine() != 'x86_64', reason='Intel oneMKL is built for x86-64 only')
def test_hpl_links_and_validates_on_mkl(tmp_path, ssh_host, mirror, ansible_home):
    lib = _mkl_lib()
    # The wheel has only versioned names (no libmkl_*.so link for -lmkl_*), hence -l:<file>.
    libs = ['-L%s' % lib, '-Wl,-rpath,%s' % lib, '-Wl,--no-as-needed', '-l:libmkl_gf_lp64.so.3',
            '-l:libmkl_sequential.so.3', '-l:libmkl_core.so.3', '-lpthread', '-ldl']
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    extra = {'instancebench_benchmarks': ['hpl'], 'hpl_blas': 'custom', 'hpl_blas_libs': libs,
             'hpl_n': 3000, 'hpl_repetitions': 1, 'hpl_max_repetitions': 1, 'instancebench_run_id': 'hpl-mkl',
             'instancebench_results_store': 'file://%s' % (tmp_path / 'store'), 'instancebench_sources_mirror': mirror,
             'instancebench_work_dir': os.path.join(REPO, '.cache', 'work')}
    proc = run_playbook('launch.yml', inventory, ansible_home, extra, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:]
    doc = stored_result(tmp_path / 'store', 'hpl-mkl')
    assert doc['validation']['passed'] is True, [c for c in doc['validation']['checks'] if not c['passed']]
    assert doc['build']['blas']['name'] == 'custom' and doc['build']['blas']['libs'] == libs
    assert 'openblas_core' not in doc['build'].get('observed', {}), 'MKL ran, not OpenBLAS'
    gflops = [m for m in doc['metrics'] if m['name'] == 'gflops'][0]
    assert gflops['value'] > 0.5 and gflops['unit'] == 'GFLOP/s'
    # The binary that ran (found by its recorded sha256) loads MKL and no other BLAS.
    built = [os.path.join(root, 'xhpl') for root, _dirs, names in os.walk(os.path.join(REPO, '.cache', 'work', 'build'))
             if 'xhpl' in names and _sha256(os.path.join(root, 'xhpl')) == doc['build']['binary_sha256']]
    assert built, 'no xhpl with the recorded sha256'
    linked = subprocess.run(['ldd', built[0]], stdout=subprocess.PIPE, text=True, check=True).stdout
    assert 'libmkl_core.so.3 => %s' % lib in linked and 'blas' not in linked, linked


def _sha256(path):
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()
