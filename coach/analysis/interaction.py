"""Trainee and partner together: contact, the grab, the release and the separation.

All distances are in the picture, in trainee torso lengths (T) at the trainee's own image
scale, so they do not depend on how far the camera is. The picture has no depth: a hand in
front of the body counts as on it. That is why contact needs a hand within a short distance
for several frames, and why a release needs the hand to stay off.

Contact: one of the partner's hand points (wrist, index, pinky, thumb) within
``CONTACT_ON_T`` of one of the trainee's targets: a wrist (wrist grabs), the neck (between
the mouth and the shoulders: strangles) or the torso (the shoulders, hips and the points
between them: clothing and body holds). Hysteresis: contact holds until the distance passes
``CONTACT_OFF_T``, so a trembling hand does not flicker it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.analysis.features import Features

CONTACT_ON_T = 0.3
CONTACT_OFF_T = 0.45
MIN_GRAB_S = 0.2
"""The grab: the first contact that lasts this long."""
MIN_RELEASE_S = 0.3
"""The release: the first time after the grab that contact ends and stays off this long."""

_HANDS = (
    "left_wrist",
    "right_wrist",
    "left_index",
    "right_index",
    "left_pinky",
    "right_pinky",
    "left_thumb",
    "right_thumb",
)


@dataclass(frozen=True)
class Interaction:
    """What the two people did to each other, frame by frame and as events.

    hand_gap_t: (T,) the partner's nearest hand to a trainee target, torso lengths (NaN when
    either is not visible). contact: (T,) bool. separation_t: (T,) mid-hip to mid-hip.
    grab_s / release_s: times on the sequence's clock, None when not found.
    """

    t: np.ndarray
    hand_gap_t: np.ndarray
    contact: np.ndarray
    separation_t: np.ndarray
    grab_s: float | None
    release_s: float | None
    target: str | None
    """the trainee's body part the partner held at the grab: wrist, neck or torso"""

    def separation_at(self, time_s: float) -> float:
        """Separation at the frame nearest ``time_s`` (NaN if unseen there)."""
        return float(self.separation_t[int(np.argmin(np.abs(self.t - time_s)))])


def _targets(trainee: Features) -> dict[str, np.ndarray]:
    """(T, K, 2) pixel points per target kind."""
    ls, rs = trainee.pixel("left_shoulder"), trainee.pixel("right_shoulder")
    lh, rh = trainee.pixel("left_hip"), trainee.pixel("right_hip")
    chin, mid_shoulder = trainee.pixel("chin"), trainee.pixel("mid_shoulder")
    torso = [ls, rs, lh, rh, (ls + lh) / 2, (rs + rh) / 2, (mid_shoulder + (lh + rh) / 2) / 2]
    return {  # in order of preference when several are within reach
        "wrist": np.stack([trainee.pixel("left_wrist"), trainee.pixel("right_wrist")], axis=1),
        "neck": np.stack([(chin + mid_shoulder) / 2, chin, mid_shoulder], axis=1),
        "torso": np.stack(torso, axis=1),
    }


def measure_interaction(trainee: Features, partner: Features) -> Interaction:
    """Contact, grab, release and separation of two people over the same frames."""
    scale = float(np.nanmedian(trainee.torso_px)) if np.isfinite(trainee.torso_px).any() else 1.0
    hands = np.stack([partner.pixel(name) for name in _HANDS], axis=1)  # (T, 8, 2)
    gaps = {}
    for kind, points in _targets(trainee).items():
        d = np.linalg.norm(hands[:, :, None, :] - points[:, None, :, :], axis=3)
        gaps[kind] = _nanmin(d.reshape(len(trainee), -1), axis=1) / scale
    stacked = np.stack(list(gaps.values()), axis=1)
    hand_gap = _nanmin(stacked, axis=1)
    contact = _hysteresis(hand_gap, CONTACT_ON_T, CONTACT_OFF_T)
    separation = (
        np.linalg.norm(trainee.pixel("mid_hip") - partner.pixel("mid_hip"), axis=1) / scale
    )
    grab, release = _grab_and_release(trainee.t, contact)
    target = None
    if grab is not None:  # the most specific part within reach: a wrist, then neck, then torso
        target = next((k for k, gap in gaps.items() if gap[grab] <= CONTACT_OFF_T), None)
    return Interaction(
        t=trainee.t,
        hand_gap_t=hand_gap,
        contact=contact,
        separation_t=separation,
        grab_s=None if grab is None else float(trainee.t[grab]),
        release_s=None if release is None else float(trainee.t[release]),
        target=target,
    )


def _nanmin(values: np.ndarray, axis: int) -> np.ndarray:
    finite = np.isfinite(values)
    out = np.min(np.where(finite, values, np.inf), axis=axis)
    return np.where(finite.any(axis=axis), out, np.nan)


def _hysteresis(gap: np.ndarray, on: float, off: float) -> np.ndarray:
    """True from a gap <= on until the gap is > off (unseen frames keep the state)."""
    state = False
    out = np.zeros(len(gap), dtype=bool)
    for i, value in enumerate(gap):
        if np.isfinite(value):
            state = value <= on if not state else value <= off
        out[i] = state
    return out


def _grab_and_release(t: np.ndarray, contact: np.ndarray) -> tuple[int | None, int | None]:
    """First contact run lasting MIN_GRAB_S; then its end, if contact stays off MIN_RELEASE_S."""
    runs = _runs(contact)
    grab_run = next(((a, b) for a, b in runs if t[b - 1] - t[a] >= MIN_GRAB_S - 1e-9), None)
    if grab_run is None:
        return None, None
    grab = grab_run[0]
    later = [(a, b) for a, b in runs if a >= grab]
    for index, (_, stop) in enumerate(later):
        if stop >= len(t):
            return grab, None  # still in contact at the end
        next_start = later[index + 1][0] if index + 1 < len(later) else len(t)
        off_until = t[next_start - 1] if next_start < len(t) else t[-1]
        if off_until - t[stop] >= MIN_RELEASE_S - 1e-9 or next_start >= len(t):
            return grab, stop
    return grab, None


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
