"""``coach extract`` through the real command line: good input, and each kind of bad input.

Bad input gets one line on stderr naming the file and the problem, exit code 2, no traceback,
and leaves nothing that looks like a finished attempt folder.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.recording.attempt_folder import read_attempt
from tests.conftest import COACH
from tests.mp4_boxes import remove_all_frames
from tests.test_video_sources import first_frames, write_clip

pytestmark = pytest.mark.pose


def run_extract(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [*COACH, "extract", *map(str, args), "--no-progress"]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def assert_one_line_error(done: subprocess.CompletedProcess[str], path: Path, problem: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("coach: error: ")
    assert str(path) in lines[0]
    assert re.search(problem, lines[0]), lines[0]


def nothing_written(parent: Path) -> bool:
    return not parent.exists() or list(parent.iterdir()) == []


def test_missing_file(tmp_path: Path) -> None:
    done = run_extract(tmp_path / "absent.mp4", "-o", tmp_path / "out" / "a")
    assert_one_line_error(done, tmp_path / "absent.mp4", "no such file")
    assert nothing_written(tmp_path / "out")


def test_file_that_is_not_a_video(tmp_path: Path) -> None:
    fake = tmp_path / "holiday.mp4"
    fake.write_bytes(b"\x89PNG\r\n" + bytes(range(256)) * 20)
    done = run_extract(fake, "-o", tmp_path / "out" / "a")
    assert_one_line_error(done, fake, "not a readable video")
    assert nothing_written(tmp_path / "out")


def test_truncated_video(demo_video: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(demo_video.read_bytes()[:1_500_000])
    done = run_extract(cut, "-o", tmp_path / "out" / "a")
    assert_one_line_error(done, cut, r"truncated or damaged: decoded \d+ of 230 frames")
    assert nothing_written(tmp_path / "out")


def test_video_with_zero_frames(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.mp4", [np.zeros((64, 64, 3), np.uint8)] * 3)
    empty = tmp_path / "empty.mp4"
    remove_all_frames(clip, empty)
    done = run_extract(empty, "-o", tmp_path / "out" / "a")
    assert_one_line_error(done, empty, "video has no frames")
    assert nothing_written(tmp_path / "out")


def test_video_where_no_person_is_ever_visible(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    frames = [cv2.GaussianBlur(rng.integers(0, 255, (240, 320, 3), np.uint8), (9, 9), 3)] * 12
    clip = write_clip(tmp_path / "empty_room.mp4", frames)
    done = run_extract(clip, "-o", tmp_path / "out" / "a")
    assert_one_line_error(
        done, clip, "no person is visible in any of its 12 frames; nothing written"
    )
    assert nothing_written(tmp_path / "out")


def test_person_visible_in_part_of_the_video(demo_video: Path, tmp_path: Path) -> None:
    people = first_frames(demo_video, 40, width=640)[10:40]
    empty = [np.full_like(people[0], 90)] * 30
    clip = write_clip(tmp_path / "walk_in.mp4", empty + people)
    out = tmp_path / "out" / "a"
    done = run_extract(clip, "-o", out)
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stderr.splitlines() if line.startswith("coach: warning:")]
    assert len(warning) == 1 and str(clip) in warning[0]
    shown = float(re.search(r"visible in ([\d.]+) % of frames", warning[0]).group(1))  # type: ignore[union-attr]
    pose = read_attempt(out).pose
    assert len(pose) == 60
    assert shown == pytest.approx(100 * pose.detected_fraction, abs=0.05)
    assert not pose.detected[:30].any()  # empty room: NaN rows, kept in place
    assert np.isnan(pose.image[:30]).all()
    assert pose.detected[30:].mean() > 0.8
    np.testing.assert_allclose(np.diff(pose.t), 1 / 30, atol=1e-6)  # time stays honest


def test_existing_output_folder_is_refused_unless_forced(demo_video: Path, tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "short.mp4", first_frames(demo_video, 12, width=480))
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("an instructor's note")
    done = run_extract(clip, "-o", out)
    assert_one_line_error(done, out, "output folder already exists \\(use --force")
    assert (out / "keep.txt").read_text() == "an instructor's note"
    forced = run_extract(clip, "-o", out, "--force")  # issue 15: --force never deletes the
    assert_one_line_error(forced, out, "is not an attempt folder")  # user's own files
    assert (out / "keep.txt").read_text() == "an instructor's note"
    attempt = tmp_path / "attempt"
    assert run_extract(clip, "-o", attempt).returncode == 0
    forced = run_extract(clip, "-o", attempt, "--force")  # an attempt folder of ours: replaced
    assert forced.returncode == 0, forced.stderr
    assert sorted(p.name for p in attempt.iterdir()) == ["attempt.json", "pose.npz"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_ctrl_c_leaves_no_folder_that_looks_complete(demo_video: Path, tmp_path: Path) -> None:
    out = tmp_path / "recordings" / "attempt"
    process = subprocess.Popen(
        [*COACH, "extract", str(demo_video), "-o", str(out)],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=0,
    )
    assert process.stderr is not None
    seen = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until the progress bar shows 20 frames done
        seen += process.stderr.read(1)
        counts = [int(n) for n in re.findall(r"(\d+)/230", seen)]
        if counts and max(counts) >= 20:
            break
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    stderr = seen + rest
    assert process.returncode == 130
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert re.search(rf"coach: error: {re.escape(str(demo_video))}: interrupted at frame \d+", last)
    assert not out.exists()
    leftovers = list((tmp_path / "recordings").iterdir()) if out.parent.exists() else []
    assert leftovers == []  # no hidden staging folder either


def test_default_folder_goes_to_the_workspace_recordings(demo_video: Path, tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "Short Clip.mp4", first_frames(demo_video, 10, width=480))
    workspace = tmp_path / "centre"
    (workspace / "techniques").mkdir(parents=True)
    command = [
        *COACH,
        "--workspace",
        str(workspace),
        "extract",
        str(clip),
        "--no-progress",
        "--trainee",
        "Sam",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    folders = list((workspace / "recordings").iterdir())
    assert len(folders) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_sam_short-clip_1", folders[0].name)
    assert f"written: {folders[0]}" in done.stdout
    meta = read_attempt(folders[0]).meta
    assert meta.trainee == "Sam" and meta.source.frames_read == 10
