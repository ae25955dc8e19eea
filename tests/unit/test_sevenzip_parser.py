# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""7-Zip 26.02 `7zz b` outputs captured on this machine (tests/fixtures/sevenzip/README.md):
the figures published are the ones 7-Zip printed, its CRC verification and its own arithmetic
are checks, and cut, failed or garbled outputs give named failed checks, never figures."""

import os
import stat
import subprocess

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _result, _sevenzip
from harness.fixtures import read_fixture
from harness.checks import invalid_details as _failed

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOB = read_fixture('sevenzip', 'znver4-job-t1-all.txt')
RUNS = [['t1', 1], ['all', 2]]
EXPECTED = {'runs': RUNS, 'version': '26.02', 'dictionary': 0}


def _valid(analysed):
    return _result.combine([analysed])[2]


def test_parses_both_runs_of_a_real_job():
    sections = _sevenzip.parse(JOB)
    assert [(s['label'], s['threads_requested'], s['benchmark_threads']) for s in sections] == [('t1', 1, 1), ('all', 2, 2)]
    t1, every = sections
    assert t1['version'] == every['version'] == '26.02'
    assert t1['compiler'] == 'ver:12.2.0 GCC 12.2.0 : AVX512VL'
    assert [r['dictionary'] for r in t1['rows']] == [22, 23, 24, 25]
    assert t1['rows'][0]['compress'] == {'speed_kib_s': 4500, 'usage_pct': 98, 'rpu_mips': 4480, 'rating_mips': 4379}
    assert t1['rows'][0]['decompress'] == {'speed_kib_s': 45872, 'usage_pct': 99, 'rpu_mips': 3965, 'rating_mips': 3917}
    assert t1['avr']['compress']['rating_mips'] == 3245 and t1['avr']['decompress']['rating_mips'] == 3091
    assert t1['tot'] == {'usage_pct': 83, 'rpu_mips': 3782, 'rating_mips': 3168}
    assert every['tot'] == {'usage_pct': 100, 'rpu_mips': 4867, 'rating_mips': 4743}
    assert not t1['errors'] and not every['errors'] and not t1['cut_rows']


def test_analyze_publishes_the_ratings_7zip_printed_and_every_check_passes():
    metrics, checks, observed = _sevenzip.analyze(JOB, EXPECTED)
    assert not _failed(checks), _failed(checks)
    assert metrics == {
        'compress_mips_t1': (3245.0, '7z-MIPS', True), 'decompress_mips_t1': (3091.0, '7z-MIPS', True),
        'total_mips_t1': (3168.0, '7z-MIPS', True),
        'compress_mips_all': (5402.0, '7z-MIPS', True), 'decompress_mips_all': (4083.0, '7z-MIPS', True),
        'total_mips_all': (4743.0, '7z-MIPS', True)}
    names = set(c['name'] for c in checks)
    for label in ('t1', 'all'):
        assert set('%s.%s' % (label, n) for n in ('verified', 'threads', 'version', 'compress_average_consistent',
                                                  'decompress_average_consistent', 'total_consistent')) <= names
    verified = [c for c in checks if c['name'] == 't1.verified'][0]
    assert verified['passed'] and '4 passes' in verified['detail']
    assert observed == {'7zip_version': '26.02', '7zip_compiler': 'ver:12.2.0 GCC 12.2.0 : AVX512VL'}
    assert _valid((metrics, checks, observed))


def test_expectations_are_checked_against_what_7zip_reported():
    failed = _failed(_sevenzip.analyze(JOB, {'runs': [['t1', 1], ['all', 4]], 'version': '26.01', 'dictionary': 24})[1])
    assert '4 benchmark threads asked, 7-Zip reported 2' in failed['all.threads']
    assert '7-Zip 26.02 reported, 26.01 pinned' in failed['t1.version']
    assert 'largest dictionary 2^25, asked 2^24' in failed['t1.dictionary']


def test_a_run_missing_from_the_output_is_a_failed_check():
    metrics, checks = _sevenzip.analyze(JOB, {'runs': RUNS + [['t4', 4]]})[:2]
    assert 'no output section for run t4' in _failed(checks)['t4.ran']
    assert 'total_mips_t1' in metrics and not _valid((metrics, checks))


def test_a_real_run_killed_mid_table_publishes_nothing_for_that_run():
    metrics, checks = _sevenzip.analyze(read_fixture('sevenzip', 'znver4-job-killed-at-45s.txt'), EXPECTED)[:2]
    failed = _failed(checks)
    assert list(failed) == ['all.verified'] and 'Break signaled' in failed['all.verified']
    assert sorted(metrics) == ['compress_mips_t1', 'decompress_mips_t1', 'total_mips_t1']
    assert metrics['total_mips_t1'][0] == 3546
    assert not _valid((metrics, checks))


def test_a_real_7zip_error_is_a_failed_verification():
    metrics, checks = _sevenzip.analyze(read_fixture('sevenzip', 'znver4-plain-b-md33-invalid.txt'), {})[:2]
    failed = _failed(checks)
    assert metrics == {}
    assert 'System ERROR:' in failed['t1.verified'] and 'E_INVALIDARG' in failed['t1.verified']


def test_a_crc_mismatch_fails_the_run_and_the_repetition():
    metrics, checks = _sevenzip.analyze(read_fixture('sevenzip', 'derived-crc-error.txt'), EXPECTED)[:2]
    failed = _failed(checks)
    assert list(failed) == ['all.verified']
    assert "CRC did not match" in failed['all.verified'] and 'after 2 complete row(s)' in failed['all.verified']
    assert 'total_mips_all' not in metrics
    assert not _valid((metrics, checks))


def test_plain_7zz_b_output_is_labelled_by_its_thread_count_and_a_starved_run_is_flagged_not_rejected():
    text = read_fixture('sevenzip', 'znver4-plain-b-contended.txt')
    metrics, checks = _sevenzip.analyze(text, {})[:2]
    assert metrics['total_mips_t2'] == (3686.0, '7z-MIPS', True)
    usage = [c for c in checks if c['name'] == 't2.cpu_usage'][0]
    assert usage['passed'] is False and usage['severity'] == 'warning' and 'shared with another load' in usage['detail']
    assert not _failed(checks) and _valid((metrics, checks)), 'a warning is reported, the figures are kept'


@pytest.mark.parametrize('old, new, failing, words', [
    ('Avr:      3145    83   3841   3245', 'Avr:      3145    83   3841   32.4.5', 'number_format', "Avr: line"),
    ('22:       4500    98   4480   4379', '22:       4500    98   4480   43x79', 'number_format', 'benchmark row'),
    ('Tot:              83   3782   3168', 'Tot:              83   3782', 'number_format', 'Tot: line'),
    ('Tot:              83   3782   3168', 'Tot:              83   3782   3968', 't1.total_consistent', 'Tot rating 3968'),
    ('23:       3797    98   3949   3869', '23:       3797    98   3949   5869', 't1.compress_average_consistent',
     'mean of 4 rows'),
    ('# Benchmark threads:      1', '# Benchmark threads:      2', 't1.threads', '7-Zip reported 2'),
])
def test_mutated_outputs_give_a_named_failed_check(old, new, failing, words):
    assert old in JOB
    analysed = _sevenzip.analyze(JOB.replace(old, new, 1), EXPECTED)
    failed = _failed(analysed[1])
    assert failing in failed and words in failed[failing], failed
    assert not _valid(analysed)


def test_foreign_or_empty_output_is_a_failed_check_not_an_exception():
    for text in ('', 'Segmentation fault\n', read_fixture('stream', 'znver4-serial-o2.txt')):
        metrics, checks = _sevenzip.analyze(text, {})[:2]
        assert metrics == {} and 'output_complete' in _failed(checks)
    metrics, checks = _sevenzip.analyze('=== instancebench 7zip run=t1 threads=1 dictionary=0 iterations=0\n', EXPECTED)[:2]
    assert metrics == {} and 'did not start' in _failed(checks)['t1.ran']


def test_runs_label_every_logical_cpu_as_all():
    assert _sevenzip.runs([1, 0], 2) == [['t1', 1], ['all', 2]]
    assert _sevenzip.runs([0, 4, 0, 1], 96) == [['all', 96], ['t4', 4], ['t1', 1]]
    for bad in ([], [-1], ['x']):
        with pytest.raises(ValueError, match='sevenzip_thread_counts'):
            _sevenzip.runs(bad, 2)


def test_the_role_filter_reads_the_logical_cpus_from_the_host_facts():
    from ansible.errors import AnsibleFilterError
    from ansible_collections.instancebench.aws.plugins.filter.thread_runs import thread_runs
    assert thread_runs({'topology': {'logical_cpus': 8}}, [1, 0, 1], 'sevenzip_thread_counts') == [['t1', 1], ['all', 8]]
    with pytest.raises(AnsibleFilterError, match='host_facts'):
        thread_runs({}, [1, 0], 'sevenzip_thread_counts')
    with pytest.raises(Exception, match=r'stressng_workers \(\[-1\]\) must be a non-empty list'):
        thread_runs({'topology': {'logical_cpus': 8}}, [-1], 'stressng_workers')


def _fake_binary(tmp_path, name, body):
    path = tmp_path / name
    path.write_text('#!/bin/sh\n' + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_the_job_script_runs_7zz_once_per_thread_count_after_a_marker(tmp_path):
    fake = _fake_binary(tmp_path, '7zz', 'echo "args: $*"\ncase "$*" in *-mmt2*) exit 2 ;; esac\n')
    script = os.path.join(REPO, 'roles', 'sevenzip', 'files', 'sevenzip_job.sh')
    done = subprocess.run(['sh', script, fake, '25', '3', 't1=1', 'all=2'], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert done.returncode == 1, 'a failed run makes the script fail after the others ran'
    assert done.stdout.splitlines() == [
        '=== instancebench 7zip run=t1 threads=1 dictionary=25 iterations=3', 'args: b 3 -mmt1 -md25',
        '=== instancebench 7zip run=all threads=2 dictionary=25 iterations=3', 'args: b 3 -mmt2 -md25']
    done = subprocess.run(['sh', script, fake, '0', '0', 'all=2'], stdout=subprocess.PIPE, universal_newlines=True, check=False)
    assert done.stdout.splitlines()[1] == 'args: b -mmt2', "0 keeps 7-Zip's own dictionary and pass count"
    done = subprocess.run(['sh', script, fake, '0', '0', 'all=x'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    assert done.returncode == 2 and done.stdout == '' and 'whole number' in done.stderr
