# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardware counters end to end: a quick benchmark (our memory latency chase, short) launched on a real
sshd host with `instancebench_counters=true` stores `counters` as this host allows — on a VM without a
CPU PMU (this machine) unavailable with the reason and no numbers, on a host with one an IPC above 0 —
and the same launch without it stores no `counters` at all. Then the module's repetition loop with the
real perf binary: the benchmark's output (the figures) is the same with and without perf around it."""

import os
import shutil

from harness.ansible_runner import REPO, run_playbook, write_inventory
from harness.results import stored_result

from ansible_collections.instancebench.aws.plugins.module_utils import _counters
from ansible_collections.instancebench.aws.plugins.modules import run_benchmark

LATENCY = {'instancebench_benchmarks': 'latency', 'latency_max_bytes': 67108864, 'latency_min_ms': 5,
           'latency_passes': ['random,4k'], 'latency_repetitions': 2, 'latency_max_repetitions': 2}
STREAM_CAPTURE = os.path.join(REPO, 'tests', 'fixtures', 'stream', 'znver4-omp2-o3-native.txt')


def _host_can_count(user):
    """What this host's sysfs, perf and paranoid say (the sshd host is this machine)."""
    return _counters.availability('/', shutil.which('perf'), user == 'root')


def test_a_launch_with_counters_records_them_as_the_host_allows(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    store = tmp_path / 'store'
    extra = dict(LATENCY, instancebench_run_id='counters-1', instancebench_results_store='file://%s' % store,
                 instancebench_sources_mirror=mirror, instancebench_work_dir=str(tmp_path / 'work'),
                 instancebench_counters=True)
    first = run_playbook('launch.yml', inventory, ansible_home, extra)
    assert first.returncode == 0, first.stdout[-4000:]
    doc = stored_result(store, 'counters-1')
    assert doc['validation']['passed'] is True, [c for c in doc['validation']['checks'] if not c['passed']]
    counters = doc['counters']
    usable, reason = _host_can_count(ssh_host.user)
    if usable:
        assert counters['available'] is True, counters
        assert counters['ipc'] > 0 and len(counters['per_repetition']) == doc['parameters']['repetitions']
        assert all(rep['instructions'] > 0 and rep['cycles'] > 0 for rep in counters['per_repetition'])
    else:
        assert counters == {'available': False, 'reason': reason, 'per_repetition': [], 'ipc': None}
        assert 'no CPU PMU' in reason or 'perf' in reason

    off = dict(extra, instancebench_run_id='counters-off')
    del off['instancebench_counters']
    second = run_playbook('launch.yml', inventory, ansible_home, off)
    assert second.returncode == 0, second.stdout[-4000:]
    assert 'counters' not in stored_result(store, 'counters-off'), 'off by default: the document is as before'


class _Module(object):
    def __init__(self, params):
        self.params = params

    def warn(self, msg):
        raise AssertionError(msg)


class _Store(object):
    def put(self, key, body):
        return {'key': key, 'sha256': '', 'bytes': len(body)}


def test_perf_around_a_repetition_leaves_its_output_and_figures_alone(tmp_path):
    perf = shutil.which('perf')
    assert perf, 'perf is installed on the test machine (linux-perf)'
    params = dict(benchmark='stream', command=['cat', STREAM_CAPTURE], environment={}, chdir=str(tmp_path),
                  repetitions=2, max_repetitions=2, cv_gate=None, timeout=60, kill_grace=2, spot_poll_interval=5,
                  expected={'threads': 2, 'array_size_elements': 33554432})
    runs = {}
    for name, counted in (('plain', None), ('perf', (perf, []))):
        log_dir = tmp_path / name
        log_dir.mkdir()
        runs[name] = run_benchmark._run_repetitions(_Module(params), _Store(), 'p', str(log_dir), 'job', counted=counted)
        if counted:
            per_repetition = counted[1]
    plain_reps, plain_raw = runs['plain'][0], runs['plain'][1]
    perf_reps, perf_raw = runs['perf'][0], runs['perf'][1]
    assert [rep[0] for rep in perf_reps] == [rep[0] for rep in plain_reps] and plain_reps[0][0], 'the same figures'
    with open(STREAM_CAPTURE, 'rb') as handle:
        assert perf_raw.count(handle.read()) == 2, "perf's counts are not in the benchmark's log"
    assert sorted(os.listdir(str(tmp_path / 'perf'))) == ['job.rep1.log', 'job.rep1.perf.csv', 'job.rep2.log',
                                                          'job.rep2.perf.csv']
    # This host's perf counts what it can: on a VM without a PMU each repetition says why.
    assert len(per_repetition) == 2
    pmu = _counters.cpu_pmus('/')
    for rep in per_repetition:
        if pmu:
            # `cat` runs long enough for the PMU to count: a host with one gives IPC, never a reason.
            assert rep.get('ipc', 0) > 0 and 'reason' not in rep, rep
        else:
            assert rep == {'reason': 'perf stat: instructions <not supported>, cycles <not supported>'}, rep
