# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A role's settings checked before it starts: one line per wrong setting (field, value, rule, fix),
from the role's own argument_specs and limits — for every benchmark role."""

import os

import yaml

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _role_args

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _role(role):
    with open(os.path.join(REPO, 'roles', role, 'meta', 'argument_specs.yml')) as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    with open(os.path.join(REPO, 'roles', role, 'vars', 'main.yml')) as handle:
        limits = (yaml.safe_load(handle) or {}).get('_%s_limits' % role, {})
    return options, limits


def test_a_wrong_type_a_range_and_a_choice_each_get_one_line():
    options, limits = _role('stream')
    lines = _role_args.problems({'stream_threads': 'abc', 'stream_repetitions': 0, 'stream_omp_places': 'numa',
                                 'stream_timeout': '600', 'stream_unknown': 1}, options, limits)
    assert lines == [
        'stream_omp_places=numa is not one of cores, threads, sockets, ll_caches, numa_domains',
        'stream_repetitions=0 breaks "at least 1": use 1 or more',
        'stream_threads=abc is not a whole number',
    ], lines


def test_list_rules_say_which_rule_and_how_to_fix_it():
    options, limits = _role('stressng')
    assert _role_args.problems({'stressng_workers': []}, options, limits) == [
        'stressng_workers=[] breaks "not empty" (0 = every vCPU): give at least one']
    [line] = _role_args.problems({'stressng_methods': ['div16', 'Div 16']}, options, limits)
    assert line.startswith('stressng_methods=["div16", "Div 16"] breaks "each matching')


def test_every_benchmark_role_has_limits_for_options_its_specs_know():
    for name in _benchmarks.names():
        role = _benchmarks.get(name).role
        options, limits = _role(role)
        assert limits, '%s: give _%s_limits in roles/%s/vars/main.yml' % (role, role, role)
        assert set(limits) <= set(options), '%s: limits for unknown options %s' % (role, set(limits) - set(options))
        assert '%s_repetitions' % role in limits and '%s_timeout' % role in limits
        # the role's own defaults pass its own checks
        with open(os.path.join(REPO, 'roles', role, 'defaults', 'main.yml')) as handle:
            defaults = dict((k, v) for k, v in yaml.safe_load(handle).items() if '{{' not in str(v))
        assert _role_args.problems(defaults, options, limits) == [], role
