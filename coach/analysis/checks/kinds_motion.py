"""Check kinds about movement inside a phase: pulls, speeds, paths, reaches, turns, steps."""

from __future__ import annotations

import warnings

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
    STEADY_S,
    assessable,
    largest_change_within,
    num,
    rolling_max,
    span_frames,
    steady,
    text,
)
from coach.analysis.checks.views import FORE_AFT_SIDE_ON_DEG, side_on_deg
from coach.analysis.features import (
    Features,
    body_frame,
    facing_yaw_deg,
    limb_angle_deg,
    mid_hip_travel_t,
    speed_t_per_s,
)
from coach.analysis.image_measures import image_distance_t
from coach.pose.landmarks import index_of

MOVING_T_PER_S = 0.5
"""A joint slower than this (torso lengths per second) is taken as not moving."""


def _joint_flexion(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    angle = limb_angle_deg(f, text(p, "joint"))[w]
    need, span = num(p, "min_deg"), num(p, "max_span_s")
    target = f">= {need:g} within {span:g} s"
    if not assessable(angle):
        return not_assessable("deg", target, f"{text(p, 'joint')} not visible")
    value = largest_change_within(angle, span_frames(f, span), decrease=True)
    return verdict(at_least(value, need), value, target, "deg", "largest fall of the angle")


def _approach(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    d = np.linalg.norm(f.point(text(p, "joint"))[w] - f.point(text(p, "target"))[w], axis=1)
    need = num(p, "min_torso_lengths")
    if not assessable(d) or not np.isfinite(d[0]):
        return not_assessable("T", f">= {need:g}", "joints not visible")
    value = float(d[0] - np.nanmin(d)) / f.torso_m
    met = at_least(value, need)
    seen = side_on_deg(f, w)
    if not met and np.isfinite(seen) and seen < FORE_AFT_SIDE_ON_DEG:
        return not_assessable(
            "T",
            f">= {need:g}",
            f"a pull toward the {text(p, 'target').replace('_', ' ')} runs mostly toward or "
            f"away from a camera in front or behind (seen {seen:.0f} deg from square-on), where "
            f"the pose model's depth falls short ({value:.2f} T measured): only a pull that "
            "already shows is judged from there; film from the side",
        )
    return verdict(met, value, f">= {need:g}", "T", f"closer to {text(p, 'target')}")


def _peak_speed(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    speed = speed_t_per_s(f, text(p, "joint"))[w]
    need = num(p, "min_torso_lengths_per_s")
    if not assessable(speed):
        return not_assessable("T/s", f">= {need:g}", "joint not visible")
    value = float(np.nanmax(speed))
    return verdict(at_least(value, need), value, f">= {need:g}", "T/s")


def _path_ratio(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    pts = f.point(text(p, "joint"))[w]
    need = num(p, "min_ratio")
    if not assessable(pts):
        return not_assessable("x chord", f">= {need:g}", "joint not visible")
    pts = pts[np.isfinite(pts).all(axis=1)]
    path = float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum())
    chord = float(np.linalg.norm(pts[-1] - pts[0]))
    value = min(99.0, path / max(chord, 1e-9))
    return verdict(
        at_least(value, need), value, f">= {need:g}", "x chord", "path length over chord"
    )


def _movement_duration(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    """The main movement is the stretch around the phase's peak speed that stays above 20 % of
    it, ending early at a valley between two movements (a dip of 20 % of the peak that rises
    again). It may start or end outside the phase: phase edges from alignment are a few frames
    off, and cutting a movement at them would make a slow pull look quick."""
    raw = speed_t_per_s(f, text(p, "joint"))
    limit = num(p, "max_s")
    if not assessable(raw[w]):
        return not_assessable("s", f"<= {limit:g}", "joint not visible")
    whole = _bridged(raw)
    speed = whole[w]
    peak_i = (w.indices(len(f))[0]) + int(np.nanargmax(speed))
    peak = float(whole[peak_i])
    if peak < MOVING_T_PER_S:
        return verdict(False, float("nan"), f"<= {limit:g}", "s", "no movement found")
    lo = _movement_edge(whole, peak_i, -1, 0.2 * peak)
    hi = _movement_edge(whole, peak_i, +1, 0.2 * peak)
    value = float(f.t[hi] - f.t[lo]) + f.dt
    return verdict(
        at_most(value, limit), value, f"<= {limit:g}", "s", "time above 20 % of peak speed"
    )


def _bridged(x: np.ndarray) -> np.ndarray:
    """``x`` with unseen frames filled in linearly from their seen neighbours."""
    seen = np.isfinite(x)
    if seen.all() or not seen.any():
        return x
    idx = np.arange(len(x))
    return np.interp(idx, idx[seen], x[seen])


def _movement_edge(speed: np.ndarray, peak: int, direction: int, floor: float) -> int:
    """Last frame of the movement from ``peak`` going ``direction``: before the speed drops
    under ``floor``, or at the bottom of a valley once the speed climbs ``floor`` above it."""
    i = low_i = peak
    while 0 <= i + direction < len(speed):
        nxt = speed[i + direction]
        if nxt < floor:
            return i
        i += direction
        if nxt < speed[low_i]:
            low_i = i
        elif nxt > speed[low_i] + floor:
            return low_i
    return i


def _joint_distance(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    """Closest the two points come in the phase or, with ``min_hold_s``, the closest they stay
    for that long, over holds that overlap the phase (a hold may begin just before the aligned
    phase or end just after it)."""
    limit, hold = num(p, "max_torso_lengths"), num(p, "min_hold_s")
    target = f"<= {limit:g}" + (f" for {hold:g} s" if hold > 0 else "")
    whole = image_distance_t(f, text(p, "joint"), text(p, "target"))
    if not assessable(whole[w]):
        return not_assessable("T", target, "joints not visible")
    if hold <= 0:
        return _at_most(float(np.nanmin(steady(whole[w], f))), limit, target)
    whole = steady(whole, f)
    steps = span_frames(f, hold) + 1
    held = rolling_max(whole, steps)  # held[i]: the worst of frames i .. i + steps - 1
    start, stop = w.indices(len(whole))[:2]
    overlapping = held[max(0, start - steps + 1) : min(len(held), stop)]
    if not np.isfinite(overlapping).any():
        return verdict(False, float(np.nanmin(whole[w])), target, "T", "not held long enough")
    return _at_most(float(np.nanmin(overlapping)), limit, target)


def _at_most(value: float, limit: float, target: str) -> Measurement:
    return verdict(at_most(value, limit), value, target, "T")


def _joint_above(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    rise = (f.point(text(p, "reference"))[w, 1] - f.point(text(p, "joint"))[w, 1]) / f.torso_m
    need = num(p, "min_torso_lengths")
    if not assessable(rise):
        return not_assessable("T", f">= {need:g}", "joints not visible")
    value = float(np.nanmax(rise))
    return verdict(
        at_least(value, need), value, f">= {need:g}", "T", f"highest above {text(p, 'reference')}"
    )


def _rotation(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    """Largest turn of the shoulder line in the phase (within ``max_span_s`` if set); with
    ``before_travel_torso_lengths`` only while the body is still that close to where the hold
    was: turning to face them while already walking away is not the taught turn."""
    yaw = facing_yaw_deg(f)[w]
    need, span = num(p, "min_deg"), num(p, "max_span_s")
    near = num(p, "before_travel_torso_lengths")
    target = f">= {need:g}" + (f" within {span:g} s" if span > 0 else "")
    target += f" before {near:g} T of travel" if near > 0 else ""
    if not assessable(yaw):
        return not_assessable("deg", target, "shoulders not visible")
    if near > 0:
        travel = np.linalg.norm(mid_hip_travel_t(f, f.frame_at(ev.t0_s))[w], axis=1)
        away = np.nonzero(np.nan_to_num(travel, nan=0.0) >= near)[0]
        yaw = yaw[: int(away[0])] if away.size else yaw
        if yaw.size < 2:
            return verdict(False, 0.0, target, "deg", "already that far away")
    steps = span_frames(f, span) if span > 0 else len(yaw)
    value = max(largest_change_within(yaw, steps, True), largest_change_within(yaw, steps, False))
    return verdict(at_least(value, need), value, target, "deg", "shoulder-line turn")


def _step(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    """In the body frame (hip line on x, front = -z), so turning the body is not a step."""
    need, direction, foot = num(p, "min_torso_lengths"), text(p, "direction"), text(p, "foot")
    target = f">= {need:g} {direction}"
    feet = ("left", "right") if foot == "either" else (foot,)
    body = body_frame(f, heading="torso")
    first = w.indices(len(f))[0]
    before = slice(max(0, first - span_frames(f, STEADY_S)), first + 1)
    best = np.nan
    for side in feet:
        other = "right" if side == "left" else "left"
        rel = steady(body[:, index_of(f"{side}_ankle")] - body[:, index_of(f"{other}_ankle")], f)
        if not assessable(rel[w]):
            continue
        # where the feet were as the phase began: the moments up to its first frame, so a short
        # phase's own step does not leak into its baseline
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            start = np.nanmedian(rel[before], axis=0)
        if not np.isfinite(start).all():
            continue
        moved = rel[w] - start
        if direction == "any":
            along = np.hypot(moved[:, 0], moved[:, 2])
        elif direction == "side":
            along = np.abs(moved[:, 0])
        else:
            along = moved[:, 2]
        value = float(np.nanmax(along))
        best = value if not np.isfinite(best) else max(best, value)
    if not np.isfinite(best):
        return not_assessable("T", target, "ankles not visible")
    return verdict(at_least(best, need), best, target, "T", "ankle moved against the other ankle")


MOTION_KINDS: tuple[CheckKind, ...] = (
    CheckKind(
        "joint_flexion",
        "an elbow or knee angle falls by at least min_deg within a span",
        (
            ParamSpec("joint", "joint"),
            ParamSpec("min_deg", "deg"),
            ParamSpec("max_span_s", "s"),
        ),
        _joint_flexion,
        measure="world",
        view=ViewNeed(FORE_AFT_SIDE_ON_DEG, "A bend toward or away from the camera"),
    ),
    CheckKind(
        "approach",
        "a joint ends up closer to a target joint (from the phase start)",
        (
            ParamSpec("joint", "joint"),
            ParamSpec("target", "joint"),
            ParamSpec("min_torso_lengths", "torso_lengths"),
        ),
        _approach,
        measure="world",
    ),
    CheckKind(
        "peak_speed",
        "peak speed of a joint relative to the hips",
        (
            ParamSpec("joint", "joint"),
            ParamSpec("min_torso_lengths_per_s", "torso_lengths_per_s"),
        ),
        _peak_speed,
        measure="time",
    ),
    CheckKind(
        "path_ratio",
        "path length of a joint over its start-to-end chord (a circling hand)",
        (
            ParamSpec("joint", "joint"),
            ParamSpec("min_ratio", "ratio"),
        ),
        _path_ratio,
        measure="world",
    ),
    CheckKind(
        "movement_duration",
        "duration of a joint's main movement (speed > 20 % of peak)",
        (
            ParamSpec("joint", "joint"),
            ParamSpec("max_s", "s"),
        ),
        _movement_duration,
        measure="time",
    ),
    CheckKind(
        "joint_distance",
        "two points come within a distance in the picture, and stay for min_hold_s",
        (
            ParamSpec("joint", "joint"),
            ParamSpec("target", "joint"),
            ParamSpec("max_torso_lengths", "torso_lengths"),
            ParamSpec("min_hold_s", "s", 0.0),
        ),
        _joint_distance,
        measure="picture",
    ),
    CheckKind(
        "joint_above",
        "a joint rises above a reference joint (by a margin)",
        (
            ParamSpec("joint", "joint"),
            ParamSpec("reference", "joint"),
            ParamSpec("min_torso_lengths", "torso_lengths", 0.0),
        ),
        _joint_above,
        measure="world",
    ),
    CheckKind(
        "rotation",
        "the shoulder line turns about the vertical (within a span; 0 = any), before the "
        "mid-hip has travelled a distance from the hold (0 = anywhere)",
        (
            ParamSpec("min_deg", "deg"),
            ParamSpec("max_span_s", "s", 0.0),
            ParamSpec("before_travel_torso_lengths", "torso_lengths", 0.0),
        ),
        _rotation,
        measure="world",
    ),
    CheckKind(
        "step",
        "one ankle moves against the other in the body frame: back, side or any",
        (
            ParamSpec("min_torso_lengths", "torso_lengths"),
            ParamSpec("direction", "direction", "back"),
            ParamSpec("foot", "side_or_either", "either"),
        ),
        _step,
        measure="world",
    ),
)
