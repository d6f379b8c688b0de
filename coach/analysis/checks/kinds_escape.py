"""Check kinds about the escape route after a release: distance, direction, facing.

Travel is the image-space path of the mid-hip from where it was at t0 (where the hold
happened), scaled by the torso length in pixels (see ``features.mid_hip_travel_t``).
"""

from __future__ import annotations

import numpy as np

from coach.analysis.checks.base import (
    CheckKind,
    Events,
    Measurement,
    Params,
    ParamSpec,
    Scene,
    at_least,
    at_most,
    not_assessable,
    verdict,
)
from coach.analysis.checks.common import assessable, num
from coach.analysis.features import Features, facing_yaw_deg, mid_hip_travel_t, wrap_deg

MIN_TRAVEL_FOR_DIRECTION_T = 0.5


def _travel(f: Features, ev: Events) -> np.ndarray:
    return mid_hip_travel_t(f, f.frame_at(ev.t0_s))


def _escape_distance(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    dist = np.linalg.norm(_travel(f, ev)[w], axis=1)
    need = num(p, "min_torso_lengths")
    if not assessable(dist):
        return not_assessable("T", f">= {need:g}", "hips not visible")
    value = float(np.nanmax(dist))
    return verdict(
        at_least(value, need), value, f">= {need:g}", "T", "mid-hip travel from the hold"
    )


def _escape_direction(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    limit = num(p, "max_deg")
    if sc.exit_image_dir is None:
        return not_assessable("deg", f"<= {limit:g}", "no exit marked in the scene")
    travel = _travel(f, ev)[w]
    if not assessable(travel):
        return not_assessable("deg", f"<= {limit:g}", "hips not visible")
    ok = np.isfinite(travel).all(axis=1)
    last = travel[ok][-1]
    if np.linalg.norm(last) < MIN_TRAVEL_FOR_DIRECTION_T:
        return verdict(False, float("nan"), f"<= {limit:g}", "deg", "hardly moved")
    ex, ey = sc.exit_image_dir
    angle = np.degrees(np.arctan2(last[1], last[0]) - np.arctan2(ey, ex))
    value = float(abs(wrap_deg(angle)))
    return verdict(
        at_most(value, limit), value, f"<= {limit:g}", "deg", "travel direction off the exit"
    )


def _keep_facing(f: Features, w: slice, ev: Events, sc: Scene, p: Params) -> Measurement:
    limit, until = num(p, "max_deg"), num(p, "until_torso_lengths")
    off = np.abs(wrap_deg(facing_yaw_deg(f)[w] - sc.threat_yaw_deg))
    dist = np.linalg.norm(_travel(f, ev)[w], axis=1)
    if not assessable(off):
        return not_assessable("deg", f"<= {limit:g}", "shoulders not visible")
    safe = np.nonzero(np.nan_to_num(dist, nan=0.0) >= until)[0]
    stop = int(safe[0]) + 1 if safe.size else len(off)
    value = float(np.nanmax(off[:stop])) if np.isfinite(off[:stop]).any() else float("nan")
    if not np.isfinite(value):
        return not_assessable("deg", f"<= {limit:g}", "shoulders not visible")
    return verdict(
        at_most(value, limit), value, f"<= {limit:g}", "deg", "largest turn from the threat"
    )


ESCAPE_KINDS: tuple[CheckKind, ...] = (
    CheckKind(
        "escape_distance",
        "mid-hip gets at least a distance from where the hold was",
        (ParamSpec("min_torso_lengths", "torso_lengths"),),
        _escape_distance,
        measure="travel",
    ),
    CheckKind(
        "escape_direction",
        "travel heads for the exit marked in the scene",
        (ParamSpec("max_deg", "deg", 45.0),),
        _escape_direction,
        measure="travel",
    ),
    CheckKind(
        "keep_facing",
        "shoulders keep facing the threat until the safe distance",
        (
            ParamSpec("max_deg", "deg", 45.0),
            ParamSpec("until_torso_lengths", "torso_lengths", 3.0),
        ),
        _keep_facing,
        measure="world",
    ),
)
