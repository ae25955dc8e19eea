# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collect: job states (with deadlines), integrity, the dataset with cost, the report."""

import csv
import json
import os

import pytest

from ansible_collections.instancebench.aws.plugins.module_utils import _collect, _collect_pass, _store
from harness.stored_jobs import STREAM_TRUNCATED, host_objects, store_job

NOW = 1795000000.0  # 2026-11-18


def _collect_into(store, dest, **kwargs):
    return _collect_pass.write_collection(store, kwargs.pop('run_ids', ['r1']), str(dest), kwargs.pop('now', NOW),
                                          workers=kwargs.pop('workers', 4), **kwargs)


def _records(dest):
    with open(os.path.join(str(dest), 'dataset.jsonl')) as handle:
        return [json.loads(line) for line in handle]


def test_states_come_from_sentinels_and_the_deadline(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_job(store, 'r1', 'done', 'c7a.large', price=0.1)
    store_job(store, 'r1', 'bad-output', 'c7a.large', states=('launched', 'running', 'failed'), output=STREAM_TRUNCATED)
    store_job(store, 'r1', 'hung', 'c7a.large', states=('launched', 'running'), deadline_epoch=NOW - 60)
    store_job(store, 'r1', 'busy', 'c7a.large', states=('launched', 'running'), deadline_epoch=NOW + 3600)
    store_job(store, 'r1', 'booting', 'c7i.large', states=('launched',), deadline_epoch=NOW + 3600)
    store_job(store, 'r1', 'gone', 'c7i.large', states=('launched',), deadline_epoch=NOW - 1)
    rows = dict((row['job_id'], row) for row in _collect.collect_rows(store, ['r1'], NOW, workers=4))
    assert dict((job, row['state']) for job, row in rows.items()) == {
        'done': 'completed', 'bad-output': 'failed', 'hung': 'timed_out', 'busy': 'running',
        'booting': 'launched', 'gone': 'timed_out'}
    assert rows['hung']['state_derived'] and 'last state: running' in rows['hung']['state_reason']
    assert not rows['busy']['state_derived']
    assert rows['bad-output']['metrics'] == [] and not rows['bad-output']['valid'], 'never a number'
    assert rows['done']['valid'] and rows['done']['headline']['triad_bandwidth'] == 30.5202


def test_cost_is_runtime_from_launch_times_price(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_job(store, 'r1', 'done', 'c7a.large', price=0.1)
    _collect_into(store, tmp_path / 'report')
    triad = [r for r in _records(tmp_path / 'report') if r['metric'] == 'triad_bandwidth'][0]
    # launched 10:00:00, finished 10:05 + 600 s = 10:15:00 -> 900 s at 0.1 USD/h.
    assert triad['runtime_s'] == 900.0 and triad['cost_usd'] == 0.025
    assert triad['value_per_usd_hour'] == 305.202 and triad['unit'] == 'GB/s'


def test_a_tampered_result_is_flagged_and_gives_no_number(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    prefix = store_job(store, 'r1', 'tampered', 'c7a.large', price=0.1)
    path = tmp_path / 'store' / host_objects(prefix) / 'result.json'
    doc = json.loads(path.read_text())
    doc['metrics'][0]['value'] *= 2  # someone "improves" a number; the recorded sha256 stays
    path.write_text(json.dumps(doc))
    outcome = _collect_into(store, tmp_path / 'report')
    assert outcome['summary']['jobs_with_problems'] == 1
    assert 'does not match the recorded' in outcome['summary']['problems'][0]['problems'][0]
    assert [r['metric'] for r in _records(tmp_path / 'report')] == [None]
    assert any(line.startswith('PROBLEM tampered') for line in outcome['table'])


def test_a_result_in_the_wrong_job_directory_is_flagged(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    source = store_job(store, 'r1', 'one', 'c7a.large')
    target = _store.job_prefix('r1', 'us-east-1', 'c7a.large', 'stream', 'two')
    store.put(host_objects(target) + '/result.json', store.get(host_objects(source) + '/result.json'))
    store.put_json(target + '/status-launched.json', store.get_json(source + '/status-launched.json'))
    store.put_json(host_objects(target) + '/status-completed.json', {'state': 'completed'})
    rows = dict((row['job_id'], row) for row in _collect.collect_rows(store, ['r1'], NOW))
    assert rows['two']['problems'] == ['result.json belongs to job one, not two'] and not rows['two']['valid']


def test_collect_twice_gives_the_same_files(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    for index, (kind, price) in enumerate([('c7a.large', 0.10264), ('c7i.large', 0.08925), ('c7a.large', 0.10264)]):
        store_job(store, 'r1', 'job%d' % index, kind, price=price)
    first = _collect_into(store, tmp_path / 'report')
    contents = dict((name, open(path, 'rb').read()) for name, path in zip('abcd', first['files']))
    second = _collect_into(store, tmp_path / 'report', workers=1)
    assert first['changed'] and not second['changed']
    assert dict((name, open(path, 'rb').read()) for name, path in zip('abcd', second['files'])) == contents


def test_check_mode_writes_nothing(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_job(store, 'r1', 'done', 'c7a.large')
    outcome = _collect_into(store, tmp_path / 'report', commit=False)
    assert outcome['changed'] and not (tmp_path / 'report').exists()


def test_dataset_has_one_record_per_job_and_metric(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_job(store, 'r1', 'done', 'c7a.large', price=0.1)
    store_job(store, 'r1', 'hung', 'c7a.large', states=('launched', 'running'), deadline_epoch=NOW - 60)
    store_job(store, 'r2', 'other-run', 'c7a.large')
    _collect_into(store, tmp_path / 'report')
    records = _records(tmp_path / 'report')
    done = [r for r in records if r['job_id'] == 'done']
    assert sorted(r['metric'] for r in done) == ['add_bandwidth', 'copy_bandwidth', 'scale_bandwidth', 'triad_bandwidth']
    assert [(r['job_id'], r['state'], r['metric']) for r in records if r['job_id'] != 'done'] == [('hung', 'timed_out', None)]
    with open(str(tmp_path / 'report' / 'dataset.csv')) as handle:
        rows = list(csv.DictReader(handle))
    assert [(r['job_id'], r['metric']) for r in rows] == [(r['job_id'], r['metric'] or '') for r in records]


def test_report_plots_every_instance_type_and_per_dollar(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_job(store, 'r1', 'a', 'c7a.large', price=0.10264)
    store_job(store, 'r1', 'b', 'c7i.large', price=0.08925)
    outcome = _collect_into(store, tmp_path / 'report')
    page = (tmp_path / 'report' / 'report.html').read_text()
    # The triad per type and per USD-hour (blue bars), and STREAM's four kernels side by side.
    assert page.count('<svg') == 3 and page.count('class="bar"') == 4 and page.count('class="series0"') == 5
    assert 'c7a.large' in page and 'c7i.large' in page and 'per USD/hour' in page
    assert '<script' not in page and 'http' not in page.replace('http://www.w3.org/2000/svg', ''), 'self-contained'
    markdown = (tmp_path / 'report' / 'report.md').read_text()
    assert '| c7i.large | znver4 | 1 | 30.5 | 30.5-30.5 (50 %) | unjudged | GB/s | 0.08925 | 342.0 |' in markdown
    assert [e['instance_type'] for e in outcome['headline']] == ['c7a.large', 'c7i.large']
    assert outcome['table'][0].startswith('runs r1: 2 jobs (2 completed)')


def test_report_lists_jobs_without_a_result_with_why(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    store_job(store, 'r1', 'bad-output', 'c7a.large', states=('launched', 'running', 'failed'), output=STREAM_TRUNCATED)
    store_job(store, 'r1', 'hung', 'c7g.large', states=('launched', 'running'), deadline_epoch=NOW - 60)
    outcome = _collect_into(store, tmp_path / 'report')
    assert outcome['summary']['unsuccessful_count'] == 2
    markdown = (tmp_path / 'report' / 'report.md').read_text()
    assert '| bad-output | c7a.large | failed | validation failed |' in markdown
    assert '| hung | c7g.large | timed_out | deadline ' in markdown
    assert '<td>hung</td><td>c7g.large</td><td>timed_out</td>' in (tmp_path / 'report' / 'report.html').read_text()


def test_processes_read_partitions_and_give_the_same_rows_in_the_same_order(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    for index, kind in enumerate(['c7a.large', 'c7g.large', 'm7i.large', 'c7a.large', 'r7a.xlarge']):
        store_job(store, 'r1', 'job%d' % index, kind, price=0.1)
    store_job(store, 'r2', 'elsewhere', 'c7a.large', region='us-west-2')
    alone = list(_collect.collect_rows(store, None, NOW, workers=1))
    forked = list(_collect.collect_rows(store, None, NOW, workers=4, processes=2,
                                        store_factory=lambda: _store.open_store(str(tmp_path / 'store'))))
    assert [r['job_id'] for r in forked] == [r['job_id'] for r in alone] and forked == alone
    kinds = [r['instance_type'] for r in alone[:4]]
    assert len(alone) == 6 and kinds == ['c7a.large', 'c7a.large', 'c7g.large', 'm7i.large']


def test_a_scheduled_plans_progress_counts_jobs_not_launched_yet(tmp_path):
    from ansible_collections.instancebench.aws.plugins.module_utils import _job
    store = _store.open_store(str(tmp_path / 'store'))

    def job(kind, variant='one-thread'):
        return {'region': 'us-east-1', 'instance_type': kind, 'benchmark': 'stream', 'variant': variant,
                'estimated_minutes': 30, 'estimated_cost_usd': 0.05}

    def job_id(kind, attempt=0):
        return _job.job_id('r1', 'us-east-1', kind, 'stream', 'one-thread', 0, attempt)

    schedule = {'name': 'weekly', 'retry_limit': 1, 'max_concurrency': 2, 'windows': [
        {'name': 'd1-morning', 'jobs': [job('c7a.large'), job('c7g.large'), job('m7i.large')]},
        {'name': 'd2-morning', 'jobs': [job('r7a.large'), job('c7i.large')]}]}
    store.put_json('runs/run=r1/schedule.json', schedule)
    store_job(store, 'r1', job_id('c7a.large'), 'c7a.large', price=0.1)                       # completed
    for attempt in (0, 1):                                                                     # failed twice
        store_job(store, 'r1', job_id('c7g.large', attempt), 'c7g.large', states=('launched', 'failed'), result=False)
    store_job(store, 'r1', job_id('m7i.large'), 'm7i.large', states=('launched', 'failed'), result=False)  # retry due
    store_job(store, 'r1', job_id('r7a.large'), 'r7a.large', states=('launched', 'running'), deadline_epoch=NOW + 600)
    outcome = _collect_into(store, tmp_path / 'report')
    [plan] = outcome['summary']['plans']
    assert (plan['jobs'], plan['completed'], plan['failed'], plan['running'], plan['pending']) == (5, 1, 1, 1, 2)
    assert plan['percent_done'] == 40.0 and plan['estimated_hours_left'] == 0.8  # 3 x 30 min over 2 slots
    assert plan['cost_usd'] == 0.025 and plan['estimated_cost_usd'] == 0.25
    assert outcome['table'][1].startswith('plan weekly (run r1): 5 jobs: 1 completed, 1 running, 1 failed, 2 pending')
    assert 'Plan weekly (run r1)' in (tmp_path / 'report' / 'report.md').read_text()


def test_report_shows_the_spread_and_never_a_noisy_figure_as_stable():
    from ansible_collections.instancebench.aws.plugins.module_utils import _report
    headline = [
        {'benchmark': 'stream', 'metric': 'triad_bandwidth', 'instance_type': 'c7a.large', 'uarch': 'znver4', 'n': 1,
         'median': 30.0, 'ci_low': 29.0, 'ci_high': 31.0, 'ci_level': 0.97, 'quality': 'stable', 'unit': 'GB/s',
         'price_per_hour_usd': None, 'per_usd_hour': None},
        {'benchmark': 'stream', 'metric': 'triad_bandwidth', 'instance_type': 'c7i.large', 'uarch': 'spr', 'n': 1,
         'median': 20.0, 'ci_low': 12.0, 'ci_high': 40.0, 'ci_level': 0.97, 'quality': 'noisy', 'unit': 'GB/s',
         'price_per_hour_usd': None, 'per_usd_hour': None}]
    summary = {'runs': ['r'], 'jobs': 2, 'states': {'completed': 2}, 'percent_finished': 100.0, 'cost_usd': None,
               'problems': [], 'jobs_with_problems': 0, 'job_lines': [], 'unsuccessful': [], 'unsuccessful_count': 0}
    markdown = _report.markdown(summary, headline, [])
    assert '| c7i.large | spr | 1 | 20.0 | 12.0-40.0 (97 %) | **noisy** |' in markdown
    assert '| c7a.large | znver4 | 1 | 30.0 | 29.0-31.0 (97 %) | stable |' in markdown
    page = _report.html_page(summary, headline, [])
    assert page.count('class="errorbar"') == 2 and page.count('class="bar noisy"') == 1 and '(noisy)' in page
    assert page.count('class="axis"') >= 5, 'the chart has an axis with ticks'
    lines = _report.text_lines(summary, headline)
    assert any('12.0-40.0 (97 %)' in line and 'noisy' in line for line in lines)


@pytest.mark.parametrize('field, value', [
    ('job', 'a string'), ('system', 'x'), ('instance', ['i-1']), ('metrics', 'many')])
def test_a_malformed_result_is_a_named_problem_and_the_collect_goes_on(tmp_path, field, value):
    store = _store.open_store(str(tmp_path / 'store'))
    good = store_job(store, 'r1', 'good', 'c7a.large')
    bad = store_job(store, 'r1', 'bad', 'c7a.large')
    doc = store.get_json(host_objects(bad) + '/result.json')
    doc[field] = value
    store.put_json(host_objects(bad) + '/result.json', doc)
    rows = dict((row['job_id'], row) for row in _collect.collect_rows(store, ['r1'], NOW))
    assert rows['good']['valid'] and rows['good']['headline']
    assert not rows['bad']['valid'] and rows['bad']['problems'] and not rows['bad']['headline']


def test_a_malformed_launched_record_and_contradictory_sentinels_are_problems(tmp_path):
    store = _store.open_store(str(tmp_path / 'store'))
    prefix = store_job(store, 'r1', 'odd', 'c7a.large', states=('launched', 'running'))
    store.put_json(prefix + '/status-launched.json', {'deadline_epoch': 'soon', 'price_per_hour_usd': 'free'})
    twice = store_job(store, 'r1', 'twice', 'c7a.large')
    store.put_json(twice + '/status-failed.json', {'state': 'failed'})
    unknown = store_job(store, 'r1', 'planted', 'c7a.large', states=('running', 'completed'))
    rows = dict((row['job_id'], row) for row in _collect.collect_rows(store, ['r1'], NOW))
    assert rows['odd']['state'] == 'running' and rows['odd']['price_per_hour_usd'] is None
    assert any('contradictory sentinels' in p for p in rows['twice']['problems']) and not rows['twice']['headline']
    assert any('was not started by this run' in p for p in rows['planted']['problems']) and not rows['planted']['valid']
    assert unknown
