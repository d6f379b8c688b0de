"""The floor plane as the camera sees it: the camera's height above the floor, its tilt and
roll, and the floor frame the foot positions are given in. numpy only.

Camera coordinates are OpenCV's: x to the picture's right, y down, z forward along the optical
axis, metres, the lens at the origin. The floor's up direction in these coordinates is

    n = (-sin(roll) cos(tilt), -cos(roll) cos(tilt), -sin(tilt))

with tilt > 0 when the camera looks down and roll > 0 when the picture's right side is lower.
A point X is ``n . X + height_m`` metres above the floor.

The floor frame: origin on the floor straight below the lens; x along the camera's right
projected onto the floor, z along the camera's forward projected onto the floor (depth), both
in metres. Distances between foot positions are the same in any frame on the floor; this one
keeps the picture's left-right and the camera's depth recognisable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_HEIGHT_M = 5.0
MAX_TILT_DEG = 80.0
MAX_ROLL_DEG = 45.0


@dataclass(frozen=True)
class FloorPlane:
    """height_m: the lens above the floor. tilt_deg: the optical axis below the horizontal.
    roll_deg: the picture's right side lower by this. source: "board", "standing" or
    "synthetic" (how it was measured)."""

    height_m: float
    tilt_deg: float
    roll_deg: float = 0.0
    source: str = "synthetic"

    @classmethod
    def from_normal(cls, up: np.ndarray, height_m: float, source: str) -> FloorPlane:
        """From the floor's up direction in camera coordinates (any length) and the height."""
        n = np.asarray(up, dtype=np.float64)
        n = n / np.linalg.norm(n)
        tilt = math.degrees(math.asin(float(np.clip(-n[2], -1.0, 1.0))))
        roll = math.degrees(math.atan2(-n[0], -n[1]))
        return cls(float(height_m), tilt, roll, source)

    @property
    def up(self) -> np.ndarray:
        """(3,) unit up direction of the floor in camera coordinates."""
        t, r = math.radians(self.tilt_deg), math.radians(self.roll_deg)
        return np.array([-math.sin(r) * math.cos(t), -math.cos(r) * math.cos(t), -math.sin(t)])

    def axes(self) -> tuple[np.ndarray, np.ndarray]:
        """The floor frame's unit x (camera right on the floor) and z (depth on the floor)."""
        n = self.up
        x = np.array([1.0, 0.0, 0.0]) - n[0] * n
        x = x / np.linalg.norm(x)
        z = np.cross(n, x)
        return x, z

    @property
    def origin(self) -> np.ndarray:
        """(3,) the floor point straight below the lens, camera coordinates."""
        return -self.height_m * self.up

    def height_above(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) camera-coordinate points -> (...,) metres above the floor."""
        return np.asarray(points, dtype=np.float64) @ self.up + self.height_m

    def to_floor(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) camera-coordinate points -> (..., 2) floor-frame (x, z) of the point below."""
        x, z = self.axes()
        rel = np.asarray(points, dtype=np.float64) - self.origin
        return np.stack([rel @ x, rel @ z], axis=-1)

    def from_floor(self, floor_xz: np.ndarray, above_m: float | np.ndarray = 0.0) -> np.ndarray:
        """(..., 2) floor-frame points (and a height above the floor) -> (..., 3) camera
        coordinates."""
        x, z = self.axes()
        q = np.asarray(floor_xz, dtype=np.float64)
        lift = np.asarray(above_m, dtype=np.float64)[..., None]
        return self.origin + q[..., :1] * x + q[..., 1:2] * z + lift * self.up
