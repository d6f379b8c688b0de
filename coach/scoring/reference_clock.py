"""Alignment on the reference's clock, so the frame rate does not change the verdict.

DTW sums a cost per matched pair: a 60 fps attempt against a 30 fps reference matches two
attempt frames to each reference frame, which biases where the path bends (a rendered
same-side wrist grab at 60 fps had its pull matched 0.24 s before the GO, and its peak speed
judged on a standstill: 0.09 T/s against 4.86 at 30 fps). So an attempt whose frame interval
differs from the reference's by more than RATE_TOLERANCE is aligned on frames picked at the
reference's interval (the nearest frame to each tick), and every frame then takes the match of
the last tick at or before it (so a phase starts on the tick where the reference's does).
"""

from __future__ import annotations

from typing import Final

import numpy as np

RATE_TOLERANCE: Final[float] = 0.1
"""A webcam's 29.97 against a 30 fps reference, or a few dropped frames, are the same clock."""


def ticks_s(t: np.ndarray, reference_t: np.ndarray) -> np.ndarray | None:
    """The attempt's time span at the reference's frame interval, or None when the attempt's
    own interval is within RATE_TOLERANCE of it (or either is too short to tell)."""
    if len(t) < 2 or len(reference_t) < 2:
        return None
    own = float(np.median(np.diff(t)))
    ref = float(np.median(np.diff(reference_t)))
    if not (own > 0 and ref > 0) or abs(own / ref - 1.0) <= RATE_TOLERANCE:
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
