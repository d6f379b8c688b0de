"""One column of subsequence DTW (SPRING) with a clamped advance: the live aligner's inner step.

The stream (trainee frames, index t) runs against a fixed reference (frames j = 0..L-1). Each
new frame computes one column over the whole reference:

    a[j] = c[j] + min(D'[j-1], D'[j])        D' = the previous column, D'[-1] = 0 (free start)
    D[j] = min_{j-w <= k <= j} (a[k] + c[k+1] + ... + c[j]) = C[j] + min_{j-w..j}(a - C)

The free start D'[-1] = 0 lets a match begin at any frame (Sakurai et al., SPRING, 2007), so an
attempt is found wherever it starts in the stream. The window w = max_advance - 1 limits the
reference to ``max_advance`` frames of progress per stream frame (one diagonal step plus at
most w horizontal ones), a slope constraint that stops a noisy frame from jumping the match
ahead. Alongside D each cell carries the start time of its best path and its length in cells,
so the open end can be chosen by mean cost per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class SpringColumn:
    """The state after one stream frame, each (L,) over the reference frames.

    Attributes:
        cost: accumulated cost of the best path ending at this reference frame now (inf if
            none is possible yet).
        start_t: stream time (s) at which that path entered reference frame 0.
        length: number of cells on that path (a float array: it travels with start_t).
    """

    cost: np.ndarray
    track: np.ndarray
    """(2, L): start_t in row 0, length in row 1."""

    @property
    def start_t(self) -> np.ndarray:
        return self.track[0]

    @property
    def length(self) -> np.ndarray:
        return self.track[1]

    @classmethod
    def empty(cls, n_reference: int) -> SpringColumn:
        """The state before the first frame: no path anywhere."""
        track = np.zeros((2, n_reference))
        track[0] = np.nan
        return cls(np.full(n_reference, np.inf), track)


def spring_column(prev: SpringColumn, c: np.ndarray, t: float, max_advance: int) -> SpringColumn:
    """The next column for frame costs ``c`` (L,) at stream time ``t``, vectorised.

    About 25 numpy calls on (L,) arrays; no (L, w) temporaries, as small-array calls cost
    microseconds each whatever their size.
    """
    n = c.shape[0]
    w = max_advance - 1
    up = prev.cost
    # Enter each reference frame from the previous column: diagonally (from j - 1, or a fresh
    # start at j = 0 at cost 0) or vertically (from j); ties go to the diagonal.
    take_diag = np.empty(n, dtype=bool)
    take_diag[0] = True
    np.less_equal(up[:-1], up[1:], out=take_diag[1:])
    entry = np.empty(n + w)  # w leading infs, then a - C
    entry[:w] = np.inf
    e = entry[w:]
    e[0] = 0.0
    np.minimum(up[:-1], up[1:], out=e[1:])
    prefix = np.add.accumulate(c)
    e += c
    e -= prefix
    # Then walk right at most w cells: the best of (a - C)[j - s], s = 0..w, fewest s on ties.
    best = e.copy()
    step = np.zeros(n, dtype=np.int64)
    for s in range(1, w + 1):
        shifted = entry[w - s : w - s + n]
        better = shifted < best
        np.copyto(best, shifted, where=better)
        np.copyto(step, s, where=better)
    src = np.arange(n) - step
    from_prev = src - take_diag.take(src)  # index into the previous column; -1 = fresh start
    # Start time and length travel together: one gather, then the fresh starts (a few cells).
    track = prev.track.take(from_prev, axis=1)
    fresh = np.flatnonzero(from_prev < 0)
    track[0, fresh] = t
    track[1, fresh] = 0.0
    track[1] += step + 1
    best += prefix
    return SpringColumn(best, track)


def spring_column_loop(
    prev: SpringColumn, c: np.ndarray, t: float, max_advance: int
) -> SpringColumn:
    """The same column as plain loops: the reference for tests and the bench baseline."""
    n = len(c)
    cost, start, length = [0.0] * n, [0.0] * n, [0] * n
    a, a_start, a_len = [0.0] * n, [0.0] * n, [0] * n
    for j in range(n):
        diag = 0.0 if j == 0 else float(prev.cost[j - 1])
        up = float(prev.cost[j])
        if diag <= up:
            a[j] = float(c[j]) + diag
            a_start[j] = t if j == 0 else float(prev.start_t[j - 1])
            a_len[j] = (0 if j == 0 else int(prev.length[j - 1])) + 1
        else:
            a[j] = float(c[j]) + up
            a_start[j], a_len[j] = float(prev.start_t[j]), int(prev.length[j]) + 1
    for j in range(n):
        best, best_k = float("inf"), j
        for k in range(j, max(-1, j - max_advance), -1):
            walk = a[k] + sum(float(c[m]) for m in range(k + 1, j + 1))
            if walk < best:
                best, best_k = walk, k
        cost[j], start[j], length[j] = best, a_start[best_k], a_len[best_k] + (j - best_k)
    return SpringColumn(np.array(cost), np.array([start, length], dtype=np.float64))
