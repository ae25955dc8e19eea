# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A store with a completed job of every registered benchmark, from captured runs (tests/fixtures/),
for the report's tests: where two captures of the same job exist, they are its two repetitions, so
the median has a real spread to draw."""

from ansible_collections.instancebench.aws.plugins.module_utils import _sysbench
from harness.stored_jobs import STREAM_OK, SYSTEM, store_job

MIB = 1 << 20
# The capture host's caches per instance (tests/fixtures/latency/README.md), as host_facts gives them.
CACHES = {'l1d': {'size_bytes': 32768}, 'l2': {'size_bytes': MIB}, 'l3': {'size_bytes': 32 * MIB}}
LATENCY = {'passes': [['random', '4k'], ['random', 'thp']], 'caches': {'l1d': 32768, 'l2': MIB, 'l3': 32 * MIB},
           'llc_bytes': 32 * MIB, 'min_ms': 20}
# The second capture first: its metrics are the ones every repetition has (it derived no TLB penalty).
LATENCY_RUNS = [('latency', 'znver4-4k-to-1g-random-4k-thp-2.txt', LATENCY),
                ('latency', 'znver4-4k-to-1g-random-4k-thp-1.txt', LATENCY)]
STREAM_RUNS = [STREAM_OK, ('stream', 'znver4-serial-o2.txt', {'array_size_elements': 10000000})]
FFTW = ('fftw', 'znver4-measure-t1-t2.txt',
        {'runs': [[p, t] for p in ('icf1024', 'icf64x64', 'icf32x32x32', 'orf65536') for t in (1, 2)]})
HPL = ('hpl', 'znver4-hpcc-openblas-n6000-nb256-1x2.txt', {'n': 6000, 'nb': 256, 'p': 1, 'q': 2})
SEVENZIP = ('7zip', 'znver4-job-t1-all.txt', {'runs': [['t1', 1], ['all', 2]], 'version': '26.02', 'dictionary': 0})
SYSBENCH = ('sysbench', 'znver4-job-t1-all.txt',
            {'sections': _sysbench.sections([1, 0], 2, 32 * MIB, 24 * 2 ** 30), 'time': 10, 'version': '1.0.20'})
_STRESSNG_PASSES = [{'method': m, 'label': label, 'workers': w}
                    for m in ('div16', 'matrixprod') for label, w in (('1', 1), ('all', 2))]
STRESSNG_RUNS = [('stressng', 'znver4-div16-matrixprod-%ds.txt' % s,
                  {'version': '0.15.06', 'seconds': s, 'passes': _STRESSNG_PASSES}) for s in (20, 2)]
_OPENSSL = {'algorithms': ['evp:aes-256-gcm', 'sha256', 'rsa2048', 'ecdsap256'], 'bytes': 16384,
            'passes': [{'label': '1', 'processes': 1}, {'label': 'all', 'processes': 2}]}
OPENSSL_RUNS = [('openssl', 'znver4-debian-3.0.19-%ds.txt' % s, dict(_OPENSSL, seconds=s)) for s in (3, 1)]
PRICES = {'c7a.large': 0.10264, 'c7i.large': 0.08925}
LOCAL = 'vm'  # a host that is not an EC2 instance: no price
# The benchmarks store_every_benchmark stores a job of.
BENCHMARKS = ('stream', 'fftw', 'hpl', '7zip', 'sysbench', 'stressng', 'openssl', 'latency')


def store_every_benchmark(store, run_id='r1'):
    """Two EC2 types and one local host; every benchmark on c7a.large, STREAM and latency elsewhere too."""
    store_job(store, run_id, 'stream-a', 'c7a.large', price=PRICES['c7a.large'], outputs=STREAM_RUNS)
    store_job(store, run_id, 'stream-i', 'c7i.large', price=PRICES['c7i.large'])
    store_job(store, run_id, 'stream-vm', LOCAL, region='local', states=('running', 'completed'))
    for job_id, output in (('fftw-a', FFTW), ('hpl-a', HPL), ('7zip-a', SEVENZIP), ('sysbench-a', SYSBENCH)):
        store_job(store, run_id, job_id, 'c7a.large', price=PRICES['c7a.large'], output=output)
    store_job(store, run_id, 'stressng-a', 'c7a.large', price=PRICES['c7a.large'], outputs=STRESSNG_RUNS)
    store_job(store, run_id, 'openssl-a', 'c7a.large', price=PRICES['c7a.large'], outputs=OPENSSL_RUNS)
    system = dict(SYSTEM, caches=CACHES)
    store_job(store, run_id, 'latency-a', 'c7a.large', price=PRICES['c7a.large'], outputs=LATENCY_RUNS,
              system=system, with_observed=True)
    store_job(store, run_id, 'latency-vm', LOCAL, region='local', states=('running', 'completed'),
              outputs=LATENCY_RUNS[1:], system=system, with_observed=True)
