"""Awkward inputs to the commands (issue 15, defects 12, 13, 16, 18, 19 and 20).

File-system errors give the one line; names that would make a folder name too long are cut
down (or refused before the work when the user chose them); tiny videos, replays whose video is
shorter than their keypoints and odd camera numbers do not crash; messages say what is really
wrong; ``--random-go`` must be a real number of seconds; non-Latin names are drawn readably.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import av
import numpy as np
import pytest

from coach.recording.attempt_folder import MAX_NAME_BYTES, next_attempt_folder, read_attempt
from coach.render.overlay_text import drawable, text_block
from coach.session.demo_sample import SAMPLE_DIR
from tests.cli_run import assert_refused, coach, coach_process, debris
from tests.test_pose_sequence import make_sequence
from tests.test_recording_format import make_meta
from tests.test_video_sources import first_frames, write_clip

REPO = Path(__file__).resolve().parent.parent
TECH = ("--technique", "same_side_wrist_grab")


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "recordings").mkdir(parents=True)
    shutil.copytree(REPO / "techniques", ws / "techniques")
    return ws


def _encode(path: Path, frames: list[np.ndarray], codec: str, fmt: str | None = None) -> Path:
    with av.open(str(path), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=30)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        for image in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.mark.parametrize("camera", ["²", "99999999999999999999", "٣"])
def test_odd_camera_numbers_are_refused_in_one_line(tmp_path: Path, camera: str) -> None:
    """Defect 16: ValueError / OverflowError tracebacks before."""
    run = coach("--workspace", _workspace(tmp_path), "live", *TECH, "--camera", camera)
    line = assert_refused(run)
    assert "camera" in line or "no such file" in line


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1e9"])
def test_random_go_must_be_seconds(tmp_path: Path, value: str) -> None:
    """Defect 19: --random-go inf was accepted and GO never came."""
    run = coach("--workspace", _workspace(tmp_path), "live", *TECH, "--random-go", value)
    assert_refused(run, "--random-go: expected seconds from 0 to 30")


def test_audio_only_mp4_is_named_as_such(tmp_path: Path) -> None:
    """Defect 18: it was "its MP4 index is missing"."""
    path = tmp_path / "voice.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=44100)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp",
                                           layout="mono")
        frame.sample_rate = 44100
        for _ in range(40):
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    ws = _workspace(tmp_path)
    assert_refused(coach("--workspace", ws, "extract", path), "has no video track")
    assert not debris(ws) and list((ws / "recordings").iterdir()) == []


@pytest.mark.pose
def test_raw_h264_stream_is_read(tmp_path: Path, demo_video: Path) -> None:
    """Defect 18: a valid raw .h264 (no container index) was "video has no frames"."""
    clip = _encode(tmp_path / "clip.h264", first_frames(demo_video, 12, width=480), "libx264",
                   "h264")
    ws = _workspace(tmp_path)
    run = coach("--workspace", ws, "extract", clip, "-o", tmp_path / "out", "--no-progress")
    assert run.code == 0, run.stderr
    assert len(read_attempt(tmp_path / "out").pose) == 12


def test_long_names_are_cut_to_fit_the_file_system(tmp_path: Path) -> None:
    """Defect 13: a 300-character trainee name made a folder name past 255 bytes."""
    folder = next_attempt_folder(tmp_path, "Ş" * 150 + "x" * 300, "v" * 400, "technique")
    assert len(folder.name.encode()) <= MAX_NAME_BYTES
    folder.mkdir()  # the file system takes it


def test_a_long_output_name_is_refused_before_any_work(tmp_path: Path) -> None:
    """Defect 13: extract -o with a too-long name failed after the whole extraction."""
    ws = _workspace(tmp_path)
    out = tmp_path / ("x" * 300)
    assert_refused(coach("--workspace", ws, "extract", tmp_path / "none.mp4", "-o", out),
                   "folder name longer than")


@pytest.mark.parametrize("problem", ["read-only", "file-in-the-way"])
def test_file_system_errors_are_one_line_and_leave_no_debris(tmp_path: Path,
                                                             problem: str) -> None:
    """Defect 12: a read-only attempt folder, or a file where the score should go."""
    ws = _workspace(tmp_path)
    folder = ws / "recordings" / "a_1"
    from coach.recording.attempt_folder import write_attempt

    write_attempt(folder, make_sequence(60), make_meta())
    if problem == "read-only":
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders; covered by file-in-the-way")
        folder.chmod(0o555)
    else:
        (folder / "score.json").mkdir()  # a folder where the file must go
    try:
        run = coach("--workspace", ws, "score", folder, *TECH)
        line = assert_refused(run, "score.json")
    finally:
        folder.chmod(0o755)
    assert "Is a directory".lower() in line.lower() or "permission" in line.lower()
    assert not debris(ws)


def test_full_disk_is_one_line(tmp_path: Path) -> None:
    """Defect 12: /dev/full stands in for a full disk (every write fails with ENOSPC)."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    ws = _workspace(tmp_path)
    folder = ws / "recordings" / "a_1"
    from coach.recording.attempt_folder import write_attempt

    write_attempt(folder, make_sequence(60), make_meta())
    full = folder / f".score.json.partial-{os.getpid()}"
    full.symlink_to("/dev/full")
    run = coach("--workspace", ws, "score", folder, *TECH)
    assert_refused(run, "score.json", "no space left on device")
    assert not (folder / "score.json").exists()


