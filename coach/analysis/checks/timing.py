"""Timing of an attempt against a technique's limits: onset, release, hesitation, hard fail."""

from __future__ import annotations

import math
import warnings

import numpy as np

from coach.analysis.checks.base import CheckResult, Events, Status, at_most
from coach.analysis.checks.common import steady
from coach.analysis.features import (
    MOTION_JOINTS,
    Features,
    mid_hip_travel_t,
    motion_speed_t_per_s,
)
from coach.pose.landmarks import index_of

ONSET_T = 0.15
"""The body has started moving once some joint is this far (torso lengths) from where it was
at t0. A displacement, not a speed: MediaPipe's frame-to-frame jitter makes speeds noisy, but
it does not carry a joint a tenth of a torso away and keep it there."""
POSTURE_AT_T0_S = 0.2
"""The posture at t0 is the median over this long up to t0."""
PAUSE_RADIUS_T = 0.15
"""A pause: every joint stays within this distance (torso lengths) of its mean place during the
pause. Like the onset, a displacement rather than a speed, so jitter (about 1 cm of wander per
joint) does not break a standstill into pieces; the slow last part of the movement into the
standstill and the first part out of it count too (about 0.1 s)."""
PAUSE_T_PER_S = 0.35
"""Kept for the reference's holds (reference_model): slower than this is not moving."""
PAUSE_SMOOTHING_S = 0.3


def _body_points(f: Features) -> np.ndarray:
    """(T, J + 1, 3): motion joints around the mid-hip plus the mid-hip's image travel, in T.

    Hip-centred world axes, not the body frame: the body frame's rotation comes from the hip
    line, whose jitter would swing the wrists about; turning the body is movement anyway.
    """
    centred = (f.world - f.point("mid_hip")[:, None, :]) / f.torso_m
    joints = centred[:, [index_of(n) for n in MOTION_JOINTS], :]
    travel = np.zeros((len(f), 1, 3))
    travel[:, 0, :2] = mid_hip_travel_t(f, 0)
    return np.concatenate([joints, travel], axis=1)


def onset_time_s(f: Features, t0_s: float) -> float:
    """First time at or after t0 when a joint has moved ONSET_T from its t0 place; NaN if never."""
    points = steady(_body_points(f), f)
    before = (f.t >= t0_s - POSTURE_AT_T0_S) & (f.t <= t0_s + 1e-9)
    if not before.any():
        before = np.zeros(len(f), bool)
        before[min(f.frame_at(t0_s), len(f) - 1)] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        start = np.nanmedian(points[before], axis=0)
        moved = np.nanmax(np.linalg.norm(points - start, axis=2), axis=1)
    after = f.t >= t0_s - 1e-9
    moving = np.nonzero(after & (np.nan_to_num(moved, nan=0.0) > ONSET_T))[0]
    return float(f.t[moving[0]]) if moving.size else math.nan


def longest_pause_s(
    f: Features, start_s: float, end_s: float, reference_moving: np.ndarray | None = None
) -> float:
    """Longest stretch between two times where the body stands still, seconds.

    With ``reference_moving``, only frames where the reference moves count: standing still
    where the taught movement itself holds still is not hesitation.
    """
    inside = (f.t >= start_s) & (f.t <= end_s)
    if reference_moving is not None:
        inside &= reference_moving
    frames = np.nonzero(inside)[0]
    if frames.size == 0:
        return 0.0
    points = steady(_body_points(f), f)
    dt = f.dt
    best = 0.0
    i = 0
    while i < frames.size:
        total = np.nan_to_num(points[frames[i]])
        j = i
        while (
            j + 1 < frames.size
            and frames[j + 1] == frames[j] + 1
            and _within(points[frames[j + 1]], total / (j - i + 1))
        ):
            j += 1
            total = total + np.nan_to_num(points[frames[j]])
        best = max(best, float(f.t[frames[j]] - f.t[frames[i]]) + dt)
        i = j + 1
    return best


def _within(points: np.ndarray, anchor: np.ndarray) -> bool:
    """Every visible point within PAUSE_RADIUS_T of the anchor (unseen points are ignored)."""
    distance = np.linalg.norm(points - anchor, axis=1)
    finite = distance[np.isfinite(distance)]
    return bool(finite.size) and bool(finite.max() <= PAUSE_RADIUS_T)


