# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: summary statistics over repetitions (stdlib only)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import statistics


def summarize(values):
    """median, min, max, sample stdev and coefficient of variation of `values`.

    stdev and cv are 0.0 for a single value: one repetition shows no spread, and the
    `n` field says how little that means.
    """
    values = [float(v) for v in values]
    if not values:
        raise ValueError('summarize() needs at least one value')
    mean = statistics.fmean(values) if hasattr(statistics, 'fmean') else statistics.mean(values)
    stdev = statistics.stdev(values) if len(values) > 1 else 0.0
    return {
        'n': len(values),
        'median': statistics.median(values),
        'min': min(values),
        'max': max(values),
        'mean': mean,
        'stdev': stdev,
        'cv': (stdev / mean) if mean else 0.0,
    }
