"""Two people on disk and on paper: format version 2, the trainee rules, detector geometry."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from coach.errors import CoachError
from coach.pose.landmarks import NUM_LANDMARKS, index_of
from coach.pose.people_tracks import choose_trainee
from coach.pose.regions import (
    PersonDetection,
    Tile,
    detector_tiles,
    merge_detections,
    roi_from_detection,
)
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_folder import read_attempt, write_attempt
from coach.recording.pose_file import read_pose_file, write_pose_file
from tests.test_pose_sequence import make_sequence
from tests.test_recording_format import _rewrite_npz, make_meta


def test_partner_round_trip_is_version_2_and_solo_stays_version_1(tmp_path: Path) -> None:
    trainee, partner = make_sequence(6, seed=1), make_sequence(6, seed=2)
    visibility = partner.visibility.copy()
    visibility[:2] = np.nan  # the partner walks in at frame 2
    partner = partner.replace(visibility=visibility)
    write_attempt(tmp_path / "pair", trainee, make_meta(), partner=partner)
    write_attempt(tmp_path / "solo", trainee, make_meta())
    with np.load(tmp_path / "pair" / "pose.npz") as data:
        assert int(data["format_version"]) == 2
    with np.load(tmp_path / "solo" / "pose.npz") as data:
        assert int(data["format_version"]) == 1 and "partner_image" not in data.files
    pair = read_attempt(tmp_path / "pair")
    assert pair.partner is not None
    np.testing.assert_allclose(pair.pose.image, trainee.image, atol=1e-6)
    np.testing.assert_allclose(pair.partner.image, partner.image, atol=1e-6)
    np.testing.assert_array_equal(pair.partner.detected, [False, False, True, True, True, True])
    np.testing.assert_array_equal(pair.partner.t, trainee.t)
    assert read_attempt(tmp_path / "solo").partner is None
    np.testing.assert_allclose(
        read_pose_file(tmp_path / "pair" / "pose.npz").image, trainee.image, atol=1e-6
    )


def test_malformed_partner_arrays_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "pose.npz"
    write_pose_file(path, make_sequence(), make_sequence(seed=3))
    _rewrite_npz(path, partner_world=None)
    with pytest.raises(CoachError, match="pose file is missing partner_world"):
        read_pose_file(path)
    write_pose_file(path, make_sequence(), make_sequence(seed=3))
    _rewrite_npz(path, partner_image=np.zeros((5, 33, 2)))
    with pytest.raises(CoachError, match=r"image: expected shape \(5, 33, 3\)"):
        read_pose_file(path)
    with pytest.raises(ValueError, match="same frames"):
        write_pose_file(path, make_sequence(5), make_sequence(4))


def _standing(n: int, hip_x: float, torso: float, feet_y: float, present: slice) -> PoseSequence:
    """A person standing still: hips at ``hip_x``, shoulders ``torso`` above, ankles at feet_y."""
    image = np.full((n, NUM_LANDMARKS, 3), np.nan)
    visibility = np.full((n, NUM_LANDMARKS), np.nan)
    rows = np.arange(n)[present]
    image[rows] = 0.0
    visibility[rows] = 0.9
    for side, dx in (("left", 0.02), ("right", -0.02)):
        image[rows, index_of(f"{side}_hip")] = (hip_x + dx, 0.5, 0)
        image[rows, index_of(f"{side}_shoulder")] = (hip_x + dx, 0.5 - torso, 0)
        image[rows, index_of(f"{side}_ankle")] = (hip_x + dx, feet_y, 0)
    return PoseSequence(
        np.arange(n) / 30, image, visibility, np.zeros((n, NUM_LANDMARKS, 3)), (1000, 1000), 30.0
    )


def test_trainee_rules_pick_by_size_feet_and_side() -> None:
    n = 40
    tracks = {
        0: _standing(n, hip_x=0.3, torso=0.15, feet_y=0.80, present=slice(0, 40)),
        1: _standing(n, hip_x=0.7, torso=0.20, feet_y=0.90, present=slice(5, 40)),
        # a passer-by, the biggest of all, seen in 4 frames (under a fifth of the most seen)
        2: _standing(n, hip_x=0.5, torso=0.40, feet_y=0.99, present=slice(0, 4)),
    }
    assert choose_trainee(tracks, "largest").trainee == 1
    assert choose_trainee(tracks, "nearest").trainee == 1
    assert choose_trainee(tracks, "left").trainee == 0
    choice = choose_trainee(tracks, "right")
    assert (choice.trainee, choice.partner, choice.people_seen) == (1, 0, 2)
    alone = choose_trainee({0: tracks[0]}, "largest")
    assert (alone.trainee, alone.partner, alone.people_seen) == (0, None, 1)
    assert choose_trainee({}, "largest").trainee is None
    with pytest.raises(ValueError, match="valid: breaks_away, largest, nearest, left, right"):
        choose_trainee(tracks, "tallest")


def test_tiles_cover_a_wide_frame_with_half_overlap() -> None:
    tiles = detector_tiles((1280, 720), zooms=(1.0,))
    assert tiles == [Tile(0, 0, 720), Tile(280, 0, 720), Tile(560, 0, 720)]
    small = detector_tiles((1280, 720), zooms=(0.6,))
    assert {t.size for t in small} == {432}
    assert max(t.x0 + t.size for t in small) == 1280 and max(t.y0 + t.size for t in small) == 720
    assert detector_tiles((500, 500)) == [Tile(0, 0, 500)]


def test_region_from_a_detection_is_centred_on_the_hips_and_turned_upright() -> None:
    upright = PersonDetection(0.9, (0.4, 0.1, 0.6, 0.2), (0.5, 0.6), (0.5, 0.2))
    roi = roi_from_detection(upright, (1000, 500))
    assert (roi.x_center, roi.y_center) == pytest.approx((0.5, 0.6))
    side = 2 * 200 * 1.25  # body radius 0.4 * 500 px
    assert (roi.width, roi.height) == pytest.approx((side / 1000, side / 500))
    assert roi.rotation == pytest.approx(0.0)
    lying = PersonDetection(0.9, (0.4, 0.1, 0.6, 0.2), (0.5, 0.6), (0.7, 0.6))  # head to the right
    assert roi_from_detection(lying, (1000, 500)).rotation == pytest.approx(math.pi / 2)


def test_tile_detections_map_to_the_frame_and_overlaps_keep_the_best() -> None:
    in_tile = PersonDetection(0.8, (0.5, 0.0, 1.0, 0.5), (0.5, 0.5), (0.5, 0.0))
    frame = in_tile.in_frame(Tile(280, 0, 720), (1280, 720))
    assert frame.box == pytest.approx((640 / 1280, 0.0, 1000 / 1280, 0.5))
    assert frame.hip_centre == pytest.approx((640 / 1280, 0.5))
    twin = PersonDetection(0.95, (0.52, 0.0, 0.80, 0.5), (0.5, 0.5), (0.5, 0.0))
    other = PersonDetection(0.6, (0.0, 0.0, 0.2, 0.3), (0.1, 0.5), (0.1, 0.1))
    assert merge_detections([frame, other, twin]) == [twin, other]
