"""Fleiss' kappa: agreement among three or more raters who each marked every attempt.

Fleiss (1971), Psychological Bulletin 76:378-382. Its interval here is a percentile bootstrap
over attempts (scipy's ``bootstrap``, a fixed seed, so a re-run prints the same numbers): the
large-sample formula of Fleiss, Nee & Landis (1979) holds only under no agreement beyond chance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import bootstrap

from coach.agreement.two_raters import CONFIDENCE, Interval

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 14


@dataclass(frozen=True)
class FleissStats:
    n: int
    raters: int
    kappa: float
    kappa_ci: Interval


def fleiss_kappa(counts: np.ndarray) -> float:
    """Kappa from an (N, k) table: row i holds how many raters put attempt i in category j;
    every row sums to the same number of raters (at least 2). NaN when every rating fell in one
    category."""
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[0] == 0:
        raise ValueError(f"expected an (N, k) table, got shape {table.shape}")
    raters = table.sum(axis=1)
    if not np.all(raters == raters[0]) or raters[0] < 2:
        raise ValueError(f"every attempt needs the same number (>= 2) of raters, got {raters}")
    m = raters[0]
    per_attempt = ((table**2).sum(axis=1) - m) / (m * (m - 1))
    shares = table.sum(axis=0) / table.sum()
    expected = float((shares**2).sum())
    if math.isclose(expected, 1.0):
        return math.nan
    return float((per_attempt.mean() - expected) / (1 - expected))


def fleiss_stats(counts: np.ndarray) -> FleissStats:
    """Fleiss' kappa with its bootstrap interval over attempts (rows)."""
    table = np.asarray(counts, dtype=float)
    kappa = fleiss_kappa(table)
    interval = Interval(math.nan, math.nan)
    if not math.isnan(kappa) and table.shape[0] >= 2:
        rows = np.arange(table.shape[0])
        result = bootstrap(
            (rows,),
            lambda index: _kappa_or_nan(table[index]),
            confidence_level=CONFIDENCE,
            n_resamples=BOOTSTRAP_RESAMPLES,
            method="percentile",
            random_state=np.random.default_rng(BOOTSTRAP_SEED),
            vectorized=False,
        )
        interval = Interval(
            float(result.confidence_interval.low), float(result.confidence_interval.high)
        )
    return FleissStats(int(table.shape[0]), int(table[0].sum()), kappa, interval)


def _kappa_or_nan(table: np.ndarray) -> float:
    return fleiss_kappa(table)
