# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openssl job's parser on real `openssl speed -mr` captures (tests/fixtures/openssl/README.md)
and on copies of them mutated in memory."""
import re

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _openssl_speed, _result
from harness.fixtures import read_fixture
from harness.checks import by_name as _by_name, invalidating as _invalidating

ALGORITHMS = ['evp:aes-256-gcm', 'sha256', 'rsa2048', 'ecdsap256']
PLAN = {'algorithms': ALGORITHMS, 'passes': [{'label': '1', 'processes': 1}, {'label': 'all', 'processes': 2}],
        'seconds': 3, 'bytes': 16384}


def _read(name):
    return read_fixture('openssl', name)


def test_debian_binary_capture_gives_the_figures_openssl_printed():
    metrics, checks, observed = _openssl_speed.analyze(_read('znver4-debian-3.0.19-3s.txt'),
                                                       dict(PLAN, version='3.0.19'))
    assert metrics == {
        'aes_256_gcm_gb_per_s_1': (4.1596, 'GB/s', True),          # +F:25:AES-256-GCM:4159591765.33
        'sha256_gb_per_s_1': (1.7753, 'GB/s', True),               # +F:6:sha256:1775261013.33
        'rsa2048_sign_per_s_1': (4013.67, 'sign/s', True),
        'rsa2048_verify_per_s_1': (61447.33, 'verify/s', True),
        'ecdsap256_sign_per_s_1': (50328.0, 'sign/s', True),
        'ecdsap256_verify_per_s_1': (16894.33, 'verify/s', True),
        'aes_256_gcm_gb_per_s_all': (3.8381, 'GB/s', True),
        'sha256_gb_per_s_all': (1.7887, 'GB/s', True),
        'rsa2048_sign_per_s_all': (3439.33, 'sign/s', True),
        'rsa2048_verify_per_s_all': (55138.67, 'verify/s', True),
        'ecdsap256_sign_per_s_all': (49821.63, 'sign/s', True),
        'ecdsap256_verify_per_s_all': (16843.67, 'verify/s', True),
    }
    assert _invalidating(checks) == []
    by_name = _by_name(checks)
    for name in ('openssl_version', 'completed.1', 'completed.all', 'processes.1', 'processes.all',
                 'block_bytes.1', 'block_bytes.all', 'timing.1', 'timing.all',
                 'rate_consistent.1.aes_256_gcm', 'rate_consistent.1.sha256', 'rate_consistent.1.rsa2048.sign',
                 'rate_consistent.1.rsa2048.verify', 'rate_consistent.1.ecdsap256.sign',
                 'rate_consistent.1.ecdsap256.verify', 'sum_consistent.all.aes_256_gcm',
                 'sum_consistent.all.rsa2048', 'sum_consistent.all.ecdsap256', 'sum_consistent.all.sha256'):
        assert by_name[name]['passed'] is True, by_name[name]
    assert observed['openssl'] == 'OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)'
    assert observed['openssl_platform'] == 'debian-amd64'
    assert '-fzero-call-used-regs=used-gpr' in observed['openssl_compiler']
    assert observed['openssl_cpuinfo'].startswith('OPENSSL_ia32cap=')
    assert all(re.match(r'^[a-z0-9_]+$', name) for name in metrics)


def test_the_roles_plan_form_is_the_same_plan():
    as_role = dict(PLAN, processes={'1': 1, 'all': 2})
    del as_role['passes']
    assert _openssl_speed.plan(as_role) == PLAN['passes']
    metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-3.0.19-3s.txt'), as_role)
    assert len(metrics) == 12 and _invalidating(checks) == []
    _metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-3.0.19-3s.txt'),
                                                         dict(as_role, processes={'1': 1, 'all': 4}))
    assert _by_name(checks)['processes_asked.all']['passed'] is False


def test_two_processes_slower_than_one_is_a_warning():
    """The capture machine was shared: two processes signed fewer RSA-2048 signatures than one."""
    _metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-3.0.19-3s.txt'), PLAN)
    scaling = _by_name(checks)['scaling.all.rsa2048_sign_per_s']
    assert scaling['passed'] is False and scaling['severity'] == 'warning'
    assert _by_name(checks)['scaling.all.ecdsap256_sign_per_s']['passed'] is True   # 49821.63 vs 50328
    _entries, _checks, passed, _observed = _result.combine([_openssl_speed.analyze(
        _read('znver4-debian-3.0.19-3s.txt'), PLAN)])
    assert passed is True


def test_built_openssl_reports_its_own_library_and_flags():
    metrics, checks, observed = _openssl_speed.analyze(_read('znver4-built-3.0.20-3s.txt'),
                                                       dict(PLAN, version='3.0.20'))
    assert _invalidating(checks) == [] and _by_name(checks)['openssl_version']['passed'] is True
    assert metrics['rsa2048_sign_per_s_all'] == (7968.0, 'sign/s', True)
    assert metrics['sha256_gb_per_s_all'] == (3.5353, 'GB/s', True)
    assert observed['openssl_platform'] == 'linux-x86_64' and ' -O3 ' in observed['openssl_compiler']
    _metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-built-3.0.20-3s.txt'),
                                                         dict(PLAN, version='3.0.19'))
    version = _by_name(checks)['openssl_version']
    assert version['passed'] is False and 'library 3.0.20' in version['detail']


def test_short_capture_and_seconds_mismatch():
    plan = dict(PLAN, seconds=1)
    metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-3.0.19-1s.txt'), plan)
    assert _invalidating(checks) == [] and metrics['rsa2048_sign_per_s_1'] == (4144.0, 'sign/s', True)
    _metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-3.0.19-1s.txt'), PLAN)
    assert _by_name(checks)['seconds.1']['passed'] is False


def test_other_result_kinds_eddsa_and_a_larger_curve():
    plan = {'algorithms': ['ed25519', 'ecdsap384', 'evp:sha512'], 'passes': [{'label': '1', 'processes': 1}],
            'seconds': 1, 'bytes': 16384}
    metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-ed25519-ecdsap384-sha512-1s.txt'), plan)
    assert _invalidating(checks) == []
    assert metrics == {'ed25519_sign_per_s_1': (25028.0, 'sign/s', True),
                       'ed25519_verify_per_s_1': (6669.0, 'verify/s', True),
                       'ecdsap384_sign_per_s_1': (1237.0, 'sign/s', True),
                       'ecdsap384_verify_per_s_1': (1525.0, 'verify/s', True),
                       'sha512_gb_per_s_1': (0.8454, 'GB/s', True)}
    assert _by_name(checks)['rate_consistent.1.ed25519.sign']['passed'] is True


def test_killed_during_the_multi_pass():
    metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-killed-at-24s.txt'), PLAN)
    by_name = _by_name(checks)
    assert by_name['completed.all']['passed'] is False and 'no end marker' in by_name['completed.all']['detail']
    assert by_name['result.all.rsa2048']['passed'] is False
    assert by_name['processes.all']['passed'] is False
    assert by_name['completed.1']['passed'] is True
    assert not [name for name in metrics if name.endswith('_all')]
    assert _result.combine([(metrics, checks)])[2] is False


def test_unknown_algorithm_names_opensslss_complaint():
    plan = dict(PLAN, seconds=1, passes=[{'label': '1', 'processes': 1}], algorithms=ALGORITHMS[:3] + ['ecdsap257'])
    metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-unknown-algorithm.txt'), plan)
    by_name = _by_name(checks)
    assert metrics == {}
    assert by_name['completed.1']['passed'] is False
    assert 'speed: Unknown algorithm ecdsap257' in by_name['completed.1']['detail']
    assert by_name['result.1.ecdsap257']['passed'] is False


def test_a_childs_changed_figure_breaks_the_sum():
    text = _read('znver4-debian-3.0.19-3s.txt').replace('Got: +F2:2:2048:1718.000000:', 'Got: +F2:2:2048:1818.000000:')
    _metrics, checks, _observed = _openssl_speed.analyze(text, PLAN)
    assert _by_name(checks)['sum_consistent.all.rsa2048']['passed'] is False
    assert _by_name(checks)['sum_consistent.all.sha256']['passed'] is True


def test_a_lost_child_fails_processes_and_sums():
    text = '\n'.join(line for line in _read('znver4-debian-3.0.19-3s.txt').splitlines()
                     if not line.endswith(' from 1')) + '\n'
    _metrics, checks, _observed = _openssl_speed.analyze(text, PLAN)
    by_name = _by_name(checks)
    assert by_name['processes.all']['passed'] is False and 'results from [0]' in by_name['processes.all']['detail']
    assert by_name['sum_consistent.all.aes_256_gcm']['passed'] is False


def test_garbled_figure_fails_number_format_and_loses_the_result():
    text = _read('znver4-debian-3.0.19-3s.txt').replace('+F2:2:2048:4013.666667:', '+F2:2:2048:4013.6.66667:')
    metrics, checks, _observed = _openssl_speed.analyze(text, PLAN)
    by_name = _by_name(checks)
    assert by_name['number_format']['passed'] is False and '4013.6.66667' in by_name['number_format']['detail']
    assert by_name['result.1.rsa2048']['passed'] is False and 'rsa2048_sign_per_s_1' not in metrics


def test_a_count_that_does_not_match_the_rate_fails():
    text = _read('znver4-debian-3.0.19-3s.txt').replace('+R1:12041:2048:3.00', '+R1:13041:2048:3.00')
    _metrics, checks, _observed = _openssl_speed.analyze(text, PLAN)
    assert _by_name(checks)['rate_consistent.1.rsa2048.sign']['passed'] is False
    assert _by_name(checks)['rate_consistent.1.rsa2048.verify']['passed'] is True


def test_block_size_must_be_the_one_asked():
    _metrics, checks, _observed = _openssl_speed.analyze(_read('znver4-debian-3.0.19-3s.txt'), dict(PLAN, bytes=8192))
    assert _by_name(checks)['block_bytes.1']['passed'] is False


def test_a_short_measurement_fails_timing():
    text = _read('znver4-debian-3.0.19-3s.txt').replace('+R2:184342:2048:3.00', '+R2:61447:2048:1.00')
    _metrics, checks, _observed = _openssl_speed.analyze(text, PLAN)
    assert _by_name(checks)['timing.1']['passed'] is False


@pytest.mark.parametrize('name, stem', [('evp:aes-256-gcm', 'aes_256_gcm'), ('AES-256-GCM', 'aes_256_gcm'),
                                        ('sha256', 'sha256'), ('Ed25519', 'ed25519')])
def test_sanitize(name, stem):
    assert _openssl_speed.sanitize(name) == stem


@pytest.mark.parametrize('text', ['', 'OpenSSL 3.0.19 27 Jan 2026\n', '+F:6:sha256:1.00\n'])
def test_foreign_or_empty_output_has_no_metrics_and_a_failed_check(text):
    metrics, checks, _observed = _openssl_speed.analyze(text, {})
    assert metrics == {} and _by_name(checks)['passes_found']['passed'] is False
