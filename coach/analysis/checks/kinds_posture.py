"""Check kinds about posture held over a phase: stance, knees, guard, angle, balance, chin, hips."""

from __future__ import annotations

import numpy as np

from coach.analysis.checks.base import (
    CheckKind,
    Events,
    Measurement,
    Params,
    ParamSpec,
    Scene,
    ViewNeed,
    at_least,
    at_most,
    not_assessable,
    verdict,
)
from coach.analysis.checks.common import (
    assessable,
    baseline_frames,
    longest_run_s,
    nanmedian,
    num,
    steady,
    text,
)
from coach.analysis.checks.views import FORE_AFT_SIDE_ON_DEG
from coach.analysis.features import (
    Features,
    body_frame,
    facing_yaw_deg,
    limb_angle_deg,
    nose_shoulder_gap_m,
    wrap_deg,
)
from coach.analysis.image_measures import (
    image_hip_height_px,
    torso_px,
)
from coach.pose.landmarks import index_of


def _range(value: float, lo: float, hi: float, unit: str) -> Measurement:
    return verdict(at_least(value, lo) and at_most(value, hi), value, f"{lo:g}-{hi:g}", unit)


FEET_IN_LINE_M = 0.10
"""On the floor, the feet are judged only when they stand at least this far apart across the
camera's line of sight. Closer, one foot is behind the other as the camera sees it: the pose
model then puts both feet's points 10-20 px off (at 3 m, a pixel is about 1 cm of floor depth)
and a stance of 1.42 SW read 0.52 (``bench/floor_stance.py``, 50 deg round)."""


def _floor_ankles(f: Features, w: slice) -> np.ndarray | None:
    """(n, 2) left minus right ankle on the floor, metres, over ``w``; None without a room."""
    if f.floor is None:
        return None
    return f.floor.point("left_ankle")[w] - f.floor.point("right_ankle")[w]


def _feet_in_line(f: Features, w: slice, unit: str, target: str) -> Measurement | None:
    """Not assessable, with the reason, when the feet stand one behind the other along the
    camera's line of sight (median over ``w``); None when they are apart across it."""
    if f.floor is None:
        return None
    left, right = f.floor.point("left_ankle")[w], f.floor.point("right_ankle")[w]
    sight = 0.5 * (left + right)  # from the floor point below the lens
    sight = sight / np.linalg.norm(sight, axis=1, keepdims=True)
    d = left - right
    across = np.abs(d[:, 0] * sight[:, 1] - d[:, 1] * sight[:, 0])
    seen = across[np.isfinite(across)]
    if seen.size == 0 or float(np.median(seen)) >= FEET_IN_LINE_M:
        return None
    return not_assessable(
        unit,
        target,
        f"one foot is behind the other as the camera sees it ({100 * float(np.median(seen)):.0f} "
        f"cm apart across its view, needs {100 * FEET_IN_LINE_M:.0f}): film from the front or "
        "the side",
    )


