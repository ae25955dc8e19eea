# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel build parser on captured real outputs (tests/fixtures/compile/README.md)."""

import os
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _compile, _numbers

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'compile')
EXPECTED = {'config': 'tinyconfig', 'jobs': 2, 'target': 'vmlinux', 'version': '6.1.176'}


def _read(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def _failed(checks):
    return dict((c['name'], c['detail']) for c in checks if not c['passed'])


def test_a_real_build_gives_builds_per_hour_from_its_own_timestamps():
    text = _read('tinyconfig-j2.out')
    metrics, checks, observed = _compile.analyze(text, EXPECTED)
    start, end = [float(x) for x in re.search(r'start=(\S+) end=(\S+)', text).groups()]
    assert metrics['build_seconds'] == (end - start, 's', False)
    assert abs(metrics['builds_per_hour'][0] - 3600.0 / (end - start)) < 1e-9
    assert metrics['builds_per_hour'][1:] == ('builds/h', True)
    assert _benchmarks.undeclared_metrics('compile', metrics) == []
    failed = _failed(checks)
    # Captured beside other builds: the CPU share warning is real, nothing else fails.
    assert set(failed) <= {'cpu_share'}, failed
    assert observed['kernelrelease'] == '6.1.176' and observed['compiler'].startswith('gcc')
    assert 0 < observed['cpu_share'] <= 1.0
    assert not any(_numbers.invalidates(c) for c in checks), 'a warning keeps the result valid'


def test_a_build_that_failed_counts_for_nothing_and_names_makes_error():
    text = _read('tinyconfig-j2.out').replace(' rc=0', ' rc=2').replace(
        '=== instancebench compile vmlinux bytes=1533208',
        '=== instancebench compile vmlinux missing\nmake[2]: *** [scripts/Makefile.build:250: kernel/fork.o] Error 1')
    metrics, checks, _observed = _compile.analyze(text, EXPECTED)
    assert metrics == {}
    failed = _failed(checks)
    assert 'make exited 2' in failed['build_succeeded'] and 'kernel/fork.o' in failed['build_succeeded']
    assert 'does not count' in failed['vmlinux_present']


def test_a_missing_vmlinux_alone_makes_the_build_not_count():
    text = _read('tinyconfig-j2.out').replace('vmlinux bytes=1533208', 'vmlinux missing')
    metrics, checks, _observed = _compile.analyze(text, EXPECTED)
    assert metrics == {} and 'vmlinux_present' in _failed(checks)


def test_a_refused_configuration_is_named_with_kbuilds_reason():
    metrics, checks, _observed = _compile.analyze(_read('dirty-tree-configure-failed.out'), EXPECTED)
    assert metrics == {}
    assert 'make tinyconfig failed' in _failed(checks)['configured']
    assert 'not clean' in _failed(checks)['configured'] or 'Error' in _failed(checks)['configured']


def test_a_job_killed_during_the_build_has_no_figure():
    metrics, checks, observed = _compile.analyze(_read('killed-at-25s.out'), EXPECTED)
    assert metrics == {} and 'build_found' in _failed(checks)
    assert observed['kernelrelease'] == '6.1.176'


def test_what_was_asked_is_held_against_what_was_built():
    asked = dict(EXPECTED, config='defconfig', jobs=4, version='6.6.1')
    _metrics, checks, _observed = _compile.analyze(_read('tinyconfig-j2.out'), asked)
    failed = _failed(checks)
    assert {'config_as_asked', 'jobs_as_asked', 'kernel_version'} <= set(failed)
    assert 'defconfig' in failed['config_as_asked'] and '6.6.1' in failed['kernel_version']


def test_a_garbled_marker_is_refused_by_the_format_check():
    text = _read('tinyconfig-j2.out').replace('jobs=2 target', 'jobs=two target')
    _metrics, checks, _observed = _compile.analyze(text, EXPECTED)
    assert 'number_format' in _failed(checks)


def test_a_sub_second_build_is_not_a_kernel_build():
    text = _read('tinyconfig-j2.out')
    start = re.search(r'start=(\S+)', text).group(1)
    text = re.sub(r'end=\S+', 'end=%.9f' % (float(start) + 0.2), text)
    _metrics, checks, _observed = _compile.analyze(text, EXPECTED)
    assert 'timer_resolution' in _failed(checks)
