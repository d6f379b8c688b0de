"""Live alignment of a trainee's frames to a reference technique, one frame at a time.

Per frame: one SPRING column over the whole reference (see spring.py), then the open end:

- current match = the reference frame whose best path has the lowest mean cost per cell;
- the reported index may advance at most ``max_advance`` frames per stream frame and, once an
  attempt has started, never goes back (a cue must not flip between phases on one bad frame);
- an attempt has started once the match reaches ``start_index`` (default: a tenth of the
  reference, at least 2 frames), i.e. the trainee has moved past the ready pose. It stays
  started until ``reset()``.

Lag: ``lag_s = (t - start_t) - (ref_t[ref_index] - ref_t[0])``, the trainee's time since the
attempt began minus the reference's time to the same point. Positive = behind (slower than the
reference), negative = ahead. ``start_t`` is the stream time at which the current match entered
reference frame 0.

A frame with no valid feature (no person) leaves the alignment untouched: the state is held,
only the lag is updated with the passing time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from coach.analysis.alignment.cost import ReferenceCost
from coach.analysis.alignment.spring import SpringTracker


@dataclass(frozen=True)
class AlignmentState:
    """Where the trainee is in the reference after one frame.

    Attributes:
        ref_index: reference frame matched now (0..L-1).
        phase_index: technique phase of that reference frame.
        progress: ref_index / (L - 1), 0..1.
        lag_s: seconds behind (+) or ahead (-) of the reference timing since the start.
        started: an attempt has been detected (see the module docstring).
        cost: mean frame cost along the matched path (feature units).
        start_t: stream time (s) at which the matched attempt began; NaN before any match.
        tracking: False when this frame had no valid feature and the state was held.
    """

    ref_index: int
    phase_index: int
    progress: float
    lag_s: float
    started: bool
    cost: float
    start_t: float
    tracking: bool


class StreamingAligner:
    """SPRING-based live aligner: ``step(t, features)`` once per camera frame."""

    def __init__(
        self,
        reference: np.ndarray,
        phase_of_frame: np.ndarray,
        reference_t: np.ndarray,
        *,
        max_advance: int = 3,
        start_index: int | None = None,
        weights: np.ndarray | None = None,
        distance: str = "rms",
    ) -> None:
        ref = np.asarray(reference, dtype=np.float64)
        n = ref.shape[0] if ref.ndim == 2 else -1
        if n < 2:
            raise ValueError(f"reference: expected (L >= 2, features), got shape {ref.shape}")
        phases = np.asarray(phase_of_frame)
        ref_t = np.asarray(reference_t, dtype=np.float64)
        if phases.shape != (n,) or ref_t.shape != (n,):
            raise ValueError(
                f"phase_of_frame and reference_t: expected ({n},), got {phases.shape} and "
                f"{ref_t.shape}"
            )
        if not np.all(np.diff(ref_t) > 0):
            raise ValueError("reference_t: expected strictly increasing seconds")
        if max_advance < 1:
            raise ValueError(f"max_advance: expected >= 1 frame, got {max_advance}")
        self._ref = ref
        # Per-frame scalar look-ups go through Python lists: indexing an array costs more.
        self._phases = [int(p) for p in phases]
        self._ref_elapsed = (ref_t - ref_t[0]).tolist()
        self._max_advance = int(max_advance)
        self._start_index = max(2, n // 10) if start_index is None else int(start_index)
        self._costs = ReferenceCost(ref, weights=weights, distance=distance)
        self._spring = SpringTracker(n, self._max_advance)
        self._frame_costs = np.empty(n)  # work buffers, reused every frame
        self._mean_cost = np.empty(n)
        self._state = self._initial_state()
        self._last_t: float | None = None

    def _initial_state(self) -> AlignmentState:
        return AlignmentState(0, self._phases[0], 0.0, 0.0, False, np.inf, np.nan, False)

    @property
    def n_reference(self) -> int:
        return int(self._ref.shape[0])

    @property
    def state(self) -> AlignmentState:
        """The state after the last step."""
        return self._state

    def reset(self) -> None:
        """Forget the stream: look for a new attempt from the next frame."""
        self._spring.reset()
        self._state = self._initial_state()
        self._last_t = None

    def frame_costs(self, features: np.ndarray) -> np.ndarray:
        """(L,) distance of one frame's features (F,) to every reference frame."""
        return self._costs(features)

    def step(self, t: float, features: np.ndarray) -> AlignmentState:
        """Advance by one stream frame taken at ``t`` seconds with ``features`` (F,).

        The live hot path (tens of microseconds): every array operation writes into buffers
        allocated once, and the scalar bookkeeping is plain Python.
        """
        t = float(t)
        if self._last_t is not None and not t > self._last_t:
            raise ValueError(f"step: timestamps must increase, got {t} after {self._last_t}")
        self._last_t = t
        prev = self._state
        costs = self._costs.frame(features, self._frame_costs)
        if costs is None:  # no valid feature: hold the alignment, let the time pass
            self._state = replace(prev, lag_s=self._lag(t, prev), tracking=False)
            return self._state
        spring = self._spring
        spring.step(costs, t)
        # Mean cost per cell; length >= 1 after a step, cost inf where no path exists yet.
        mean_cost = np.divide(spring.cost, spring.length, out=self._mean_cost)
        best = int(mean_cost.argmin())
        floor = prev.ref_index if prev.started else 0
        index = min(max(best, floor), prev.ref_index + self._max_advance)
        started = prev.started or index >= self._start_index
        start_t = float(spring.start_t[index])
        lag = (t - start_t) - self._ref_elapsed[index] if started else 0.0
        self._state = AlignmentState(
            ref_index=index,
            phase_index=self._phases[index],
            progress=index / (spring.n_reference - 1),
            lag_s=lag if math.isfinite(lag) else 0.0,
            started=started,
            cost=float(mean_cost[index]),
            start_t=start_t,
            tracking=True,
        )
        return self._state

    def _lag(self, t: float, state: AlignmentState) -> float:
        if not state.started or not math.isfinite(state.start_t):
            return 0.0
        return (t - state.start_t) - self._ref_elapsed[state.ref_index]
