"""Landmark filters: offline Hampel + zero-phase Butterworth, live One Euro, chosen by name.

Every filter takes a (T, ...) array and its (T,) timestamps and returns a new array of the same
shape. NaN marks a missing value (no person, or a lost joint); the offline filters work on each
contiguous run of finite frames of each channel separately, so a NaN run stays NaN and values
next to it are never mixed with values from the other side of the gap.

Variable frame rate: a webcam's frame times jitter and a video may drop frames. The Butterworth
design needs one sampling rate; we use the median frame interval of the sequence, which is
robust to the odd dropped frame. With jitter of a few ms the effective cutoff moves by the same
few per cent, well inside the 6-10 Hz range the design allows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np

from coach.pose.one_euro import LivePoseSmoother, OneEuroFilter, SmoothedPose, one_euro
from coach.pose.sequence import PoseSequence
from coach.pose.swaps import SwapRepair, repair_swaps
from coach.pose.zero_phase import butter2_lowpass, sosfiltfilt2

__all__ = [
    "FILTERS",
    "LivePoseSmoother",
    "OneEuroFilter",
    "SmoothedPose",
    "butterworth",
    "get_filter",
    "hampel",
    "hampel_butterworth",
    "median_interval_s",
    "one_euro",
    "repair_and_smooth",
    "smooth_offline",
    "visible_runs",
]

BUTTER_ORDER = 2
"""Order of the design; ``sosfiltfilt`` runs it forwards and backwards, order 4 in total."""

_MAD_TO_SIGMA = 1.4826
"""Median absolute deviation of a normal distribution times this is its standard deviation."""


def visible_runs(finite: np.ndarray) -> list[tuple[int, int]]:
    """``[start, stop)`` index pairs of the runs of True in a (T,) bool array."""
    padded = np.concatenate(([False], np.asarray(finite, dtype=bool), [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def median_interval_s(t: np.ndarray) -> float:
    """Median frame interval in seconds: the sampling period used for filter design."""
    t = np.asarray(t, dtype=np.float64)
    if t.shape[0] < 2:
        raise ValueError(f"median_interval_s: need at least 2 timestamps, got {t.shape[0]}")
    return float(np.median(np.diff(t)))


def _per_run(x: np.ndarray, run_filter: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Apply ``run_filter`` to each finite run of each channel of a (T, ...) array.

    Channels with the same NaN pattern (usually all of them) are filtered together.
    """
    x = np.asarray(x, dtype=np.float64)
    flat = x.reshape(x.shape[0], -1)
    out = flat.copy()
    finite = np.isfinite(flat)
    groups: dict[bytes, list[int]] = {}
    for col, pattern in enumerate(finite.T):
        groups.setdefault(pattern.tobytes(), []).append(col)
    for cols in groups.values():
        every = len(cols) == flat.shape[1]
        for a, b in visible_runs(finite[:, cols[0]]):
            if every:
                out[a:b] = run_filter(flat[a:b])
            else:
                out[a:b, cols] = run_filter(flat[a:b, cols])
    return out.reshape(x.shape)


def _sorted_windows(rows: list[np.ndarray]) -> list[np.ndarray]:
    """The same-shaped arrays ``rows`` sorted element-wise (odd-even transposition network).

    Only minimum and maximum, so every output is one of the inputs: the middle one is exactly
    ``np.median`` of an odd window, at a fraction of its cost on many short windows.
    """
    rows = list(rows)
    n = len(rows)
    for r in range(n):
        for i in range(r % 2, n - 1, 2):
            lo = np.minimum(rows[i], rows[i + 1])
            rows[i + 1] = np.maximum(rows[i], rows[i + 1])
            rows[i] = lo
    return rows


