# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
import os
import re
import subprocess

import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _compiler, _cpu, _isa_levels

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
    ('GenuineIntel', 6, 63, 'haswell'),             # x1: Xeon E7-8880 v3
    ('GenuineIntel', 6, 79, 'broadwell'),           # i3, h1: Xeon E5-2686 v4
    ('GenuineIntel', 6, 85, 'skylake-avx512'),      # m5: Xeon 8175M or 8259CL (one model for both)
    ('GenuineIntel', 6, 106, 'icelake-server'),     # m6i: Xeon 8375C
    ('GenuineIntel', 6, 143, 'sapphirerapids'),     # m7i: Xeon 8488C
    ('GenuineIntel', 6, 207, 'emeraldrapids'),
    ('GenuineIntel', 6, 173, 'graniterapids'),      # m8i: Xeon 6975P-C
    ('AuthenticAMD', 23, 1, 'znver1'),              # m5a: EPYC 7571
    ('AuthenticAMD', 23, 49, 'znver2'),             # c5a: EPYC 7R32
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


ISA_LEVELS = dict((arch, _isa_levels.naming_levels(_load('isa_levels.yml', '_host_facts_isa_levels'), arch))
                  for arch in ('x86_64', 'aarch64'))


def _identity_of(name):
    with open(os.path.join(HERE, 'fixtures', name)) as handle:
        return _cpu.cpu_identity(_cpu.parse_cpuinfo(handle.read()), 'x86_64')


def test_a_masked_model_is_named_by_its_isa_level_not_guessed():
    """A real KVM guest: family 6 model 167 is in no table row; its flags reach x86-64-v4."""
    identity = _identity_of('cpuinfo-intel-kvm-model167-2vcpu.txt')
    assert _cpu.identify_uarch(identity, TABLE) is None
    assert _cpu.isa_level(identity, ISA_LEVELS['x86_64'])['name'] == 'x86-64-v4'
    assert 'x86-64-v4' in CATALOG['uarch'], 'the level has flags in the catalog'


@pytest.mark.parametrize('drop, level', [
    ([], 'x86-64-v4'),
    (['avx512vl'], 'x86-64-v3'),                 # one AVX-512 subset missing: not v4
    (['avx512f', 'avx2'], 'x86-64-v2'),
    (['avx512f', 'avx2', 'popcnt'], None),        # below v2: no level, so allow_unknown decides
])
def test_isa_level_needs_every_flag_of_the_level(drop, level):
    identity = _identity_of('cpuinfo-intel-kvm-model167-2vcpu.txt')
    identity['flags'] = [flag for flag in identity['flags'] if flag not in drop]
    found = _cpu.isa_level(identity, ISA_LEVELS['x86_64'])
    assert (found and found['name']) == level


HOST = {'arch': 'x86_64', 'cpu': {'vendor': 'AuthenticAMD'}, 'uarch': {'name': 'znver5', 'family_name': 'turin'},
        'topology': {'logical_cpus': 2, 'threads_per_core': 1}}
C7A = {'architecture': 'x86_64', 'vcpus': 2, 'threads_per_core': 1}


@pytest.mark.parametrize('hardware, expected, mismatches', [
    (C7A, {'family_name': 'turin', 'vendor': 'AuthenticAMD'}, []),
    (C7A, {}, []),                                                  # family not in the table: shape only
    (C7A, {'family_name': 'genoa', 'vendor': 'AuthenticAMD'}, ['processor family: expected genoa, found turin']),
    (C7A, {'family_name': 'sapphirerapids', 'vendor': 'GenuineIntel'},
     ['processor family: expected sapphirerapids, found turin', 'vendor: expected GenuineIntel, found AuthenticAMD']),
    (dict(C7A, architecture='arm64'), {}, ['architecture: expected aarch64, found x86_64']),
    (dict(C7A, vcpus=4, threads_per_core=2), {},
     ['vCPUs: expected 4, found 2', 'threads per core: expected 2, found 1']),
])
def test_instance_cpu_mismatches_name_each_contradiction(hardware, expected, mismatches):
    assert _cpu.instance_cpu_mismatches(HOST, hardware, expected) == mismatches


def test_a_cpu_named_only_by_isa_level_never_passes_a_family_check():
    host = dict(HOST, uarch={'name': 'x86-64-v4', 'source': 'isa-level', 'family_name': None})
    assert _cpu.instance_cpu_mismatches(host, C7A, {'family_name': 'genoa', 'vendor': 'AuthenticAMD'}) == [
        'processor family: expected genoa, found None']
