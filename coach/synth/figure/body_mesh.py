"""A solid person from the body model's 33 landmarks: torso, neck, limbs, hands, feet, head.

Every girth is a fraction of body height H times the look's build (after anthropometric
tables: thigh at the hip about 0.058 H in radius, upper arm 0.03 H, torso half-breadth at the
hips 0.098 H), so a part keeps its size from every viewing angle. The torso is lofted through
squared-off elliptic sections whose frames follow the pelvis (hip line) at the bottom and the
shoulder line at the top, so it twists and bends with the trunk.
"""

from __future__ import annotations

import numpy as np

from coach.pose.landmarks import index_of
from coach.synth.figure.head import head_frame, head_mesh
from coach.synth.figure.look import Colour, Look
from coach.synth.figure.mesh import Mesh, ellipsoid, loft, tube

_UP = np.array([0.0, 1.0, 0.0])


def _p(points: np.ndarray, name: str) -> np.ndarray:
    return points[index_of(name)]


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _frame(across: np.ndarray, up: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Orthonormal (across, up, forward) with ``across`` kept and ``up`` made perpendicular."""
    x = _unit(across)
    y = _unit(up - (up @ x) * x)
    return x, y, np.cross(x, y)


def torso_mesh(points: np.ndarray, h: float, look: Look) -> Mesh:
    """Pelvis to shoulders: trousers up to the waist, the top above."""
    b = look.build
    mid_hip = 0.5 * (_p(points, "left_hip") + _p(points, "right_hip"))
    mid_sh = 0.5 * (_p(points, "left_shoulder") + _p(points, "right_shoulder"))
    px, py, _ = _frame(_p(points, "left_hip") - _p(points, "right_hip"), _UP)
    tx, ty, _ = _frame(_p(points, "left_shoulder") - _p(points, "right_shoulder"), mid_sh - mid_hip)
    # (share of the way from pelvis to chest frame, centre, half width, half depth) per section
    sections = [
        (0.0, mid_hip - 0.055 * h * py, 0.080, 0.052),
        (0.0, mid_hip + 0.01 * h * py, 0.097, 0.060),
        (0.35, mid_hip + 0.40 * (mid_sh - mid_hip), 0.083, 0.055),
        (0.8, mid_hip + 0.75 * (mid_sh - mid_hip), 0.094, 0.062),
        (1.0, mid_sh - 0.012 * h * ty, 0.112, 0.052),
        (1.0, mid_sh + 0.022 * h * ty, 0.060, 0.040),
    ]
    centres, across, forward, widths, depths = [], [], [], [], []
    for share, centre, w, d in sections:
        x, _, z = _frame((1 - share) * px + share * tx, (1 - share) * py + share * ty)
        centres.append(centre)
        across.append(x)
        forward.append(z)
        widths.append(w * h * b)
        depths.append(d * h * b**1.3)
    colours = [look.bottom, look.bottom, look.top, look.top, look.top]
    return loft(
        np.array(centres),
        np.array(across),
        np.array(forward),
        np.array(widths),
        np.array(depths),
        colours,
    )


def _limb(
    points: np.ndarray, joints: tuple[str, str], radii: tuple[float, float], colour: Colour
) -> list[Mesh]:
    a, b = _p(points, joints[0]), _p(points, joints[1])
    return [tube(a, b, radii[0], radii[1], colour)]


def _ball(centre: np.ndarray, r: float, colour: Colour) -> Mesh:
    return ellipsoid(centre, np.eye(3) * r, colour, rings=5, segments=8)


def arm_mesh(points: np.ndarray, side: str, h: float, look: Look) -> Mesh:
    b = look.build
    sleeve = look.top
    fore = look.top if look.long_sleeves else look.skin
    sh, el, wr = (_p(points, f"{side}_{j}") for j in ("shoulder", "elbow", "wrist"))
    parts = [
        _ball(sh - 0.008 * h * _UP, 0.031 * h * b, sleeve),
        tube(sh, el, 0.031 * h * b, 0.024 * h * b, sleeve),
        _ball(el, 0.024 * h * b, fore),
        tube(el, wr, 0.024 * h * b, 0.017 * h * b, fore),
        hand_mesh(points, side, h, look),
    ]
    if not look.long_sleeves:
        mid = sh + 0.55 * (el - sh)
        parts.append(tube(mid, el, 0.028 * h * b, 0.0235 * h * b, look.skin))
    return Mesh.join(parts)


def hand_mesh(points: np.ndarray, side: str, h: float, look: Look) -> Mesh:
    """A palm from the wrist toward the knuckles, with a thumb."""
    wrist = _p(points, f"{side}_wrist")
    knuckles = 0.5 * (_p(points, f"{side}_index") + _p(points, f"{side}_pinky"))
    length = _unit(knuckles - wrist)
    across = _p(points, f"{side}_index") - _p(points, f"{side}_pinky")
    across = _unit(across - (across @ length) * length)
    normal = np.cross(length, across)
    centre = wrist + 0.045 * h * length
    axes = np.stack([0.023 * h * across, 0.048 * h * length, 0.013 * h * normal], axis=1)
    thumb_tip = _p(points, f"{side}_thumb")
    thumb_base = wrist + 0.012 * h * length + 0.012 * h * across
    return Mesh.join(
        [
            _ball(wrist, 0.017 * h * look.build, look.skin),
            ellipsoid(centre, axes, look.skin, 5, 8, 0.2),
            tube(thumb_base, thumb_tip, 0.009 * h, 0.007 * h, look.skin),
        ]
    )


def leg_mesh(points: np.ndarray, side: str, h: float, look: Look) -> Mesh:
    b = look.build
    hip, knee, ankle = (_p(points, f"{side}_{j}") for j in ("hip", "knee", "ankle"))
    heel, toe = _p(points, f"{side}_heel"), _p(points, f"{side}_foot_index")
    along = _unit(toe - heel)
    across = np.cross(_UP, along)
    across = _unit(across) if np.linalg.norm(across) > 1e-6 else np.array([1.0, 0.0, 0.0])
    up = np.cross(along, across)
    foot_centre = 0.5 * (heel + toe) + 0.022 * h * up
    foot_axes = np.stack(
        [
            0.030 * h * across,
            0.028 * h * up,
            (0.5 * np.linalg.norm(toe - heel) + 0.012 * h) * along,
        ],
        axis=1,
    )
    return Mesh.join(
        [
            _ball(hip, 0.056 * h * b, look.bottom),
            tube(hip, knee, 0.058 * h * b, 0.035 * h * b, look.bottom),
            _ball(knee, 0.035 * h * b, look.bottom),
            tube(knee, ankle, 0.036 * h * b, 0.022 * h * b, look.bottom),
            _ball(ankle, 0.022 * h * b, look.bottom),
            ellipsoid(foot_centre, foot_axes, look.shoes, 5, 8, 0.3),
        ]
    )


def neck_mesh(points: np.ndarray, h: float, look: Look) -> Mesh:
    mid_sh = 0.5 * (_p(points, "left_shoulder") + _p(points, "right_shoulder"))
    centre, frame = head_frame(points)
    top = centre - 0.035 * h * frame[:, 1]
    return tube(mid_sh, top, 0.030 * h * look.build**0.5, 0.027 * h, look.skin)


def person_mesh(points: np.ndarray, height_m: float, look: Look) -> Mesh:
    """Everything drawn for one person whose landmarks are ``points`` (33, 3), metres."""
    h = height_m
    return Mesh.join(
        [
            torso_mesh(points, h, look),
            neck_mesh(points, h, look),
            head_mesh(points, h, look),
            arm_mesh(points, "left", h, look),
            arm_mesh(points, "right", h, look),
            leg_mesh(points, "left", h, look),
            leg_mesh(points, "right", h, look),
        ]
    )
