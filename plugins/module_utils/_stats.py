# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: summary statistics over repetitions (stdlib only)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import statistics


def summarize(values):
    """median, min, max, sample stdev and coefficient of variation of `values`.

    stdev and cv are 0.0 for a single value: one repetition shows no spread, and the
    `n` field says how little that means.
    """
    values = [float(v) for v in values]
    if not values:
        raise ValueError('summarize() needs at least one value')
    mean = math.fsum(values) / len(values)
    # Two passes over floats, exactly summed: statistics.stdev's exact fractions cost 60 us a call
    # and the dataset publish summarizes every cell of a year of runs.
    stdev = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return {
        'n': len(values),
        'median': statistics.median(values),
        'min': min(values),
        'max': max(values),
        'mean': mean,
        'stdev': stdev,
        'cv': (stdev / mean) if mean else 0.0,
    }


def _binomial_cdf(k, n):
    """P(X <= k) for X ~ Binomial(n, 1/2)."""
    total, term = 0.0, 0.5 ** n
    for i in range(0, k + 1):
        total += term
        term = term * (n - i) / (i + 1)
    return total


def median_ci(values, level=0.95):
    """Distribution-free confidence interval of the median from order statistics.

    Returns (low, high, achieved): the narrowest [x(k), x(n-k+1)] whose coverage
    1 - 2 P(Bin(n, 1/2) <= k-1) is at least `level`. Fewer than 6 values cannot reach 95 %:
    then the interval is [min, max] and `achieved` says how sure it is (0.9375 for 5 values,
    0 for one), never a level it does not have.
    """
    ordered = sorted(float(v) for v in values)
    if not ordered:
        raise ValueError('median_ci() needs at least one value')
    low, high, achieved = median_ci_ranks(len(ordered), level)
    return ordered[low - 1], ordered[high - 1], achieved


def median_ci_ranks(n, level=0.95):
    """(low rank, high rank, achieved coverage) of median_ci for n sorted values, ranks from 1
    (the dataset's aggregates pick the same order statistics in SQL)."""
    best = 1
    for k in range(1, n // 2 + 1):
        if 1 - 2 * _binomial_cdf(k - 1, n) >= level:
            best = k
    achieved = 1 - 2 * _binomial_cdf(best - 1, n) if n > 1 else 0.0
    return best, n - best + 1, round(achieved, 6)
