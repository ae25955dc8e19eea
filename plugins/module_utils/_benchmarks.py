# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the benchmark registry — what a benchmark is, in one place.

Every layer asks here: the plan check (which names exist), the result schema (its enum),
run_benchmark (the analyzer), collect (the summary phrase), the dataset (the headline metric
compared across instance types) and the report (titles). A new benchmark is one parser module
with `analyze(text, expected) -> (metrics, checks[, observed])`, one `register()` below, one role
and its pins (see docs/architecture.md, "Add a benchmark").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

from ansible_collections.instancebench.aws.plugins.module_utils import _fftw, _hpl, _latency, _openssl_speed, _stream
from ansible_collections.instancebench.aws.plugins.module_utils import _sevenzip, _stressng, _sysbench
from ansible_collections.instancebench.aws.plugins.module_utils import _gemm
from ansible_collections.instancebench.aws.plugins.module_utils import _compile
from ansible_collections.instancebench.aws.plugins.module_utils import _stream_cache
from ansible_collections.instancebench.aws.plugins.module_utils import _stream_numa
from ansible_collections.instancebench.aws.plugins.module_utils import _stream_isa
from ansible_collections.instancebench.aws.plugins.module_utils import _hpl_isa


class Benchmark(object):
    """name: as in plans, keys and the schema; title/what: how the report names it; analyze: the
    parser; headline: the metric instance types are ranked on (None: no single one, e.g. FFTW's
    per-problem rates); phrase: doc metrics {name: entry} -> the summary phrase, or None for the
    generic one; peak_kind: what its efficiency is measured against (flops, bytes or None);
    category: which of a recommender's tables it feeds (memory or cpu, see _compass); cv_gate:
    {metric or pattern: the largest coefficient of variation a stable result may have}, which
    decides how often run_benchmark repeats; role: the collection role that builds and runs it
    (its name when that is a valid role name; '7zip' is not); metrics: {metric name or pattern:
    (unit, higher_is_better)} the analyzer may report — a metric outside them, or in another unit,
    invalidates the repetition (None: not declared, not checked); default: run when the user names
    no benchmark (launch.yml's selection, a schedule request's) — the suites are opt-in;
    report_metrics: metric patterns the report's section plots side by side for each instance type
    (grouped bars, one plot per unit; FFTW's per-problem rates, STREAM's four kernels); curves: for
    a result whose build.observed carries curves ({name: [[x, y], ...]}), which to plot and how:
    {lines: (patterns,), x: axis label, y: axis label, marks: host cache levels to mark, and optionally
    dashed: the suffix of the curves drawn dashed (default '_thp'), caption: the plot's caption}."""

    def __init__(self, name, title, what, analyze, headline=None, phrase=None, peak_kind=None, category='cpu',
                 cv_gate=None, role=None, metrics=None, default=True, report_metrics=(), curves=None):
        self.name, self.title, self.what, self.analyze = name, title, what, analyze
        self.headline, self.phrase, self.peak_kind, self.category = headline, phrase, peak_kind, category
        self.cv_gate, self.role = dict(cv_gate or {}), role or name
        self.metrics = dict(metrics) if metrics is not None else None
        self.default = default
        self.report_metrics, self.curves = tuple(report_metrics), dict(curves) if curves else None


# What launch.yml hands every benchmark role, as <role>_<key>: the job's identity, where its
# sources and results live, and how it runs. Every benchmark role takes each of these options
# (a unit test holds the roles' argument_specs to it).
JOB_CONTEXT = ('run_id', 'results_store', 'sources_mirror', 'work_dir', 'instance', 'replica', 'job_id', 'variant',
               'background', 'deadline_epoch', 'power_off_command')


_REGISTRY = {}


def register(benchmark):
    """Add (or replace) a benchmark; returns it."""
    _REGISTRY[benchmark.name] = benchmark
    return benchmark


def unregister(name):
    _REGISTRY.pop(name, None)


def names():
    """Registered names, in registration order."""
    return list(_REGISTRY)


def defaults():
    """The benchmarks run when none is named, in registration order."""
    return [name for name, found in _REGISTRY.items() if found.default]


def get(name):
    """The benchmark, or None for a name nobody registered (a result from elsewhere)."""
    return _REGISTRY.get(name)


def headline_metrics():
    """{benchmark: its headline metric} for those that have one."""
    return dict((b.name, b.headline) for b in _REGISTRY.values() if b.headline)


