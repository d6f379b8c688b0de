"""Foot positions on the floor, and the body's scale in true metres, from the room set-up.
numpy only.

With a room (``coach.room``), the feet's image points are placed on the floor plane (each ray
met at the landmark's height above the floor, ``coach.room.floor_points``): metric positions
that do not depend on the pose model's depth. The body's scale comes the same way: the torso's
length in metres, with the mid-shoulder and mid-hip each taken as the point of the vertical
line above the mid-ankle (or the one ankle seen) that comes nearest to their camera ray, as a
median over the baseline (over the whole attempt when the baseline has none). The torso stands near
vertical, so turning the body about the vertical does not shorten it, and whichever camera
placement filmed it gives the same metres (a near-horizontal ray pins the height down: a
point 10 cm in front of or behind the line moves by 10 cm x the ray's slope, about 3 mm).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.pose.landmarks import NUM_LANDMARKS, index_of
from coach.room.floor_points import HEIGHT_ABOVE_FLOOR_H, floor_positions, landmark_height_m
from coach.room.room_file import Room

FLOOR_LANDMARKS = tuple(HEIGHT_ABOVE_FLOOR_H)
"""The landmarks placed on the floor: ankles, heels, toes."""


@dataclass(frozen=True, eq=False)
class FloorTrack:
    """points: (T, 33, 2) floor-frame (x, z) metres of the FLOOR_LANDMARKS, NaN elsewhere and
    where not seen (x: the camera's right on the floor, z: depth on the floor). torso_m: the
    torso length in metres over the baseline (NaN if not seen)."""

    points: np.ndarray
    torso_m: float

    def point(self, name: str) -> np.ndarray:
        """(T, 2) floor position of a floor landmark."""
        if name not in FLOOR_LANDMARKS:
            raise KeyError(
                f"{name!r} is not placed on the floor; valid: {', '.join(FLOOR_LANDMARKS)}"
            )
        return self.points[:, index_of(name)]


def floor_track(pixels: np.ndarray, room: Room, baseline: np.ndarray) -> FloorTrack:
    """pixels: (T, 33, 2) visibility-gated image pixels of frames of ``room``'s size;
    baseline: (T,) bool, the frames the body's scale is measured over."""
    k, plane = room.intrinsics, room.floor
    out = np.full((pixels.shape[0], NUM_LANDMARKS, 2), np.nan)
    for name in FLOOR_LANDMARKS:
        above = landmark_height_m(name, room.trainee_height_m)
        out[:, index_of(name)] = floor_positions(pixels[:, index_of(name)], k, plane, above)
    feet = _either(out[:, index_of("left_ankle")], out[:, index_of("right_ankle")])
    base = plane.from_floor(feet, 0.0)
    heights = {}
    for mid, (a, b) in (
        ("hip", ("left_hip", "right_hip")),
        ("shoulder", ("left_shoulder", "right_shoulder")),
    ):
        px = 0.5 * (pixels[:, index_of(a)] + pixels[:, index_of(b)])
        heights[mid] = _height_on_vertical(base, plane.up, k.rays(px))
    torso = heights["shoulder"] - heights["hip"]
    chosen = torso[baseline & np.isfinite(torso)]
    if chosen.size == 0:  # not seen standing at the start: the whole attempt
        chosen = torso[np.isfinite(torso)]
    return FloorTrack(out, float(np.median(chosen)) if chosen.size else float("nan"))


def _either(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(T, 2) the midpoint of ``a`` and ``b``, or the one seen where the other is not (from
    the side, one foot often hides the other while the trainee stands feet together)."""
    both = 0.5 * (a + b)
    return np.where(np.isfinite(both), both, np.where(np.isfinite(a), a, b))


def _height_on_vertical(base: np.ndarray, up: np.ndarray, rays: np.ndarray) -> np.ndarray:
    """(T,) height above ``base`` (T, 3) of the point on the vertical line through it nearest
    to the camera ray (T, 3) through the origin."""
    w0 = base  # line point minus ray origin
    b = rays @ up
    c = np.sum(rays * rays, axis=-1)
    d = w0 @ up
    e = np.sum(rays * w0, axis=-1)
    denom = c - b * b  # |up| = 1
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (b * e - c * d) / denom
    return np.where(np.abs(denom) > 1e-12, s, np.nan)
