# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values that must never reach a shell, a connection setting or a key as they are."""

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _names, _plan_schedule


def _window(role_vars):
    return {'windows': [{'name': 'w', 'start': '2026-12-01T00:00:00Z', 'end': '2026-12-01T02:00:00Z',
                         'jobs': [{'instance_type': 'c7a.large', 'benchmark': 'stream', 'variant': 'one-thread',
                                   'market': 'on-demand', 'role_vars': role_vars}]}]}


@pytest.mark.parametrize('role_vars, field', [
    ({'ansible_ssh_extra_args': '-o ProxyCommand=touch /tmp/marker'}, 'ansible_ssh_extra_args'),
    ({'hpl_blas': 'blis'}, 'hpl_blas'),                          # another role's setting
    ({'stream_work_dir': '/tmp/elsewhere'}, 'stream_work_dir'),  # wired by launch.yml
    ({'stream_power_off_command': ['/bin/sh', '-c', 'id']}, 'stream_power_off_command'),
    ({1: 'x'}, '1'),
])
def test_a_variant_may_only_set_its_own_roles_settings(role_vars, field):
    _schedule, problems = _plan_schedule.check_schedule(_window(role_vars), ['c7a.large'], ['stream'], ['on-demand'])
    assert [p for p in problems if p.startswith('schedule.windows[0].jobs[0].role_vars.%s: ' % field)], problems


def test_a_variants_own_settings_pass():
    _schedule, problems = _plan_schedule.check_schedule(_window({'stream_threads': 1, 'stream_tuned': True}),
                                                        ['c7a.large'], ['stream'], ['on-demand'])
    assert problems == []


@pytest.mark.parametrize('value, safe', [
    ('stream-default-0123', True), ('run.1_x', True), ('x\n', False), ('x\ntouch marker\n', False),
    ('-rf', False), ('.hidden', False), ('a/b', False), ('$(id)', False), ('', False), ('a' * 65, False), (5, False)])
def test_safe_names_are_checked_on_the_whole_string(value, safe):
    assert _names.is_safe_name(value) is safe
