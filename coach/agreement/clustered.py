"""Intervals for the pooled row, where one attempt gives several marks: a percentile bootstrap
that resamples attempts (each with all its criteria), not single marks. The criteria of one
attempt tend to agree or disagree together, so treating them as independent (Wilson, FCE) would
give intervals too narrow. Fixed seed: a re-run prints the same numbers."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from coach.agreement.two_raters import (
    CONFIDENCE,
    Interval,
    Table,
    TwoRaterStats,
    two_rater_stats,
)

RESAMPLES = 2000
SEED = 2009
METHOD = "cluster bootstrap over attempts"


def clustered_stats(per_attempt: np.ndarray) -> TwoRaterStats:
    """Statistics of the summed table of ``per_attempt`` (A, 4): each row an attempt's counts
    (both met, met / not met, not met / met, both not met) over its criteria; intervals from
    resampling the rows. A resample whose kappa is undefined is left out of kappa's interval."""
    counts = np.asarray(per_attempt, dtype=np.int64)
    if counts.ndim != 2 or counts.shape[1] != 4:
        raise ValueError(f"expected (A, 4) counts, got shape {counts.shape}")
    stats = two_rater_stats(Table(*(int(x) for x in counts.sum(axis=0))))
    rng = np.random.default_rng(SEED)
    sums = counts[rng.integers(0, len(counts), size=(RESAMPLES, len(counts)))].sum(axis=1)
    n = sums.sum(axis=1).astype(float)
    a, b, c, d = (sums[:, i].astype(float) for i in range(4))
    percent = (a + d) / n
    expected = ((a + b) * (a + c) + (c + d) * (b + d)) / n**2
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(np.isclose(expected, 1.0), np.nan, (percent - expected) / (1 - expected))
    tail = 100 * (1 - CONFIDENCE) / 2
    p_low, p_high = np.percentile(percent, [tail, 100 - tail])
    kappa_ci, kappa_se = Interval(math.nan, math.nan), math.nan
    defined = kappa[~np.isnan(kappa)]
    if not math.isnan(stats.kappa) and defined.size >= 0.9 * RESAMPLES:
        k_low, k_high = np.percentile(defined, [tail, 100 - tail])
        kappa_ci, kappa_se = Interval(float(k_low), float(k_high)), float(defined.std(ddof=1))
    return dataclasses.replace(
        stats,
        percent_ci=Interval(float(p_low), float(p_high)),
        kappa_se=kappa_se,
        kappa_ci=kappa_ci,
        pabak_ci=Interval(float(2 * p_low - 1), float(2 * p_high - 1)),
        interval_method=METHOD,
    )