def _window_median(shifted: list[np.ndarray]) -> np.ndarray:
    """Element-wise median of an odd number of same-shaped arrays."""
    return _sorted_windows(shifted)[len(shifted) // 2]


def hampel(x: np.ndarray, t: np.ndarray, *, window: int = 7, n_sigmas: float = 3.0) -> np.ndarray:
    """Replace outliers by the running median (Hampel filter), per finite run.

    A sample is an outlier when it is further than ``n_sigmas`` robust standard deviations
    (1.4826 x the median absolute deviation of the window from its median) from the median of
    the ``window`` frames centred on it; runs are extended by repeating their end frames.
    ``window`` is odd; 7 frames (0.23 s at 30 fps) removes single- and double-frame pose
    glitches while a real movement, which lasts longer, passes.
    """
    if window < 3 or window % 2 == 0:
        raise ValueError(f"hampel: window must be an odd number of frames >= 3, got {window}")
    del t  # a window in frames: the glitches being removed are frame-level events

    half = window // 2

    def run_filter(run: np.ndarray) -> np.ndarray:
        padded = np.pad(run, ((half, half), (0, 0)), mode="edge")
        n = run.shape[0]
        shifted = [padded[k : k + n] for k in range(window)]  # the window's k-th frame
        med = _window_median(shifted)
        mad = _window_median([np.abs(s - med) for s in shifted])
        outlier = np.abs(run - med) > n_sigmas * _MAD_TO_SIGMA * mad
        return np.where(outlier, med, run)

    return _per_run(x, run_filter)


def butterworth(x: np.ndarray, t: np.ndarray, *, cutoff_hz: float = 8.0) -> np.ndarray:
    """Zero-phase low-pass: an order-2 Butterworth run forwards and backwards, per finite run.

    The design uses the median frame interval of ``t``. A cutoff at or above 0.9 x Nyquist (a
    low-frame-rate source) is lowered to 0.9 x Nyquist. A run too short for the filter's edge
    padding (fewer than ``3 * (2 * sections + 1) + 1`` = 10 frames) is left as it is: there is
    too little signal to tell noise from movement.
    """
    if cutoff_hz <= 0:
        raise ValueError(f"butterworth: cutoff_hz must be > 0, got {cutoff_hz}")
    fs = 1.0 / median_interval_s(t)
    wn = min(cutoff_hz, 0.45 * fs)
    sos = butter2_lowpass(wn, fs)  # scipy.signal's butter and sosfiltfilt, without its import
    padlen = 3 * (2 * 1 + 1)  # scipy's default for one section

    def run_filter(run: np.ndarray) -> np.ndarray:
        if run.shape[0] <= padlen:
            return run
        return sosfiltfilt2(sos, run, padlen)

    return _per_run(x, run_filter)


def hampel_butterworth(
    x: np.ndarray,
    t: np.ndarray,
    *,
    cutoff_hz: float = 8.0,
    window: int = 7,
    n_sigmas: float = 3.0,
) -> np.ndarray:
    """Hampel outlier removal, then the zero-phase Butterworth: the offline default."""
    cleaned = hampel(x, t, window=window, n_sigmas=n_sigmas)
    return butterworth(cleaned, t, cutoff_hz=cutoff_hz)


def _identity(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """No filtering (for comparisons and for debugging a filter)."""
    del t
    return np.array(x, dtype=np.float64, copy=True)


FILTERS: Mapping[str, Callable[..., np.ndarray]] = MappingProxyType(
    {
        "none": _identity,
        "hampel": hampel,
        "butterworth": butterworth,
        "hampel_butterworth": hampel_butterworth,
        "one_euro": one_euro,
    }
)
"""Filters by name; each is ``f(x, t, **explicit keyword parameters) -> array like x``."""


def get_filter(name: str) -> Callable[..., np.ndarray]:
    """The filter registered under ``name``; an unknown name lists the valid ones."""
    try:
        return FILTERS[name]
    except KeyError:
        raise KeyError(f"unknown filter {name!r}; valid names: {', '.join(FILTERS)}") from None


BRIDGE_GAP_S = 0.1
"""Longest gap (seconds) the offline filter bridges instead of filtering each side apart."""


def bridge_short_gaps(
    x: np.ndarray, t: np.ndarray, max_gap_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """``x`` (T, ...) with NaN gaps of at most ``max_gap_s`` filled linearly between the frames
    either side, per channel, and the bool mask (same shape) of the values filled."""
    flat = np.array(x, dtype=np.float64).reshape(len(t), -1)
    finite = np.isfinite(flat)
    filled = np.zeros(flat.shape, dtype=bool)
    longest = max_gap_s + median_interval_s(t) + 1e-9  # last seen to next seen
    groups: dict[bytes, list[int]] = {}  # channels missing in the same frames: one pass each
    for col, pattern in enumerate(finite.T):
        groups.setdefault(pattern.tobytes(), []).append(col)
    for cols in groups.values():
        for (_, stop), (start, _) in itertools.pairwise(visible_runs(finite[:, cols[0]])):
            if t[start] - t[stop - 1] <= longest:
                share = ((t[stop:start] - t[stop - 1]) / (t[start] - t[stop - 1]))[:, None]
                a, b = flat[stop - 1, cols], flat[start, cols]
                flat[stop:start, cols] = a + (b - a) * share
                filled[stop:start, cols] = True
    return flat.reshape(np.shape(x)), filled.reshape(np.shape(x))


def smooth_offline(
    seq: PoseSequence,
    cutoff_hz: float = 8.0,
    hampel_window: int = 7,
    hampel_sigmas: float = 3.0,
) -> PoseSequence:
    """The offline filter on a whole sequence: image and world smoothed, visibility untouched.

    A frame or two the model missed would split a run and give the zero-phase filter two
    extra edges, whose padding bends the values next to the gap (a false speed spike on either
    side). So gaps up to ``BRIDGE_GAP_S`` are bridged linearly for the filtering only; the
    missing frames are NaN again in the result.
    """
    if len(seq) < 2:
        return seq

    def smooth(x: np.ndarray) -> np.ndarray:
        filled, bridged = bridge_short_gaps(x, seq.t, BRIDGE_GAP_S)
        out = hampel_butterworth(
            filled, seq.t, cutoff_hz=cutoff_hz, window=hampel_window, n_sigmas=hampel_sigmas
        )
        out[bridged] = np.nan
        return out

    return seq.replace(image=smooth(seq.image), world=smooth(seq.world))


def repair_and_smooth(seq: PoseSequence) -> tuple[PoseSequence, SwapRepair]:
    """What every offline measure starts from: left/right swaps repaired (``swaps.py``),
    then ``smooth_offline``; and the repair, to count its frames on the score card."""
    repair = repair_swaps(seq)
    return smooth_offline(repair.sequence), repair
