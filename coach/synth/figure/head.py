"""The head: an ellipsoid sized from the body height, skin in front and hair on top and behind,
with eyes, brows, nose, mouth and ears placed on its surface.

The head's frame comes from the body model's landmarks (ears left-right, nose forward), so it
turns and nods with them. Sizes are fractions of body height H (head breadth about 0.088 H,
depth 0.11 H, chin to crown 0.13 H, after anthropometric tables), never of the projected
shoulder width: a head seen from the side is as big as one seen from the front.
"""

from __future__ import annotations

import numpy as np

from coach.pose.landmarks import index_of
from coach.synth.figure.look import Colour, Look
from coach.synth.figure.mesh import Mesh, ellipsoid, ellipsoid_grid

HEAD_SEMI_AXES = (0.044, 0.066, 0.056)
"""Half breadth, half height and half depth of the head, in body heights."""


def head_frame(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(centre (3,), rotation (3, 3) with columns left, up, forward) from the landmarks."""
    left, right = points[index_of("left_ear")], points[index_of("right_ear")]
    mid = 0.5 * (left + right)
    x = left - right
    x = x / np.linalg.norm(x)
    z = points[index_of("nose")] - mid
    z = z - (z @ x) * x
    z = z / np.linalg.norm(z)
    y = np.cross(z, x)
    return mid, np.stack([x, y, z], axis=1)


def _shade(colour: Colour, factor: float) -> Colour:
    return (colour[0] * factor, colour[1] * factor, colour[2] * factor)


def _disc(
    centre: np.ndarray,
    across: np.ndarray,
    up: np.ndarray,
    a: float,
    b: float,
    colour: Colour,
    inside: np.ndarray,
    n: int = 8,
) -> Mesh:
    """A flat elliptic patch (an eye, a mouth) as a fan of quads."""
    ang = np.linspace(0.0, 2 * np.pi, n + 1)
    rim = centre + a * np.cos(ang)[:, None] * across + b * np.sin(ang)[:, None] * up
    fan = np.stack([rim[:-1], rim[1:], np.tile(centre, (n, 1)), np.tile(centre, (n, 1))], axis=1)
    return Mesh(
        fan, np.tile(np.asarray(colour, float), (n, 1)), np.tile(inside, (n, 1)), np.full(n, 0.3)
    )


def head_mesh(points: np.ndarray, height_m: float, look: Look) -> Mesh:
    """The head of a person of ``height_m`` whose landmarks are ``points`` (33, 3), in metres."""
    h = height_m
    mid_ear, frame = head_frame(points)
    x, y, z = frame.T
    centre = mid_ear + 0.017 * h * z
    semi = np.array(HEAD_SEMI_AXES) * h * np.array([1.0, 1.0, 1.0])
    axes = frame * semi[None, :]
    grid = ellipsoid_grid(centre, axes, rings=12, segments=18)
    ux, uy, uz = grid.local.T
    if look.long_hair:
        face = (uz > 0.3) & (uy < 0.45) & (np.abs(ux) < 0.75)
    else:
        face = ((uz > 0.15) & (uy < 0.5)) | ((uy < -0.05) & (uz > -0.2)) | (uy < -0.8)
    colours = np.where(face[:, None], np.asarray(look.skin), np.asarray(look.hair))
    skin = Mesh(grid.quads, colours, np.tile(centre, (len(colours), 1)), np.where(face, 0.25, 0.1))

    def on_surface(d: tuple[float, float, float], out: float) -> np.ndarray:
        u = np.array(d) / np.linalg.norm(d)
        return centre + axes @ u + out * h * (frame @ u)

    parts = [skin]
    for sign in (1.0, -1.0):
        eye = on_surface((sign * 0.36, 0.14, 0.92), 0.003)
        parts.append(_disc(eye, x, y, 0.0085 * h, 0.0042 * h, (235, 240, 240), centre))
        iris = eye + 0.001 * h * z
        parts.append(_disc(iris, x, y, 0.0042 * h, 0.0040 * h, (40, 35, 30), centre, n=6))
        brow = on_surface((sign * 0.36, 0.33, 0.88), 0.003)
        parts.append(_disc(brow, x, y, 0.011 * h, 0.0022 * h, _shade(look.hair, 0.6), centre, n=6))
        ear = on_surface((sign * 1.0, 0.02, -0.08), -0.002)
        parts.append(ellipsoid(ear, frame * (np.array([0.006, 0.016, 0.011]) * h), look.skin, 4, 6))
    mouth = on_surface((0.0, -0.5, 0.86), 0.003)
    lips = (look.skin[0] * 0.6, look.skin[1] * 0.55, look.skin[2] * 0.8)
    parts.append(_disc(mouth, x, y, 0.013 * h, 0.0045 * h, lips, centre))
    nose = on_surface((0.0, -0.12, 1.0), -0.004)
    parts.append(
        ellipsoid(
            nose, frame * (np.array([0.009, 0.016, 0.012]) * h), _shade(look.skin, 0.95), 4, 6, 0.3
        )
    )
    if look.long_hair:
        back = centre - 0.035 * h * z - 0.07 * h * y
        parts.append(
            ellipsoid(back, frame * (np.array([0.046, 0.075, 0.03]) * h), look.hair, 6, 10)
        )
    return Mesh.join(parts)
