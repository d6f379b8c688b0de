"""The partner who applies the hold: where they stand, and their hands on the trainee until
the release, then arms down and a step back, staying in view.

Holds (from the technique's id; a technique not listed gets a partner standing at the threat
side without contact):
- cross wrist grab: the partner's hand on the same side (their right on the right wrist);
- same-side wrist grab: the partner's opposite hand (their left on the right wrist);
- two-hand wrist grab: both hands on the held forearm;
- front strangle: both hands at the sides of the neck;
- rear strangle: from behind, a forearm across the throat, the other hand on a shoulder.
For holds from the front the partner stands beside the trainee, a little behind the line
square to the camera, on the side away from the exit, facing the trainee: a camera facing the
trainee sees both, and the trainee is the nearer person. (A partner diagonally in front, 65
deg round, was the one the pose model followed in every frame from the front: it keeps one
person, and the nearer, bigger one wins.) Arms are placed by two-link inverse kinematics on
the body model's segment lengths; the hands let go halfway through the release phase.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.bodymodel.body_model import FOREARM, UPPER_ARM, Body, posture_points
from coach.bodymodel.interpolation import minimum_jerk
from coach.pose.landmarks import index_of
from coach.technique.model import Technique
from coach.technique.posture import NEUTRAL_POSTURE

_UP = np.array([0.0, 1.0, 0.0])
LET_GO_S = 0.35
"""Time the partner's arms take from the hold to hanging, after letting go."""
STEP_BACK_M = 0.25


@dataclass(frozen=True)
class Hold:
    """How a partner holds: where they stand (angle round the trainee from its front, +
    toward the trainee's left, for exit on the trainee's left; distance, metres) and which hand
    goes where ("wrist", "forearm", "neck_left", "neck_right", "throat", "shoulder")."""

    angle_deg: float
    distance_m: float
    right_hand: str | None
    left_hand: str | None


HOLDS: dict[str, Hold] = {
    "cross_wrist_grab": Hold(-95.0, 0.75, "wrist", None),
    "same_side_wrist_grab": Hold(-95.0, 0.70, None, "wrist"),
    "two_hand_wrist_grab": Hold(-95.0, 0.65, "wrist", "forearm"),
    "front_strangle": Hold(-85.0, 0.50, "neck_left", "neck_right"),
    "rear_strangle": Hold(180.0, 0.20, "throat", "shoulder"),
}
NO_CONTACT = Hold(-95.0, 1.1, None, None)


SIDED_TARGETS = frozenset({"wrist", "forearm", "throat", "shoulder"})
"""Holds whose hands change over with the technique's side (the table is for the right side):
a cross grab of the left wrist is with the partner's left hand. Hands at both sides of the
neck stay as they are."""


def hold_for(technique: Technique) -> Hold:
    """The hold of ``technique``, turned to its side: the partner stands away from the exit."""
    hold = HOLDS.get(technique.id, NO_CONTACT)
    right, left = hold.right_hand, hold.left_hand
    if technique.side == "left" and ({right, left} & SIDED_TARGETS):
        right, left = left, right
    angle = -hold.angle_deg if technique.exit_side == "right" else hold.angle_deg
    return Hold(angle, hold.distance_m, right, left)


def _p(points: np.ndarray, name: str) -> np.ndarray:
    return points[index_of(name)]


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n > 1e-9 else v


def _target(
    trainee: np.ndarray, where: str, held_side: str, height_m: float, hand: str
) -> np.ndarray:
    """The scene point the partner's ``hand`` holds on the trainee (one frame of landmarks)."""
    wrist, elbow = _p(trainee, f"{held_side}_wrist"), _p(trainee, f"{held_side}_elbow")
    lsh, rsh = _p(trainee, "left_shoulder"), _p(trainee, "right_shoulder")
    mid_ear = 0.5 * (_p(trainee, "left_ear") + _p(trainee, "right_ear"))
    neck = 0.5 * (0.5 * (lsh + rsh) + mid_ear)
    across = _unit(lsh - rsh)
    front = _unit(_p(trainee, "nose") - mid_ear)
    if where == "wrist":
        return wrist + 0.02 * height_m * _unit(elbow - wrist)
    if where == "forearm":
        return wrist + 0.07 * height_m * _unit(elbow - wrist)
    if where in ("neck_left", "neck_right"):
        sign = 1.0 if where == "neck_left" else -1.0
        return neck + 0.035 * height_m * sign * across
    if where == "throat":  # the wrist on the far side of the neck from the choking arm
        far = 1.0 if hand == "right" else -1.0
        return neck + 0.045 * height_m * front + 0.03 * height_m * far * across
    if where == "shoulder":
        return lsh if held_side == "right" else rsh
    raise ValueError(f"hand target: unknown place {where!r}")


