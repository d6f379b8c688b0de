"""Stance measured on the floor: the same synthetic stance filmed from two camera placements,
each with its room, gives the same stance width and stagger (within 0.05 shoulder widths, the
tolerance of issue 11) and the true ones, even when the world landmarks' depth is distorted as
the pose model's is; the stagger is judged from the front once the floor is known; without a
room nothing changes."""

from __future__ import annotations

import numpy as np
import pytest

from coach.analysis.checks.base import Events, Scene, Status
from coach.analysis.checks.evaluate import evaluate_check
from coach.analysis.features import Features
from coach.bodymodel.body_model import SHOULDER_WIDTH, Body, posture_points
from coach.bodymodel.camera import Camera
from coach.pose.landmarks import index_of
from coach.pose.sequence import PoseSequence
from coach.room.floor_plane import FloorPlane
from coach.room.intrinsics import Intrinsics
from coach.room.room_file import Room
from coach.technique.model import Check

BODY = Body(1.75)
SW_M = SHOULDER_WIDTH * BODY.height_m
STANCE = {  # legs swung equally forward and back: both feet stay on the floor
    "left_hip_flex_deg": 16.0,
    "right_hip_flex_deg": -16.0,
    "left_hip_abd_deg": 9.0,
    "right_hip_abd_deg": 9.0,
    "left_knee_deg": 180.0,
    "right_knee_deg": 180.0,
}
TOLERANCE_SW = 0.05
FRONT = Camera(distance_m=3.0, height_m=1.0)
ROUND = Camera(distance_m=3.6, azimuth_deg=-40.0, height_m=1.5, pitch_deg=15.0)
IN_LINE = Camera(distance_m=3.6, azimuth_deg=50.0, height_m=1.5, pitch_deg=15.0)
"""From here the staggered feet stand almost one behind the other as the camera sees them."""
WIDTH = Check(
    "stance_width",
    "Feet apart",
    "coaching",
    (("min_shoulder_widths", 0.8), ("max_shoulder_widths", 1.6)),
)
STAGGER = Check("stance_stagger", "A foot forward", "coaching", (("min_shoulder_widths", 0.3),))


def _points(frames: int = 45) -> np.ndarray:
    return np.repeat(posture_points(STANCE, BODY)[None], frames, axis=0)


def _filmed(camera: Camera, depth_error: float = 1.0) -> PoseSequence:
    """The stance as ``camera`` sees it; ``depth_error`` stretches the world landmarks' depth
    about the hips (the image stays exact), as the pose model's depth guess does."""
    points = _points()
    image, vis, world = camera.landmarks(points, np.tile([0.0, 0.0, 1.0], (len(points), 1)))
    world = world.copy()
    world[..., 2] *= depth_error
    t = np.arange(len(points)) / 30.0
    return PoseSequence(t, image, vis, world, camera.size, 30.0)


def _room(camera: Camera) -> Room:
    return Room(
        Intrinsics.laptop_default(camera.size), FloorPlane(camera.height_m, camera.pitch_deg), 1.75
    )


def _scene(camera: Camera) -> Scene:
    """The threat in front of the trainee (scene +z), as ``scene_for`` sees it."""
    w = camera.direction_to_world(np.array([0.0, 0.0, 1.0]))
    return Scene(threat_yaw_deg=float(np.degrees(np.arctan2(w[0], -w[2]))))


def _measure(camera: Camera, check: Check, room: bool, depth_error: float = 1.0) -> float:
    seq = _filmed(camera, depth_error)
    f = Features.from_sequence(seq, _room(camera) if room else None)
    result = evaluate_check(check, f, slice(0, len(f)), Events(0.0), _scene(camera))
    assert result.status is not Status.NOT_ASSESSABLE, result.note
    return result.value


def _truth() -> tuple[float, float]:
    p = posture_points(STANCE, BODY)
    d = p[index_of("left_ankle")] - p[index_of("right_ankle")]
    return float(np.hypot(d[0], d[2]) / SW_M), float(abs(d[2]) / SW_M)


def test_the_truth_is_a_real_stance() -> None:
    width, stagger = _truth()
    assert 0.9 < width < 1.6 and stagger > 0.5
    p = posture_points(STANCE, BODY)
    feet = p[[index_of("left_ankle"), index_of("right_ankle")], 1]
    assert feet == pytest.approx(0.039 * BODY.height_m, abs=1e-9)