def test_tiny_video_and_short_replay_video_run_live(tmp_path: Path, demo_video: Path) -> None:
    """Defect 16: a 100x60 video crashed the overlay; a recording whose video.mp4 is shorter
    than its keypoints crashed the replay at the video's end."""
    ws = _workspace(tmp_path)
    tiny = write_clip(tmp_path / "tiny.mp4", [np.full((60, 100, 3), 90, np.uint8)] * 8)
    run = coach_process("--workspace", ws, "live", *TECH, "--camera", tiny, "--headless",
                        tmp_path / "tiny_out.mp4", "--no-pacing", "--silent",
                        "--exit-side", "left")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    replay = tmp_path / "replay"
    shutil.copytree(SAMPLE_DIR, replay)
    write_clip(replay / "video.mp4", first_frames(demo_video, 5, width=320))
    run = coach_process("--workspace", ws, "live", *TECH, "--camera", replay, "--headless",
                        tmp_path / "replay_out.mp4", "--no-pacing", "--silent",
                        "--exit-side", "left", "--attempts", "1")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert "frames processed" in run.stdout


def test_live_stderr_has_only_our_lines(tmp_path: Path) -> None:
    """Defect 18: MediaPipe's start-up lines came before ours on stderr."""
    ws = _workspace(tmp_path)
    tiny = write_clip(tmp_path / "tiny.mp4", [np.full((120, 160, 3), 90, np.uint8)] * 4)
    run = coach_process("--workspace", ws, "live", *TECH, "--camera", tiny, "--headless",
                        tmp_path / "o.mp4", "--no-pacing", "--silent", "--exit-side", "left")
    assert run.code == 0, run.stderr
    foreign = [line for line in run.stderr.splitlines() if line.strip()
               and not line.startswith(("coach:", "saved:", "recovered"))]
    assert foreign == []


def test_recorded_go_outside_the_attempt_is_not_called_t0_option(tmp_path: Path) -> None:
    """Defect 18: a GO read from attempt.json was reported as "--t0"."""
    import json

    from coach.recording.attempt_folder import write_attempt

    ws = _workspace(tmp_path)
    folder = ws / "recordings" / "a_1"
    write_attempt(folder, make_sequence(60), make_meta())
    body = json.loads((folder / "attempt.json").read_text())
    body["extra"] = {"go_t_s": 99.0}
    (folder / "attempt.json").write_text(json.dumps(body))
    line = assert_refused(coach("--workspace", ws, "score", folder, *TECH),
                          "the recorded GO", "99 s is outside the attempt")
    assert "--t0" not in line


@pytest.mark.parametrize("name", ["Zoë", "Ольга", "李明", "محمد"])
def test_non_latin_names_are_drawn_readably(name: str) -> None:
    """Defect 20: drawn as "????" (OpenCV's fonts hold ASCII only)."""
    text = drawable(name)
    assert text.isascii() and "?" not in text and text.strip()
    frame = np.zeros((720, 1280, 3), np.uint8)
    text_block(frame, f"Same-side wrist grab | {name}", 0.8, (30, 30), align="left")
    assert (frame > 0).any()


def test_output_under_a_file_is_refused_before_any_work(tmp_path: Path) -> None:
    """Defect 12: a file where a folder is expected failed after the whole extraction."""
    ws = _workspace(tmp_path)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    run = coach("--workspace", ws, "extract", tmp_path / "none.mp4", "-o", blocker / "out")
    assert_refused(run, str(blocker), "is a file, expected a folder")
    assert blocker.read_text() == "mine"


def test_source_ending_before_go_is_stored_as_aborted(tmp_path: Path) -> None:
    """Defect 9: a source that ended in the countdown was stored as a finished, scored
    attempt with events stamped at the wall clock."""
    from coach.commands.live import make_live_scorer, run_live, session_techniques
    from coach.recording.attempt_folder import write_attempt
    from coach.session.session import SessionResult
    from coach.video.replay_source import ReplaySource
    from coach.workspace import find_workspace

    ws = find_workspace(_workspace(tmp_path))
    sample = read_attempt(SAMPLE_DIR)
    cut = int((sample.pose.t < sample.pose.t[0] + 3.0).sum())  # ready 1 s, then 2 s of countdown
    short = tmp_path / "short"
    write_attempt(short, sample.pose.slice(0, cut), sample.meta)

    class Dropped:
        def show(self, frame: np.ndarray) -> str | None:
            return None

        def close(self, keep: bool = True) -> None:
            pass

    techniques = session_techniques(ws, "same_side_wrist_grab", None)
    result: SessionResult = run_live(ws, ReplaySource(short), Dropped(), techniques,
                                     exit_side="left", realtime=False, sound_on=False,
                                     neutral_background=True, make_coach=make_live_scorer)
    assert result.cards == []
    [folder] = result.attempts
    meta = read_attempt(folder).meta
    assert meta.extra["aborted"] is True and meta.extra["go_t_s"] is None
    assert meta.verdict is None and not (folder / "score.json").exists()
    events = (folder / "events.jsonl").read_text().splitlines()
    import json

    last = json.loads(events[-1])
    assert last["event"] == "aborted"
    assert last["t"] == pytest.approx(float(sample.pose.t[cut - 1]), abs=1e-3)
