"""The measures a technique's checks use, over time, for the trainee and the matched reference.

Each check kind names what it measures (a joint angle, a distance between two points, the
travel from the hold, the facing); the review plots those series with the reference's value at
the matched frame and, where a criterion's target is a bound on the measure itself, the band
it allows over the criterion's evidence range.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from coach.analysis.features import (
    Features,
    facing_yaw_deg,
    limb_angle_deg,
    mid_hip_travel_t,
)
from coach.pose.landmarks import index_of
from coach.review.alignment_view import AlignedAttempt
from coach.technique.model import Check


@dataclass(frozen=True)
class Band:
    """Allowed values ``lo``..``hi`` (either may be None: unbounded) from ``t0`` to ``t1``."""

    lo: float | None
    hi: float | None
    t0: float
    t1: float
    label: str


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    unit: str
    trainee: np.ndarray
    """(T,) at the trainee's frames; NaN where not assessable."""
    reference: np.ndarray | None
    """(T,) the reference's value at the frame each trainee frame was matched to."""
    bands: list[Band] = field(default_factory=list)


def measures_for(
    aligned: AlignedAttempt, criteria: list[dict[str, object]], t0_s: float
) -> list[Measure]:
    """One measure per distinct quantity the technique's checks look at, in phase order;
    travel is measured from ``t0_s`` (the start signal), as the checks do."""
    f = aligned.features
    ref_f = _reference_features(aligned)
    index = np.clip(aligned.mapping.ref_index, 0, len(aligned.reference) - 1)
    t0 = min(f.frame_at(t0_s), len(f) - 1)
    ref_t0 = int(index[min(t0, len(index) - 1)])
    seen: dict[str, Measure] = {}
    checks = [check for phase in aligned.reference.technique.phases for check in phase.checks]
    for check in checks:
        spec = _spec(check)
        if spec is None or spec[0] in seen:
            continue
        key, title, unit, fn, has_ref = spec
        trainee = fn(f, t0)
        reference = fn(ref_f, ref_t0)[index] if has_ref else None
        seen[key] = Measure(key, title, unit, trainee, reference)
    for c in criteria:
        _add_band(seen, c)
    return list(seen.values())


MeasureFn = Callable[[Features, int], np.ndarray]
"""(features, t0 frame) -> (T,) series."""


def _spec(check: Check) -> tuple[str, str, str, MeasureFn, bool] | None:
    p = check.param_dict()
    kind = check.kind
    if kind in ("joint_angle", "joint_flexion"):
        joint = str(p["joint"])
        return (
            f"angle:{joint}",
            f"Angle at the {joint.replace('_', ' ')}",
            "deg",
            lambda f, _t0: limb_angle_deg(f, joint),
            True,
        )
    if kind in ("approach", "joint_distance"):
        a, b = str(p["joint"]), str(p["target"])
        return (
            f"distance:{a}:{b}",
            f"{a.replace('_', ' ')} to {b.replace('_', ' ')}".capitalize(),
            "T",
            lambda f, _t0: np.linalg.norm(f.point(a) - f.point(b), axis=1) / f.torso_m,
            True,
        )
    if kind in ("escape_distance", "escape_direction"):
        return (
            "travel",
            "Travel from the hold (mid-hip)",
            "T",
            lambda f, t0: np.linalg.norm(mid_hip_travel_t(f, t0), axis=1),
            True,
        )
    if kind in ("keep_facing", "rotation"):
        return (
            "facing",
            "Facing (shoulder line yaw)",
            "deg",
            lambda f, _t0: facing_yaw_deg(f),
            False,
        )
    return None


_BOUNDS = (
    (re.compile(r"^(-?[\d.]+)-(-?[\d.]+)$"), lambda m: (float(m[1]), float(m[2]))),
    (re.compile(r"^>=\s*(-?[\d.]+)$"), lambda m: (float(m[1]), None)),
    (re.compile(r"^<=\s*(-?[\d.]+)"), lambda m: (None, float(m[1]))),
)
_BAND_KINDS = {"joint_angle": "angle", "joint_distance": "distance", "escape_distance": "travel"}
"""Kinds whose target bounds the plotted measure itself (others bound a change or a turn)."""


def _add_band(measures: dict[str, Measure], criterion: dict[str, object]) -> None:
    kind = str(criterion.get("kind"))
    prefix = _BAND_KINDS.get(kind)
    if prefix is None:
        return
    target = str(criterion.get("target", ""))
    for pattern, bounds in _BOUNDS:
        match = pattern.match(target)
        if match:
            lo, hi = bounds(match)
            break
    else:
        return
    label = str(criterion.get("label"))
    candidates = [m for k, m in measures.items() if k.split(":")[0] == prefix]
    named = [m for m in candidates if _names_joint(label, m.title)]
    chosen = named or (candidates if len(candidates) == 1 else [])
    t_start, t_end = criterion.get("t_start"), criterion.get("t_end")
    if chosen and isinstance(t_start, int | float) and isinstance(t_end, int | float):
        chosen[0].bands.append(Band(lo, hi, float(t_start), float(t_end), label))


def _names_joint(label: str, title: str) -> bool:
    words = {w for w in re.findall(r"[a-z]+", label.lower())}
    side = next((s for s in ("left", "right") if s in title.lower()), None)
    body = next(
        (w for w in ("knee", "elbow", "hip", "shoulder", "wrist") if w in title.lower()), None
    )
    return side in words and body in words if side and body else False


def _reference_features(aligned: AlignedAttempt) -> Features:
    """The reference as Features: its body-frame pose (torso lengths, so torso_m = 1) and its
    own pixels, enough for angles, distances and travel."""
    ref = aligned.reference
    px = ref.pixels
    mid_hip = 0.5 * (px[:, index_of("left_hip")] + px[:, index_of("right_hip")])
    mid_shoulder = 0.5 * (px[:, index_of("left_shoulder")] + px[:, index_of("right_shoulder")])
    torso_px = np.linalg.norm(mid_shoulder - mid_hip, axis=1)
    return Features(ref.t, ref.body, px, 1.0, float("nan"), torso_px)
