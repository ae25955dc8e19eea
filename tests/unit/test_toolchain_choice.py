# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
import os

import pytest
import yaml

from ansible_collections.instancebench.aws.plugins.module_utils._compiler import toolchain_candidate

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(REPO, 'roles', 'toolchain', 'vars', 'main.yml')) as _handle:
    TABLE = yaml.safe_load(_handle)['_toolchain_candidates']


def _host(os_id, version, source='native-fallback', catalog=('-march=znver4',), command='gcc'):
    return {'os': {'id': os_id, 'version_id': version}, 'cflags_source': source, 'cflags': ['-march=native'],
            'cflags_catalog': list(catalog) if catalog else None, 'uarch': {'name': 'znver4'},
            'compiler': {'command': command}}


@pytest.mark.parametrize('os_id, version, prefer, command', [
    ('ubuntu', '24.04', 'gcc', 'gcc-14'), ('ubuntu', '24.04', 'clang', 'clang-18'),
    ('amzn', '2023', 'gcc', 'gcc14-gcc'), ('debian', '12', 'gcc', 'clang-16'),   # bookworm: no newer gcc
])
def test_a_refused_catalog_flag_gets_the_distributions_newest_compiler(os_id, version, prefer, command):
    choice = toolchain_candidate(_host(os_id, version), TABLE, prefer)
    assert choice['candidate']['command'] == command and 'refused -march=znver4' in choice['reason']


@pytest.mark.parametrize('host, why', [
    (_host('ubuntu', '24.04', source='catalog'), 'nothing to install'),
    (_host('ubuntu', '24.04', catalog=None), 'has no flags'),
    (_host('gentoo', '1'), 'no newer compiler is known'),
    (_host('debian', '12', command='clang-16'), 'no newer compiler is known'),   # already the newest
])
def test_nothing_is_installed_when_it_would_not_help(host, why):
    choice = toolchain_candidate(host, TABLE)
    assert choice['candidate'] is None and why in choice['reason']
