# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A setting nothing reads is named, with the closest known one: typos are not ignored in silence."""

import os

import yaml

from ansible_collections.instancebench.aws.plugins.module_utils._typos import unknown_settings

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _options(role):
    with open(os.path.join(REPO, 'roles', role, 'meta', 'argument_specs.yml')) as handle:
        return list(yaml.safe_load(handle)['argument_specs']['main']['options'])


def test_a_misspelt_role_variable_is_named_with_the_closest_known_one():
    given = ['stream_repetitons', 'stream_repetitions', 'stream_ntimes', 'stream_zzz_whatever']
    assert unknown_settings(given, _options('stream'), 'stream_', 'stream role') == [
        'stream_repetitons: not a variable of the stream role; did you mean stream_repetitions?',
        "stream_zzz_whatever: not a variable of the stream role; it is ignored (see stream role's meta/argument_specs.yml)"]


def test_every_benchmark_roles_own_settings_pass():
    for role in ('stream', 'fftw', 'hpl'):
        with open(os.path.join(REPO, 'roles', role, 'defaults', 'main.yml')) as handle:
            defaults = list(yaml.safe_load(handle))
        assert unknown_settings(defaults, _options(role), role + '_', role + ' role') == [], role


def test_other_prefixes_and_private_names_are_not_this_roles_business():
    assert unknown_settings(['hpl_n', '_stream_cv_gate', '__stream_job', 'streamer'], ['stream_ntimes'], 'stream_',
                            'stream role') == []


def test_another_benchmark_roles_settings_are_not_typos_of_the_shorter_role():
    from ansible_collections.instancebench.aws.plugins.filter.unknown_role_vars import unknown_role_vars
    given = ['stream_numa_repetitions', 'stream_cache_repetitions', 'stream_repetitons']
    assert unknown_role_vars(given, 'stream', dict.fromkeys(_options('stream'))) == [
        'stream_repetitons: not a variable of the stream role; did you mean stream_repetitions?']
    # The longer role still names its own typos.
    assert unknown_role_vars(['stream_numa_repetitons'], 'stream_numa', dict.fromkeys(_options('stream_numa'))) == [
        'stream_numa_repetitons: not a variable of the stream_numa role; did you mean stream_numa_repetitions?']
