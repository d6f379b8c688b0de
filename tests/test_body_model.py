"""Body model: hand-computed geometry, segment lengths scale with height, angles reproduce."""

from __future__ import annotations

import numpy as np
import pytest

from coach.analysis.features import Features, facing_yaw_deg, limb_angle_deg
from coach.bodymodel.body_model import Body, posture_points
from coach.bodymodel.camera import Camera
from coach.bodymodel.interpolation import minimum_jerk
from coach.bodymodel.reference import render_keyframes
from coach.pose.landmarks import index_of
from coach.technique.model import Keyframe


def _p(points: np.ndarray, name: str) -> np.ndarray:
    return points[index_of(name)]


@pytest.mark.parametrize("height", [1.5, 1.75, 2.0])
def test_segment_lengths_are_winter_fractions_of_height(height: float) -> None:
    p = posture_points({"left_elbow_deg": 180.0, "left_knee_deg": 180.0}, Body(height))
    assert np.linalg.norm(_p(p, "left_shoulder") - _p(p, "left_elbow")) == pytest.approx(
        0.186 * height
    )
    assert np.linalg.norm(_p(p, "left_elbow") - _p(p, "left_wrist")) == pytest.approx(
        0.146 * height
    )
    assert np.linalg.norm(_p(p, "left_hip") - _p(p, "left_knee")) == pytest.approx(0.245 * height)
    assert np.linalg.norm(_p(p, "left_knee") - _p(p, "left_ankle")) == pytest.approx(0.246 * height)
    assert np.linalg.norm(_p(p, "left_shoulder") - _p(p, "right_shoulder")) == pytest.approx(
        0.259 * height
    )
    mid_sh = 0.5 * (_p(p, "left_shoulder") + _p(p, "right_shoulder"))
    mid_hip = 0.5 * (_p(p, "left_hip") + _p(p, "right_hip"))
    assert np.linalg.norm(mid_sh - mid_hip) == pytest.approx(0.288 * height)


def test_standing_heights_match_the_table() -> None:
    body = Body(1.80)
    p = posture_points(
        {
            "left_knee_deg": 180,
            "right_knee_deg": 180,
            "left_hip_abd_deg": 0,
            "right_hip_abd_deg": 0,
        },
        body,
    )
    assert _p(p, "left_ankle")[1] == pytest.approx(0.039 * 1.8)
    assert _p(p, "left_hip")[1] == pytest.approx(0.530 * 1.8)
    assert _p(p, "left_shoulder")[1] == pytest.approx(0.818 * 1.8)
    assert _p(p, "left_shoulder")[0] > 0 > _p(p, "right_shoulder")[0]  # X is the person's left
    assert _p(p, "nose")[2] > _p(p, "left_ear")[2]  # the face is in front (Z forward)


def test_arm_straight_up_and_straight_forward() -> None:
    h = 1.75
    p = posture_points({"right_arm_elev_deg": 180, "right_elbow_deg": 180}, Body(h))
    np.testing.assert_allclose(
        _p(p, "right_wrist") - _p(p, "right_shoulder"), [0, 0.332 * h, 0], atol=1e-9
    )
    p = posture_points(
        {"left_arm_elev_deg": 90, "left_arm_plane_deg": 0, "left_elbow_deg": 90}, Body(h)
    )
    np.testing.assert_allclose(
        _p(p, "left_elbow") - _p(p, "left_shoulder"), [0, 0, 0.186 * h], atol=1e-9
    )
    np.testing.assert_allclose(
        _p(p, "left_wrist") - _p(p, "left_elbow"), [0, 0.146 * h, 0], atol=1e-9
    )


@pytest.mark.parametrize(("elbow", "knee"), [(60.0, 150.0), (115.0, 160.0), (175.0, 172.0)])
def test_keyframed_angles_are_measured_back(elbow: float, knee: float) -> None:
    keys = (
        Keyframe(0.0, (("left_elbow_deg", elbow), ("right_knee_deg", knee), ("yaw_deg", -30.0))),
        Keyframe(0.5, ()),
    )
    f = Features.from_sequence(render_keyframes(keys, 0.5, Body(), Camera()))
    assert limb_angle_deg(f, "left_elbow")[0] == pytest.approx(elbow, abs=1e-6)
    assert limb_angle_deg(f, "right_knee")[0] == pytest.approx(knee, abs=1e-6)
    assert facing_yaw_deg(f)[0] == pytest.approx(-30.0, abs=1e-6)


def test_minimum_jerk_profile() -> None:
    u = np.array([0.0, 0.25, 0.5, 0.75, 1.0, 1.5])
    np.testing.assert_allclose(minimum_jerk(u), [0, 0.103515625, 0.5, 0.896484375, 1, 1])


def test_camera_projects_the_start_point_to_the_image_centre() -> None:
    cam = Camera(distance_m=3.0, height_m=1.0)
    np.testing.assert_allclose(cam.project(np.array([0.0, 1.0, 0.0])), [0.5, 0.5])
    # 1 m to the person's left at 3 m lands right of centre by f/3 pixels
    x = cam.project(np.array([1.0, 1.0, 0.0]))[0] * 1280
    assert x == pytest.approx(640 + cam.focal_px / 3.0)


def test_world_landmarks_are_hip_centred_y_down() -> None:
    seq = render_keyframes((Keyframe(0.0, ()), Keyframe(0.2, ())), 0.2, Body(), Camera())
    mid_hip = 0.5 * (seq.world_joint("left_hip") + seq.world_joint("right_hip"))
    np.testing.assert_allclose(mid_hip, 0.0, atol=1e-12)
    assert (seq.world_joint("nose")[:, 1] < 0).all()  # above the hips = negative y
    assert (
        seq.world_joint("left_shoulder")[:, 0] > 0
    ).all()  # facing the camera: left is image right
