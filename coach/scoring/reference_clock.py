"""Alignment on the reference's clock, so the frame rate does not change the verdict.

DTW sums a cost per matched pair: a 60 fps attempt against a 30 fps reference matches two
attempt frames to each reference frame, which biases where the path bends (a rendered
same-side wrist grab at 60 fps had its pull matched 0.24 s before the GO, and its peak speed
judged on a standstill: 0.09 T/s against 4.86 at 30 fps). So an attempt whose frame interval
is more than RATE_RATIO times the reference's, or less than its inverse, is aligned on frames
picked at the reference's interval (the nearest frame to each tick), and every frame then takes
the match of the last tick at or before it (a phase starts on the tick where the reference's
does).
"""

from __future__ import annotations

from typing import Final

import numpy as np

RATE_RATIO: Final[float] = 1.4
"""24, 25 and 29.97 fps against the 30 fps reference stay on their own frames, as a trainee
10 % faster or slower does (``tests/test_engine_invariance.py``: resampling a 1.1x retimed
attempt moved a borderline turn across its limit); 60, 50, 20 and 15 fps are aligned on the
reference's clock (the bias was measured at 2x)."""


def ticks_s(t: np.ndarray, reference_t: np.ndarray) -> np.ndarray | None:
    """The attempt's time span at the reference's frame interval, or None when the attempt's
    own interval is within RATE_RATIO of it (or either is too short to tell)."""
    if len(t) < 2 or len(reference_t) < 2:
        return None
    own = float(np.median(np.diff(t)))
    ref = float(np.median(np.diff(reference_t)))
    if not (own > 0 and ref > 0) or 1.0 / RATE_RATIO <= own / ref <= RATE_RATIO:
        return None
    n = int(np.floor((float(t[-1]) - float(t[0])) / ref + 1e-9)) + 1
    return float(t[0]) + ref * np.arange(n)


def nearest_frames(t: np.ndarray, at_s: np.ndarray) -> np.ndarray:
    """(len(at_s),) index of the frame of ``t`` nearest each time (t increasing)."""
    right = np.clip(np.searchsorted(t, at_s), 1, len(t) - 1)
    left = right - 1
    return np.where(at_s - t[left] <= t[right] - at_s, left, right)


def ref_index_on_frames(
    tick_ref_index: np.ndarray, ticks: np.ndarray, t: np.ndarray
) -> np.ndarray:
    """Each frame's reference index: that of the last tick at or before it (the first tick for
    a frame before it); monotone when the ticks' is."""
    at = np.searchsorted(ticks, np.asarray(t, dtype=np.float64) + 1e-9, side="right") - 1
    return np.asarray(tick_ref_index)[np.clip(at, 0, len(ticks) - 1)]
