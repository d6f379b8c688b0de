"""The room's geometry against the synthetic camera (coach/bodymodel/camera.py): points
projected by a known pinhole camera come back onto the floor where they were, within a
millimetre, for cameras high and low, level and tilted, in front and round to the side."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from coach.bodymodel.camera import Camera
from coach.room.floor_plane import FloorPlane
from coach.room.floor_points import floor_pixels, floor_positions
from coach.room.intrinsics import Intrinsics

CAMERAS = (
    Camera(),
    Camera(distance_m=3.5, azimuth_deg=40.0, height_m=1.4, pitch_deg=12.0),
    Camera(distance_m=2.5, azimuth_deg=-75.0, height_m=0.8, pitch_deg=-3.0),
    Camera(distance_m=4.0, azimuth_deg=180.0, height_m=2.2, pitch_deg=28.0, size=(640, 480)),
)


def _room_of(camera: Camera) -> tuple[Intrinsics, FloorPlane]:
    return Intrinsics.laptop_default(camera.size), FloorPlane(camera.height_m, camera.pitch_deg)


def _scene_points(rng: np.random.Generator, n: int, height_m: float) -> np.ndarray:
    xz = rng.uniform(-1.0, 1.0, size=(n, 2))
    return np.column_stack([xz[:, 0], np.full(n, height_m), xz[:, 1]])


@pytest.mark.parametrize("camera", CAMERAS, ids=lambda c: f"az{c.azimuth_deg:g}_p{c.pitch_deg:g}")
@pytest.mark.parametrize("above_m", [0.0, 0.068])
def test_floor_points_come_back_within_a_millimetre(camera: Camera, above_m: float) -> None:
    k, plane = _room_of(camera)
    points = _scene_points(np.random.default_rng(1), 50, above_m)
    pixels = camera.project(points) * np.array(camera.size)
    floor = floor_positions(pixels, k, plane, above_m)
    # distances on the floor are what the checks use: compare every pair
    true_d = np.linalg.norm(points[:, None, [0, 2]] - points[None, :, [0, 2]], axis=-1)
    got_d = np.linalg.norm(floor[:, None] - floor[None, :], axis=-1)
    assert np.max(np.abs(got_d - true_d)) < 1e-3
    # and the camera's own height above each point is what the plane says
    assert np.allclose(plane.height_above(camera.to_camera(points)), above_m, atol=1e-9)


def test_floor_frame_is_the_cameras_left_right_and_depth() -> None:
    camera = Camera(distance_m=3.0, height_m=1.0)
    k, plane = _room_of(camera)
    pixels = camera.project(np.array([[0.0, 0.0, 0.0], [0.5, 0.0, 0.0]])) * np.array(camera.size)
    floor = floor_positions(pixels, k, plane, 0.0)
    assert floor[0] == pytest.approx([0.0, 3.0], abs=1e-9)  # 3 m straight ahead
    # scene +x is the person's left, which is the picture's right when they face the camera
    assert floor[1] == pytest.approx([0.5, 3.0], abs=1e-9)


def test_rays_above_the_horizon_miss_the_floor() -> None:
    k, plane = _room_of(Camera())
    pixels = np.array([[640.0, 100.0], [640.0, 360.0], [np.nan, 500.0], [640.0, 700.0]])
    floor = floor_positions(pixels, k, plane, 0.0)
    assert np.isnan(floor[:3]).all()
    assert np.isfinite(floor[3]).all()


def test_floor_pixels_inverts_floor_positions() -> None:
    camera = CAMERAS[1]
    k, plane = _room_of(camera)
    xz = np.array([[0.3, 2.0], [-1.0, 3.5], [2.0, 5.0]])
    back = floor_positions(floor_pixels(xz, k, plane), k, plane, 0.0)
    assert np.allclose(back, xz, atol=1e-9)


@pytest.mark.parametrize(("tilt", "roll"), [(0.0, 0.0), (15.0, 0.0), (-5.0, 3.0), (30.0, -8.0)])
def test_plane_angles_round_trip_through_the_normal(tilt: float, roll: float) -> None:
    plane = FloorPlane(1.2, tilt, roll)
    back = FloorPlane.from_normal(3.0 * plane.up, 1.2, "board")
    assert (back.tilt_deg, back.roll_deg) == pytest.approx((tilt, roll), abs=1e-9)


def test_undistortion_matches_opencv() -> None:
    k = Intrinsics((1280, 720), 900.0, 905.0, 650.0, 350.0, (-0.28, 0.09, 0.001, -0.0005, -0.01))
    rng = np.random.default_rng(2)
    pixels = np.column_stack([rng.uniform(0, 1280, 40), rng.uniform(0, 720, 40)])
    ours = k.rays(pixels)[:, :2]
    criteria = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 100, 1e-12)
    theirs = cv2.undistortPointsIter(
        pixels.reshape(-1, 1, 2), k.matrix, np.array(k.distortion), None, None, criteria
    ).reshape(-1, 2)
    assert np.max(np.abs(ours - theirs)) < 1e-6
    assert np.allclose(k.project(k.rays(pixels)), pixels, atol=1e-6)


def test_default_camera_is_the_laptop_one_and_scales_with_resolution() -> None:
    k = Intrinsics.laptop_default((1280, 720))
    assert k.hfov_deg == pytest.approx(70.0)
    assert k.fx == pytest.approx(Camera().focal_px)
    half = k.scaled_to((640, 360))
    assert (half.fx, half.cx, half.cy) == pytest.approx((k.fx / 2, 320.0, 180.0))
    with pytest.raises(ValueError, match="another aspect ratio"):
        k.scaled_to((640, 480))
