"""Small helpers shared by the check kinds: windows, visibility gating, spans. numpy only."""

from __future__ import annotations

import numpy as np

from coach.analysis.features import Features

MIN_VISIBLE_SHARE = 0.5
"""A measure is assessable in a window only if it is finite in at least this share of frames."""


def assessable(x: np.ndarray) -> bool:
    """True when enough of the window's values are finite (see MIN_VISIBLE_SHARE)."""
    finite = np.isfinite(x) if x.ndim == 1 else np.isfinite(x).all(axis=tuple(range(1, x.ndim)))
    return x.shape[0] > 0 and float(finite.mean()) >= MIN_VISIBLE_SHARE


def nanmedian(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(np.median(finite)) if finite.size else float("nan")


def baseline_frames(f: Features, seconds: float = 1.0) -> np.ndarray:
    """Bool mask of the first ``seconds`` of the attempt (where T and SW are measured)."""
    return f.t <= f.t[0] + seconds


def span_frames(f: Features, span_s: float) -> int:
    """How many frame steps fit in ``span_s`` seconds (at least 1)."""
    return max(1, round(span_s / f.dt))


def largest_change_within(x: np.ndarray, steps: int, decrease: bool) -> float:
    """Largest fall (or rise) of ``x`` from any frame to a later frame at most ``steps`` later.

    NaN frames are skipped; returns NaN if there are no two finite frames in reach.
    """
    best = np.nan
    n = x.shape[0]
    for lag in range(1, min(steps, n - 1) + 1):
        diff = x[:-lag] - x[lag:] if decrease else x[lag:] - x[:-lag]
        if np.isfinite(diff).any():
            m = float(np.nanmax(diff))
            best = m if not np.isfinite(best) else max(best, m)
    return best


def rolling_max(x: np.ndarray, steps: int) -> np.ndarray:
    """(n - steps + 1,) max over each run of ``steps`` consecutive frames (NaN if any is NaN)."""
    if steps <= 1:
        return x.copy()
    if x.shape[0] < steps:
        return np.full(0, np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(x, steps)
    return windows.max(axis=1)


def longest_run_s(flags: np.ndarray, t: np.ndarray) -> float:
    """Duration in seconds of the longest run of True frames (a single frame counts one frame)."""
    best = 0.0
    start = None
    dt = float(np.median(np.diff(t))) if t.shape[0] > 1 else 0.0
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = i
        if start is not None and (not flag or i == len(flags) - 1):
            stop = i if flag else i - 1
            best = max(best, float(t[stop] - t[start]) + dt)
            start = None
    return best


def num(params: object, name: str) -> float:
    """A numeric parameter (loader has validated it)."""
    return float(params[name])  # type: ignore[index]


def text(params: object, name: str) -> str:
    return str(params[name])  # type: ignore[index]
