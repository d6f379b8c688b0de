"""Checkerboard measurements: the camera's intrinsics from several photos of a board, and the
floor plane from one photo of a board lying flat on the floor. Uses OpenCV.

A board is named by its inner corners, OpenCV's convention: ``9x6`` is a board of 10 x 7
squares. Corners are found with ``cv2.findChessboardCorners`` and refined to a tenth of a pixel
with ``cv2.cornerSubPix``; the intrinsics come from ``cv2.calibrateCamera`` (Zhang's method),
the board's pose from ``cv2.solvePnP``. Lying on the floor, the board's plane is the floor's:
its normal gives the camera's tilt and roll, its distance the camera's height.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from coach.errors import CoachError
from coach.room.floor_plane import FloorPlane
from coach.room.intrinsics import Intrinsics

MIN_INTRINSICS_PHOTOS = 3
_SUBPIX = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 50, 0.01)


@dataclass(frozen=True)
class Board:
    """inner: (columns, rows) of inner corners. square_m: a square's side in metres."""

    inner: tuple[int, int]
    square_m: float

    @classmethod
    def parse(cls, text: str, square_mm: float) -> Board:
        """``"9x6"`` and the square size in millimetres; ValueError says what is wrong."""
        match = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", text)
        if match is None:
            raise ValueError(f"--board: expected COLUMNSxROWS of inner corners (9x6), got {text!r}")
        cols, rows = int(match.group(1)), int(match.group(2))
        if not (2 <= cols <= 50 and 2 <= rows <= 50):
            raise ValueError(f"--board: expected 2-50 inner corners a side, got {text!r}")
        if not 1.0 <= square_mm <= 1000.0:
            raise ValueError(f"--square-mm: expected 1-1000 mm, got {square_mm:g}")
        return cls((cols, rows), square_mm / 1000.0)

    def object_points(self) -> np.ndarray:
        """(N, 3) corner positions on the board, metres, z = 0, in OpenCV's corner order."""
        cols, rows = self.inner
        grid = np.mgrid[0:cols, 0:rows].T.reshape(-1, 2) * self.square_m
        return np.hstack([grid, np.zeros((grid.shape[0], 1))]).astype(np.float32)


def read_picture(path: Path) -> np.ndarray:
    """A photo as a BGR array; CoachError naming the file when it is not one."""
    if not path.is_file():
        raise CoachError(path, "no such photo")
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise CoachError(path, "not a picture OpenCV can read (expected a JPEG or PNG photo)")
    return image


def find_corners(image: np.ndarray, board: Board, path: Path) -> np.ndarray:
    """(N, 2) the board's inner corners in pixels, refined; CoachError if not all are seen."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    flags = cv2.CALIB_CB_ADAPTIVE_THRESH | cv2.CALIB_CB_NORMALIZE_IMAGE
    found, corners = cv2.findChessboardCorners(grey, board.inner, flags=flags)
    if not found:
        cols, rows = board.inner
        raise CoachError(
            path,
            f"no {cols}x{rows} checkerboard found (counting inner corners: a {cols}x{rows} "
            f"board has {cols + 1}x{rows + 1} squares; the whole board must be in the picture)",
        )
    corners = cv2.cornerSubPix(grey, corners, (5, 5), (-1, -1), _SUBPIX)
    return np.asarray(corners, dtype=np.float64).reshape(-1, 2)


@dataclass(frozen=True)
class IntrinsicsFit:
    intrinsics: Intrinsics
    rms_px: float
    """Reprojection error over all corners of all photos."""


def intrinsics_from_photos(paths: Sequence[Path], board: Board) -> IntrinsicsFit:
    """The camera's intrinsics from photos of the board held at different angles."""
    if len(paths) < MIN_INTRINSICS_PHOTOS:
        raise CoachError(
            None,
            f"--intrinsics: expected at least {MIN_INTRINSICS_PHOTOS} photos of the board "
            f"(six at different angles is better), got {len(paths)}",
        )
    size: tuple[int, int] | None = None
    image_points, object_points = [], []
    for path in paths:
        image = read_picture(path)
        this = (image.shape[1], image.shape[0])
        if size is not None and this != size:
            raise CoachError(
                path, f"is {this[0]}x{this[1]}; the first photo is {size[0]}x{size[1]}"
            )
        size = this
        image_points.append(find_corners(image, board, path).astype(np.float32))
        object_points.append(board.object_points())
    assert size is not None
    rms, k, dist, _, _ = cv2.calibrateCamera(
        object_points, image_points, size, np.eye(3), np.zeros(5)
    )
    d = np.asarray(dist, dtype=np.float64).ravel()[:5]
    d = np.concatenate([d, np.zeros(5 - d.size)])
    intrinsics = Intrinsics(
        size,
        float(k[0, 0]),
        float(k[1, 1]),
        float(k[0, 2]),
        float(k[1, 2]),
        (float(d[0]), float(d[1]), float(d[2]), float(d[3]), float(d[4])),
        "checkerboard",
    )
    return IntrinsicsFit(intrinsics, float(rms))


@dataclass(frozen=True)
class BoardFloor:
    floor: FloorPlane
    corners: np.ndarray
    """(N, 2) the corners found, pixels."""
    rms_px: float
    """Reprojection error of the board's pose."""


def floor_from_board(
    image: np.ndarray, board: Board, intrinsics: Intrinsics, path: Path
) -> BoardFloor:
    """The floor plane from a photo of the board lying flat on the floor."""
    corners = find_corners(image, board, path)
    objects = board.object_points().astype(np.float64)
    dist = np.asarray(intrinsics.distortion, dtype=np.float64)
    ok, rvec, tvec = cv2.solvePnP(objects, corners, intrinsics.matrix, dist)
    if not ok:
        raise CoachError(path, "the board's position could not be solved from its corners")
    rot, _ = cv2.Rodrigues(rvec)
    t = tvec.ravel()
    up = rot[:, 2]
    height = float(-up @ t)
    if height < 0.0:  # the board's z axis points into the floor: turn it up
        up, height = -up, -height
    back, _ = cv2.projectPoints(objects, rvec, tvec, intrinsics.matrix, dist)
    rms = float(np.sqrt(np.mean(np.sum((back.reshape(-1, 2) - corners) ** 2, axis=1))))
    return BoardFloor(FloorPlane.from_normal(up, height, "board"), corners, rms)