def _stance_width(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    """On the floor when the room is known (feet from their image points, in the shoulder
    width measured in metres, ``Features.floor_shoulder_m``); else from the world landmarks."""
    on_floor = _floor_ankles(f, w)
    if on_floor is not None:
        width = np.hypot(on_floor[:, 0], on_floor[:, 1]) / f.floor_shoulder_m
    else:
        d = f.point("left_ankle")[w] - f.point("right_ankle")[w]
        width = np.hypot(d[:, 0], d[:, 2]) / f.shoulder_m
    lo, hi = num(p, "min_shoulder_widths"), num(p, "max_shoulder_widths")
    if not assessable(width):
        return not_assessable("SW", f"{lo:g}-{hi:g}", "ankles not visible")
    in_line = _feet_in_line(f, w, "SW", f"{lo:g}-{hi:g}")
    if in_line is not None:
        return in_line
    return _range(nanmedian(width), lo, hi, "SW")


def _stance_stagger(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    """Fore-aft offset of the ankles. With the room known: on the floor, along the direction
    the trainee faces when square to the threat (the scene's ``threat_yaw_deg``: the set-up
    knows it, while the body's own heading would be the pose model's depth guess), in
    floor-measured shoulder widths; judgeable from any view. Without: in the body frame of
    the world landmarks, which needs a side view (``views``)."""
    on_floor = _floor_ankles(f, w)
    if on_floor is not None:
        yaw = np.radians(sc.threat_yaw_deg)
        front = np.array([np.sin(yaw), -np.cos(yaw)])  # floor (x, z): -z faces the camera
        offset = np.abs(on_floor @ front) / f.floor_shoulder_m
    else:
        body = body_frame(f)[w]
        offset = np.abs(body[:, index_of("left_ankle"), 2] - body[:, index_of("right_ankle"), 2])
        offset = offset * f.torso_m / f.shoulder_m
    lo = num(p, "min_shoulder_widths")
    if not assessable(offset):
        return not_assessable("SW", f">= {lo:g}", "ankles or hips not visible")
    in_line = _feet_in_line(f, w, "SW", f">= {lo:g}")
    if in_line is not None:
        return in_line
    value = nanmedian(offset)
    return verdict(at_least(value, lo), value, f">= {lo:g}", "SW")


def _joint_angle(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    angle = limb_angle_deg(f, text(p, "joint"))[w]
    lo, hi = num(p, "min_deg"), num(p, "max_deg")
    if not assessable(angle):
        return not_assessable("deg", f"{lo:g}-{hi:g}", f"{text(p, 'joint')} not visible")
    return _range(nanmedian(angle), lo, hi, "deg")


def guard_frames(f: Features, p: Params) -> np.ndarray:
    """(T,) float: 1 where both hands are up in a guard, 0 where not, NaN where not visible."""
    body = body_frame(f)
    ok = np.ones(len(f), dtype=bool)
    seen = np.ones(len(f), dtype=bool)
    head = body[:, [index_of("nose"), index_of("left_ear"), index_of("right_ear")], 1]
    seen_head = np.isfinite(head)
    count = seen_head.sum(axis=1)
    total = np.where(seen_head, head, 0.0).sum(axis=1)
    nose_y = np.where(count > 0, total / np.maximum(count, 1), np.nan)  # head height (nose/ears)
    hip_y = body[:, index_of("left_hip"), 1] * 0.5 + body[:, index_of("right_hip"), 1] * 0.5
    chest_z = 0.5 * (body[:, index_of("left_shoulder"), 2] + body[:, index_of("right_shoulder"), 2])
    for side in ("left", "right"):
        wrist = body[:, index_of(f"{side}_wrist")]
        elbow = limb_angle_deg(f, f"{side}_elbow")
        forward = chest_z - wrist[:, 2]
        seen &= np.isfinite(wrist).all(axis=1) & np.isfinite(elbow) & np.isfinite(nose_y)
        ok &= (wrist[:, 1] >= nose_y) & (wrist[:, 1] <= hip_y)
        ok &= forward >= num(p, "min_forward_torso_lengths")
        ok &= (elbow >= num(p, "min_elbow_deg")) & (elbow <= num(p, "max_elbow_deg"))
    return np.where(seen, ok.astype(float), np.nan)


def _guard(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    """Longest time with the guard up inside the phase.

    Per frame the guard is up or not; a majority over 0.2 s (a rolling median) decides, so one
    jittery frame neither breaks a held guard nor fakes one. A frame without the joints does
    not break a run.
    """
    hold = num(p, "min_hold_s")
    flags = guard_frames(f, p)
    if not assessable(flags[w]):
        return not_assessable("s", f">= {hold:g}", "hands, elbows or face not visible")
    held = steady(flags, f)
    for i in range(1, len(held)):
        if not np.isfinite(held[i]):
            held[i] = held[i - 1]
    up = np.nan_to_num(held, nan=0.0) >= 0.5
    value = longest_run_s(up[w], f.t[w])
    return verdict(
        at_least(value, hold), value, f">= {hold:g}", "s", "longest time with the guard up"
    )


def _stance_angle(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    off = np.abs(wrap_deg(facing_yaw_deg(f)[w] - sc.threat_yaw_deg))
    lo, hi = num(p, "min_deg"), num(p, "max_deg")
    if not assessable(off):
        return not_assessable("deg", f"{lo:g}-{hi:g}", "shoulders not visible")
    return _range(nanmedian(off), lo, hi, "deg")


def _balance(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    mid = 0.5 * (f.point("left_ankle")[w] + f.point("right_ankle")[w]) - f.point("mid_hip")[w]
    off = np.hypot(mid[:, 0], mid[:, 2]) / f.shoulder_m
    hi = num(p, "max_shoulder_widths")
    if not assessable(off):
        return not_assessable("SW", f"<= {hi:g}", "ankles or hips not visible")
    value = nanmedian(off)
    return verdict(at_most(value, hi), value, f"<= {hi:g}", "SW")


def _drop_from_baseline(
    f: Features, series: np.ndarray, w: slice, ev: Events
) -> tuple[float, float]:
    """(baseline median over the second before t0, minimum of the steady series in the window)."""
    base = nanmedian(series[baseline_frames(f, t0_s=ev.t0_s)])
    inside = steady(series, f)[w]
    low = float(np.nanmin(inside)) if np.isfinite(inside).any() else float("nan")
    return base, low


def _chin_tuck(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    gap = nose_shoulder_gap_m(f)
    need = num(p, "min_drop_percent")
    if not assessable(gap[w]) or not assessable(gap[baseline_frames(f, t0_s=ev.t0_s)]):
        return not_assessable("%", f">= {need:g}", "nose or shoulders not visible")
    base, low = _drop_from_baseline(f, gap, w, ev)
    value = 100.0 * (base - low) / base
    return verdict(
        at_least(value, need), value, f">= {need:g}", "%", "drop of the nose-to-shoulder-line gap"
    )


def _hip_drop(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    scale = nanmedian(torso_px(f)[baseline_frames(f, t0_s=ev.t0_s)])
    height = image_hip_height_px(f) / scale  # one scale: a crouch shortens the torso too
    need = num(p, "min_torso_lengths")
    if not assessable(height[w]) or not assessable(height[baseline_frames(f, t0_s=ev.t0_s)]):
        return not_assessable("T", f">= {need:g}", "hips or ankles not visible")
    base, low = _drop_from_baseline(f, height, w, ev)
    value = base - low
    return verdict(
        at_least(value, need), value, f">= {need:g}", "T", "mid-hip drop above the ankles"
    )


POSTURE_KINDS: tuple[CheckKind, ...] = (
    CheckKind(
        "stance_width",
        "feet apart: median ankle distance in shoulder widths (on the floor with a room)",
        (
            ParamSpec("min_shoulder_widths", "shoulder_widths"),
            ParamSpec("max_shoulder_widths", "shoulder_widths"),
        ),
        _stance_width,
        measure="world",
        floor=True,
    ),
    CheckKind(
        "stance_stagger",
        "one foot forward: median fore-aft ankle offset (needs depth, or the room's floor)",
        (ParamSpec("min_shoulder_widths", "shoulder_widths"),),
        _stance_stagger,
        measure="world",
        view=ViewNeed(FORE_AFT_SIDE_ON_DEG, "A foot forward"),
        floor=True,
    ),
    CheckKind(
        "joint_angle",
        "median 3D angle at an elbow, knee, shoulder or hip",
        (
            ParamSpec("joint", "joint"),
            ParamSpec("min_deg", "deg", 0.0),
            ParamSpec("max_deg", "deg", 180.0),
        ),
        _joint_angle,
        measure="world",
        # a knee or hip bends in the body's sagittal plane, toward or away from a camera in
        # front: on rendered people the pose model's knee angle erred by 15 deg (p90) there,
        # against a 3 deg tolerance, and by 10-35 deg between two cameras on real video. An
        # elbow straightening overhead (front strangle) bends across the picture: any view.
        view=ViewNeed(
            FORE_AFT_SIDE_ON_DEG,
            "The {joint}'s bend",
            joints=frozenset({"left_knee", "right_knee", "left_hip", "right_hip"}),
        ),
    ),
    CheckKind(
        "guard",
        "both hands up between hip and head (nose/ears), in front, elbows bent; held",
        (
            ParamSpec("min_elbow_deg", "deg", 85.0),
            ParamSpec("max_elbow_deg", "deg", 165.0),
            ParamSpec("min_forward_torso_lengths", "torso_lengths", 0.15),
            ParamSpec("min_hold_s", "s", 0.3),
        ),
        _guard,
        measure="world",
    ),
    CheckKind(
        "stance_angle",
        "shoulder line turned from square to the threat (median)",
        (
            ParamSpec("min_deg", "deg"),
            ParamSpec("max_deg", "deg"),
        ),
        _stance_angle,
        measure="world",
    ),
    CheckKind(
        "balance",
        "mid-hip over the midpoint of the ankles (median)",
        (ParamSpec("max_shoulder_widths", "shoulder_widths"),),
        _balance,
        measure="world",
        view=ViewNeed(FORE_AFT_SIDE_ON_DEG, "Balance over the feet (fore-aft)"),
    ),
    CheckKind(
        "chin_tuck",
        "nose-to-shoulder-line gap drops against the first second",
        (ParamSpec("min_drop_percent", "percent"),),
        _chin_tuck,
        measure="world",
    ),
    CheckKind(
        "hip_drop",
        "mid-hip height above the ankles in the picture drops against the first second",
        (ParamSpec("min_torso_lengths", "torso_lengths"),),
        _hip_drop,
        measure="picture",
    ),
)
