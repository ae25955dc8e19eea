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
    kinds = schema.get('type')
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not any(_TYPES[kind](instance) for kind in kinds):
            return ['%s: expected %s, got %s' % (path, ' or '.join(kinds), type(instance).__name__)]
    if 'enum' in schema and instance not in schema['enum']:
        found.append('%s: %r is not one of %r' % (path, instance, schema['enum']))
    if 'const' in schema and instance != schema['const']:
        found.append('%s: %r is not %r' % (path, instance, schema['const']))
    if isinstance(instance, dict):
        found.extend(_object_errors(instance, schema, path))
    if isinstance(instance, list):
        found.extend(_array_errors(instance, schema, path))
    if _TYPES['number'](instance) and 'minimum' in schema and instance < schema['minimum']:
        found.append('%s: %r is below the minimum %r' % (path, instance, schema['minimum']))
    if isinstance(instance, str) and 'pattern' in schema and not re.search(schema['pattern'], instance):
        found.append('%s: %r does not match %s' % (path, instance, schema['pattern']))
    if 'if' in schema and not errors(instance, schema['if'], path):
        found.extend(errors(instance, schema.get('then', {}), path))
    return found


def _object_errors(instance, schema, path):
    found = []
    for name in schema.get('required', []):
        if name not in instance:
            found.append('%s: missing required field %r' % (path, name))
    properties = schema.get('properties', {})
    for name, value in instance.items():
        if name in properties:
            found.extend(errors(value, properties[name], '%s.%s' % (path, name)))
        elif schema.get('additionalProperties', True) is False:
            found.append('%s: unexpected field %r' % (path, name))
    return found


def _array_errors(instance, schema, path):
    found = []
    if 'minItems' in schema and len(instance) < schema['minItems']:
        found.append('%s: fewer than %d items' % (path, schema['minItems']))
    if 'maxItems' in schema and len(instance) > schema['maxItems']:
        found.append('%s: more than %d items' % (path, schema['maxItems']))
    if 'items' in schema:
        for index, item in enumerate(instance):
            found.extend(errors(item, schema['items'], '%s[%d]' % (path, index)))
    return found
