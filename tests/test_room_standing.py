"""The floor plane from the trainee standing upright: exact body-model geometry (the camera's
height and tilt come back), with pixel noise, from one place only (the tilt is then taken as
level, and said so), and end to end through the real pose model on rendered people."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.bodymodel.body_model import Body, posture_points
from coach.bodymodel.camera import Camera
from coach.pose.landmarks import index_of
from coach.room.intrinsics import Intrinsics
from coach.room.room_file import load_room
from coach.room.standing import floor_from_standing
from coach.room.standing_frames import upright_points
from coach.synth.figure.scene import Person, random_staging, render_frames
from tests.cli_run import coach

BODY = Body(1.75)
PLACES = ((-0.4, -0.9), (0.3, 0.0), (0.0, 0.6), (0.5, -0.4), (-0.3, 0.5))
"""(x, z) metres on the floor of the body-model scene; the camera is 3.2 m in front."""


def _standing(x: float, z: float, **posture: float) -> np.ndarray:
    values = {"x_torso_lengths": x / BODY.torso_m, "z_torso_lengths": z / BODY.torso_m}
    return posture_points({**values, **posture}, BODY)


def _mid_pixels(camera: Camera, points: np.ndarray, name: str) -> np.ndarray:
    px = camera.project(points) * np.array(camera.size)
    return 0.5 * (px[..., index_of(f"left_{name}"), :] + px[..., index_of(f"right_{name}"), :])


def _observations(
    camera: Camera, places: tuple[tuple[float, float], ...]
) -> tuple[np.ndarray, ...]:
    points = np.stack([_standing(x, z) for x, z in places])
    return _mid_pixels(camera, points, "ankle"), _mid_pixels(camera, points, "ear")


CAMERAS = (
    Camera(distance_m=3.2, height_m=1.0),
    Camera(distance_m=3.2, height_m=1.3, pitch_deg=10.0),
    Camera(distance_m=3.2, azimuth_deg=35.0, height_m=1.8, pitch_deg=20.0),
)


@pytest.mark.parametrize("camera", CAMERAS, ids=lambda c: f"h{c.height_m:g}_p{c.pitch_deg:g}")
def test_exact_geometry_gives_height_and_tilt(camera: Camera) -> None:
    ankles, ears = _observations(camera, PLACES)
    fit = floor_from_standing(ankles, ears, Intrinsics.laptop_default(camera.size), 1.75)
    assert not fit.tilt_assumed
    assert fit.floor.height_m == pytest.approx(camera.height_m, abs=0.01)
    assert fit.floor.tilt_deg == pytest.approx(camera.pitch_deg, abs=0.2)


def test_pixel_noise_of_two_pixels(camera: Camera = CAMERAS[1]) -> None:
    ankles, ears = _observations(camera, PLACES * 6)
    rng = np.random.default_rng(5)
    ankles = ankles + rng.normal(0.0, 2.0, ankles.shape)
    ears = ears + rng.normal(0.0, 2.0, ears.shape)
    fit = floor_from_standing(ankles, ears, Intrinsics.laptop_default(camera.size), 1.75)
    assert fit.floor.height_m == pytest.approx(camera.height_m, abs=0.03)
    assert fit.floor.tilt_deg == pytest.approx(camera.pitch_deg, abs=1.0)
    assert fit.tilt_std_deg < 1.0


def test_one_place_takes_the_camera_as_level() -> None:
    camera = CAMERAS[0]
    ankles, ears = _observations(camera, ((0.0, 0.0),))
    fit = floor_from_standing(ankles, ears, Intrinsics.laptop_default(camera.size), 1.75)
    assert fit.tilt_assumed and fit.floor.tilt_deg == 0.0
    assert fit.tilt_std_deg > 2.0
    assert fit.floor.height_m == pytest.approx(1.0, abs=0.01)


def test_only_upright_frames_are_used() -> None:
    camera = CAMERAS[1]
    upright = _standing(0.0, 0.0)
    crouched = _standing(
        0.0,
        0.0,
        left_knee_deg=120.0,
        right_knee_deg=120.0,
        left_hip_flex_deg=40.0,
        right_hip_flex_deg=40.0,
    )
    points = np.stack([upright, crouched, upright])
    image, vis, world = camera.landmarks(points, np.tile([0.0, 0.0, 1.0], (3, 1)))
    px = image[..., :2] * np.array(camera.size)
    vis[2, index_of("left_ear")] = 0.2  # an ear not seen
    ankles, ears = upright_points(px, vis, world, camera.size)
    assert ankles.shape == (1, 2)
    assert ears[0] == pytest.approx(_mid_pixels(camera, upright[None], "ear")[0])


@pytest.mark.parametrize("camera", CAMERAS[1:], ids=lambda c: f"h{c.height_m:g}_p{c.pitch_deg:g}")
def test_rendered_trainee_through_the_pose_model(
    tmp_path: Path, output_dir: Path, camera: Camera
) -> None:
    """Three photos of a rendered trainee standing at different distances, through the real
    MediaPipe model and ``coach calibrate --standing``."""
    ws = tmp_path / "ws"
    (ws / "techniques").mkdir(parents=True)
    staging = random_staging(np.random.default_rng(3))
    photos = []
    for i, (x, z) in enumerate(PLACES[:3]):
        person = Person(_standing(x, z)[None], 1.75, staging.trainee_look)
        path = ws / f"standing_{i}.png"
        cv2.imwrite(str(path), next(render_frames([person], camera, staging)))
        photos.append(path)
    run = coach("--workspace", ws, "calibrate", "--standing", *photos, "--height-m", "1.75")
    assert run.code == 0, run.stderr
    room = load_room(ws / "calibration")
    assert room is not None and room.trainee_height_m == 1.75
    assert room.floor.source == "standing"
    assert room.floor.height_m == pytest.approx(camera.height_m, abs=0.05)
    assert room.floor.tilt_deg == pytest.approx(camera.pitch_deg, abs=1.0)
    name = f"room_standing_h{camera.height_m:g}_p{camera.pitch_deg:g}.png"
    shutil.copy(ws / "calibration" / "room.png", output_dir / name)


def test_standing_video_through_the_pose_model(tmp_path: Path) -> None:
    """A video of the trainee standing at three places, ten frames each (OpenCV's mp4v)."""
    camera = CAMERAS[1]
    ws = tmp_path / "ws"
    (ws / "techniques").mkdir(parents=True)
    staging = random_staging(np.random.default_rng(4))
    points = np.concatenate([np.repeat(_standing(x, z)[None], 10, axis=0) for x, z in PLACES[:3]])
    video = ws / "standing.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, camera.size)
    for frame in render_frames([Person(points, 1.75, staging.trainee_look)], camera, staging):
        writer.write(frame)
    writer.release()
    run = coach("--workspace", ws, "calibrate", "--standing", video, "--height-m", "1.75")
    assert run.code == 0, run.stderr
    assert "upright frames" in run.stdout
    room = load_room(ws / "calibration")
    assert room is not None
    assert room.floor.height_m == pytest.approx(camera.height_m, abs=0.05)
    assert room.floor.tilt_deg == pytest.approx(camera.pitch_deg, abs=1.0)
