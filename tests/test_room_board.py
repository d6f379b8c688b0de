"""Checkerboards with exactly known geometry (tests/room_scenes.py: drawn with OpenCV, warped
by the homography of a known pose) through the real corner finder, PnP and Zhang calibration:
the camera's height and tilt, and its focal length, come back within stated tolerances."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.bodymodel.camera import Camera
from coach.errors import CoachError
from coach.room.board import Board, floor_from_board, intrinsics_from_photos
from coach.room.intrinsics import Intrinsics
from tests.room_scenes import floor_board_pose, render_board

BOARD = Board((9, 6), 0.06)
HEIGHT_TOLERANCE_M = 0.01
TILT_TOLERANCE_DEG = 0.3


@pytest.mark.parametrize(
    ("camera", "centre", "turn"),
    [
        (Camera(distance_m=3.0, height_m=1.1, pitch_deg=15.0), (0.0, 0.5), 10.0),
        (Camera(distance_m=3.0, height_m=0.9, pitch_deg=8.0), (0.3, 1.0), -25.0),
        (Camera(distance_m=3.5, azimuth_deg=30.0, height_m=1.6, pitch_deg=25.0), (0.0, 1.0), 0.0),
    ],
)
def test_floor_board_gives_camera_height_and_tilt(
    camera: Camera, centre: tuple[float, float], turn: float
) -> None:
    """A 60 mm board 2-2.5 m from the camera; the high camera, 1.6 m up, needs 100 mm
    squares (60 mm ones are 8 px wide in its picture: too small to be found)."""
    board = BOARD if camera.height_m < 1.5 else Board((9, 6), 0.1)
    k = Intrinsics.laptop_default(camera.size)
    rot, t = floor_board_pose(camera, centre, board.inner, board.square_m, turn)
    image = render_board(k, rot, t, board.inner, board.square_m)
    found = floor_from_board(image, board, k, Path("board.png"))
    assert found.floor.height_m == pytest.approx(camera.height_m, abs=HEIGHT_TOLERANCE_M)
    assert found.floor.tilt_deg == pytest.approx(camera.pitch_deg, abs=TILT_TOLERANCE_DEG)
    assert found.floor.roll_deg == pytest.approx(0.0, abs=TILT_TOLERANCE_DEG)
    assert found.rms_px < 0.5


def _held_board_photos(tmp_path: Path, k: Intrinsics) -> list[Path]:
    """Six photos of a board held 0.6-0.9 m away at different angles."""
    paths = []
    poses = [(0, 0, 0), (25, 0, 5), (-25, 10, 0), (0, 30, -10), (15, -25, 20), (-20, -15, -15)]
    for i, (ax, ay, az) in enumerate(poses):
        rot, _ = cv2.Rodrigues(np.radians(np.array([ax, ay, az], dtype=np.float64)))
        centre_on_board = np.array([4 * BOARD.square_m, 2.5 * BOARD.square_m, 0.0]) * 0.5
        distance = 0.6 + 0.05 * i
        t = np.array([0.0, 0.0, distance]) - rot @ centre_on_board
        image = render_board(k, rot, t, BOARD.inner, 0.03)
        path = tmp_path / f"held_{i}.png"
        cv2.imwrite(str(path), image)
        paths.append(path)
    return paths


def test_six_photos_give_the_focal_length_within_one_percent(tmp_path: Path) -> None:
    k = Intrinsics((1280, 720), 1000.0, 1000.0, 630.0, 372.0)
    fit = intrinsics_from_photos(_held_board_photos(tmp_path, k), Board((9, 6), 0.03))
    assert fit.intrinsics.fx == pytest.approx(1000.0, rel=0.01)
    assert fit.intrinsics.fy == pytest.approx(1000.0, rel=0.01)
    assert fit.intrinsics.source == "checkerboard"
    assert fit.rms_px < 0.5


def test_a_photo_without_the_board_is_named(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    cv2.imwrite(str(path), np.full((720, 1280, 3), 120, np.uint8))
    with pytest.raises(CoachError, match=r"empty.png: no 9x6 checkerboard found"):
        intrinsics_from_photos([path] * 3, BOARD)
