"""The camera's intrinsics: focal lengths, principal point, lens distortion. numpy only.

Without a checkerboard the camera is taken to be a typical laptop webcam: 70 deg horizontal
field of view, square pixels, the principal point at the picture's centre, no distortion (the
same camera the synthetic references are rendered with, ``coach.bodymodel.camera``). A
checkerboard calibration (``coach.room.board``) replaces it with measured values.

Pixels follow ``PoseSequence.image_pixels``: normalised landmark x, y times the frame size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

DEFAULT_HFOV_DEG = 70.0
"""Horizontal field of view of the default (laptop) camera."""

_UNDISTORT_ITERATIONS = 20


@dataclass(frozen=True)
class Intrinsics:
    """Pinhole camera with OpenCV's distortion model.

    size: (width, height) pixels of the pictures it was measured on. fx, fy: focal lengths in
    pixels. cx, cy: principal point in pixels. distortion: OpenCV's (k1, k2, p1, p2, k3).
    source: "default" (laptop guess) or "checkerboard" (measured).
    """

    size: tuple[int, int]
    fx: float
    fy: float
    cx: float
    cy: float
    distortion: tuple[float, float, float, float, float] = (0.0, 0.0, 0.0, 0.0, 0.0)
    source: str = "default"

    @classmethod
    def laptop_default(
        cls, size: tuple[int, int], hfov_deg: float = DEFAULT_HFOV_DEG
    ) -> Intrinsics:
        """The laptop-camera guess for pictures of ``size``."""
        f = 0.5 * size[0] / math.tan(math.radians(0.5 * hfov_deg))
        return cls((int(size[0]), int(size[1])), f, f, 0.5 * size[0], 0.5 * size[1])

    @property
    def matrix(self) -> np.ndarray:
        """(3, 3) the camera matrix K."""
        return np.array([[self.fx, 0.0, self.cx], [0.0, self.fy, self.cy], [0.0, 0.0, 1.0]])

    @property
    def hfov_deg(self) -> float:
        return math.degrees(2.0 * math.atan(0.5 * self.size[0] / self.fx))

    def scaled_to(self, size: tuple[int, int]) -> Intrinsics:
        """The same camera for pictures of another resolution (same aspect ratio assumed:
        a webcam's modes crop or scale the same sensor; a different aspect is refused)."""
        sx, sy = size[0] / self.size[0], size[1] / self.size[1]
        if abs(sx - sy) > 0.01 * max(sx, sy):
            raise ValueError(
                f"intrinsics measured at {self.size[0]}x{self.size[1]} cannot be used for "
                f"{size[0]}x{size[1]} pictures (another aspect ratio)"
            )
        return Intrinsics(
            (int(size[0]), int(size[1])),
            self.fx * sx,
            self.fy * sy,
            self.cx * sx,
            self.cy * sy,
            self.distortion,
            self.source,
        )

    def rays(self, pixels: np.ndarray) -> np.ndarray:
        """(..., 2) pixels -> (..., 3) ray directions in camera coordinates (x right, y down,
        z forward), with z = 1; lens distortion removed. NaN pixels give NaN rays."""
        p = np.asarray(pixels, dtype=np.float64)
        x = (p[..., 0] - self.cx) / self.fx
        y = (p[..., 1] - self.cy) / self.fy
        if any(self.distortion):
            x, y = self._undistort(x, y)
        return np.stack([x, y, np.ones_like(x)], axis=-1)

    def project(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) camera-coordinate points -> (..., 2) pixels (distortion applied)."""
        q = np.asarray(points, dtype=np.float64)
        x, y = q[..., 0] / q[..., 2], q[..., 1] / q[..., 2]
        if any(self.distortion):
            x, y = self._distort(x, y)
        return np.stack([self.fx * x + self.cx, self.fy * y + self.cy], axis=-1)

    def _distort(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k1, k2, p1, p2, k3 = self.distortion
        r2 = x * x + y * y
        radial = 1.0 + k1 * r2 + k2 * r2 * r2 + k3 * r2 * r2 * r2
        xd = x * radial + 2.0 * p1 * x * y + p2 * (r2 + 2.0 * x * x)
        yd = y * radial + p1 * (r2 + 2.0 * y * y) + 2.0 * p2 * x * y
        return xd, yd

    def _undistort(self, xd: np.ndarray, yd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fixed-point inversion of the distortion (as OpenCV's undistortPoints does)."""
        k1, k2, p1, p2, k3 = self.distortion
        x, y = xd.copy(), yd.copy()
        for _ in range(_UNDISTORT_ITERATIONS):
            r2 = x * x + y * y
            radial = 1.0 + k1 * r2 + k2 * r2 * r2 + k3 * r2 * r2 * r2
            dx = 2.0 * p1 * x * y + p2 * (r2 + 2.0 * x * x)
            dy = p1 * (r2 + 2.0 * y * y) + 2.0 * p2 * x * y
            x = (xd - dx) / radial
            y = (yd - dy) / radial
        return x, y
