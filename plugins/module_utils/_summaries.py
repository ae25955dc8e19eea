# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: what the dataset says about each cell (instance type x benchmark x variant x metric),
as SQL over the `results` table - the rules live here, once:

- counted: a result enters the aggregates when it kept the run rules, its repetitions were not
  noisy and its figure is within its reference (or it has none); the column `counted` says so.
- aggregates: over every run, only counted results: jobs, launches, days, zones, the median over
  jobs with its distribution-free confidence interval (order statistics whose ranks _stats gives;
  one job: its own interval over repetitions), CV across jobs, min, max, first and last measured,
  the latest value, price and value per USD-hour; noisy and out-of-reference jobs counted apart.
- changes: the newest run's counted jobs against the earlier ones; a shift beyond max(k x spread,
  tolerance x the earlier median) is a regression (worse, as the metric's direction says) or an
  improvement. The spread is the earlier jobs' standard deviation, or the repetitions' own
  (median CV x median) when larger: one earlier job has no spread between jobs, its repetitions do.

A year of weekly runs over the whole catalog is a million results: DuckDB groups them in seconds,
where Python went through each one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.instancebench.aws.plugins.module_utils._stats import median_ci_ranks

# Bumped with any change to the SQL below: a publish then computes and writes everything again.
VERSION = 1
CELL = ('instance_type', 'benchmark', 'variant', 'metric')
_CELL = ', '.join(CELL)
_CELL_ORDER = ', '.join("coalesce(%s, '')" % name for name in CELL)
# The order of a cell's jobs: measured_at, then job id (chr(0) sorts below every character).
_JOB_KEY = "coalesce(measured_at, '') || chr(0) || job_id"

COUNTED = ("compliant IS DISTINCT FROM false AND quality IS DISTINCT FROM 'noisy' "
           "AND (reference_status IS NULL OR reference_status = 'within')")
CI_RANKS = [('n', 'INTEGER', ''), ('low_rank', 'INTEGER', ''), ('high_rank', 'INTEGER', ''), ('level', 'DOUBLE', '')]

# Lists are gathered unordered and sorted after (list_sort): an ORDER BY inside an aggregate keeps
# a sort state per group, tens of kilobytes each, and twenty thousand groups do not fit.
# The median of a sorted list, as statistics.median computes it (the mean of the middle two).
_MACROS = [
    "CREATE OR REPLACE MACRO sorted_median(l) AS CASE WHEN len(l) = 0 THEN NULL WHEN len(l) % 2 = 1 "
    "THEN l[(len(l) + 1) // 2] ELSE (l[len(l) // 2] + l[len(l) // 2 + 1]) / 2 END",
]

_AGGREGATES = """
WITH cells AS (
  SELECT {cell}, any_value(family) AS family,
    count(*) FILTER (WHERE counted) AS jobs,
    count(*) FILTER (WHERE quality = 'noisy') AS noisy_jobs,
    count(*) FILTER (WHERE reference_status IN ('below', 'above')) AS outside_reference_jobs,
    list_sort(list(value) FILTER (WHERE counted)) AS ordered,
    stddev_samp(value) FILTER (WHERE counted) AS stdev,
    avg(value) FILTER (WHERE counted) AS mean,
    nullif(array_to_string(list_sort(list_distinct(list(arch) FILTER (WHERE counted))), ','), '') AS arch,
    nullif(array_to_string(list_sort(list_distinct(list(uarch) FILTER (WHERE counted))), ','), '') AS uarch,
    arg_max(unit, {key}) FILTER (WHERE counted) AS unit,
    arg_max(higher_is_better, {key}) FILTER (WHERE counted) AS higher_is_better,
    count(DISTINCT coalesce(instance_id, job_id)) FILTER (WHERE counted) AS launches,
    count(DISTINCT substr(coalesce(measured_at, ''), 1, 10)) FILTER (WHERE counted) AS days,
    count(DISTINCT availability_zone) FILTER (WHERE counted) AS availability_zones,
    arg_min(measured_at, {key}) FILTER (WHERE counted) AS first_measured,
    arg_max(measured_at, {key}) FILTER (WHERE counted) AS last_measured,
    arg_max(value, {key}) FILTER (WHERE counted) AS latest_value,
    arg_max(ci_low, {key}) FILTER (WHERE counted) AS own_ci_low,
    arg_max(ci_high, {key}) FILTER (WHERE counted) AS own_ci_high,
    arg_max(ci_level, {key}) FILTER (WHERE counted) AS own_ci_level,
    list_sort(list(price_per_hour_usd)
      FILTER (WHERE counted AND market = 'on-demand' AND price_per_hour_usd <> 0)) AS on_demand_prices,
    list_sort(list(value_per_usd_hour) FILTER (WHERE counted AND value_per_usd_hour IS NOT NULL)) AS paid
  FROM results WHERE {chunk} GROUP BY {cell}
  HAVING count(*) FILTER (WHERE counted) > 0
), medians AS (
  SELECT *, sorted_median(ordered) AS median, sorted_median(on_demand_prices) AS price FROM cells
)
SELECT m.instance_type, m.family, m.arch, m.uarch, m.benchmark, m.variant,
  m.metric, m.unit, m.higher_is_better, m.jobs, m.noisy_jobs, m.outside_reference_jobs, m.launches, m.days,
  m.availability_zones, m.median,
  CASE WHEN m.jobs = 1 THEN m.own_ci_low ELSE m.ordered[r.low_rank] END AS ci_low,
  CASE WHEN m.jobs = 1 THEN m.own_ci_high ELSE m.ordered[r.high_rank] END AS ci_high,
  CASE WHEN m.jobs = 1 THEN m.own_ci_level ELSE r.level END AS ci_level,
  round(CASE WHEN m.jobs = 1 OR m.mean = 0 THEN 0.0 ELSE m.stdev / m.mean END, 6) AS cv,
  m.ordered[1] AS "min", m.ordered[-1] AS "max", m.first_measured, m.last_measured, m.latest_value,
  m.price AS on_demand_price_per_hour_usd,
  CASE WHEN m.price <> 0 THEN round(m.median / m.price, 6) END AS value_per_usd_hour_on_demand,
  round(sorted_median(m.paid), 6) AS value_per_usd_hour_paid
FROM medians m LEFT JOIN ci_ranks r ON r.n = m.jobs
"""

_CHANGES = """
WITH kept AS (
  SELECT {cell}, run_id, job_id, value, unit, cv, higher_is_better, coalesce(measured_at, '') AS t, {key} AS job_key
  FROM results WHERE counted AND {chunk}
), newest AS (
  -- The newest run holds the cell's latest job, so its time is the cell's latest time. A GROUP BY
  -- and a join, not window functions: those cannot spill to disk, and a year of runs does not fit.
  SELECT {cell}, arg_max(run_id, t || chr(0) || run_id) AS newest_run, max(t) AS newest_time FROM kept GROUP BY {cell}
), sides AS (
  SELECT k.*, n.newest_run, run_id = newest_run AS is_new, run_id <> newest_run AND t <= newest_time AS is_old
  FROM kept k JOIN newest n ON {same_cell}
), cells AS (
  SELECT {cell}, any_value(newest_run) AS after_run,
    list_sort(list(value) FILTER (WHERE is_old)) AS before_values,
    list_sort(list(value) FILTER (WHERE is_new)) AS after_values,
    coalesce(stddev_samp(value) FILTER (WHERE is_old), 0.0) AS before_stdev,
    coalesce(median(cv) FILTER (WHERE (is_old OR is_new) AND cv IS NOT NULL), 0.0) AS within,
    arg_min(higher_is_better, job_key) FILTER (WHERE is_new) AS higher_is_better,
    arg_min(unit, job_key) FILTER (WHERE is_new) AS unit,
    array_to_string(list_sort(list_distinct(list(run_id) FILTER (WHERE is_old))), ',') AS before_runs
  FROM sides GROUP BY {cell}
  HAVING count(*) FILTER (WHERE is_old) > 0
), measured AS (
  SELECT *, sorted_median(before_values) AS before_median, sorted_median(after_values) AS after_median FROM cells
), judged AS (
  SELECT *, after_median - before_median AS shift,
    greatest({k} * greatest(before_stdev, within * abs(before_median)), {tolerance} * abs(before_median)) AS threshold
  FROM measured
)
SELECT instance_type, benchmark, variant, metric,
  CASE WHEN (shift > 0) = (higher_is_better IS DISTINCT FROM false) THEN 'improvement' ELSE 'regression' END AS kind,
  unit, before_median, len(before_values) AS before_jobs, before_runs, after_median, len(after_values) AS after_jobs,
  after_run,
  CASE WHEN before_median <> 0 THEN round(100.0 * shift / before_median, 3) END AS change_pct,
  CASE WHEN before_median <> 0 THEN round(100.0 * threshold / abs(before_median), 3) END AS threshold_pct
FROM judged WHERE abs(shift) > threshold
"""


# The results as summarized and published: the runs' rows, each marked counted or not.
WITH_COUNTED = 'SELECT * REPLACE ((%s) AS counted) FROM results_read' % COUNTED


def judged_select(path, cell):
    """One run's results file (`path`, quoted) with each row's reference status, matched on the
    `cell` columns with reference_ranges, rows in the file's order (a join may reorder them)."""
    return ("SELECT r.* EXCLUDE (file_row_number) REPLACE (CASE WHEN f.low IS NULL THEN NULL "
            "WHEN r.value < f.low THEN 'below' WHEN r.value > f.high THEN 'above' ELSE 'within' END "
            "AS reference_status, f.low AS reference_low, f.high AS reference_high) "
            "FROM read_parquet(%s, file_row_number = true) r LEFT JOIN reference_ranges f ON %s "
            "ORDER BY r.file_row_number") % (path, ' AND '.join('r.%s IS NOT DISTINCT FROM f.%s' % (n, n) for n in cell))


def summarize(tables, k, tolerance):
    """The aggregates and changes tables from the results, in the columns `tables` knows for them."""
    for macro in _MACROS:
        tables.execute(macro)
    counts = [row[0] for row in tables.execute(
        'SELECT DISTINCT count(*) FROM results WHERE counted GROUP BY %s' % _CELL).fetchall()]
    ranks = []
    for n in sorted(set(counts)):
        low, high, level = median_ci_ranks(n)
        ranks.append({'n': n, 'low_rank': low, 'high_rank': high, 'level': level})
    tables.load_records('ci_ranks', ranks)
    fill = {'cell': _CELL, 'key': _JOB_KEY, 'k': repr(float(k)), 'tolerance': repr(float(tolerance)),
            'same_cell': ' AND '.join('k.%s IS NOT DISTINCT FROM n.%s' % (name, name) for name in CELL)}
    for table, sql in (('aggregates', _AGGREGATES), ('changes', _CHANGES)):
        # A cell is in one chunk; these hold a few numbers per row (2.2 s a year of runs, 2.9 s at scale 1).
        for index, chunk in enumerate(tables.chunks('results', 'instance_type', scale=2.5)):
            select = sql.format(chunk=chunk, **fill)
            tables.execute(('CREATE OR REPLACE TABLE %s AS ' if index == 0 else 'INSERT INTO %s ') % table + select)
        tables.conform(table, order=_CELL_ORDER)
