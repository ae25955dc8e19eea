# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: reference values and changes across runs (the ReFrame idea: a figure is judged against
an expected value with tolerances, kept as data).

References (benchmarks/references/*.yml, read by the publish playbook) map a scope - an instance
type, a family or a microarchitecture, the most specific that has an entry wins - and
`<benchmark>/<variant>/<metric>` to `{value, lower, upper, unit}`, lower and upper as fractions of
the value (-0.1, 0.1 = within 10 %). A job whose figure falls outside its reference is flagged and
kept out of the aggregates, never averaged in.

Changes between runs (k and tolerance below are their defaults) are computed in SQL by _summaries.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import os

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks

DEFAULT_K = 3.0
DEFAULT_TOLERANCE = 0.05
_SCOPES = ('instance_types', 'families', 'uarchs')


class ReferencesError(ValueError):
    """A references document that cannot be used (named field, and how to fix it)."""


def check(document, source='references'):
    """The references as {scope kind: {scope: {key: entry}}}, or ReferencesError naming the field."""
    if document in (None, {}):
        return dict((kind, {}) for kind in _SCOPES)
    if not isinstance(document, dict):
        raise ReferencesError('%s: expected a mapping with %s' % (source, ', '.join(_SCOPES)))
    unknown = sorted(set(document) - set(_SCOPES) - {'schema_version'})
    if unknown:
        raise ReferencesError('%s: unknown field %s: use %s' % (source, ', '.join(unknown), ', '.join(_SCOPES)))
    out = {}
    for kind in _SCOPES:
        out[kind] = {}
        for scope, entries in (document.get(kind) or {}).items():
            where = '%s.%s.%s' % (source, kind, scope)
            if not isinstance(entries, dict):
                raise ReferencesError('%s: expected <benchmark>/<variant>/<metric>: {value, lower, upper, unit}' % where)
            out[kind][str(scope)] = dict((key, _entry(entry, '%s.%s' % (where, key))) for key, entry in entries.items())
    return out


def _entry(entry, where):
    if not isinstance(entry, dict) or str(entry.get('value', '')).strip() == '':
        raise ReferencesError('%s: give value, lower, upper (fractions of value, e.g. -0.1 and 0.1) and unit' % where)
    try:
        value, lower, upper = float(entry['value']), float(entry.get('lower', -0.1)), float(entry.get('upper', 0.1))
    except (TypeError, ValueError):
        raise ReferencesError('%s: value, lower and upper must be numbers' % where)
    if not (lower <= 0 <= upper) or math.isnan(value):
        raise ReferencesError('%s: lower must be <= 0 <= upper (fractions of value), got %s and %s' % (where, lower, upper))
    if len(where.rsplit('.', 1)[-1].split('/')) != 3:
        raise ReferencesError('%s: the key must be <benchmark>/<variant>/<metric>' % where)
    return {'value': value, 'lower': lower, 'upper': upper, 'unit': entry.get('unit')}


def reference_for(references, record):
    """(entry, scope) of the most specific reference of a result record, or (None, None)."""
    key = _benchmarks.figure_key(record)
    for kind, field in (('instance_types', 'instance_type'), ('families', 'family'), ('uarchs', 'uarch')):
        entry = references[kind].get(record.get(field) or '', {}).get(key)
        if entry is not None:
            return entry, '%s %s' % (kind[:-1].replace('_', ' '), record.get(field))
    return None, None


def bounds(entry):
    """(low, high) of a reference entry: a figure below low or above high is outside it."""
    return entry['value'] * (1 + entry['lower']), entry['value'] * (1 + entry['upper'])


def propose(aggregates, tolerance=0.1, k=DEFAULT_K):
    """References seeded from a snapshot's aggregates: per instance type, the median with a band of
    max(k x CV, tolerance) on each side. A person reviews them before they go into benchmarks/references/."""
    out = {'schema_version': 1, 'instance_types': {}}
    for cell in aggregates:
        band = round(max(k * (cell['cv'] or 0.0), tolerance), 3)
        out['instance_types'].setdefault(cell['instance_type'], {})[
            _benchmarks.figure_key(cell)] = {
                'value': round(cell['median'], 4), 'lower': -band, 'upper': band, 'unit': cell['unit']}
    return out


def change_line(change):
    """One line for the terminal: what moved, by how much, between which runs."""
    return '%s %s %s/%s/%s: %.4g -> %.4g %s (%+.1f %%, threshold %.1f %%), run %s against %s' % (
        change['kind'].upper(), change['instance_type'], change['benchmark'], change['variant'], change['metric'],
        change['before_median'], change['after_median'], change['unit'] or '', change['change_pct'] or 0.0,
        change['threshold_pct'] or 0.0, change['after_run'], change['before_runs'])


def load(path, read_yaml):
    """References from a YAML file or every *.yml/*.yaml of a directory (merged; a scope+key given
    twice is an error naming both files); {} for a path that does not exist."""
    if not path or not os.path.exists(path):
        return check(None)
    files = [path] if os.path.isfile(path) else sorted(
        os.path.join(path, name) for name in os.listdir(path) if name.endswith(('.yml', '.yaml')))
    merged, origin = dict((kind, {}) for kind in _SCOPES), {}
    for name in files:
        with open(name) as handle:
            try:
                document = read_yaml(handle)
            except Exception as exc:  # the YAML library's own error type
                raise ReferencesError('%s is not valid YAML: %s' % (name, exc))
        part = check(document, name)
        for kind in _SCOPES:
            for scope, entries in part[kind].items():
                for key, entry in entries.items():
                    where = (kind, scope, key)
                    if where in origin:
                        raise ReferencesError('%s.%s.%s is given in %s and in %s: keep one' % (
                            kind, scope, key, origin[where], name))
                    origin[where] = name
                    merged[kind].setdefault(scope, {})[key] = entry
    return merged
