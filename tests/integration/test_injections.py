# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values that once ran as shell commands, and a planted binary that once ran as root: each is now
refused before anything is built (naming the field), or written as data. A marker file that the
injected command would create must never appear."""

import os

import pytest

from harness.ansible_runner import run_playbook, write_inventory


@pytest.fixture
def launch(tmp_path, ssh_host, mirror, ansible_home):
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})

    def _launch(benchmark='stream', **overrides):
        extra = {'instancebench_run_id': 'inject', 'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
                 'instancebench_sources_mirror': mirror, 'instancebench_work_dir': str(tmp_path / 'work'),
                 'stream_repetitions': 1, 'stream_max_repetitions': 1, 'instancebench_benchmarks': [benchmark]}
        extra.update(overrides)
        return run_playbook('launch.yml', inventory, ansible_home, extra)
    return _launch


@pytest.mark.parametrize('benchmark, overrides, field', [
    ('fftw', {'instancebench_variant': 'x\ntouch {marker}\n'}, 'fftw_variant'),
    ('stream', {'instancebench_variant': 'x$(touch {marker})'}, 'stream_variant'),
    ('fftw', {'instancebench_work_dir': '/tmp/w$(touch {marker})'}, 'fftw_work_dir'),
    ('hpl', {'instancebench_work_dir': '/tmp/w;touch {marker}'}, 'hpl_work_dir'),
    ('stream', {'instancebench_run_id': 'r\n'}, 'stream_run_id'),
])
def test_an_injected_value_is_refused_naming_the_field_and_never_runs(tmp_path, launch, benchmark, overrides, field):
    marker = tmp_path / 'marker'
    proc = launch(benchmark, **dict((k, v.format(marker=marker)) for k, v in overrides.items()))
    assert proc.returncode != 0 and field in proc.stdout, proc.stdout[-3000:]
    assert not marker.exists(), 'the injected command ran'
    assert not (tmp_path / 'store' / 'runs').exists()


@pytest.mark.parametrize('how', ['owned by nobody', 'writable by others'])
def test_a_work_dir_someone_else_could_write_is_refused_before_a_planted_binary_runs(tmp_path, launch, how):
    work = tmp_path / 'work'
    marker = tmp_path / 'marker'
    planted = work / 'build' / 'planted'
    planted.mkdir(parents=True)
    (planted / 'stream').write_text('#!/bin/sh\ntouch %s\n' % marker)
    if how == 'owned by nobody':
        for path in (work, work / 'build', planted):
            os.chown(str(path), 65534, 65534)
    else:
        os.chmod(str(work), 0o777)
    proc = launch()
    phrase = 'belongs to uid 65534' if how == 'owned by nobody' else 'may be written by its group or by others'
    assert proc.returncode != 0 and phrase in proc.stdout, proc.stdout[-3000:]
    assert not marker.exists()