def figure_key(record):
    """A figure's name wherever the dataset names one (reference files, the site's columns, the
    API): '<benchmark>/<variant>/<metric>' of a result or aggregate record."""
    return '%s/%s/%s' % (record['benchmark'], record['variant'], record['metric'])


def summary_phrase(benchmark, metrics, peak_text=''):
    """The number a reader looks for first. metrics: {name: metric entry} in the document's order,
    not empty; peak_text follows a headline figure (e.g. ' (84 % of peak)')."""
    found = get(benchmark)
    if found is not None and found.phrase is not None:
        phrase = found.phrase(metrics)
        if phrase:
            return phrase + (peak_text if found.headline else '')
    if found is not None and found.headline in metrics:
        entry = metrics[found.headline]
        return '%s %.4g %s%s' % (found.headline, entry['value'], entry['unit'], peak_text)
    first = next(iter(metrics.values()))
    return '%s %.4g %s' % (first['name'], first['value'], first['unit'])


def cv_gate(name):
    """The benchmark's CV gate ({} for a name nobody registered: judged, never repeated for it)."""
    found = get(name)
    return dict(found.cv_gate) if found is not None else {}


def metric_spec(name, metric):
    """(unit, higher_is_better) the registry declares for a benchmark's metric, or None."""
    found = get(name)
    return next((spec for pattern, spec in sorted((found.metrics or {}).items())
                 if fnmatch.fnmatchcase(metric, pattern)), None) if found is not None else None


def undeclared_metrics(name, metrics):
    """Lines naming each metric of an analysis ({name: (value, unit, higher_is_better)}) the
    registry does not declare for the benchmark, or declares with another unit or direction."""
    found = get(name)
    if found is None or found.metrics is None:
        return []
    lines = []
    for metric, entry in sorted(metrics.items()):
        declared = next((spec for pattern, spec in sorted(found.metrics.items()) if fnmatch.fnmatchcase(metric, pattern)),
                        None)
        if declared is None:
            lines.append('%s is not a metric %s declares (%s)' % (metric, name, ', '.join(sorted(found.metrics))))
        elif (entry[1], bool(entry[2])) != (declared[0], bool(declared[1])):
            lines.append('%s in %s (%s is better), declared in %s (%s is better)' % (
                metric, entry[1], 'higher' if entry[2] else 'lower', declared[0], 'higher' if declared[1] else 'lower'))
    return lines


def role_call(name, context):
    """{role: the FQCN of the benchmark's role, vars: {<role>_<key>: value}} for launch.yml's one
    include per selected benchmark. context: {key of JOB_CONTEXT: value}, every key given."""
    found = get(name)
    if found is None:
        raise KeyError('unknown benchmark %r; registered: %s' % (name, ', '.join(names())))
    keys = sorted(context)
    if keys != sorted(JOB_CONTEXT):
        raise KeyError('a job context has exactly %s; got %s' % (', '.join(sorted(JOB_CONTEXT)), ', '.join(keys)))
    return {'role': 'instancebench.aws.%s' % found.role,
            'vars': dict(('%s_%s' % (found.role, key), context[key]) for key in JOB_CONTEXT)}


def select(value):
    """(benchmark names, problem or ''): what a user asked for (a list, a comma-separated string
    with or without brackets, or None for the default ones), checked against the registry."""
    if value is None:
        return defaults(), ''
    if isinstance(value, str):
        # -e instancebench_benchmarks=[stream,hpl] arrives as that text: the brackets are the user's list.
        text = value.strip()
        text = text[1:-1] if text.startswith('[') and text.endswith(']') else text
        value = [part.strip().strip('\'"') for part in text.split(',') if part.strip().strip('\'"')]
    if not isinstance(value, (list, tuple)):
        return [], 'instancebench_benchmarks must be a list or a comma-separated string, got %r' % (value,)
    unknown = [str(item) for item in value if item not in _REGISTRY]
    if unknown:
        return [], 'instancebench_benchmarks has %s: choose from %s (a list, or a comma-separated string such as ' \
            'stream,hpl)' % (', '.join(unknown), ', '.join(names()))
    if not value:
        return [], 'instancebench_benchmarks is empty, so nothing would run: choose from %s' % ', '.join(names())
    return list(value), ''


def _stream_phrase(metrics):
    triad = metrics.get('triad_bandwidth')
    return 'triad %.1f GB/s' % triad['value'] if triad else None


