"""Pictures of a checkerboard with exactly known geometry, for the room calibration tests.

A board texture drawn with OpenCV is warped into the picture by the homography K [r1 r2 t]
of a known board pose: lying on the floor in front of a ``coach.bodymodel.camera.Camera``, or
held at an angle in front of a camera for the intrinsics. Drawn at twice the size and shrunk
with area averaging, so its edges are anti-aliased like a photo's.
"""

from __future__ import annotations

import cv2
import numpy as np

from coach.bodymodel.camera import Camera
from coach.room.intrinsics import Intrinsics

TEXTURE_PX_PER_M = 2000.0
SUPERSAMPLE = 2


def board_texture(inner: tuple[int, int], square_m: float) -> tuple[np.ndarray, float]:
    """A white-margined board of (cols + 1) x (rows + 1) squares; returns (image, margin_m)."""
    cols, rows = inner
    s = round(square_m * TEXTURE_PX_PER_M)
    margin = s
    img = np.full(((rows + 1) * s + 2 * margin, (cols + 1) * s + 2 * margin), 255, np.uint8)
    for r in range(rows + 1):
        for c in range(cols + 1):
            if (r + c) % 2 == 0:
                y, x = margin + r * s, margin + c * s
                img[y : y + s, x : x + s] = 0
    return img, margin / TEXTURE_PX_PER_M


def render_board(
    k: Intrinsics,
    rotation: np.ndarray,
    translation: np.ndarray,
    inner: tuple[int, int],
    square_m: float,
    background: int = 120,
) -> np.ndarray:
    """A BGR picture of the board whose first inner corner sits at ``translation`` (camera
    coordinates) with its axes the columns of ``rotation`` (board x, board y, normal)."""
    texture, margin_m = board_texture(inner, square_m)
    # texture pixel -> board metres, the first inner corner at the origin
    first = margin_m + square_m
    to_board = np.array(
        [[1 / TEXTURE_PX_PER_M, 0, -first], [0, 1 / TEXTURE_PX_PER_M, -first], [0, 0, 1]]
    )
    pose = np.column_stack([rotation[:, 0], rotation[:, 1], translation])
    up = np.diag([SUPERSAMPLE, SUPERSAMPLE, 1.0])
    h = up @ k.matrix @ pose @ to_board
    w, hgt = k.size
    big = cv2.warpPerspective(
        texture,
        h,
        (w * SUPERSAMPLE, hgt * SUPERSAMPLE),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=background,
    )
    small = cv2.resize(big, (w, hgt), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)


def floor_board_pose(
    camera: Camera,
    centre_xz: tuple[float, float],
    inner: tuple[int, int],
    square_m: float,
    turn_deg: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """(rotation, translation) in camera coordinates of a board lying on the floor of the
    body-model scene (y up), centred at ``centre_xz``, turned by ``turn_deg`` about the vertical."""
    right, down, forward = camera.axes()
    to_cam = np.stack([right, down, forward])  # rows: scene -> camera
    a = np.radians(turn_deg)
    bx = np.array([np.cos(a), 0.0, np.sin(a)])
    by = np.array([-np.sin(a), 0.0, np.cos(a)])
    cols, rows = inner
    centre = np.array([centre_xz[0], 0.0, centre_xz[1]])
    first = centre - 0.5 * (cols - 1) * square_m * bx - 0.5 * (rows - 1) * square_m * by
    normal = np.cross(bx, by)
    rot = to_cam @ np.column_stack([bx, by, normal])
    return rot, to_cam @ (first - camera.position)
