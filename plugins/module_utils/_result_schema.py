# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the result document's JSON Schema (draft 2020-12), version 1.

This dict is the single source. `benchmarks/schema/result-v1.schema.json` is generated from
it (`make schema`) and a unit test fails when the two differ. It lives in Python because
Ansible ships module_utils to the instance but no data files.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks

SCHEMA_VERSION = '1.1'
# Documents of these versions still read (1.1 added quality, environment, confidence intervals
# and check severity, all optional for 1.0 documents).
READABLE_VERSIONS = ['1.0', '1.1']

_NULLABLE_STR = {'type': ['string', 'null']}
_NULLABLE_NUM = {'type': ['number', 'null']}
_NULLABLE_INT = {'type': ['integer', 'null']}

_METRIC = {
    'type': 'object',
    'required': ['name', 'unit', 'higher_is_better', 'value', 'values', 'n', 'median', 'min', 'max', 'stdev', 'cv'],
    'additionalProperties': False,
    'properties': {
        'name': {'type': 'string', 'pattern': '^[a-z0-9_]+$'},
        'unit': {'type': 'string', 'description': 'SI units: GB/s means 1e9 bytes per second.'},
        'higher_is_better': {'type': 'boolean'},
        'value': {'type': 'number', 'description': 'Headline value: the median over repetitions.'},
        'values': {'type': 'array', 'items': {'type': 'number'}, 'minItems': 1},
        'n': {'type': 'integer', 'minimum': 1},
        'median': {'type': 'number'},
        'min': {'type': 'number'},
        'max': {'type': 'number'},
        'stdev': {'type': 'number', 'minimum': 0},
        'cv': {'type': 'number', 'minimum': 0},
        'ci_low': {'type': 'number', 'description': 'Distribution-free confidence interval of the median (low).'},
        'ci_high': {'type': 'number'},
        'ci_level': {'type': 'number', 'minimum': 0,
                     'description': 'Coverage the interval really has: 0.95 or more from 6 values, less below.'},
    },
}

_CHECK = {
    'type': 'object',
    'required': ['name', 'passed', 'detail'],
    'additionalProperties': False,
    'properties': {
        'name': {'type': 'string'},
        'passed': {'type': 'boolean'},
        'detail': {'type': 'string'},
        'severity': {'enum': ['error', 'warning', 'rule'],
                     'description': 'error (the default) invalidates the result; a warning is reported and kept; '
                                    'rule: a run rule broken, the result is kept but marked non-compliant.'},
    },
}

_QUALITY = {
    'type': ['object', 'null'],
    'required': ['status', 'gate', 'cv', 'repetitions', 'min_repetitions', 'max_repetitions', 'warnings'],
    'additionalProperties': False,
    'properties': {
        'status': {'enum': ['stable', 'noisy', 'unjudged'],
                   'description': 'stable: every gated metric within its CV gate; noisy: the maximum '
                                  'repetitions ran first; unjudged: fewer than 3 repetitions or no gate.'},
        'gate': {'type': 'object', 'description': 'Metric -> the largest coefficient of variation accepted.'},
        'cv': {'type': 'object', 'description': 'Metric -> the coefficient of variation reached.'},
        'repetitions': {'type': 'integer', 'minimum': 1},
        'min_repetitions': {'type': 'integer', 'minimum': 1},
        'max_repetitions': {'type': 'integer', 'minimum': 1},
        'warnings': {'type': 'array', 'items': {'type': 'string'}},
    },
}

_COUNTS = {
    'type': 'object',
    'additionalProperties': False,
    'description': "One repetition's perf stat counts, or the reason it has none.",
    'properties': {
        'instructions': {'type': 'integer', 'minimum': 0},
        'cycles': {'type': 'integer', 'minimum': 1},
        'ipc': {'type': 'number', 'minimum': 0, 'description': 'Instructions per cycle.'},
        'cache_misses': _NULLABLE_INT,
        'running_percent': {'type': 'number', 'minimum': 0,
                            'description': 'Lowest share of the run an event was counted for (below 100: multiplexed, '
                                           'perf scaled the count).'},
        'reason': {'type': 'string'},
    },
}

