"""Where trainee and reference both stand still, DTW's choice of match is noise: settle it.

Inside a stretch where the reference holds still (a hold, or the last per cent of a movement
arriving) every match of a still attempt frame costs about the same, so DTW's path there is
decided by jitter and by small differences of build. It may pile every extra frame of a slow
trainee onto the one reference frame just before the release, which would report the release
late by all of them (0.8 s on a 0.7x ready-stance drill), and a hold after it short.

So: the attempt frames matched into a still stretch that look at least as much like the
stretch's settled pose as like their own match are spread evenly over the stretch. Frames
still arriving (a slow trainee's approach, which looks like the arrival frames of the
reference rather than the settled pose) keep their match. The path's ends and its monotony
are kept. numpy only.
"""

from __future__ import annotations

import warnings

import numpy as np

STILL_STEP_T = 0.002
"""A reference frame that differs from the next by less than this (feature rms, torso lengths)
stands still."""
STILL_POSE_T = 0.015
"""A still stretch also takes in the frames of the movement into and out of it that are this
close (feature rms, torso lengths) to its pose: under MediaPipe's jitter they look alike."""
SETTLED_MARGIN_T = 0.003
"""An attempt frame counts as settled when its distance to the stretch's pose exceeds the
distance to its own match by at most this much (feature rms, torso lengths)."""


def _rms(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Root-mean-square difference over the features valid in both, along the last axis."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no shared feature: NaN
        return np.sqrt(np.nanmean((a - b) ** 2, axis=-1))


def still_stretches(reference: np.ndarray) -> list[tuple[int, int, int]]:
    """``(first, settled, last)`` reference frames of each still stretch: ``settled`` is the
    first frame of its still core, ``first`` and ``last`` include the frames close to it."""
    n = len(reference)
    step = np.nan_to_num(_rms(reference[1:], reference[:-1]), nan=np.inf)
    still = step < STILL_STEP_T
    out: list[tuple[int, int, int]] = []
    j = 0
    while j < len(still):
        if not still[j]:
            j += 1
            continue
        settled = first = j
        while j < len(still) and still[j]:
            j += 1
        last = j
        while first > 0 and _rms(reference[first - 1], reference[settled]) < STILL_POSE_T:
            first -= 1
        while last < n - 1 and _rms(reference[last + 1], reference[last]) < STILL_POSE_T:
            last += 1
        if out and first <= out[-1][2]:
            first, settled = out[-1][0], out.pop()[1]
        out.append((first, settled, last))
        j = last + 1
    return out


def settle_still_matches(
    ref_index: np.ndarray, features: np.ndarray, reference: np.ndarray
) -> np.ndarray:
    """A copy of the monotone per-frame match ``ref_index`` (T,) with the settled attempt frames
    of every still stretch of ``reference`` (L, F) spread evenly over it."""
    out = ref_index.copy()
    for first, settled, last in still_stretches(reference):
        inside = np.nonzero((ref_index >= first) & (ref_index <= last))[0]
        if inside.size < 2:
            continue
        own = _rms(features[inside], reference[ref_index[inside]])
        pose = _rms(features[inside], reference[settled][None, :])
        calm = np.nonzero(np.nan_to_num(pose - own, nan=np.inf) <= SETTLED_MARGIN_T)[0]
        if calm.size == 0:
            continue
        a, b = int(inside[calm[0]]), int(inside[-1]) + 1
        if b - a < 2:
            continue
        lo, hi = max(int(ref_index[a]), min(settled, int(ref_index[b - 1]))), int(ref_index[b - 1])
        out[a:b] = lo + ((np.arange(b - a) * (hi - lo + 1)) // (b - a))
    return out