@pytest.mark.parametrize("depth_error", [1.0, 1.6, 0.6])
def test_two_placements_agree_on_the_floor(depth_error: float) -> None:
    width, stagger = _truth()
    front = _measure(FRONT, WIDTH, True, depth_error)
    side = _measure(ROUND, WIDTH, True, depth_error)
    assert abs(front - side) <= TOLERANCE_SW
    assert front == pytest.approx(width, abs=TOLERANCE_SW)
    assert side == pytest.approx(width, abs=TOLERANCE_SW)
    front_s = _measure(FRONT, STAGGER, True, depth_error)
    side_s = _measure(ROUND, STAGGER, True, depth_error)
    assert abs(front_s - side_s) <= TOLERANCE_SW
    assert front_s == pytest.approx(stagger, abs=TOLERANCE_SW)


def test_world_depth_error_moves_the_world_measure_but_not_the_floor_one() -> None:
    """What the room is for: a depth error like the pose model's changes the world-landmark
    stance width between placements by more than the tolerance."""
    exact = _measure(ROUND, WIDTH, False, 1.0)
    distorted = _measure(ROUND, WIDTH, False, 1.6)
    assert abs(distorted - exact) > 2 * TOLERANCE_SW
    on_floor = _measure(ROUND, WIDTH, True, 1.6)
    assert on_floor == pytest.approx(_measure(ROUND, WIDTH, True, 1.0), abs=1e-9)


def test_stagger_from_the_front_needs_the_room() -> None:
    f = Features.from_sequence(_filmed(FRONT))
    refused = evaluate_check(STAGGER, f, slice(0, len(f)), Events(0.0), _scene(FRONT))
    assert refused.status is Status.NOT_ASSESSABLE and "film from the side" in refused.note
    f = Features.from_sequence(_filmed(FRONT), _room(FRONT))
    judged = evaluate_check(STAGGER, f, slice(0, len(f)), Events(0.0), _scene(FRONT))
    assert judged.status is Status.MET


def test_floor_scale_is_the_trainees_shoulder_width() -> None:
    for camera in (FRONT, ROUND):
        f = Features.from_sequence(_filmed(camera, 1.6), _room(camera))
        assert f.floor_shoulder_m == pytest.approx(SW_M, rel=0.01)
    assert np.isnan(Features.from_sequence(_filmed(FRONT)).floor_shoulder_m)


def test_without_a_room_features_are_unchanged() -> None:
    seq = _filmed(ROUND)
    plain = Features.from_sequence(seq)
    assert plain.floor is None
    with_room = Features.from_sequence(seq, _room(ROUND))
    assert np.array_equal(plain.world, with_room.world, equal_nan=True)
    assert plain.shoulder_m == with_room.shoulder_m
    feet = with_room.floor
    assert feet is not None and np.isfinite(feet.point("left_heel")).all()
    assert np.isnan(feet.points[:, index_of("nose")]).all()


def test_feet_in_line_with_the_camera_are_not_judged_on_the_floor() -> None:
    """Exact geometry would measure them, but the pose model cannot (bench/floor_stance.py)."""
    f = Features.from_sequence(_filmed(IN_LINE), _room(IN_LINE))
    for check in (WIDTH, STAGGER):
        result = evaluate_check(check, f, slice(0, len(f)), Events(0.0), _scene(IN_LINE))
        assert result.status is Status.NOT_ASSESSABLE
        assert "one foot is behind the other as the camera sees it" in result.note


def test_one_ankle_hidden_at_the_start_keeps_the_floor_scale() -> None:
    """From the side, one foot often hides the other while the trainee stands feet together:
    the body's vertical is then taken above the ankle seen."""
    seq = _filmed(ROUND)
    visibility = seq.visibility.copy()
    visibility[:, index_of("right_ankle")] = 0.1
    hidden = PoseSequence(seq.t, seq.image, visibility, seq.world, seq.source_size, seq.fps)
    f = Features.from_sequence(hidden, _room(ROUND))
    assert f.floor_shoulder_m == pytest.approx(SW_M, rel=0.02)