_COUNTERS = {
    'type': 'object',
    'required': ['available', 'reason', 'per_repetition', 'ipc'],
    'additionalProperties': False,
    'description': ('Hardware counters (run_benchmark counters=true): perf stat around each repetition where the host '
                    'has a CPU PMU; elsewhere available=false, the reason, and no numbers. Absent when not asked for.'),
    'properties': {
        'available': {'type': 'boolean'},
        'reason': _NULLABLE_STR,
        'per_repetition': {'type': 'array', 'items': _COUNTS},
        'ipc': dict(_NULLABLE_NUM, description='Median instructions per cycle over the counted repetitions.'),
    },
}

_ARTIFACT = {
    'type': 'object',
    'required': ['key', 'sha256', 'bytes'],
    'additionalProperties': False,
    'properties': {
        'key': {'type': 'string'},
        'sha256': {'type': 'string', 'pattern': '^[0-9a-f]{64}$'},
        'bytes': {'type': 'integer', 'minimum': 0},
    },
}

RESULT_SCHEMA = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    '$id': 'https://github.com/instancebench/aws/benchmarks/schema/result-v1.schema.json',
    'title': 'instancebench.aws benchmark result',
    'description': ('One job: one benchmark variant on one host, repeated `parameters.repetitions` times. '
                    'A result whose validation did not pass carries no metrics.'),
    'type': 'object',
    'required': ['schema_version', 'job', 'instance', 'system', 'build', 'parameters', 'metrics',
                 'validation', 'artifacts'],
    'additionalProperties': False,
    'properties': {
        'schema_version': {'enum': READABLE_VERSIONS},
        'job': {
            'type': 'object',
            'required': ['run_id', 'job_id', 'benchmark', 'variant', 'state', 'reason', 'started_at',
                         'finished_at', 'duration_s'],
            'additionalProperties': False,
            'properties': {
                'run_id': {'type': 'string', 'pattern': '^[A-Za-z0-9._-]+$'},
                'job_id': {'type': 'string', 'pattern': '^[A-Za-z0-9._-]+$'},
                'benchmark': {'enum': _benchmarks.names()},
                'variant': {'type': 'string'},
                'state': {'enum': ['completed', 'failed', 'timed_out']},
                'reason': _NULLABLE_STR,
                'started_at': {'type': 'string', 'description': 'UTC, ISO 8601'},
                'finished_at': {'type': 'string', 'description': 'UTC, ISO 8601'},
                'duration_s': {'type': 'number', 'minimum': 0},
            },
        },
        'instance': {
            'type': 'object',
            'required': ['type', 'id', 'region', 'availability_zone', 'market', 'price_per_hour_usd', 'ami',
                         'hostname'],
            'additionalProperties': False,
            'properties': {
                'type': _NULLABLE_STR,
                'id': _NULLABLE_STR,
                'region': _NULLABLE_STR,
                'availability_zone': _NULLABLE_STR,
                'market': {'enum': ['on-demand', 'spot', 'none', None]},
                'price_per_hour_usd': _NULLABLE_NUM,
                'ami': _NULLABLE_STR,
                'hostname': _NULLABLE_STR,
                # When the instance started (EC2 launch time): runtime and cost count from here.
                'launched_at': _NULLABLE_STR,
            },
        },
        'system': {
            'type': 'object',
            'description': 'Host facts from instancebench.aws.host_facts.',
            'required': ['arch', 'cpu', 'uarch', 'topology', 'caches', 'memory', 'os', 'kernel', 'compiler'],
            'properties': {
                'arch': {'type': 'string'},
                'cpu': {'type': 'object'},
                'uarch': {'type': 'object', 'required': ['name', 'source']},
                'topology': {'type': 'object',
                             'required': ['logical_cpus', 'physical_cores', 'sockets', 'threads_per_core',
                                          'numa_nodes']},
                'caches': {'type': 'object'},
                'memory': {'type': 'object', 'required': ['total_bytes', 'available_bytes']},
                'os': {'type': 'object'},
                'kernel': {'type': 'string'},
                'compiler': {'type': ['object', 'null']},
            },
        },
        'build': {
            'type': 'object',
            'required': ['compiler', 'compiler_version', 'flags', 'flag_source', 'flag_warnings', 'source',
                         'binary_sha256'],
            'properties': {
                'compiler': {'type': 'string'},
                'compiler_version': _NULLABLE_STR,
                'flags': {'type': 'array', 'items': {'type': 'string'}},
                'flag_source': {'enum': ['catalog', 'native-fallback', 'user']},
                'flag_warnings': {'type': 'array', 'items': {'type': 'string'}},
                'source': {
                    'type': 'object',
                    'required': ['name', 'version', 'url', 'sha256'],
                    'properties': {
                        'name': {'type': 'string'},
                        'version': {'type': 'string'},
                        'url': {'type': 'string'},
                        'sha256': {'type': 'string', 'pattern': '^[0-9a-f]{64}$'},
                    },
                },
                'binary_sha256': {'type': 'string', 'pattern': '^[0-9a-f]{64}$'},
                # Where the binary came from: built here, or the build cache (which key, which job built it).
                'binary_cache': {
                    'type': 'object',
                    'required': ['from_cache'],
                    'properties': {
                        'from_cache': {'type': 'boolean'},
                        'key': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{64}$'},
                        'sha256': {'type': 'string', 'pattern': '^[0-9a-f]{64}$'},
                        'built_by': {'type': 'object'},
                    },
                },
            },
        },
        'parameters': {
            'type': 'object',
            'required': ['repetitions', 'timeout_s'],
            'properties': {
                'repetitions': {'type': 'integer', 'minimum': 1},
                'timeout_s': {'type': 'number', 'minimum': 1},
            },
        },
        'metrics': {'type': 'array', 'items': _METRIC},
        'validation': {
            'type': 'object',
            'required': ['passed', 'checks'],
            'additionalProperties': False,
            'properties': {
                'passed': {'type': 'boolean'},
                'checks': {'type': 'array', 'items': _CHECK, 'minItems': 1},
            },
        },
        'artifacts': {
            'type': 'object',
            'required': ['raw_log'],
            'properties': {'raw_log': _ARTIFACT},
        },
        'efficiency': {
            'type': ['object', 'null'],
            'description': 'Measured / theoretical peak, with the assumption that gives the peak.',
        },
        'quality': _QUALITY,
        'compliance': {
            'type': 'object',
            'required': ['compliant', 'broken'],
            'additionalProperties': False,
            'description': "The benchmark's run rules: a non-compliant result keeps its numbers but has no headline.",
            'properties': {'compliant': {'type': 'boolean'}, 'broken': {'type': 'array', 'items': {'type': 'string'}}},
        },
        'environment': {
            'type': 'object',
            'description': 'Variables that steer the libraries (OPENBLAS_*, OMP_*, MKL_*, BLIS_*, ...) as the run saw them.',
        },
        'counters': _COUNTERS,
    },
    # An invalid result must never carry a number a reader could mistake for a measurement.
    'if': {'properties': {'validation': {'properties': {'passed': {'const': False}}}}},
    'then': {'properties': {'metrics': {'maxItems': 0}}},
}


def result_schema(benchmarks):
    """RESULT_SCHEMA (published with the benchmarks this collection ships) with `benchmarks` as the
    job's benchmark enum: a benchmark registered later validates too."""
    if list(benchmarks) == RESULT_SCHEMA['properties']['job']['properties']['benchmark']['enum']:
        return RESULT_SCHEMA
    schema = dict(RESULT_SCHEMA, properties=dict(RESULT_SCHEMA['properties']))
    job = dict(schema['properties']['job'], properties=dict(schema['properties']['job']['properties']))
    job['properties']['benchmark'] = {'enum': list(benchmarks)}
    schema['properties']['job'] = job
    return schema