def _hpl_phrase(metrics):
    gflops = metrics.get('gflops')
    return '%.1f GFLOP/s' % gflops['value'] if gflops else None


def _fftw_phrase(metrics):
    rates = [m for m in metrics.values() if m['name'].startswith('mflops_')]
    if not rates:
        return None
    best = max(rates, key=lambda m: m['value'])
    return 'best %.0f Mflop/s (%s)' % (best['value'], best['name'][len('mflops_'):])


def _latency_phrase(metrics):
    parts = ['%s %.1f ns' % (label, metrics[name]['value']) for name, label in (
        ('l1_latency_ns', 'L1'), ('l2_latency_ns', 'L2'), ('l3_latency_ns', 'L3'), ('dram_latency_ns', 'DRAM'),
        ('tlb_penalty_ns', 'TLB penalty')) if name in metrics]
    return ', '.join(parts) or None


def _stream_numa_phrase(metrics):
    local = metrics.get('triad_bandwidth_n0_m0')
    remote = [m for m in metrics.values() if m['name'].startswith('triad_bandwidth_n0_m') and m is not local]
    if not local:
        return None
    return 'local triad %.1f GB/s' % local['value'] + (
        ', remote %.1f GB/s (node 0 cores, worst memory node)' % min(m['value'] for m in remote) if remote
        else ' (one NUMA node)')


def _sevenzip_phrase(metrics):
    every, single = metrics.get('total_mips_all'), metrics.get('total_mips_t1')
    parts = (['total %.0f 7z-MIPS (all threads)' % every['value']] if every else []) + \
        (['%.0f (1 thread)' % single['value']] if single else [])
    return ', '.join(parts) or None


def _sysbench_phrase(metrics):
    cpu, read = metrics.get('cpu_events_per_s_all'), metrics.get('memory_read_bandwidth_all')
    parts = (['cpu %.0f events/s (all threads)' % cpu['value']] if cpu else []) + \
        (['memory read %.1f GiB/s' % read['value']] if read else [])
    return ', '.join(parts) or None


def _stressng_phrase(metrics):
    rate = metrics.get('div16_ops_per_s_all')
    return 'div16 %.0f bogo-ops/s on all vCPUs' % rate['value'] if rate else None


def _openssl_phrase(metrics):
    rate = metrics.get('rsa2048_sign_per_s_all')
    return 'RSA-2048 %.0f sign/s on all vCPUs' % rate['value'] if rate else None


def _compile_phrase(metrics):
    rate, seconds = metrics.get('builds_per_hour'), metrics.get('build_seconds')
    return '%.1f kernel builds/h (%.0f s each)' % (rate['value'], seconds['value']) if rate and seconds else None


def _gemm_phrase(metrics):
    parts = ['%s %.1f' % (label, metrics[name]['value']) for name, label in (
        ('dgemm_gflops_all', 'DGEMM'), ('sgemm_gflops_all', 'SGEMM'), ('sbgemm_gflops_all', 'bf16')) if name in metrics]
    return '%s GFLOP/s on all vCPUs' % ', '.join(parts) if parts else None


def _vector_ops_phrase(metrics):
    parts = ['%s %.1f GB/s' % (label, metrics[name]['value']) for name, label in (
        ('daxpy_l1_gbs_t1', 'DAXPY L1'), ('daxpy_dram_gbs_all', 'DRAM (all vCPUs)')) if name in metrics]
    return ', '.join(parts) or None


def _stream_isa_phrase(metrics):
    # Short (collect's table cuts long phrases): the native build; every level's uplift is in the report's bars.
    native, uplift = metrics.get('triad_bandwidth_native'), metrics.get('triad_uplift_native')
    if not native:
        return None
    return 'native triad %.1f GB/s' % native['value'] + (', %.2fx the baseline' % uplift['value'] if uplift else '')


def _stream_cache_phrase(metrics):
    parts = ['%s %.1f' % (label, metrics['triad_%s_gbs_all' % level]['value'])
             for level, label in (('l1', 'L1'), ('l2', 'L2'), ('l3', 'L3'), ('dram', 'DRAM'))
             if 'triad_%s_gbs_all' % level in metrics]
    return 'triad %s GB/s on all vCPUs' % ', '.join(parts) if parts else None


