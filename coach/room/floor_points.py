"""Image points -> positions on the floor: each pixel's camera ray meets a plane parallel to
the floor at the point's known height above it. numpy only.

Why: the pose model's image points of the feet are reliable, its depth is not (stance widths
from its 3D landmarks differ by 0.2-0.7 shoulder widths between two cameras filming the same
moment). With the floor plane known, a foot's pixel fixes where it stands, in metres.

A landmark is not on the floor itself: the ankle's centre is 0.039 body heights above it and
the heel and toe points about 0.009 H (the fractions of ``coach.bodymodel.body_model``, after
Drillis & Contini via Winter). The ray is met at that height, so a point seen at a distance is
not pushed beyond where it is. Getting the height wrong by dh moves the point along the ray by
dh / tan(angle below the horizon): for an ankle 3 m from a camera 1 m up, 1 cm of height is
3 cm of depth, shared by both feet (a stance width barely changes).
"""

from __future__ import annotations

import numpy as np

from coach.room.floor_plane import FloorPlane
from coach.room.intrinsics import Intrinsics

DEFAULT_BODY_HEIGHT_M = 1.70
"""Body height used for the landmarks' heights above the floor when the trainee's is unknown."""

HEIGHT_ABOVE_FLOOR_H = {
    "left_ankle": 0.039,
    "right_ankle": 0.039,
    "left_heel": 0.009,
    "right_heel": 0.009,
    "left_foot_index": 0.009,
    "right_foot_index": 0.009,
}
"""Heights above the floor, in body heights, of the landmarks placed on the floor."""

MIN_DOWN_SLOPE = 1e-3
"""A ray must point at least this much below the plane's horizon to meet it in front."""


def floor_positions(
    pixels: np.ndarray, intrinsics: Intrinsics, plane: FloorPlane, above_m: float | np.ndarray
) -> np.ndarray:
    """(..., 2) pixels -> (..., 2) floor-frame (x, z) metres where each ray meets the plane
    ``above_m`` over the floor. NaN where the pixel is NaN or the ray misses (at or above
    the horizon)."""
    rays = intrinsics.rays(pixels)
    n = plane.up
    slope = rays @ n
    lift = np.asarray(above_m, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = (lift - plane.height_m) / slope
    scale = np.where(np.isfinite(scale) & (scale > 0.0) & (slope < -MIN_DOWN_SLOPE), scale, np.nan)
    return plane.to_floor(rays * scale[..., None])


def floor_pixels(
    floor_xz: np.ndarray, intrinsics: Intrinsics, plane: FloorPlane, above_m: float = 0.0
) -> np.ndarray:
    """(..., 2) floor-frame points -> (..., 2) pixels (NaN behind the camera): for drawing the
    floor grid and for tests."""
    points = plane.from_floor(floor_xz, above_m)
    ahead = points[..., 2] > 1e-6
    px = intrinsics.project(np.where(ahead[..., None], points, np.nan))
    return px


def landmark_height_m(name: str, body_height_m: float | None) -> float:
    """Metres above the floor of a landmark placed on the floor."""
    return HEIGHT_ABOVE_FLOOR_H[name] * (body_height_m or DEFAULT_BODY_HEIGHT_M)
