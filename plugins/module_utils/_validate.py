# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: a small JSON Schema validator for the keywords our result schema uses.

Instances run the job module with whatever Python the AMI has; `jsonschema` is rarely
there, so the job validates with this subset. The controller and the tests validate with
the real `jsonschema` too, and a unit test keeps both in agreement.
Supported: type, enum, const, required, properties, additionalProperties (bool), items,
minItems, maxItems, minimum, pattern, if/then.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_TYPES = {
    'object': lambda v: isinstance(v, dict),
    'array': lambda v: isinstance(v, list),
    'string': lambda v: isinstance(v, str),
    'boolean': lambda v: isinstance(v, bool),
    'integer': lambda v: isinstance(v, int) and not isinstance(v, bool),
    'number': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    'null': lambda v: v is None,
}


def errors(instance, schema, path='$'):
    """Return a list of 'path: problem' strings; empty when `instance` is valid."""
    found = []
    _compiled(schema)(instance, path, found)
    return found


# A schema compiles once into nested checks (the dataset publish validates every stored result):
# kept by id, with the schema itself so its id is not reused while cached.
_CACHE = {}


def _compiled(schema):
    entry = _CACHE.get(id(schema))
    if entry is None or entry[0] is not schema:
        if len(_CACHE) > 256:
            _CACHE.clear()
        entry = _CACHE[id(schema)] = (schema, _compile(schema))
    return entry[1]


def _where(path):
    """Paths are built lazily, ('$', 'job', 'threads') style tuples, spelled only for an error."""
    if isinstance(path, str):
        return path
    parent, step = path
    return ('%s[%d]' if isinstance(step, int) else '%s.%s') % (_where(parent), step)


def _compile(schema):
    kinds = schema.get('type')
    kinds = None if kinds is None else (kinds if isinstance(kinds, list) else [kinds])
    type_ok = _type_test(kinds)
    required = schema.get('required', [])
    properties = dict((name, _compiled(sub)) for name, sub in schema.get('properties', {}).items())
    closed = schema.get('additionalProperties', True) is False
    items = _compiled(schema['items']) if 'items' in schema else None
    pattern = re.compile(schema['pattern']) if 'pattern' in schema else None
    when = _compiled(schema['if']) if 'if' in schema else None
    then = _compiled(schema.get('then', {})) if when else None
    has = dict((key, key in schema) for key in ('enum', 'const', 'minimum', 'minItems', 'maxItems'))

    def check(instance, path, found):
        if type_ok is not None and not type_ok(instance):
            found.append('%s: expected %s, got %s' % (_where(path), ' or '.join(kinds), type(instance).__name__))
            return
        if has['enum'] and instance not in schema['enum']:
            found.append('%s: %r is not one of %r' % (_where(path), instance, schema['enum']))
        if has['const'] and instance != schema['const']:
            found.append('%s: %r is not %r' % (_where(path), instance, schema['const']))
        if isinstance(instance, dict):
            for name in required:
                if name not in instance:
                    found.append('%s: missing required field %r' % (_where(path), name))
            for name, value in instance.items():
                sub = properties.get(name)
                if sub is not None:
                    if sub.only_type is None or not sub.only_type(value):
                        sub(value, (path, name), found)
                elif closed:
                    found.append('%s: unexpected field %r' % (_where(path), name))
        elif isinstance(instance, list):
            if has['minItems'] and len(instance) < schema['minItems']:
                found.append('%s: fewer than %d items' % (_where(path), schema['minItems']))
            if has['maxItems'] and len(instance) > schema['maxItems']:
                found.append('%s: more than %d items' % (_where(path), schema['maxItems']))
            if items is not None:
                for index, item in enumerate(instance):
                    if items.only_type is None or not items.only_type(item):
                        items(item, (path, index), found)
        elif has['minimum'] and _TYPES['number'](instance) and instance < schema['minimum']:
            found.append('%s: %r is below the minimum %r' % (_where(path), instance, schema['minimum']))
        elif pattern is not None and isinstance(instance, str) and not pattern.search(instance):
            found.append('%s: %r does not match %s' % (_where(path), instance, schema['pattern']))
        if when is not None:
            probe = []
            when(instance, path, probe)
            if not probe:
                then(instance, path, found)
    # A schema that is a type and nothing else is checked in place by its parent (arrays of numbers).
    check.only_type = type_ok if set(schema) == {'type'} else None
    return check


_PY_TYPES = {'object': (dict,), 'array': (list,), 'string': (str,), 'boolean': (bool,), 'integer': (int,),
             'number': (int, float), 'null': (type(None),)}


def _type_test(kinds):
    """One test for a list of JSON types (None: any type). JSON booleans are not numbers, Python's are."""
    if kinds is None:
        return None
    if not kinds:   # type: [] admits nothing
        return lambda value: False
    accepted = tuple(set(t for kind in kinds for t in _PY_TYPES[kind]))
    if 'boolean' in kinds or not (set(kinds) & {'integer', 'number'}):
        return lambda value: isinstance(value, accepted)
    return lambda value: isinstance(value, accepted) and not isinstance(value, bool)
