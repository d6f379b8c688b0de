"""The joint angles a keyframe may set, with units, neutral values and how mirroring treats them.

A keyframe lists only what changes; anything it leaves out keeps the previous keyframe's value
(the first keyframe starts from the neutral standing posture below). Angles are in degrees,
positions in torso lengths so a reference scales with the body. Per-side angles exist as
``left_<name>`` and ``right_<name>``; they are defined the same way for both sides (``arm_plane_deg
= 90`` is straight out to the side on either side), so mirroring just swaps the two names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class PostureParameter:
    """One keyframe field: its neutral value, what it means, and whether mirroring negates it."""

    name: str
    neutral: float
    meaning: str
    negate_when_mirrored: bool = False


_BODY: Final[tuple[PostureParameter, ...]] = (
    PostureParameter(
        "x_torso_lengths", 0.0, "floor position of the mid-hip toward the start's left", True
    ),
    PostureParameter(
        "z_torso_lengths", 0.0, "floor position of the mid-hip toward the start's front"
    ),
    PostureParameter("yaw_deg", 0.0, "whole-body turn about the vertical, + = to the left", True),
    PostureParameter("trunk_flex_deg", 0.0, "forward lean of the trunk over the hips"),
    PostureParameter(
        "trunk_side_deg", 0.0, "side bend of the trunk, + = left shoulder drops", True
    ),
    PostureParameter(
        "trunk_twist_deg", 0.0, "shoulders turned against the hips, + = to the left", True
    ),
    PostureParameter("shrug_deg", 0.0, "shoulders raised toward the ears (clavicle elevation)"),
    PostureParameter("neck_flex_deg", 0.0, "head nodded forward (chin tuck)"),
    PostureParameter("head_yaw_deg", 0.0, "head turned, + = to the left", True),
)

_PER_SIDE: Final[tuple[PostureParameter, ...]] = (
    PostureParameter("arm_elev_deg", 8.0, "upper arm raised from hanging (0) to straight up (180)"),
    PostureParameter(
        "arm_plane_deg", 10.0, "direction it is raised in: 0 forward, 90 out, <0 across"
    ),
    PostureParameter("arm_rot_deg", 0.0, "upper-arm inward rotation: + swings the forearm across"),
    PostureParameter("elbow_deg", 170.0, "elbow angle, 180 = straight (as the checks measure it)"),
    PostureParameter("hip_flex_deg", 0.0, "thigh swung forward (+) or back (-)"),
    PostureParameter("hip_abd_deg", 4.0, "thigh swung out to the side"),
    PostureParameter("knee_deg", 178.0, "knee angle, 180 = straight (as the checks measure it)"),
)

SIDES: Final[tuple[str, str]] = ("left", "right")


def _expand() -> dict[str, PostureParameter]:
    table = {p.name: p for p in _BODY}
    for side in SIDES:
        for p in _PER_SIDE:
            name = f"{side}_{p.name}"
            table[name] = PostureParameter(name, p.neutral, f"{side}: {p.meaning}")
    return table


POSTURE_PARAMETERS: Final[dict[str, PostureParameter]] = _expand()
"""Every keyframe field by name (per-side fields expanded to ``left_...`` and ``right_...``)."""

NEUTRAL_POSTURE: Final[dict[str, float]] = {n: p.neutral for n, p in POSTURE_PARAMETERS.items()}


def mirror_posture_name(name: str) -> str:
    """``left_elbow_deg`` <-> ``right_elbow_deg``; body-wide names stay."""
    for this, other in (("left_", "right_"), ("right_", "left_")):
        if name.startswith(this):
            return other + name[len(this) :]
    return name


def mirror_posture(values: dict[str, float]) -> dict[str, float]:
    """The same posture done by the other side: swap per-side fields, negate turns and x."""
    out: dict[str, float] = {}
    for name, value in values.items():
        negate = POSTURE_PARAMETERS[name].negate_when_mirrored
        out[mirror_posture_name(name)] = -value if negate else value
    return out
