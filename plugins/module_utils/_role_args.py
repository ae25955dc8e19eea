# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: a benchmark role's settings checked before the role starts, one line per wrong setting
naming the field, the value, the rule it broke and the fix — instead of Ansible's argument-spec dump
(a 137-line spec around one message) or one assert listing every constraint of the role.

Types and choices come from the role's meta/argument_specs.yml; ranges (which argument specs cannot
say) from its `_<role>_limits` in vars/main.yml:

    _stream_limits:
      stream_repetitions: {min: 1}
      stream_memory_fraction: {above: 0, max: 0.9}
      stream_thread_counts: {non_empty: true, each_min: 0}
      stressng_methods: {non_empty: true, each_pattern: '^[a-z0-9]+$', means: 'cpu method names, e.g. div16'}
      sevenzip_dictionary: {zero_or: true, min: 18, max: 30}      # 0, or 18 to 30
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible.module_utils.common.validation import (check_type_bool, check_type_dict, check_type_float,
                                                    check_type_int, check_type_list, check_type_str)

_CONVERT = {'int': (check_type_int, 'a whole number'), 'float': (check_type_float, 'a number'),
            'bool': (check_type_bool, 'true or false'), 'list': (check_type_list, 'a list, e.g. [a, b] or a,b'),
            'dict': (check_type_dict, 'a mapping, e.g. {"key": "value"}'), 'str': (check_type_str, 'a string'),
            'path': (check_type_str, 'a path')}


def _show(value):
    return json.dumps(value) if not isinstance(value, str) else value


def _convert(value, option):
    """(converted value, problem or None) by the option's type, elements and choices."""
    kind = option.get('type', 'str')
    convert, wanted = _CONVERT.get(kind, (None, kind))
    if convert is not None:
        try:
            value = convert(value) if kind != 'str' else check_type_str(value, allow_conversion=True)
        except (TypeError, ValueError):
            return None, 'is not %s' % wanted
    if kind == 'list' and option.get('elements') in ('int', 'float'):
        element, wanted = _CONVERT[option['elements']]
        try:
            value = [element(item) for item in value]
        except (TypeError, ValueError):
            return None, 'is not a list of %ss' % wanted
    choices = option.get('choices')
    if choices and any(item not in choices for item in (value if kind == 'list' else [value])):
        return None, 'is not one of %s' % ', '.join(str(choice) for choice in choices)
    return value, None


def _limit_problem(value, limit):
    """The first rule of `limit` the (converted) value breaks, said as the rule and its fix."""
    rules = []
    if 'min' in limit:
        rules.append((lambda v: v >= limit['min'], 'at least %s' % limit['min'], 'use %s or more' % limit['min']))
    if 'above' in limit:
        rules.append((lambda v: v > limit['above'], 'above %s' % limit['above'], 'use more than %s' % limit['above']))
    if 'max' in limit:
        rules.append((lambda v: v <= limit['max'], 'at most %s' % limit['max'], 'use %s or less' % limit['max']))
    if limit.get('non_empty'):
        rules.append((lambda v: len(v) > 0, 'not empty', 'give at least one'))
    if 'each_min' in limit:
        rules.append((lambda v: all(int(item) >= limit['each_min'] for item in v),
                      'each %s or more' % limit['each_min'], 'give counts of %s or more' % limit['each_min']))
    if 'each_pattern' in limit:
        rules.append((lambda v: all(re.match(limit['each_pattern'], str(item)) for item in v),
                      'each matching %s' % limit['each_pattern'], 'give %s' % limit.get('means', 'such values')))
    if 'pattern' in limit:
        rules.append((lambda v: re.match(limit['pattern'], str(v)) is not None,
                      'matching %s' % limit['pattern'], 'give %s' % limit.get('means', 'such a value')))
    if limit.get('zero_or') and value == 0:   # 0: the tool's (or our) automatic choice
        return None
    for holds, rule, fix in rules:
        if not holds(value):
            rule = ('0 or ' + rule) if limit.get('zero_or') else rule
            return 'breaks "%s"%s: %s' % (rule, ' (%s)' % limit['means'] if 'means' in limit and 'pattern' not in rule
                                          else '', fix)
    return None


def problems(values, options, limits):
    """[one line per wrong setting] of `values` ({name: value}: what the user set, or the role's
    variables), against the role's argument_specs `options` and its `limits`. Names the role does
    not know are left to unknown_role_vars (a warning with the closest name)."""
    out = []
    for name in sorted(values):
        if name not in options:
            continue
        value, problem = _convert(values[name], options[name])
        if problem is None and name in (limits or {}):
            problem = _limit_problem(value, limits[name])
        if problem:
            out.append('%s=%s %s' % (name, _show(values[name]), problem))
    return out
