"""PoseSequence: shapes checked with clear messages, NaN rows kept, mirroring."""

from __future__ import annotations

import numpy as np
import pytest

from coach.pose.landmarks import index_of
from coach.pose.sequence import PoseSequence


def make_sequence(n: int = 5, seed: int = 0) -> PoseSequence:
    rng = np.random.default_rng(seed)
    return PoseSequence(
        t=np.arange(n) / 30.0,
        image=rng.uniform(0, 1, (n, 33, 3)),
        visibility=rng.uniform(0, 1, (n, 33)),
        world=rng.normal(0, 0.5, (n, 33, 3)),
        source_size=(640, 480),
        fps=30.0,
    )


def test_wrong_shape_names_the_array_and_both_shapes() -> None:
    seq = make_sequence()
    with pytest.raises(ValueError, match=r"image: expected shape \(5, 33, 3\), got \(5, 33, 2\)"):
        seq.replace(image=np.zeros((5, 33, 2)))
    with pytest.raises(ValueError, match=r"visibility: expected shape \(5, 33\), got \(4, 33\)"):
        seq.replace(visibility=np.zeros((4, 33)))


def test_timestamps_must_increase() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        make_sequence().replace(t=np.array([0.0, 0.1, 0.1, 0.2, 0.3]))


def test_arrays_are_read_only_copies() -> None:
    image = np.zeros((2, 33, 3))
    seq = PoseSequence(np.array([0.0, 0.04]), image, np.ones((2, 33)), image, (10, 10), 25.0)
    image[0, 0, 0] = 5.0
    assert seq.image[0, 0, 0] == 0.0
    with pytest.raises(ValueError):
        seq.image[0, 0, 0] = 1.0


def test_missing_frames_are_nan_rows_and_counted() -> None:
    seq = make_sequence(4)
    visibility = seq.visibility.copy()
    visibility[1] = np.nan
    seq = seq.replace(visibility=visibility)
    assert list(seq.detected) == [True, False, True, True]
    assert seq.detected_fraction == pytest.approx(0.75)
    assert len(seq) == 4


def test_joint_lookup_by_name_and_pixels() -> None:
    seq = make_sequence()
    np.testing.assert_array_equal(seq.image_joint("left_wrist"), seq.image[:, 15])
    px = seq.image_pixels()
    assert px[2, 0, 0] == pytest.approx(seq.image[2, 0, 0] * 640)
    assert px[2, 0, 1] == pytest.approx(seq.image[2, 0, 1] * 480)


def test_mirroring_swaps_sides_reflects_x_and_twice_is_identity() -> None:
    seq = make_sequence()
    mirrored = seq.mirrored()
    left, right = index_of("left_wrist"), index_of("right_wrist")
    assert mirrored.image[0, left, 0] == pytest.approx(1.0 - seq.image[0, right, 0])
    assert mirrored.world[0, left, 0] == pytest.approx(-seq.world[0, right, 0])
    assert mirrored.world[0, left, 1] == pytest.approx(seq.world[0, right, 1])
    assert mirrored.visibility[0, left] == seq.visibility[0, right]
    twice = mirrored.mirrored()
    np.testing.assert_allclose(twice.image, seq.image)
    np.testing.assert_allclose(twice.world, seq.world)


def test_slice_keeps_source_times() -> None:
    part = make_sequence(10).slice(3, 6)
    assert len(part) == 3
    assert part.t[0] == pytest.approx(0.1)