register(Benchmark('stream', 'STREAM triad', 'memory bandwidth', _stream.analyze, headline='triad_bandwidth',
                   phrase=_stream_phrase, peak_kind='bytes', category='memory', cv_gate={'triad_bandwidth': 0.03},
                   metrics={'*_bandwidth': ('GB/s', True)}, report_metrics=('*_bandwidth',)))
register(Benchmark('fftw', 'FFTW', 'FFT throughput per problem', _fftw.analyze, phrase=_fftw_phrase,
                   cv_gate={'mflops_*': 0.05}, metrics={'mflops_*': ('FFTW-Mflop/s', True), 'time_*': ('s', False)},
                   report_metrics=('mflops_*',)))
# dgemm_gflops: the job's own DGEMM on HPL's cores and ranks; hpl_dgemm_ratio: HPL over it (_hpl.dgemm_analysis).
# Variant vector (hpl_isa_levels, _hpl_isa): gflops_<level> per ISA level's OpenBLAS kernels, uplift_<level> over
# the lowest level run (unit x; plotted), gflops OpenBLAS's own choice at the same N.
register(Benchmark('hpl', 'HPL', 'FP64 LINPACK', _hpl_isa.analyze_hpl, headline='gflops', phrase=_hpl_phrase,
                   peak_kind='flops', cv_gate={'gflops': 0.02},
                   metrics={'gflops': ('GFLOP/s', True), 'time': ('s', False), 'dgemm_gflops': ('GFLOP/s', True),
                            'hpl_dgemm_ratio': (_hpl.DGEMM_RATIO_UNIT, True), 'gflops_*': ('GFLOP/s', True),
                            'uplift_*': (_hpl_isa.UPLIFT_UNIT, True)},
                   report_metrics=('uplift_*',)))
# Application suites: one job runs every thread count (metric suffix t<N> or all, _passes); opt-in.
register(Benchmark('7zip', '7-Zip', 'LZMA compression and decompression rating', _sevenzip.analyze,
                   headline='total_mips_all', phrase=_sevenzip_phrase, cv_gate={'total_mips_*': 0.03}, role='sevenzip',
                   metrics={'*_mips_*': ('7z-MIPS', True)}, default=False, report_metrics=('*_mips_*',)))
register(Benchmark('sysbench', 'sysbench', 'CPU events, memory bandwidth and thread switching', _sysbench.analyze,
                   headline='cpu_events_per_s_all', phrase=_sysbench_phrase,
                   cv_gate={'cpu_events_per_s_*': 0.03, 'memory_*_bandwidth_*': 0.05},
                   metrics={'*_events_per_s_*': ('events/s', True), 'memory_*_bandwidth_*': ('GiB/s', True)}, default=False,
                   report_metrics=('cpu_events_per_s_*', 'memory_*_bandwidth_*')))
register(Benchmark('stressng', 'stress-ng cpu', 'integer and floating-point bogo-ops/s (stress-ng cpu stressor)',
                   _stressng.analyze, headline='div16_ops_per_s_all', phrase=_stressng_phrase,
                   cv_gate={'*_ops_per_s_*': 0.03},
                   metrics={'*_ops_per_s_*': ('bogo-ops/s', True), '*_ops_per_cpu_s_*': ('bogo-ops/CPU-s', True)},
                   default=False, report_metrics=('*_ops_per_s_*',)))
register(Benchmark('openssl', 'OpenSSL speed', 'crypto throughput (AES-256-GCM, SHA-256, RSA-2048, ECDSA P-256)',
                   _openssl_speed.analyze, headline='rsa2048_sign_per_s_all', phrase=_openssl_phrase,
                   cv_gate={'*_per_s_*': 0.03},
                   metrics={'*_gb_per_s_*': ('GB/s', True), '*_sign_per_s_*': ('sign/s', True),
                            '*_verify_per_s_*': ('verify/s', True)}, default=False, report_metrics=('*_per_s_*',)))
register(Benchmark('compile', 'Linux kernel build',
                   "builds per hour of a pinned Linux kernel (make -j<vCPUs>; the architecture's own defconfig: compare "
                   "within one architecture)",
                   _compile.analyze, headline='builds_per_hour', phrase=_compile_phrase,
                   cv_gate={'builds_per_hour': 0.03},
                   metrics={'builds_per_hour': ('builds/h', True), 'build_seconds': ('s', False)}, default=False,
                   report_metrics=('builds_per_hour',)))
