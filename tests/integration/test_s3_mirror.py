# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An s3:// source mirror, served by moto_server on 127.0.0.1, read with boto3 by the role."""

import os

import boto3

from harness.ansible_runner import run_playbook, write_inventory


def _local_inventory(tmp_path):
    # Local connection: the module inherits the test's AWS_* environment, as an instance
    # inherits its instance profile.
    return write_inventory(str(tmp_path / 'hosts.yml'), {'bench-local': {
        'ansible_connection': 'local', 'ansible_python_interpreter': '{{ ansible_playbook_python }}'}})


def _launch(tmp_path, ansible_home, moto, mirror_url):
    return run_playbook('launch.yml', _local_inventory(tmp_path), ansible_home, {
        'instancebench_run_id': 's3-mirror', 'instancebench_results_store': 'file://%s' % (tmp_path / 'store'),
        'instancebench_sources_mirror': mirror_url, 'instancebench_work_dir': str(tmp_path / 'work'),
        'stream_repetitions': 1, 'stream_max_repetitions': 1, 'instancebench_benchmarks': ['stream']}, env=moto.env())


def test_role_fetches_from_an_s3_mirror(tmp_path, mirror, ansible_home, moto):
    s3 = boto3.client('s3', endpoint_url=moto.url, **_keys(moto))
    s3.create_bucket(Bucket='bench-mirror')
    s3.upload_file(os.path.join(mirror, 'stream', 'stream.c'), 'bench-mirror', 'sources/stream/stream.c')
    proc = _launch(tmp_path, ansible_home, moto, 's3://bench-mirror/sources')
    assert proc.returncode == 0, proc.stdout
    assert os.path.exists(tmp_path / 'work' / 'sources' / 'stream' / 'stream.c')


def test_missing_object_in_s3_mirror_is_a_clear_error(tmp_path, ansible_home, moto):
    s3 = boto3.client('s3', endpoint_url=moto.url, **_keys(moto))
    s3.create_bucket(Bucket='empty-mirror')
    proc = _launch(tmp_path, ansible_home, moto, 's3://empty-mirror/sources')
    assert proc.returncode != 0
    assert 'cannot fetch source stream from mirror s3://empty-mirror/sources/stream/stream.c' in proc.stdout, proc.stdout
    assert not os.path.exists(tmp_path / 'work' / 'build')


def _keys(moto):
    env = moto.env()
    return {'aws_access_key_id': env['AWS_ACCESS_KEY_ID'], 'aws_secret_access_key': env['AWS_SECRET_ACCESS_KEY'],
            'region_name': env['AWS_DEFAULT_REGION']}