def _throat_elbow(trainee: np.ndarray, height_m: float, hand: str) -> np.ndarray:
    """Where the choking arm's elbow is: in front of the near side of the neck (the trainee's
    right for the partner's right arm), so the forearm lies across the throat."""
    near = -1.0 if hand == "right" else 1.0
    lsh, rsh = _p(trainee, "left_shoulder"), _p(trainee, "right_shoulder")
    mid_ear = 0.5 * (_p(trainee, "left_ear") + _p(trainee, "right_ear"))
    neck = 0.5 * (0.5 * (lsh + rsh) + mid_ear)
    front = _unit(_p(trainee, "nose") - mid_ear)
    return neck + 0.05 * height_m * front + 0.06 * height_m * near * _unit(lsh - rsh)


def reach(
    shoulder: np.ndarray, target: np.ndarray, pole: np.ndarray, height_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """(elbow, wrist) of an arm reaching from ``shoulder`` so the palm is on ``target``; the
    elbow bends toward ``pole``. Out of reach, the arm points at the target, straight."""
    upper, fore = UPPER_ARM * height_m, FOREARM * height_m
    to = target - shoulder
    wrist = target - 0.04 * height_m * _unit(to)
    d_vec = wrist - shoulder
    d = float(np.linalg.norm(d_vec))
    axis = _unit(d_vec)
    d = min(d, 0.98 * (upper + fore))
    wrist = shoulder + d * axis
    a = (upper**2 - fore**2 + d**2) / (2 * d)
    r = float(np.sqrt(max(upper**2 - a**2, 0.0)))
    side = _unit(pole - (pole @ axis) * axis)
    return shoulder + a * axis + r * side, wrist


def _place_hand(
    points: np.ndarray, side: str, elbow: np.ndarray, wrist: np.ndarray, h: float
) -> None:
    """Set elbow, wrist and hand points of one arm (hand straight on from the forearm)."""
    fore = _unit(wrist - elbow)
    thumb = _unit(np.cross(fore, _UP)) if abs(fore @ _UP) < 0.95 else np.array([1.0, 0.0, 0.0])
    if side == "right":
        thumb = -thumb
    points[index_of(f"{side}_elbow")] = elbow
    points[index_of(f"{side}_wrist")] = wrist
    points[index_of(f"{side}_index")] = wrist + h * (0.08 * fore + 0.015 * thumb)
    points[index_of(f"{side}_pinky")] = wrist + h * (0.07 * fore - 0.02 * thumb)
    points[index_of(f"{side}_thumb")] = wrist + h * (0.04 * fore + 0.035 * thumb)


def partner_points(
    trainee: np.ndarray,
    t: np.ndarray,
    technique: Technique,
    let_go_s: float,
    trainee_height_m: float,
    partner_height_m: float,
) -> np.ndarray:
    """(T, 33, 3) scene landmarks of the partner over the trainee's ``trainee`` (T, 33, 3)."""
    hold = hold_for(technique)
    h = partner_height_m
    a = np.radians(hold.angle_deg)
    place = hold.distance_m * np.array([np.sin(a), 0.0, np.cos(a)])
    yaw = hold.angle_deg + 180.0
    stance = {**NEUTRAL_POSTURE, "yaw_deg": yaw, "left_knee_deg": 170.0, "right_knee_deg": 172.0}
    base = posture_points(stance, Body(h)) + place
    away = _unit(place) if hold.distance_m > 0 else np.array([0.0, 0.0, -1.0])
    facing = np.array([np.sin(np.radians(yaw)), 0.0, np.cos(np.radians(yaw))])
    out = np.repeat(base[None], len(t), axis=0)
    for i, ti in enumerate(t):
        step = minimum_jerk(np.array((ti - let_go_s) / 0.6))
        out[i] += float(step) * STEP_BACK_M * away
        blend = float(minimum_jerk(np.array((ti - let_go_s) / LET_GO_S)))
        if blend >= 1.0:
            continue
        for side, where in (("right", hold.right_hand), ("left", hold.left_hand)):
            if where is None:
                continue
            target = _target(
                trainee[min(i, len(trainee) - 1)], where, technique.side, trainee_height_m, side
            )
            shoulder = out[i, index_of(f"{side}_shoulder")]
            out_dir = _unit(
                shoulder
                - 0.5 * (out[i, index_of("left_shoulder")] + out[i, index_of("right_shoulder")])
            )
            pole = -_UP + 0.6 * out_dir
            if where == "throat":
                pole = facing + 0.8 * out_dir
            elbow, wrist = reach(shoulder, target, pole, h)
            if where == "throat":
                elbow = _throat_elbow(trainee[min(i, len(trainee) - 1)], trainee_height_m, side)
            free_elbow = out[i, index_of(f"{side}_elbow")]
            free_wrist = out[i, index_of(f"{side}_wrist")]
            _place_hand(
                out[i],
                side,
                (1 - blend) * elbow + blend * free_elbow,
                (1 - blend) * wrist + blend * free_wrist,
                h,
            )
    return out
