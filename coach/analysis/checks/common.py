"""Small helpers shared by the check kinds: windows, visibility gating, spans. numpy only."""

from __future__ import annotations

import warnings

import numpy as np

from coach.analysis.features import Features

MIN_VISIBLE_SHARE = 0.5
"""A measure is assessable in a window only if it is finite in at least this share of frames."""


def assessable(x: np.ndarray) -> bool:
    """True when enough of the window's values are finite (see MIN_VISIBLE_SHARE)."""
    finite = np.isfinite(x) if x.ndim == 1 else np.isfinite(x).all(axis=tuple(range(1, x.ndim)))
    return x.shape[0] > 0 and float(finite.mean()) >= MIN_VISIBLE_SHARE


STEADY_S = 0.2
"""Extremes are taken after a rolling median over this many seconds, so a single noisy frame
(MediaPipe jitter) can neither fake nor hide a movement."""


def steady(x: np.ndarray, f: Features, seconds: float = STEADY_S) -> np.ndarray:
    """Centred rolling median of ``x`` along time (axis 0), NaN-aware; same shape as ``x``."""
    width = max(1, round(seconds / f.dt)) | 1
    if width <= 1 or x.shape[0] < 2:
        return x.copy()
    half = width // 2
    padded = np.pad(x, [(half, half)] + [(0, 0)] * (x.ndim - 1), mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows stay NaN
        return np.nanmedian(windows, axis=-1)


def nanmedian(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(np.median(finite)) if finite.size else float("nan")


def baseline_frames(f: Features, seconds: float = 1.0, t0_s: float | None = None) -> np.ndarray:
    """Bool mask of the posture before the technique: the ``seconds`` up to t0 when t0 is
    known and frames precede it, else the first ``seconds`` of the attempt. (A fast trainee
    may already be moving one second after the recording starts.)"""
    if t0_s is not None:
        before = (f.t >= t0_s - seconds) & (f.t <= t0_s + 1e-9)
        if before.sum() >= 3:
            return before
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
    """(n - steps + 1,) max over each run of ``steps`` consecutive frames, ignoring unseen
    frames (NaN only where the whole run is unseen)."""
    if steps <= 1:
        return x.copy()
    if x.shape[0] < steps:
        return np.full(0, np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(x, steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN window stays NaN
        return np.nanmax(windows, axis=1)


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
