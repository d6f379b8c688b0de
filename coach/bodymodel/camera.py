"""A pinhole camera placed like a laptop camera, producing MediaPipe-like landmarks.

Defaults: 1280x720, 70 degrees horizontal field of view (a typical laptop webcam), lens 1.0 m
above the floor, 3.0 m in front of where the person starts, level. ``azimuth_deg`` moves the
camera round the person (+ toward the person's starting left); ``pitch_deg`` tilts it down
(a camera high on a shelf or a wall looks down at the person).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.pose.landmarks import index_of

_FACE_POINTS = tuple(
    index_of(n)
    for n in (
        "nose",
        "left_eye_inner",
        "left_eye",
        "left_eye_outer",
        "right_eye_inner",
        "right_eye",
        "right_eye_outer",
        "mouth_left",
        "mouth_right",
    )
)
VISIBLE = 0.98
OUT_OF_FRAME = 0.1
FACE_TURNED_AWAY = 0.3


@dataclass(frozen=True)
class Camera:
    distance_m: float = 3.0
    azimuth_deg: float = 0.0
    height_m: float = 1.0
    size: tuple[int, int] = (1280, 720)
    hfov_deg: float = 70.0
    pitch_deg: float = 0.0

    @property
    def focal_px(self) -> float:
        return 0.5 * self.size[0] / np.tan(np.radians(0.5 * self.hfov_deg))

    @property
    def position(self) -> np.ndarray:
        a = np.radians(self.azimuth_deg)
        return np.array([self.distance_m * np.sin(a), self.height_m, self.distance_m * np.cos(a)])

    def axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Unit vectors (right, down, forward) of the camera in scene coordinates: facing the
        start position horizontally, then tilted down by ``pitch_deg``."""
        level = -self.position * np.array([1.0, 0.0, 1.0])
        level = level / np.linalg.norm(level)
        up = np.array([0.0, 1.0, 0.0])
        right = np.cross(level, up)
        if self.pitch_deg == 0.0:
            return right, -up, level
        p = np.radians(self.pitch_deg)
        forward = np.cos(p) * level - np.sin(p) * up
        return right, np.cross(forward, right), forward

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) scene points -> camera coordinates (x right, y down, z forward), metres."""
        right, down, forward = self.axes()
        rel = points - self.position
        return np.stack([rel @ right, rel @ down, rel @ forward], axis=-1)

    def project(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) scene points -> (..., 2) normalised image x, y (0..1 in frame, y down)."""
        c = self.to_camera(points)
        w, h = self.size
        u = self.focal_px * c[..., 0] / c[..., 2] + 0.5 * w
        v = self.focal_px * c[..., 1] / c[..., 2] + 0.5 * h
        return np.stack([u / w, v / h], axis=-1)

    def direction_to_world(self, direction: np.ndarray) -> np.ndarray:
        """A scene direction in MediaPipe world axes (x right, y down, z away)."""
        right, down, forward = self.axes()
        return np.array([direction @ right, direction @ down, direction @ forward])

    def landmarks(self, points: np.ndarray, facing: np.ndarray) -> tuple[np.ndarray, ...]:
        """Scene points (T, 33, 3) and the person's facing direction (T, 3) -> MediaPipe arrays.

        Returns image (T, 33, 3) with z relative to the mid-hip on the x scale, visibility
        (T, 33), and world (T, 33, 3) metres hip-centred in the camera's axes, y down.
        """
        cam = self.to_camera(points)
        mid_hip = 0.5 * (cam[:, index_of("left_hip")] + cam[:, index_of("right_hip")])
        world = cam - mid_hip[:, None, :]
        xy = self.project(points)
        depth = cam[..., 2]
        hip_depth = mid_hip[:, 2:3]
        z = (depth - hip_depth) * self.focal_px / (hip_depth * self.size[0])
        image = np.concatenate([xy, z[..., None]], axis=-1)
        inside = (xy > 0.0).all(axis=-1) & (xy < 1.0).all(axis=-1) & (depth > 0.1)
        vis = np.where(inside, VISIBLE, OUT_OF_FRAME)
        to_camera = self.position[None, :] - points[:, index_of("nose")]
        away = np.sum(facing * to_camera * np.array([1.0, 0.0, 1.0]), axis=1) < 0.0
        vis[np.ix_(away, _FACE_POINTS)] = np.minimum(
            vis[np.ix_(away, _FACE_POINTS)], FACE_TURNED_AWAY
        )
        return image, vis, world
