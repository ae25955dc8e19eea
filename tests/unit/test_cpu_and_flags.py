# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
import os
import re
import subprocess

import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _compiler, _cpu

HERE = os.path.dirname(os.path.dirname(__file__))
ROLE_VARS = os.path.join(os.path.dirname(HERE), 'roles', 'host_facts', 'vars')


def _load(name, key):
    with open(os.path.join(ROLE_VARS, name)) as handle:
        return yaml.safe_load(handle)[key]


TABLE = _load('uarch_table.yml', '_host_facts_uarch_table')
CATALOG = _load('flag_catalog.yml', '_host_facts_flag_catalog')


def _cpuinfo(**changes):
    with open(os.path.join(HERE, 'fixtures', 'cpuinfo-znver4-2vcpu.txt')) as handle:
        text = handle.read()
    for field, value in changes.items():
        text = re.sub(r'^(%s\s*):.*$' % re.escape(field), r'\1: %s' % value, text, flags=re.MULTILINE)
    return text


def _identify(text, machine='x86_64'):
    entry = _cpu.identify_uarch(_cpu.cpu_identity(_cpu.parse_cpuinfo(text), machine), TABLE)
    return entry and entry['name']


def test_real_cpuinfo_is_genoa():
    identity = _cpu.cpu_identity(_cpu.parse_cpuinfo(_cpuinfo()), 'x86_64')
    assert (identity['vendor'], identity['family'], identity['model']) == ('AuthenticAMD', 25, 17)
    assert 'avx512f' in identity['flags']
    assert _identify(_cpuinfo()) == 'znver4'


@pytest.mark.parametrize('vendor, family, model, uarch', [
    ('GenuineIntel', 6, 106, 'icelake-server'),     # m6i: Xeon 8375C
    ('GenuineIntel', 6, 143, 'sapphirerapids'),     # m7i: Xeon 8488C
    ('GenuineIntel', 6, 207, 'emeraldrapids'),
    ('GenuineIntel', 6, 173, 'graniterapids'),      # m8i: Xeon 6975P-C
    ('AuthenticAMD', 25, 1, 'znver3'),              # m6a: EPYC 7R13
    ('AuthenticAMD', 25, 17, 'znver4'),             # m7a: EPYC 9R14
    ('AuthenticAMD', 26, 2, 'znver5'),              # m8a: EPYC 9R45
    ('AuthenticAMD', 26, 0x50, None),               # not a Zen 5 range: unknown, never a guess
    ('GenuineIntel', 6, 999, None),
])
def test_x86_family_model_table(vendor, family, model, uarch):
    assert _identify(_cpuinfo(vendor_id=vendor, **{'cpu family': family, 'model': model})) == uarch


@pytest.mark.parametrize('part, uarch', [('0xd0c', 'neoverse-n1'), ('0xd40', 'neoverse-v1'),
                                         ('0xd4f', 'neoverse-v2'), ('0xd99', None)])
def test_aarch64_midr_table(part, uarch):
    text = 'processor\t: 0\nBogoMIPS\t: 2100.00\nFeatures\t: fp asimd sve\nCPU implementer\t: 0x41\n' \
           'CPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: %s\nCPU revision\t: 1\n' % part
    assert _identify(text, 'aarch64') == uarch


def test_every_table_entry_has_catalog_flags():
    names = [entry['name'] for arch in TABLE.values() for entry in arch]
    assert sorted(set(names)) == sorted(names), 'duplicate names in the uarch table'
    assert set(names) <= set(CATALOG['uarch'])


def _gcc(argv, data):
    proc = subprocess.run(argv, input=data, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def test_gcc_version_is_read():
    found = _compiler.compiler_version(_gcc, 'gcc')
    assert found['name'] == 'gcc' and re.match(r'^\d+\.\d+', found['version'])
    assert _compiler.compiler_version(_gcc, 'no-such-compiler-xyz') is None


def test_refused_flag_falls_back_to_native_with_a_warning():
    catalog = {'native': {'x86_64': ['-march=native']},
               'uarch': {'future': {'flags': ['-march=not-a-real-cpu'], 'compiler': 'gcc', 'min_version': '99'}}}
    flags, source, warnings = _compiler.resolve_flags(_gcc, 'gcc', catalog, 'future', 'x86_64')
    assert flags == ['-march=native'] and source == 'native-fallback'
    assert 'does not accept -march=not-a-real-cpu' in warnings[0] and 'gcc 99' in warnings[0]


def test_accepted_flag_is_kept():
    catalog = {'native': {'x86_64': ['-march=native']}, 'uarch': {'x86-64-v2': {'flags': ['-march=x86-64-v2']}}}
    flags, source, warnings = _compiler.resolve_flags(_gcc, 'gcc', catalog, 'x86-64-v2', 'x86_64')
    assert (flags, source, warnings) == (['-march=x86-64-v2'], 'catalog', [])


def test_unknown_uarch_uses_native():
    flags, source, warnings = _compiler.resolve_flags(_gcc, 'gcc', CATALOG, 'unknown', 'aarch64')
    assert flags == ['-mcpu=native'] and source == 'native-fallback' and 'no entry' in warnings[0]
