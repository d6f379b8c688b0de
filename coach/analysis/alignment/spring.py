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

Live, a column costs about 15 numpy calls on (L,) arrays into preallocated buffers
(``SpringTracker``): at these sizes each call costs a fixed ~0.5-1 us whatever its length, so the
number of calls, not the arithmetic, is the price.
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


class SpringTracker:
    """The SPRING column of a live stream, advanced in place: the aligner's per-frame hot path.

    All work arrays are allocated once for a reference of ``n_reference`` frames. ``cost``,
    ``start_t`` and ``length`` are views of the current column, valid until the next ``step``.
    Start time and length live together as the rows of an (L + 1, 2) track so one gather moves
    both; the extra last row is the fresh start (t, 0), reached by index -1.
    """

    def __init__(self, n_reference: int, max_advance: int) -> None:
        if n_reference < 1 or max_advance < 1:
            raise ValueError(
                f"expected n_reference >= 1 and max_advance >= 1, got {n_reference}, {max_advance}"
            )
        n, w = int(n_reference), int(max_advance) - 1
        self.n_reference, self.max_advance = n, w + 1
        self.cost = np.empty(n)
        self._tracks = (np.zeros((n + 1, 2)), np.zeros((n + 1, 2)))
        self._rows = tuple(track[:-1] for track in self._tracks)
        self._starts = tuple(track[:-1, 0] for track in self._tracks)
        self._lengths = tuple(track[:-1, 1] for track in self._tracks)
        self._current = 0
        self._arange = np.arange(n)
        self._diag = np.ones(n, dtype=bool)  # [0] stays True: frame 0 is entered diagonally
        self._enter = np.full(n, -1, dtype=np.intp)  # previous-column cell entered from
        self._up_min = np.zeros(n)  # [0] stays 0: the free start
        self._prefix = np.empty(n)
        self._entry = np.full(n + w, np.inf)  # w leading infs, then a - C
        self._step = np.zeros(n, dtype=np.intp)  # stays 0 when w = 0
        self._less = np.empty(n, dtype=bool)
        self._ones = np.ones(n)  # adding an array costs less than adding the scalar 1
        self._src = np.empty(n, dtype=np.intp)
        self._from = np.empty(n, dtype=np.intp)
        self._e = self._entry[w:]
        # Fixed views (slicing costs a little every time it is done).
        self._up_lo, self._up_hi = self.cost[:-1], self.cost[1:]
        self._diag_tail, self._up_min_tail = self._diag[1:], self._up_min[1:]
        # The walk right: (a - C)[j - s] for s = 1..w folded into running minima, the last
        # one in self.cost. Each triple: (minimum so far, the shifted values, where to write).
        minima = [self._e] + [np.empty(n) for _ in range(w - 1)] + [self.cost]
        self._walk = [
            (minima[s - 1], self._entry[w - s : w - s + n], minima[s]) for s in range(1, w + 1)
        ]
        self._above_more = minima[1:w]  # the running minima after e that s counts as well
        self.reset()

    @property
    def start_t(self) -> np.ndarray:
        return self._starts[self._current]

    @property
    def length(self) -> np.ndarray:
        return self._lengths[self._current]

    def reset(self) -> None:
        """Before the first frame: no path anywhere."""
        self.cost.fill(np.inf)
        track = self._tracks[self._current]
        track[:, 0] = np.nan
        track[:, 1] = 0.0

    def load(self, column: SpringColumn) -> None:
        """Continue from ``column`` (copied)."""
        if column.cost.shape != (self.n_reference,):
            raise ValueError(
                f"column: expected ({self.n_reference},) costs, got {column.cost.shape}"
            )
        self.cost[:] = column.cost
        self._rows[self._current][:] = column.track.T

    def column(self) -> SpringColumn:
        """A copy of the current column."""
        return SpringColumn(self.cost.copy(), self._rows[self._current].T.copy())

    def step(self, c: np.ndarray, t: float) -> None:
        """Advance by one stream frame at ``t`` with frame costs ``c`` (L,), in place."""
        e, best, step = self._e, self.cost, self._step
        prev = self._tracks[self._current]
        self._current ^= 1
        rows, length = self._rows[self._current], self._lengths[self._current]
        # Enter each reference frame from the previous column (self.cost): diagonally (from
        # j - 1, or a fresh start at j = 0 at cost 0) or vertically (from j); ties go diagonal.
        np.less_equal(self._up_lo, self._up_hi, out=self._diag_tail)
        np.subtract(self._arange, self._diag, out=self._enter)
        np.minimum(self._up_lo, self._up_hi, out=self._up_min_tail)
        np.add.accumulate(c, out=self._prefix)
        np.add(self._up_min, c, out=e)
        e -= self._prefix
        # Walk right at most w cells: the best of (a - C)[j - s], s = 0..w, fewest s on ties.
        # The previous column is spent, so the best lands in self.cost; s = how many of the
        # running minima s' = 0..w - 1 lie strictly above the best.
        for so_far, shifted, out in self._walk:
            np.minimum(so_far, shifted, out=out)
        if not self._walk:
            np.copyto(best, e)
        if self._walk:
            np.less(best, e, out=step)
        for above in self._above_more:
            np.less(best, above, out=self._less)
            step += self._less
        np.subtract(self._arange, step, out=self._src)
        self._enter.take(self._src, out=self._from, mode="clip")  # -1 = fresh start
        # Start time and length travel together: one gather; index -1 wraps to the fresh row.
        prev[-1, 0] = t
        prev.take(self._from, axis=0, out=rows, mode="wrap")
        length += step
        length += self._ones
        best += self._prefix


def spring_column(prev: SpringColumn, c: np.ndarray, t: float, max_advance: int) -> SpringColumn:
    """The next column for frame costs ``c`` (L,) at stream time ``t``: ``SpringTracker.step``
    as a function, for tests and one-off use (the buffers are allocated per call)."""
    tracker = SpringTracker(c.shape[0], max_advance)
    tracker.load(prev)
    tracker.step(c, t)
    return tracker.column()


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