# Microarchitecture suite: our own pointer chase (roles/latency/files); opt-in.
register(Benchmark('latency', 'Memory latency', 'dependent-load latency per cache level, DRAM and TLB', _latency.analyze,
                   headline='dram_latency_ns', phrase=_latency_phrase, category='memory',
                   cv_gate={'dram_latency_ns': 0.05, 'l*_latency_ns': 0.05},
                   metrics={'*_ns': ('ns', False)}, default=False, report_metrics=('l*_latency_ns', 'dram_latency*_ns'),
                   curves={'lines': ('random_*',), 'x': 'working-set size (log scale)', 'y': 'ns per load',
                           'marks': ('l1d', 'l2', 'l3')}))
# Our own driver against the installed OpenBLAS (roles/gemm/files): two benchmarks, one driver and
# one parser (_gemm); vector_ops has its own role (the registry calls one role per benchmark) that
# builds through gemm's. Opt-in.
register(Benchmark('gemm', 'GEMM', 'DGEMM, SGEMM and bf16 GEMM GFLOP/s (OpenBLAS), checked against a reference',
                   _gemm.analyze, headline=_gemm.HEADLINE, phrase=_gemm_phrase, peak_kind='flops',
                   cv_gate={'*gemm_gflops_*': 0.03}, metrics={'*gemm_gflops_*': ('GFLOP/s', True)}, default=False,
                   report_metrics=('*gemm_gflops_*',)))
register(Benchmark('vector_ops', 'BLAS level 1', 'DAXPY and DDOT GB/s and GFLOP/s in L1, L2 and DRAM (OpenBLAS)',
                   _gemm.analyze_vector_ops, headline='daxpy_dram_gbs_all', phrase=_vector_ops_phrase, category='memory',
                   cv_gate={'*_gbs_*': 0.05},
                   metrics={'*_gbs_*': ('GB/s', True), '*_gflops_*': ('GFLOP/s', True)}, default=False,
                   report_metrics=('*_gbs_*',)))
# STREAM bound by numactl to each NUMA node's cores, memory on each node (roles/stream_numa builds
# through the stream role); metrics per pair, n<cpu node>_m<memory node>. Opt-in.
register(Benchmark('stream_numa', 'STREAM per NUMA node', 'local and remote memory bandwidth (numactl)',
                   _stream_numa.analyze, headline='triad_bandwidth_n0_m0', phrase=_stream_numa_phrase, category='memory',
                   cv_gate={'triad_bandwidth_n*_m*': 0.05}, metrics={'*_bandwidth_n*_m*': ('GB/s', True)}, default=False,
                   report_metrics=('triad_bandwidth_n*_m*',)))
# Our own OpenMP program (roles/stream_cache/files): bandwidth per cache level. Ranked on L2 triad on
# every vCPU: every CPU has an L2 (not every one an L3), and DRAM is STREAM's own figure. Opt-in.
register(Benchmark('stream_cache', 'Cache bandwidth', 'read, write, copy and triad GB/s in L1, L2, L3 and DRAM',
                   _stream_cache.analyze, headline='triad_l2_gbs_all', phrase=_stream_cache_phrase, category='memory',
                   cv_gate={'*_gbs_*': 0.05}, metrics={'*_gbs_*': ('GB/s', True)}, default=False,
                   report_metrics=('*_gbs_*',),
                   curves={'lines': ('triad_*',), 'x': "a thread's three arrays (log scale)", 'y': 'triad GB/s',
                           'marks': ('l1d', 'l2', 'l3'), 'dashed': '_all',
                           'caption': 'One line per instance type and thread count (dashed: every vCPU), from the '
                                      'first repetition of its first job; the dotted verticals are the cache sizes '
                                      'its host reported (one instance of each).'}))
# STREAM built once per ISA baseline level this CPU supports (roles/stream_isa builds through the
# stream role) and for the microarchitecture (`native`); GB/s per level and each level's triad over
# the baseline level's (`triad_uplift_<level>`, unit x). Ranked on the native build's triad. Opt-in.
register(Benchmark('stream_isa', 'STREAM per ISA level', 'memory bandwidth per ISA baseline level and its uplift',
                   _stream_isa.analyze, headline='triad_bandwidth_native', phrase=_stream_isa_phrase, category='memory',
                   cv_gate={'triad_bandwidth_*': 0.05},
                   metrics={'*_bandwidth_*': ('GB/s', True), 'triad_uplift_*': (_stream_isa.UPLIFT_UNIT, True)},
                   default=False, report_metrics=('triad_uplift_*',)))
