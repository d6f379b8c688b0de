"""Features: hand-computed angles, body-frame invariances, mirroring, visibility gating."""

from __future__ import annotations

import numpy as np
import pytest

from coach.analysis.features import (
    Features,
    body_frame,
    facing_yaw_deg,
    joint_angle_deg,
    limb_angle_deg,
    mid_hip_travel_t,
    wrap_deg,
)
from coach.bodymodel.body_model import Body
from coach.bodymodel.camera import Camera
from coach.bodymodel.reference import render_keyframes
from coach.pose.landmarks import index_of
from coach.pose.sequence import PoseSequence
from coach.technique.model import Keyframe

STANCE = (
    ("yaw_deg", -25.0),
    ("left_hip_flex_deg", 20.0),
    ("left_elbow_deg", 110.0),
    ("right_knee_deg", 160.0),
    ("right_arm_elev_deg", 40.0),
)


def _seq() -> PoseSequence:
    keys = (Keyframe(0.0, STANCE), Keyframe(1.0, (("x_torso_lengths", 1.0),)))
    return render_keyframes(keys, 1.0, Body(), Camera())


def _rot_y(deg: float) -> np.ndarray:
    a = np.radians(deg)
    return np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])


def test_joint_angle_hand_computed() -> None:
    b = np.zeros((1, 3))
    assert joint_angle_deg(np.array([[1.0, 0, 0]]), b, np.array([[0, 1.0, 0]]))[0] == pytest.approx(
        90
    )
    assert joint_angle_deg(np.array([[1.0, 0, 0]]), b, np.array([[-2.0, 0, 0]]))[
        0
    ] == pytest.approx(180)
    c = np.array([[1.0, np.sqrt(3), 0]])
    assert joint_angle_deg(np.array([[1.0, 0, 0]]), b, c)[0] == pytest.approx(60)


def test_body_frame_is_invariant_to_scale_shift_and_rotation_about_vertical() -> None:
    seq = _seq()
    base = body_frame(Features.from_sequence(seq))
    world = seq.world @ _rot_y(70.0).T * 1.3 + np.array([0.2, -0.1, 0.5])
    moved = body_frame(Features.from_sequence(seq.replace(world=world)))
    np.testing.assert_allclose(moved, base, atol=1e-9)
    left_hip = base[:, index_of("left_hip")]
    assert (left_hip[:, 0] > 0).all()
    np.testing.assert_allclose(left_hip[:, 2], 0.0, atol=1e-12)  # hip line on x


def test_body_frame_keeps_a_mirrored_stance_mirrored() -> None:
    seq = _seq()
    body = body_frame(Features.from_sequence(seq))
    mirrored = body_frame(Features.from_sequence(seq.mirrored()))
    # left foot forward (front = -z) in the original, right foot forward in the mirror
    la, ra = index_of("left_ankle"), index_of("right_ankle")
    assert body[0, la, 2] < body[0, ra, 2]
    assert mirrored[0, ra, 2] < mirrored[0, la, 2]
    assert mirrored[0, ra, 2] == pytest.approx(body[0, la, 2])


def test_mirroring_negates_yaw_and_swaps_angles() -> None:
    seq = _seq()
    f, m = Features.from_sequence(seq), Features.from_sequence(seq.mirrored())
    assert facing_yaw_deg(f)[0] == pytest.approx(-25.0)
    assert facing_yaw_deg(m)[0] == pytest.approx(25.0)
    np.testing.assert_allclose(limb_angle_deg(m, "right_elbow"), limb_angle_deg(f, "left_elbow"))
    assert limb_angle_deg(f, "left_elbow")[0] == pytest.approx(110.0)


def test_scales_are_torso_and_shoulder_width() -> None:
    f = Features.from_sequence(_seq())
    assert f.torso_m == pytest.approx(0.288 * 1.75)
    assert f.shoulder_m == pytest.approx(0.259 * 1.75)


def test_travel_in_torso_lengths_from_the_image() -> None:
    f = Features.from_sequence(_seq())
    travel = mid_hip_travel_t(f, 0)
    assert travel[-1, 0] == pytest.approx(1.0, abs=0.02)  # 1 T sideways at constant depth
    assert abs(travel[-1, 1]) < 0.02


def test_hidden_joints_are_nan_not_wrong() -> None:
    seq = _seq()
    vis = seq.visibility.copy()
    vis[:, index_of("left_wrist")] = 0.3
    f = Features.from_sequence(seq.replace(visibility=vis))
    assert np.isnan(limb_angle_deg(f, "left_elbow")).all()
    assert np.isfinite(limb_angle_deg(f, "right_elbow")).all()


def test_wrap_deg() -> None:
    np.testing.assert_allclose(wrap_deg(np.array([190.0, -190.0, 360.0, 45.0])), [-170, 170, 0, 45])
