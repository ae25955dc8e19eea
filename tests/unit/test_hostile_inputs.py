# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values that must never reach a shell, a connection setting or a key as they are."""

import os

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _names, _scheduled_jobs, _batch_planner

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


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
    _checked, problems = _scheduled_jobs.check_schedule(_window(role_vars), ['c7a.large'], ['stream'], ['on-demand'])
    assert [p for p in problems if p.startswith('schedule.windows[0].jobs[0].role_vars.%s: ' % field)], problems


def test_a_variants_own_settings_pass():
    _checked, problems = _scheduled_jobs.check_schedule(_window({'stream_threads': 1, 'stream_tuned': True}),
                                                        ['c7a.large'], ['stream'], ['on-demand'])
    assert problems == []


@pytest.mark.parametrize('value, safe', [
    ('stream-default-0123', True), ('run.1_x', True), ('x\n', False), ('x\ntouch marker\n', False),
    ('-rf', False), ('.hidden', False), ('a/b', False), ('$(id)', False), ('', False), ('a' * 65, False), (5, False)])
def test_safe_names_are_checked_on_the_whole_string(value, safe):
    assert _names.is_safe_name(value) is safe


def _request(**changes):
    import yaml
    with open(os.path.join(REPO, 'playbooks', 'schedules', 'example.yml')) as handle:
        request = yaml.safe_load(handle)['instancebench_schedule']
    request.update(changes)
    return request


def _schedule_data():
    import yaml
    with open(os.path.join(REPO, 'roles', 'schedule', 'vars', 'main.yml')) as handle:
        return yaml.safe_load(handle)['_schedule_data']


@pytest.mark.parametrize('changes, field', [
    ({'families': {7: ['large']}}, 'families.7'),
    ({'families': {'m7i': [{'a': 1}]}}, 'families.m7i'),
    ({'benchmarks': [['stream']]}, 'benchmarks'),
    ({'benchmarks': {'stream': {'x': 1}}}, 'benchmarks.stream'),
    ({'plan': ['x']}, 'plan'),
    ({'families': {'m7i': ['large', 'large']}}, 'families.m7i'),            # a duplicate is not silently one job
    ({'families': dict(('m%di' % n, ['large', 'xlarge', '2xlarge', '4xlarge']) for n in range(700)),
      'regions': ['us-east-1', 'us-west-2']}, 'families'),                   # past MAX_JOBS
])
def test_a_malformed_schedule_request_is_refused_naming_the_field_never_a_crash(changes, field):
    _out, problems = _batch_planner.check_request(_request(**changes), _schedule_data())
    assert [p for p in problems if p.startswith(field + ': ')], problems


@pytest.mark.parametrize('value, safe', [
    ('/var/tmp/instancebench', True), ('/work/x/extensions/../.cache/work', True), ('relative/dir', False),
    ('/tmp/w$(touch m)', False), ('/tmp/w;touch m', False), ('/tmp/a b', False), ('/tmp/x\n', False)])
def test_safe_paths(value, safe):
    assert _names.is_safe_path(value) is safe


def test_every_schedule_variant_sets_only_its_registered_roles_own_settings():
    """The schedule role's variants (data) name registered benchmarks and pass the same check a
    plan's jobs do; a benchmark whose role is not its name (7zip -> sevenzip) is checked by its role."""
    import yaml
    from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
    with open(os.path.join(REPO, 'roles', 'schedule', 'vars', 'main.yml')) as handle:
        variants = yaml.safe_load(handle)['_schedule_data']['variants']
    for benchmark, named in variants.items():
        assert _benchmarks.get(benchmark) is not None, 'schedule variants of unregistered %s' % benchmark
        for name, spec in named.items():
            assert _scheduled_jobs.role_var_problems(name, benchmark, spec['vars']) == []
    assert _benchmarks.get('7zip').role == 'sevenzip'
    assert _scheduled_jobs.role_var_problems('v', '7zip', {'sevenzip_thread_counts': [1]}) == []
    assert _scheduled_jobs.role_var_problems('v', '7zip', {'7zip_threads': 1}) == [
        'v.7zip_threads: only sevenzip_* settings of the sevenzip role may be set here']
    assert _scheduled_jobs.role_var_problems('v', '7zip', {'sevenzip_deadline_epoch': 1})[0].startswith(
        'v.sevenzip_deadline_epoch: launch.yml sets')
