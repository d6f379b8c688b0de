"""DTW barycenter averaging (DBA): one reference and its tolerance band from demonstrations.

Petitjean et al. (2011): start from one demonstration, align every demonstration to the current
mean with DTW, replace each mean frame by the average of all the frames aligned to it, repeat.
The total DTW cost does not increase from one iteration to the next; we stop when it stops
falling (relative change below ``tol``) or after ``n_iter`` iterations.

The tolerance band is the per-frame, per-feature root-mean-square deviation from the mean of
the frames aligned to each mean frame in the final alignment: how much the demonstrators
themselves varied there. NaN features (unassessable) are left out of both averages; a mean
value with no finite contribution stays NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from coach.analysis.alignment.cost import cost_matrix
from coach.analysis.alignment.dtw import DtwResult, dtw_cost


@dataclass(frozen=True, eq=False)
class Barycenter:
    """A reference built from demonstrations.

    Attributes:
        mean: (L, F) the averaged sequence (L = length of the initial demonstration).
        std: (L, F) standard deviation of the aligned demonstration frames: the tolerance band.
        count: (L,) demonstration frames aligned to each mean frame (all demonstrations).
        cost: total normalised DTW distance from the demonstrations to ``mean``.
        n_iter: iterations run.
    """

    mean: np.ndarray
    std: np.ndarray
    count: np.ndarray
    cost: float
    n_iter: int

    def band(self, n_sigmas: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper), each (L, F): ``mean -/+ n_sigmas * std``."""
        return self.mean - n_sigmas * self.std, self.mean + n_sigmas * self.std


DtwImpl = Callable[..., DtwResult]
"""``f(cost (N, M), *, band) -> DtwResult``: ``dtw_cost`` or the loop baseline ``dtw_loop``."""


def _check(sequences: Sequence[np.ndarray]) -> list[np.ndarray]:
    seqs = [np.asarray(s, dtype=np.float64) for s in sequences]
    if not seqs:
        raise ValueError("dba: expected at least one sequence")
    n_features = seqs[0].shape[1] if seqs[0].ndim == 2 else -1
    for k, s in enumerate(seqs):
        if s.ndim != 2 or s.shape[1] != n_features or s.shape[0] < 1:
            raise ValueError(
                f"dba: sequence {k}: expected (frames, {n_features}), got shape {s.shape}"
            )
    return seqs


def medoid_index(
    sequences: Sequence[np.ndarray],
    *,
    band: int | None = None,
    weights: np.ndarray | None = None,
    dtw_impl: DtwImpl = dtw_cost,
) -> int:
    """Index of the sequence with the smallest total normalised DTW distance to the others."""
    seqs = _check(sequences)
    n = len(seqs)
    dist = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            cost = cost_matrix(seqs[i], seqs[j], weights=weights)
            dist[i, j] = dist[j, i] = dtw_impl(cost, band=band).normalized_distance
    return int(dist.sum(axis=1).argmin())


def _aligned_stats(
    mean: np.ndarray,
    seqs: list[np.ndarray],
    band: int | None,
    weights: np.ndarray | None,
    dtw_impl: DtwImpl,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Sums, squared sums and finite counts (L, F) of the frames aligned to each mean frame."""
    total = np.zeros_like(mean)
    total_sq = np.zeros_like(mean)
    finite = np.zeros_like(mean)
    count = np.zeros(mean.shape[0])
    cost = 0.0
    for s in seqs:
        result = dtw_impl(cost_matrix(mean, s, weights=weights), band=band)
        cost += result.normalized_distance
        i, j = result.path[:, 0], result.path[:, 1]
        frames = s[j]
        ok = np.isfinite(frames)
        values = np.where(ok, frames, 0.0)
        # The path visits every mean frame in order, so each one is a contiguous segment.
        first = np.flatnonzero(np.diff(i, prepend=-1))
        total += np.add.reduceat(values, first, axis=0)
        total_sq += np.add.reduceat(values * values, first, axis=0)
        finite += np.add.reduceat(ok.astype(np.float64), first, axis=0)
        count += np.diff(np.append(first, len(i)))
    return total, total_sq, finite, count, cost


def dba(
    sequences: Sequence[np.ndarray],
    *,
    n_iter: int = 10,
    init: int | None = None,
    band: int | None = None,
    weights: np.ndarray | None = None,
    tol: float = 1e-4,
    dtw_impl: DtwImpl = dtw_cost,
) -> Barycenter:
    """Average several (N_k, F) demonstrations into one (L, F) reference with a tolerance band.

    ``init`` is the index of the starting sequence (None: the medoid, whose length L the
    result keeps). ``band`` is the Sakoe-Chiba half-width for every alignment (widened per
    pair to the length difference, see dtw.py).
    """
    seqs = _check(sequences)
    if init is None:
        init = medoid_index(seqs, band=band, weights=weights, dtw_impl=dtw_impl)
    mean = seqs[init].copy()
    previous = np.inf
    iterations = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(n_iter):
            iterations += 1
            total, total_sq, finite, count, cost = _aligned_stats(
                mean, seqs, band, weights, dtw_impl
            )
            mean = np.where(finite > 0, total / finite, np.nan)
            if np.isfinite(previous) and previous - cost <= tol * previous:
                break
            previous = cost
        total, total_sq, finite, count, cost = _aligned_stats(mean, seqs, band, weights, dtw_impl)
        # Spread about the returned mean: E[x^2] - 2 mean E[x] + mean^2.
        var = (total_sq - 2.0 * mean * total) / finite + mean * mean
    std = np.sqrt(np.maximum(var, 0.0))
    return Barycenter(mean, std, count, float(cost), iterations)
