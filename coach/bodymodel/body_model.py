"""A kinematic body model: joint angles (one posture) -> all 33 MediaPipe landmarks in metres.

Segment lengths are fractions of body height from Drillis & Contini (1966) as tabulated in
D. A. Winter, *Biomechanics and Motor Control of Human Movement*, 4th ed. (2009), Fig. 4.1:
shoulder height 0.818 H, hip 0.530 H, knee 0.285 H, ankle 0.039 H, shoulder width 0.259 H,
upper arm 0.186 H, forearm 0.146 H, hand 0.108 H, foot 0.152 H. The hip joint centres are
taken 0.10 H apart (about half of Winter's 0.191 H hip width) and face points are set to
plausible head proportions; both are approximations, not measurements.

Frame: scene coordinates with X to the person's starting left, Y up, Z to the starting front,
origin on the floor where the mid-hip starts. The camera module turns these into MediaPipe's
image and world landmarks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from coach.pose.landmarks import NUM_LANDMARKS, index_of
from coach.technique.posture import NEUTRAL_POSTURE

SHOULDER_HEIGHT = 0.818
HIP_HEIGHT = 0.530
KNEE_HEIGHT = 0.285
ANKLE_HEIGHT = 0.039
SHOULDER_WIDTH = 0.259
HIP_JOINT_SPACING = 0.10
UPPER_ARM = 0.186
FOREARM = 0.146
FOOT = 0.152

_X, _Y, _Z = np.eye(3)

# Face points relative to a mid-neck pivot 0.05 H above the shoulder line, in H, X to the left.
_FACE = {
    "nose": (0.0, 0.035, 0.065),
    "left_eye_inner": (0.010, 0.068, 0.056),
    "left_eye": (0.020, 0.068, 0.053),
    "left_eye_outer": (0.030, 0.068, 0.047),
    "left_ear": (0.045, 0.055, -0.005),
    "mouth_left": (0.014, 0.010, 0.056),
}


@dataclass(frozen=True)
class Body:
    """Segment lengths in metres for one body height (all from the fractions above)."""

    height_m: float = 1.75

    def __post_init__(self) -> None:
        if not 1.0 <= self.height_m <= 2.3:
            raise ValueError(f"height_m: expected 1.0-2.3 m, got {self.height_m}")

    @property
    def torso_m(self) -> float:
        """Mid-hip to mid-shoulder (T in domain.md)."""
        return (SHOULDER_HEIGHT - HIP_HEIGHT) * self.height_m

    @property
    def shoulder_width_m(self) -> float:
        return SHOULDER_WIDTH * self.height_m

    @property
    def thigh_m(self) -> float:
        return (HIP_HEIGHT - KNEE_HEIGHT) * self.height_m

    @property
    def shank_m(self) -> float:
        return (KNEE_HEIGHT - ANKLE_HEIGHT) * self.height_m


def rotation(axis: np.ndarray, angle_deg: float) -> np.ndarray:
    """3x3 right-handed rotation about ``axis`` by ``angle_deg`` (Rodrigues)."""
    k = np.asarray(axis, dtype=np.float64)
    k = k / np.linalg.norm(k)
    a = np.radians(angle_deg)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(a) * kx + (1 - np.cos(a)) * (kx @ kx)


def _flip_x(v: np.ndarray, side: str) -> np.ndarray:
    """Limb vectors are computed for the left side; the right side is their mirror image."""
    return v * np.array([-1.0, 1.0, 1.0]) if side == "right" else v


def arm_directions(elev: float, plane: float, rot: float, elbow: float) -> tuple[np.ndarray, ...]:
    """Left-arm unit vectors (upper arm, forearm, thumb side) in the trunk frame.

    The hanging arm (upper arm down, forearm bending forward) is turned by ``elev`` toward the
    direction ``plane`` (0 forward, 90 out), then rotated by ``rot`` about its own axis (+ swings
    the forearm across the body); the forearm bends by 180 - ``elbow`` toward that direction.
    """
    d = np.array([np.sin(np.radians(plane)), 0.0, np.cos(np.radians(plane))])
    down = -_Y
    swing = rotation(np.cross(down, d), elev)
    upper = swing @ down
    bend = rotation(upper, rot) @ (swing @ _Z)
    flex = np.radians(180.0 - elbow)
    fore = np.cos(flex) * upper + np.sin(flex) * bend
    thumb = -np.sin(flex) * upper + np.cos(flex) * bend
    return upper, fore, thumb


def leg_directions(hip_flex: float, hip_abd: float, knee: float) -> tuple[np.ndarray, np.ndarray]:
    """Left-leg unit vectors (thigh, shank) in the pelvis frame; the shank folds backward."""
    f, a = np.radians(hip_flex), np.radians(hip_abd)
    thigh = np.array([np.sin(a), -np.cos(a) * np.cos(f), np.cos(a) * np.sin(f)])
    front = _Z - (_Z @ thigh) * thigh
    front = front / np.linalg.norm(front)
    k = np.radians(180.0 - knee)
    return thigh, np.cos(k) * thigh - np.sin(k) * front


def posture_points(values: Mapping[str, float], body: Body) -> np.ndarray:
    """(33, 3) scene coordinates in metres of one posture (missing fields are neutral)."""
    v = {**NEUTRAL_POSTURE, **values}
    h = body.height_m
    out = np.full((NUM_LANDMARKS, 3), np.nan)

    def put(name: str, p: np.ndarray) -> None:
        out[index_of(name)] = p

    r_pelvis = rotation(_Y, v["yaw_deg"])
    r_trunk = (
        r_pelvis
        @ rotation(_Y, v["trunk_twist_deg"])
        @ rotation(_X, v["trunk_flex_deg"])
        @ rotation(_Z, -v["trunk_side_deg"])
    )
    legs = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        thigh, shank = leg_directions(
            v[f"{side}_hip_flex_deg"], v[f"{side}_hip_abd_deg"], v[f"{side}_knee_deg"]
        )
        hip = r_pelvis @ (sign * 0.5 * HIP_JOINT_SPACING * h * _X)
        knee = hip + r_pelvis @ _flip_x(thigh, side) * body.thigh_m
        ankle = knee + r_pelvis @ _flip_x(shank, side) * body.shank_m
        legs[side] = (hip, knee, ankle)
    lift = ANKLE_HEIGHT * h - min(legs["left"][2][1], legs["right"][2][1])
    pelvis = np.array(
        [v["x_torso_lengths"] * body.torso_m, lift, v["z_torso_lengths"] * body.torso_m]
    )
    foot_front = r_pelvis @ _Z
    for side, (hip, knee, ankle) in legs.items():
        put(f"{side}_hip", pelvis + hip)
        put(f"{side}_knee", pelvis + knee)
        put(f"{side}_ankle", pelvis + ankle)
        drop = -0.03 * h * _Y
        put(f"{side}_heel", pelvis + ankle + drop - 0.035 * h * foot_front)
        put(f"{side}_foot_index", pelvis + ankle + drop + (FOOT - 0.035) * h * foot_front)

    neck = pelvis + r_trunk @ (body.torso_m * _Y)
    e = np.radians(v["shrug_deg"])
    half = 0.5 * body.shoulder_width_m
    for side, sign in (("left", 1.0), ("right", -1.0)):
        shoulder = neck + r_trunk @ np.array([sign * half * np.cos(e), half * np.sin(e), 0.0])
        upper, fore, thumb = (
            r_trunk @ _flip_x(d, side)
            for d in arm_directions(
                v[f"{side}_arm_elev_deg"],
                v[f"{side}_arm_plane_deg"],
                v[f"{side}_arm_rot_deg"],
                v[f"{side}_elbow_deg"],
            )
        )
        elbow = shoulder + UPPER_ARM * h * upper
        wrist = elbow + FOREARM * h * fore
        put(f"{side}_shoulder", shoulder)
        put(f"{side}_elbow", elbow)
        put(f"{side}_wrist", wrist)
        put(f"{side}_index", wrist + h * (0.08 * fore + 0.015 * thumb))
        put(f"{side}_pinky", wrist + h * (0.07 * fore - 0.02 * thumb))
        put(f"{side}_thumb", wrist + h * (0.04 * fore + 0.035 * thumb))

    pivot = neck + r_trunk @ (0.05 * h * _Y)
    r_head = r_trunk @ rotation(_X, v["neck_flex_deg"]) @ rotation(_Y, v["head_yaw_deg"])
    for name, offset in _FACE.items():
        local = np.array(offset) * h
        put(name, pivot + r_head @ local)
        if name != "nose":
            twin = name.replace("left", "right")
            put(twin, pivot + r_head @ (local * np.array([-1.0, 1.0, 1.0])))
    return out
