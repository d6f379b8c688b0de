"""Offline dynamic time warping with a Sakoe-Chiba band, the warping path, and a loop baseline.

Recurrence (steps diagonal, vertical, horizontal; each cell's cost counted once):

    D[i, j] = c[i, j] + min(D[i-1, j-1], D[i-1, j], D[i, j-1]),   D[-1, -1] = 0

Row closed form. Write a[j] = c[i, j] + min(D[i-1, j-1], D[i-1, j]) (entering row i at j) and
C[j] = c[i, 0] + ... + c[i, j] (inclusive prefix sum of the row). A path enters row i at some
k <= j and walks right, so

    D[i, j] = min_{k<=j} (a[k] + C[j] - C[k]) = C[j] + cummin(a - C)[j],

one ``np.minimum.accumulate`` per row instead of a Python loop over j. Rounding differs from the
loop only in the last bits (exactly equal on integer costs; a test checks both).

Band: cells with |i - j| <= band. A band narrower than |N - M| cannot reach the end cell, so it
is widened to |N - M| (the narrowest band with a finite answer) rather than returning inf.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.analysis.alignment.cost import cost_matrix


@dataclass(frozen=True, eq=False)
class DtwResult:
    """Result of aligning x (N frames) with y (M frames).

    Attributes:
        distance: sum of the frame costs along the best path.
        path: (K, 2) int, rows (i, j) from (0, 0) to (N-1, M-1), each step +1 in i, j or both.
        normalized_distance: ``distance / K``, the mean frame cost along the path, comparable
            between pairs of different lengths.
        band: the band actually used (after widening), None for no band.
    """

    distance: float
    path: np.ndarray
    normalized_distance: float
    band: int | None


def effective_band(n: int, m: int, band: int | None) -> int | None:
    """The Sakoe-Chiba half-width used: ``band`` widened to ``|n - m|``; None means no band."""
    if band is None:
        return None
    if band < 0:
        raise ValueError(f"band: expected >= 0 frames or None, got {band}")
    return max(int(band), abs(n - m))


def _check_cost(cost: np.ndarray) -> np.ndarray:
    cost = np.asarray(cost, dtype=np.float64)
    if cost.ndim != 2 or min(cost.shape) == 0:
        raise ValueError(f"cost: expected a non-empty (N, M) matrix, got shape {cost.shape}")
    if not np.all(np.isfinite(cost)) or np.any(cost < 0):
        raise ValueError("cost: expected finite costs >= 0 (fill NaN with cost.fill_neutral)")
    return cost


def accumulated_cost(cost: np.ndarray, band: int | None = None) -> np.ndarray:
    """(N, M) accumulated cost D by the row closed form; inf outside the band."""
    cost = _check_cost(cost)
    n, m = cost.shape
    r = effective_band(n, m, band)
    padded = np.full((n + 1, m + 1), np.inf)  # padded[i + 1, j + 1] = D[i, j]
    padded[0, 0] = 0.0
    # A constant offset in C cancels in C + cummin(a - C), so one prefix sum over each whole
    # row serves every band slice of it.
    prefix = np.cumsum(cost, axis=1)
    entry = cost - prefix  # a - C = min(above-left, above) + (c - C)
    buf = np.empty(m)
    for i in range(n):
        lo, hi = (0, m) if r is None else (max(0, i - r), min(m, i + r + 1))
        a = buf[: hi - lo]
        above = padded[i]
        np.minimum(above[lo:hi], above[lo + 1 : hi + 1], out=a)
        a += entry[i, lo:hi]
        np.minimum.accumulate(a, out=a)
        np.add(prefix[i, lo:hi], a, out=padded[i + 1, lo + 1 : hi + 1])
    acc = padded[1:, 1:]
    return acc


def backtrack(acc: np.ndarray, end: tuple[int, int] | None = None) -> np.ndarray:
    """(K, 2) path from ``end`` (default the last cell) back to (0, 0), ties to the diagonal."""
    i, j = (acc.shape[0] - 1, acc.shape[1] - 1) if end is None else end
    path = [(i, j)]
    while i > 0 or j > 0:
        if i == 0:
            j -= 1
        elif j == 0:
            i -= 1
        else:
            diag, up, left = acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1]
            if diag <= up and diag <= left:
                i, j = i - 1, j - 1
            elif up <= left:
                i -= 1
            else:
                j -= 1
        path.append((i, j))
    return np.array(path[::-1], dtype=np.int64)


def dtw_cost(cost: np.ndarray, *, band: int | None = None) -> DtwResult:
    """DTW over a precomputed (N, M) cost matrix, vectorised row by row."""
    cost = _check_cost(cost)
    acc = accumulated_cost(cost, band)
    path = backtrack(acc)
    distance = float(acc[-1, -1])
    r = effective_band(cost.shape[0], cost.shape[1], band)
    return DtwResult(distance, path, distance / len(path), r)


def dtw(
    x: np.ndarray,
    y: np.ndarray,
    *,
    band: int | None = None,
    weights: np.ndarray | None = None,
    distance: str = "rms",
) -> DtwResult:
    """Align feature matrices x (N, F) and y (M, F); NaN features are ignored (see cost.py)."""
    return dtw_cost(cost_matrix(x, y, weights=weights, distance=distance), band=band)


def dtw_loop(cost: np.ndarray, *, band: int | None = None) -> DtwResult:
    """The same DTW as plain nested loops: the reference for tests and the bench baseline."""
    cost = _check_cost(cost)
    n, m = cost.shape
    r = effective_band(n, m, band)
    acc = [[float("inf")] * m for _ in range(n)]
    c = cost.tolist()
    for i in range(n):
        for j in range(m):
            if r is not None and abs(i - j) > r:
                continue
            if i == 0 and j == 0:
                best = 0.0
            else:
                diag = acc[i - 1][j - 1] if i > 0 and j > 0 else float("inf")
                up = acc[i - 1][j] if i > 0 else float("inf")
                left = acc[i][j - 1] if j > 0 else float("inf")
                best = min(diag, up, left)
            acc[i][j] = c[i][j] + best
    i, j = n - 1, m - 1
    path = [(i, j)]
    while i > 0 or j > 0:
        if i == 0:
            j -= 1
        elif j == 0:
            i -= 1
        else:
            diag, up, left = acc[i - 1][j - 1], acc[i - 1][j], acc[i][j - 1]
            if diag <= up and diag <= left:
                i, j = i - 1, j - 1
            elif up <= left:
                i -= 1
            else:
                j -= 1
        path.append((i, j))
    distance = acc[n - 1][m - 1]
    return DtwResult(distance, np.array(path[::-1], dtype=np.int64), distance / len(path), r)
