# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: assemble a result document from analysed repetitions (benchmark-neutral)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks, _numbers
from ansible_collections.instancebench.aws.plugins.module_utils._result_schema import SCHEMA_VERSION, result_schema
from ansible_collections.instancebench.aws.plugins.module_utils._stats import median_ci, summarize
from ansible_collections.instancebench.aws.plugins.module_utils._validate import errors as schema_errors


def analyzer(benchmark):
    """analyze(text, expected) -> (metrics, checks[, observed]) of a registered benchmark; KeyError
    naming the registered ones otherwise."""
    found = _benchmarks.get(benchmark)
    if found is None:
        raise KeyError('unknown benchmark %r; registered: %s' % (benchmark, ', '.join(_benchmarks.names())))
    if found.metrics is None:
        return found.analyze

    def analyze(text, expected):
        # A metric the registry does not declare (a parser that changed, a unit mixed up) is not published.
        out = found.analyze(text, expected)
        wrong = _benchmarks.undeclared_metrics(benchmark, out[0])
        if wrong:
            out = (out[0], list(out[1]) + [_numbers.check('metrics_declared', False, '; '.join(wrong))]) + tuple(out[2:])
        return out
    return analyze


def combine(repetitions):
    """[(metrics, checks[, observed]), ...] -> (metric entries, checks, passed, observed).

    Checks are prefixed with the repetition number. A metric is published only when every
    repetition passed every check (a check of severity `warning` is recorded and reported but
    does not invalidate): one bad run makes the whole job invalid. `observed` is what the first
    repetition reported about its environment (e.g. the BLAS kernel used).
    """
    checks = []
    observed = next((rep[2] for rep in repetitions if len(rep) > 2 and rep[2]), {})
    for index, rep in enumerate(repetitions, 1):
        rep_checks = rep[1]
        for check in rep_checks:
            checks.append(dict(check, name='rep%d.%s' % (index, check['name'])))
    passed = bool(checks) and not any(_numbers.invalidates(check) for check in checks)
    entries = []
    if passed:
        # A metric some repetitions do not derive (latency's TLB penalty exists only when huge pages
        # read faster) is summarized over the repetitions that have it: n says how many.
        names = []
        for rep in repetitions:
            names.extend(name for name in rep[0] if name not in names)
        for name in names:
            having = [rep[0][name] for rep in repetitions if name in rep[0]]
            values = [value for value, _unit, _higher in having]
            stats = summarize(values)
            entry = {'name': name, 'unit': having[0][1], 'higher_is_better': having[0][2],
                     'value': stats['median'], 'values': values}
            entry.update((key, stats[key]) for key in ('n', 'median', 'min', 'max', 'stdev', 'cv'))
            entry['ci_low'], entry['ci_high'], entry['ci_level'] = median_ci(values)
            entries.append(entry)
    return entries, checks, passed, observed


def efficiency(metrics, peaks):
    """Headline value / theoretical peak for each given peak, with the peak's assumption."""
    values = dict((m['name'], m['value']) for m in metrics)
    entries = []
    for peak in peaks:
        if peak.get('metric') in values and float(peak.get('value') or 0) > 0:
            measured, top = values[peak['metric']], float(peak['value'])
            entries.append({'metric': peak['metric'], 'measured': measured, 'peak': top,
                            'efficiency': measured / top, 'assumption': peak.get('assumption', '')})
    return {'entries': entries} if entries else None


def warnings(checks):
    """Failed checks of severity `warning`, one line each: what a reader must be told."""
    return ['%s: %s' % (c['name'], c['detail']) for c in checks if c.get('severity') == 'warning' and not c['passed']]


def compliance(checks):
    """{'compliant', 'broken'}: the run rules (checks of severity `rule`) a result broke."""
    broken = ['%s: %s' % (c['name'], c['detail']) for c in checks if c.get('severity') == 'rule' and not c['passed']]
    return {'compliant': not broken, 'broken': broken}


def document(job, instance, system, build, parameters, metrics, checks, passed, artifacts, efficiency=None,
             quality=None, environment=None, counters=None):
    """The result document; a result that broke a run rule keeps its numbers, marked non-compliant.
    `counters` (perf stat's, only when asked for) is left out when None, so a run without it is unchanged."""
    doc = {
        'schema_version': SCHEMA_VERSION,
        'job': job,
        'instance': instance,
        'system': system,
        'build': build,
        'parameters': parameters,
        'metrics': metrics if passed else [],
        'validation': {'passed': passed, 'checks': checks},
        'artifacts': artifacts,
        'efficiency': efficiency,
        'quality': quality,
        'compliance': compliance(checks),
        'environment': environment if environment is not None else {},
    }
    if counters is not None:
        doc['counters'] = counters
    return doc


def validate(doc):
    """Schema problems as strings (empty list when the document is valid)."""
    return schema_errors(doc, result_schema(_benchmarks.names()))
