# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_benchmark's spread gate with a stand-in benchmark whose spread the test controls: a real
STREAM capture replayed with every rate and time scaled by a factor per run (rates and times stay
consistent, so only the spread differs). Also: a job that dies during a later run keeps the raw
log of the runs before it."""

import json
import os
import subprocess
import sys

from harness.ansible_runner import REPO, ansible_env, module_argv
from harness.stored_jobs import BUILD, SYSTEM

CAPTURE = os.path.join(REPO, 'tests', 'fixtures', 'stream', 'znver4-omp2-o3-native.txt')
STAND_IN = r'''
import os, re, signal, sys
state, factors, capture = sys.argv[1], [float(f) for f in sys.argv[2].split(',')], sys.argv[3]
run = int(open(state).read()) if os.path.exists(state) else 0
open(state, 'w').write(str(run + 1))
factor = factors[run % len(factors)]
if factor == 0:                       # "die": kill the module that runs us, as a crash would
    os.kill(os.getppid(), signal.SIGKILL)
    sys.exit(1)
def row(m):
    rate, times = float(m.group(2)) / factor, [float(t) * factor for t in m.group(3).split()]
    return '%s%12.1f  ' % (m.group(1), rate) + '  '.join('%11.6f' % t for t in times)
text = open(capture).read()
sys.stdout.write(re.sub(r'^((?:Copy|Scale|Add|Triad):\s+)([0-9.]+)\s+(.*)$', row, text, flags=re.M))
'''


def _run(tmp_path, home, factors, **args):
    script = tmp_path / 'stand_in.py'
    script.write_text(STAND_IN)
    params = dict(benchmark='stream', command=[sys.executable, str(script), str(tmp_path / 'runs'), factors, CAPTURE],
                  chdir=str(tmp_path / 'job'), store='file://%s' % (tmp_path / 'store'), run_id='adaptive',
                  system=SYSTEM, build=BUILD, timeout=120, expected={'array_size_elements': 33554432},
                  cv_gate={'triad_bandwidth': 0.03})
    params.update(args)
    os.makedirs(params['chdir'], exist_ok=True)
    return subprocess.run(module_argv('instancebench.aws.run_benchmark', params), env=ansible_env(home),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)


def _job_dir(tmp_path):
    [job_dir] = (tmp_path / 'store' / 'runs' / 'run=adaptive').glob('region=*/type=*/benchmark=stream/job=*/by=host')
    return job_dir


def _doc(tmp_path):
    return json.loads((_job_dir(tmp_path) / 'result.json').read_text())


def test_a_small_spread_stops_as_soon_as_the_gate_can_be_judged(tmp_path, ansible_home):
    proc = _run(tmp_path, ansible_home, '1.0,1.01,0.995,1.0', repetitions=1, max_repetitions=10)
    assert proc.returncode == 0, proc.stdout
    doc = _doc(tmp_path)
    assert doc['quality']['status'] == 'stable' and doc['quality']['repetitions'] == 3
    assert doc['parameters']['repetitions'] == 3 and (tmp_path / 'runs').read_text() == '3'
    triad = [m for m in doc['metrics'] if m['name'] == 'triad_bandwidth'][0]
    assert triad['n'] == 3 and triad['ci_low'] == triad['min'] and triad['ci_high'] == triad['max']
    assert triad['ci_level'] == 0.75, 'three values cannot give 95 %: the level really reached is stated'


def test_a_large_spread_runs_to_the_maximum_and_is_marked_noisy(tmp_path, ansible_home):
    proc = _run(tmp_path, ansible_home, '1.0,1.3,0.75,1.2,0.8', repetitions=3, max_repetitions=5)
    assert proc.returncode == 0, proc.stdout
    doc = _doc(tmp_path)
    quality = doc['quality']
    assert quality['status'] == 'noisy' and quality['repetitions'] == 5 and quality['cv']['triad_bandwidth'] > 0.03
    assert doc['validation']['passed'] is True, 'noisy is a quality, not a failed validation'
    assert 'repetition 5 (of 3 to 5)' in (_job_dir(tmp_path) / 'raw.log').read_text()
    assert sorted(p.name for p in _job_dir(tmp_path).glob('raw-rep*.log')) == ['raw-rep%d.log' % n for n in (1, 2, 3, 4)]


def test_without_a_maximum_the_count_is_fixed_and_unjudged_below_three(tmp_path, ansible_home):
    proc = _run(tmp_path, ansible_home, '1.0,1.3', repetitions=2)
    assert proc.returncode == 0, proc.stdout
    assert _doc(tmp_path)['quality']['status'] == 'unjudged' and (tmp_path / 'runs').read_text() == '2'


def test_the_raw_log_of_earlier_runs_survives_a_job_that_dies_later(tmp_path, ansible_home):
    proc = _run(tmp_path, ansible_home, '1.0,1.3,0', repetitions=3, max_repetitions=3)
    assert proc.returncode != 0
    job_dir = _job_dir(tmp_path)
    assert not (job_dir / 'result.json').exists(), 'the module died before its result'
    assert not (job_dir / 'raw.log').exists()
    first, second = ((job_dir / ('raw-rep%d.log' % n)).read_text() for n in (1, 2))
    assert 'repetition 1 (of 3 to 3)' in first and 'Triad:' in first
    assert 'repetition 2 (of 3 to 3)' in second and 'Triad:' in second
