"""Fleiss' kappa: agreement among three or more raters who each marked every attempt.

Fleiss (1971), Psychological Bulletin 76:378-382. Its interval is a percentile bootstrap over
attempts with a fixed seed (a re-run prints the same numbers): the large-sample formula of
Fleiss, Nee & Landis (1979) holds only under no agreement beyond chance. A resample whose
ratings all fell in one category has no kappa and is left out; when more than a tenth are, the
interval is not given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coach.agreement.two_raters import CONFIDENCE, Interval

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 14
MAX_UNDEFINED_SHARE = 0.1


@dataclass(frozen=True)
class FleissStats:
    n: int
    raters: int
    kappa: float
    kappa_ci: Interval


def _check(counts: np.ndarray) -> np.ndarray:
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[0] == 0:
        raise ValueError(f"expected an (N, k) table, got shape {table.shape}")
    raters = table.sum(axis=1)
    if not np.all(raters == raters[0]) or raters[0] < 2:
        raise ValueError(f"every attempt needs the same number (>= 2) of raters, got {raters}")
    return table


def _kappas(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Kappa of the attempts ``index`` (shape (..., N)) of ``table``; NaN where undefined."""
    m = table[0].sum()
    per_attempt = ((table**2).sum(axis=1) - m) / (m * (m - 1))
    shares = table[index].sum(axis=-2) / (m * index.shape[-1])
    expected = (shares**2).sum(axis=-1)
    observed = per_attempt[index].mean(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (observed - expected) / (1 - expected)
    return np.where(np.isclose(expected, 1.0), np.nan, kappa)


def fleiss_kappa(counts: np.ndarray) -> float:
    """Kappa from an (N, k) table: row i holds how many raters put attempt i in category j;
    every row sums to the same number of raters (at least 2). NaN when every rating fell in one
    category."""
    table = _check(counts)
    return float(_kappas(table, np.arange(table.shape[0])))


def fleiss_stats(counts: np.ndarray, groups: np.ndarray | None = None) -> FleissStats:
    """Fleiss' kappa with its bootstrap interval. The resampled units are the rows, or, with
    ``groups`` (one label per row), the groups: an attempt with all its criteria."""
    table = _check(counts)
    n = table.shape[0]
    kappa = fleiss_kappa(table)
    interval = Interval(math.nan, math.nan)
    labels = np.arange(n) if groups is None else np.unique(groups, return_inverse=True)[1]
    g = int(labels.max()) + 1
    if not math.isnan(kappa) and g >= 2:
        m = table[0].sum()
        per_row = ((table**2).sum(axis=1) - m) / (m * (m - 1))
        agree = np.bincount(labels, weights=per_row, minlength=g)
        rows = np.bincount(labels, minlength=g).astype(float)
        shares = np.stack(
            [np.bincount(labels, weights=table[:, j], minlength=g) for j in range(table.shape[1])],
            axis=1,
        )
        draw = np.random.default_rng(BOOTSTRAP_SEED).integers(0, g, size=(BOOTSTRAP_RESAMPLES, g))
        observed = agree[draw].sum(axis=1) / rows[draw].sum(axis=1)
        totals = shares[draw].sum(axis=1)
        expected = ((totals / totals.sum(axis=1, keepdims=True)) ** 2).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            resampled = (observed - expected) / (1 - expected)
        defined = resampled[~np.isclose(expected, 1.0)]
        if defined.size >= (1 - MAX_UNDEFINED_SHARE) * BOOTSTRAP_RESAMPLES:
            tail = 100 * (1 - CONFIDENCE) / 2
            low, high = np.percentile(defined, [tail, 100 - tail])
            interval = Interval(float(low), float(high))
    return FleissStats(n, int(table[0].sum()), kappa, interval)
