"""The attempt folder: versioned pose.npz + attempt.json, round trips, refusals, atomicity."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coach.errors import CoachError
from coach.recording.attempt_folder import (
    next_attempt_folder,
    read_attempt,
    staged_folder,
    write_attempt,
)
from coach.recording.attempt_meta import AttemptMeta, SourceMeta
from coach.recording.pose_file import read_pose_file, write_pose_file
from tests.test_pose_sequence import make_sequence


def make_meta() -> AttemptMeta:
    return AttemptMeta(
        created="2026-11-22T10:00:00+00:00",
        software_version="0.1.0",
        source=SourceMeta("video", "clip.mp4", (640, 480), 30.0, 5, 5, 90),
        pose_model={"name": "mediapipe-pose-legacy", "model_complexity": 1},
        detected_fraction=0.8,
        trainee="Sam",
        technique="same_side_wrist_grab",
    )


def test_pose_file_round_trip_keeps_nan_rows_and_times(tmp_path: Path) -> None:
    seq = make_sequence(6)
    visibility = seq.visibility.copy()
    visibility[2] = np.nan
    image = seq.image.copy()
    image[2] = np.nan
    seq = seq.replace(visibility=visibility, image=image, t=seq.t + 0.0123)
    write_pose_file(tmp_path / "pose.npz", seq)
    back = read_pose_file(tmp_path / "pose.npz")
    np.testing.assert_array_equal(back.t, seq.t)  # times are float64, exact
    np.testing.assert_allclose(back.image, seq.image, atol=1e-6)  # landmarks float32
    np.testing.assert_allclose(back.world, seq.world, atol=1e-6)
    assert np.isnan(back.image[2]).all() and np.isnan(back.visibility[2]).all()
    assert back.source_size == (640, 480) and back.fps == 30.0


def _rewrite_npz(path: Path, **changes: object) -> None:
    with np.load(path) as data:
        content = {k: data[k] for k in data.files}
    content.update(changes)
    content = {k: v for k, v in content.items() if v is not None}
    with path.open("wb") as handle:
        np.savez(handle, **content)


def test_unknown_pose_version_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "pose.npz"
    write_pose_file(path, make_sequence())
    _rewrite_npz(path, format_version=np.int64(7))
    with pytest.raises(CoachError, match=r"pose.npz: pose file format version 7 is not supported"):
        read_pose_file(path)


def test_malformed_pose_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "pose.npz"
    write_pose_file(path, make_sequence())
    _rewrite_npz(path, world=None)
    with pytest.raises(CoachError, match="pose file is missing world"):
        read_pose_file(path)
    write_pose_file(path, make_sequence())
    _rewrite_npz(path, image=np.zeros((5, 33, 2)))
    with pytest.raises(CoachError, match=r"image: expected shape \(5, 33, 3\)"):
        read_pose_file(path)
    path.write_text("not a zip")
    with pytest.raises(CoachError, match="not a readable pose file"):
        read_pose_file(path)


def test_attempt_folder_round_trip(tmp_path: Path) -> None:
    folder = tmp_path / "recordings" / "a1"
    write_attempt(folder, make_sequence(), make_meta())
    assert sorted(p.name for p in folder.iterdir()) == ["attempt.json", "pose.npz"]
    body = json.loads((folder / "attempt.json").read_text())
    assert body["format_version"] == 1 and body["trainee"] == "Sam"
    attempt = read_attempt(folder)
    assert attempt.meta == make_meta()
    assert len(attempt.pose) == 5


def test_unknown_attempt_version_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "a1"
    write_attempt(folder, make_sequence(), make_meta())
    body = json.loads((folder / "attempt.json").read_text())
    body["format_version"] = 2
    (folder / "attempt.json").write_text(json.dumps(body))
    with pytest.raises(CoachError, match="attempt format version 2 is not supported"):
        read_attempt(folder)


def test_existing_folder_is_refused_unless_forced(tmp_path: Path) -> None:
    folder = tmp_path / "a1"
    write_attempt(folder, make_sequence(3), make_meta())
    with pytest.raises(CoachError, match="a1: output folder already exists"):
        write_attempt(folder, make_sequence(4), make_meta())
    write_attempt(folder, make_sequence(4), make_meta(), force=True)
    assert len(read_attempt(folder).pose) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a1"]  # no leftovers


def test_failure_mid_write_leaves_nothing_that_looks_complete(tmp_path: Path) -> None:
    folder = tmp_path / "a1"

    def fail(staging: Path) -> None:
        assert (staging / "pose.npz").is_file()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_attempt(folder, make_sequence(), make_meta(), extra_files=fail)
    assert list(tmp_path.iterdir()) == []


def test_staging_folder_is_hidden_until_done(tmp_path: Path) -> None:
    final = tmp_path / "a1"
    with staged_folder(final, force=False) as staging:
        assert staging.name.startswith(".a1.partial-")
        assert not final.exists()
    assert final.is_dir() and not staging.exists()


def test_next_folder_numbers_up(tmp_path: Path) -> None:
    import datetime as dt

    day = dt.date(2026, 11, 22)
    first = next_attempt_folder(tmp_path, "Sam Smith", "same_side_wrist_grab", today=day)
    assert first.name == "2026-11-22_sam-smith_same-side-wrist-grab_1"
    first.mkdir()
    assert next_attempt_folder(
        tmp_path, "Sam Smith", "same_side_wrist_grab", today=day
    ).name.endswith("_2")