SLOWEST_NORMAL_SPEED = 0.5
"""Trainees at half the reference's speed are coached as normal, not as hesitating."""
REFERENCE_HOLD_S = 0.2
"""A reference stillness this long is a hold of the technique. Shorter ones are the instants
between two movements (minimum-jerk keyframes stop for a moment at every key)."""


def reference_moving(f: Features) -> np.ndarray:
    """(L,) False only inside the reference's own holds (slow for at least REFERENCE_HOLD_S)."""
    speed = motion_speed_t_per_s(f, PAUSE_SMOOTHING_S)
    slow = np.nan_to_num(speed, nan=0.0) <= PAUSE_T_PER_S / SLOWEST_NORMAL_SPEED
    moving = np.ones(len(f), dtype=bool)
    start = None
    for i, flag in enumerate([*slow, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if f.t[i - 1] - f.t[start] >= REFERENCE_HOLD_S:
                moving[start:i] = False
            start = None
    return moving


def _result(
    kind: str,
    label: str,
    role: str,
    ok: bool | None,
    value: float,
    target: str,
    span: tuple[float, float],
    note: str = "",
) -> CheckResult:
    status = Status.NOT_ASSESSABLE if ok is None else (Status.MET if ok else Status.NOT_MET)
    return CheckResult(kind, label, role, status, value, target, "s", span[0], span[1], note)


def evaluate_timing(f: Features, limits: object, events: Events) -> list[CheckResult]:
    """Onset, release time, hesitation and the hard fail, as check results.

    ``limits`` is a ``coach.technique.model.TimingLimits`` (typed loosely to keep this module
    free of the technique package).
    """
    onset_max = float(limits.onset_max_s)  # type: ignore[attr-defined]
    release_max = float(limits.release_max_s)  # type: ignore[attr-defined]
    hard = float(limits.hard_fail_s)  # type: ignore[attr-defined]
    pause_max = float(limits.hesitation_max_s)  # type: ignore[attr-defined]
    t0 = events.t0_s
    onset = onset_time_s(f, t0)
    out = [
        _result(
            "onset",
            "movement starts after t0",
            "coaching",
            None if math.isnan(onset) else at_most(onset - t0, onset_max),
            onset - t0,
            f"<= {onset_max:g}",
            (t0, onset if not math.isnan(onset) else t0),
            "" if not math.isnan(onset) else "no movement found",
        ),
    ]
    if events.release_s is None:
        out.append(
            _result(
                "release_time",
                "release complete after t0",
                "coaching",
                None,
                math.nan,
                f"<= {release_max:g}",
                (t0, float(f.t[-1])),
                "no release found",
            )
        )
        out.append(
            _result(
                "hard_fail",
                f"released before the {hard:g} s hard fail",
                "outcome",
                False,
                math.nan,
                f"<= {hard:g}",
                (t0, float(f.t[-1])),
                "no release found",
            )
        )
        return out
    took = events.release_s - t0
    out.append(
        _result(
            "release_time",
            "release complete after t0",
            "coaching",
            at_most(took, release_max),
            took,
            f"<= {release_max:g}",
            (t0, events.release_s),
        )
    )
    out.append(
        _result(
            "hard_fail",
            f"released before the {hard:g} s hard fail",
            "outcome",
            at_most(took, hard),
            took,
            f"<= {hard:g}",
            (t0, events.release_s),
        )
    )
    start = onset if not math.isnan(onset) else t0
    out.append(hesitation_result(f, start, events.release_s, events.reference_moving, pause_max))
    return out


def hesitation_result(
    f: Features,
    start_s: float,
    end_s: float,
    reference_moving: np.ndarray | None,
    pause_max_s: float,
) -> CheckResult:
    """The longest pause between ``start_s`` (the onset) and ``end_s`` (the release, or now for
    a live attempt still under way) against its limit."""
    pause = longest_pause_s(f, start_s, end_s, reference_moving)
    return _result(
        "hesitation",
        "longest pause inside the technique",
        "coaching",
        at_most(pause, pause_max_s),
        pause,
        f"<= {pause_max_s:g}",
        (start_s, end_s),
    )
