# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: how sure a result is — the spread gate that decides when repetitions may stop, the
environment that steers the benchmark's libraries, and checks that the library, the kernel and
the peak were the right ones.

Stdlib only: run_benchmark uses it on the instance.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers
from ansible_collections.instancebench.aws.plugins.module_utils._stats import summarize

# A coefficient of variation from fewer values says nothing about the spread.
MIN_VALUES_FOR_GATE = 3
# Variables that change what a benchmark's libraries do: recorded with every result.
LIBRARY_ENV_PREFIXES = ('OPENBLAS_', 'GOTO_', 'OMP_', 'GOMP_', 'KMP_', 'MKL_', 'BLIS_', 'FLAME_', 'FFTW_',
                        'OMPI_MCA_', 'PMIX_MCA_', 'UCX_', 'ARMPL_', 'LD_PRELOAD', 'LD_LIBRARY_PATH')
# OpenBLAS core names (OPENBLAS_VERBOSE=2 "Core:" line, OPENBLAS_CORETYPE values) -> the widest
# vector ISA their kernels use. Source: OpenBLAS driver/others/dynamic.c and kernel/ KERNEL files.
OPENBLAS_CORE_ISA = {
    'skylakex': 'avx512', 'cooperlake': 'avx512', 'sapphirerapids': 'avx512',
    'haswell': 'avx2', 'zen': 'avx2', 'excavator': 'avx2',
    'sandybridge': 'avx', 'bulldozer': 'avx', 'piledriver': 'avx', 'steamroller': 'avx',
    'nehalem': 'sse', 'core2': 'sse', 'penryn': 'sse', 'dunnington': 'sse', 'atom': 'sse', 'prescott': 'sse',
    'barcelona': 'sse', 'opteron': 'sse', 'katmai': 'sse',
    'neoversev1': 'sve', 'neoversev2': 'sve', 'a64fx': 'sve', 'armv8sve': 'sve',
    'neoversen1': 'neon', 'neoversen2': 'neon', 'armv8': 'neon', 'cortexa57': 'neon', 'cortexa72': 'neon',
    'thunderx2t99': 'neon',
}
_ISA_RANK = {'sse': 1, 'avx': 2, 'avx2': 3, 'avx512': 4, 'neon': 1, 'sve': 2}
_STEERING = {'openblas': ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_VERBOSE', 'GOTO_NUM_THREADS')}


def library_environment(env):
    """The variables of `env` that steer libraries, sorted by name."""
    return dict(sorted((name, str(value)) for name, value in env.items() if name.startswith(LIBRARY_ENV_PREFIXES)))


def cpu_vector_isa(cpu_flags, arch):
    """The widest vector ISA the CPU's flags (x86 `flags`, aarch64 `Features`) offer."""
    flags = set(cpu_flags or ())
    if arch == 'aarch64':
        return 'sve' if 'sve' in flags else 'neon'
    for isa, needs in (('avx512', ('avx512f', 'avx512dq', 'avx512vl')), ('avx2', ('avx2', 'fma')),
                       ('avx', ('avx',)), ('sse', ('sse2',))):
        if set(needs) <= flags:
            return isa
    return None


def blas_kernel_check(core, cpu_flags, arch, env):
    """A warning check when OpenBLAS ran kernels narrower than the CPU's vector units, naming the cause."""
    kernels = [name for name in (core or '').split(',') if name]
    cpu_isa = cpu_vector_isa(cpu_flags, arch)
    used = [OPENBLAS_CORE_ISA.get(name.lower()) for name in kernels]
    if not kernels or cpu_isa is None or None in used:
        return _numbers.check('blas_kernel_matches_cpu', True, 'OpenBLAS kernel %s, CPU %s: not compared (%s)'
                              % (core, cpu_isa, 'kernel not in the table' if kernels else 'no kernel reported'))
    narrower = [name for name, isa in zip(kernels, used) if _ISA_RANK[isa] < _ISA_RANK[cpu_isa]]
    if not narrower:
        return _numbers.check('blas_kernel_matches_cpu', True, 'OpenBLAS kernel %s uses %s, as the CPU offers'
                              % (core, cpu_isa))
    forced = ['%s=%s is set' % (name, env[name]) for name in _STEERING['openblas'][:2] if env.get(name)]
    cause = '; '.join(forced) if forced else 'this OpenBLAS build does not know the CPU (upgrade OpenBLAS)'
    return dict(_numbers.check('blas_kernel_matches_cpu', False, 'OpenBLAS ran the %s kernel (%s) on a CPU with %s: %s'
                               % (core, '/'.join(sorted(set(used))), cpu_isa, cause)), severity='warning')


def peak_checks(metrics, peaks, margin=1.05):
    """A result above `margin` x a ceiling peak means the peak table or the clock is wrong."""
    values = dict((m['name'], m['value']) for m in metrics)
    checks = []
    for peak in peaks:
        if not peak.get('ceiling') or peak.get('metric') not in values or float(peak.get('value') or 0) <= 0:
            continue
        measured, top = values[peak['metric']], float(peak['value'])
        checks.append(_numbers.check('below_peak.%s' % peak['metric'], measured <= margin * top,
                                     '%s %.4g is %.0f %% of the %.4g peak (%s); above %.0f %% the peak or its clock is '
                                     'wrong' % (peak['metric'], measured, 100.0 * measured / top, top,
                                                peak.get('assumption', ''), 100 * margin)))
    return checks


def expand_gate(gate, names):
    """Gate patterns (`mflops_*`) -> {metric: max CV} over the metric names a run produced."""
    expanded = {}
    for pattern, limit in sorted(gate.items()):
        for name in names:
            if fnmatch.fnmatchcase(name, pattern):
                expanded[name] = float(limit)
    return expanded


def gate_reached(reps, gate, minimum):
    """(stop, cv per gated metric): stop once `minimum` repetitions ran and, with at least
    MIN_VALUES_FOR_GATE values, every gated metric's CV is within its gate. Any repetition that
    failed a check stops too: more runs cannot make the job valid."""
    if any(_numbers.invalidates(c) for rep in reps for c in rep[1]):
        return True, {}
    gate = expand_gate(gate, sorted(reps[0][0]) if reps else [])
    cvs = dict((name, _cv(reps, name)) for name in sorted(gate))
    if len(reps) < minimum:
        return False, cvs
    if not gate:
        return True, cvs
    if len(reps) < MIN_VALUES_FOR_GATE:
        return False, cvs
    return all(cv is not None and cv <= gate[name] for name, cv in cvs.items()), cvs


def _cv(reps, name):
    values = [rep[0][name][0] for rep in reps if name in rep[0]]
    return round(summarize(values)['cv'], 6) if len(values) == len(reps) and values else None


def quality(reps, gate, minimum, maximum, warnings):
    """The result's `quality`: stable (gate held), noisy (maximum reached first), unjudged (fewer
    than MIN_VALUES_FOR_GATE repetitions allowed, or no gate)."""
    gate = expand_gate(gate, sorted(reps[0][0]) if reps else [])
    # No gated metric (no gate, or a run that produced no figures), too few runs, or a run that
    # failed its checks (the result is invalid): no verdict on the spread.
    invalid = any(_numbers.invalidates(c) for rep in reps for c in rep[1])
    cvs = dict((name, None if invalid else _cv(reps, name)) for name in gate)
    held = bool(gate) and len(reps) >= MIN_VALUES_FOR_GATE and all(
        cv is not None and cv <= gate[name] for name, cv in cvs.items())
    if not gate or len(reps) < MIN_VALUES_FOR_GATE or invalid:
        status = 'unjudged'
    else:
        status = 'stable' if held else 'noisy'
    return {'status': status, 'gate': dict(sorted(gate.items())), 'cv': cvs, 'repetitions': len(reps),
            'min_repetitions': minimum, 'max_repetitions': maximum, 'warnings': warnings}


def worst_cv(quality):
    """(metric, CV) of the gated metric that spread most, or None."""
    measured = [(cv, name) for name, cv in ((quality or {}).get('cv') or {}).items() if cv is not None]
    return tuple(reversed(max(measured))) if measured else None


def summary_line(doc):
    """One line on how far a result can be trusted: quality, spread, runs, warnings, flag fallbacks."""
    if not doc:
        return 'no result document'
    quality = doc.get('quality') or {}
    parts = []
    if quality:
        cvs = ', '.join('%s CV %.1f %%%s' % (name, 100 * cv, ' (gate %.0f %%)' % (100 * quality['gate'][name])
                                             if name in quality.get('gate', {}) else '')
                        for name, cv in sorted(quality.get('cv', {}).items()) if cv is not None)
        parts.append('quality %s over %d runs (%d to %d)%s' % (
            quality['status'], quality['repetitions'], quality['min_repetitions'], quality['max_repetitions'],
            ': ' + cvs if cvs and len(quality['cv']) <= 3 else
            ': worst %s CV %.1f %%' % (worst_cv(quality)[0], 100 * worst_cv(quality)[1]) if worst_cv(quality) else ''))
    warnings = list(quality.get('warnings') or []) + list((doc.get('build') or {}).get('flag_warnings') or [])
    parts.append('warnings: ' + '; '.join(warnings) if warnings else 'no kernel or flag warning')
    return '; '.join(parts)
