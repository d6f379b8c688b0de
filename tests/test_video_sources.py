"""Frame sources: real timestamps, rotation honoured, bad files named, replay, pacing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.errors import CoachError
from coach.recording.attempt_folder import write_attempt
from coach.video.file_source import VideoFileSource
from coach.video.frames import Frame
from coach.video.open_source import open_source
from coach.video.pacing import paced
from coach.video.prefetch import prefetched
from coach.video.replay_source import ReplaySource
from tests.mp4_boxes import remove_all_frames, set_frame_durations, set_rotation, timescale
from tests.test_pose_sequence import make_sequence
from tests.test_recording_format import make_meta


def write_clip(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    """An MP4 written by OpenCV (constant rate, moov after mdat)."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (width, height))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def first_frames(video: Path, n: int, width: int) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(video))
    out = []
    for _ in range(n):
        ok, image = capture.read()
        assert ok
        height = round(image.shape[0] * width / image.shape[1] / 2) * 2
        out.append(cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA))
    capture.release()
    return out


def test_real_video_times_come_from_the_container(demo_video: Path) -> None:
    with VideoFileSource(demo_video) as source:
        assert source.info.size == (1768, 994)
        assert source.info.frame_count == 230
        times = np.array([f.t for f in source.frames()])
    assert len(times) == 230
    assert times[0] == 0.0
    np.testing.assert_allclose(np.diff(times), 1 / 30, atol=1e-6)


def test_variable_frame_rate_keeps_each_frame_time(tmp_path: Path) -> None:
    frames = [np.full((96, 128, 3), 25 * i, np.uint8) for i in range(8)]
    constant = write_clip(tmp_path / "constant.mp4", frames)
    scale = timescale(constant)
    ticks = [scale // 30, scale // 15, scale // 30, scale // 10, scale // 30, scale // 60] + [
        scale // 30
    ] * 2
    set_frame_durations(constant, tmp_path / "vfr.mp4", ticks)
    with VideoFileSource(tmp_path / "vfr.mp4") as source:
        times = [f.t for f in source.frames()]
    expected = np.concatenate([[0], np.cumsum(ticks[:-1])]) / scale
    np.testing.assert_allclose(times, expected, atol=1e-6)
    gaps = np.diff(times)
    assert gaps.max() / gaps.min() == pytest.approx(6.0, rel=0.01)  # 1/10 s vs 1/60 s


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_phone_rotation_metadata_is_honoured(
    demo_video: Path, tmp_path: Path, degrees: int
) -> None:
    upright = first_frames(demo_video, 3, width=320)
    undo = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}[
        degrees
    ]
    stored = [cv2.rotate(f, undo) for f in upright]  # pixels as a phone stores them
    plain = write_clip(tmp_path / "plain.mp4", stored)
    tagged = tmp_path / f"rot{degrees}.mp4"
    set_rotation(plain, tagged, degrees)
    with VideoFileSource(tagged) as source:
        assert source.info.rotation_deg == degrees
        assert source.info.size == (upright[0].shape[1], upright[0].shape[0])
        shown = [f.image for f in source.frames()]
    assert shown[0].shape == upright[0].shape
    error_upright = np.abs(shown[1].astype(int) - upright[1]).mean()
    error_flipped = np.abs(shown[1].astype(int) - cv2.rotate(upright[1], cv2.ROTATE_180)).mean()
    assert error_upright < 8.0  # compression noise only
    assert error_flipped > 3 * error_upright


def test_missing_and_non_video_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(CoachError, match=r"nope\.mp4: no such file"):
        VideoFileSource(tmp_path / "nope.mp4")
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n")
    with pytest.raises(CoachError, match=r"notes\.mp4: not a readable video"):
        VideoFileSource(text)
    with pytest.raises(CoachError, match="not a file"):
        VideoFileSource(tmp_path)


def test_zero_frame_video_is_refused(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.mp4", [np.zeros((64, 64, 3), np.uint8)] * 3)
    remove_all_frames(clip, tmp_path / "empty.mp4")
    with pytest.raises(CoachError, match=r"empty\.mp4: video has no frames"):
        VideoFileSource(tmp_path / "empty.mp4")


def test_truncated_video_is_detected(demo_video: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(demo_video.read_bytes()[:2_000_000])  # index first, data cut in half
    with (
        VideoFileSource(cut) as source,
        pytest.raises(
            CoachError, match=r"cut\.mp4: video is truncated or damaged: decoded \d+ of 230 frames"
        ),
    ):
        for _ in source.frames():
            pass
    clip = write_clip(tmp_path / "clip.mp4", [np.zeros((64, 64, 3), np.uint8)] * 5)
    cut_end = tmp_path / "cut_end.mp4"
    data = clip.read_bytes()
    cut_end.write_bytes(data[: data.index(b"moov") - 4])  # the index, written last, is lost
    with pytest.raises(CoachError, match=r"cut_end\.mp4: video is truncated or damaged: its MP4"):
        VideoFileSource(cut_end)


def test_replay_yields_recorded_times_and_landmarks(tmp_path: Path) -> None:
    sequence = make_sequence(6).replace(t=np.array([0.0, 0.03, 0.07, 0.1, 0.15, 0.2]))
    folder = write_attempt(tmp_path / "a1", sequence, make_meta())
    source = open_source(folder)
    assert isinstance(source, ReplaySource)
    frames = list(source.frames())
    assert [f.t for f in frames] == pytest.approx([0.0, 0.03, 0.07, 0.1, 0.15, 0.2])
    assert frames[0].image.shape == (480, 640, 3)
    assert frames[3].pose is not None
    np.testing.assert_allclose(frames[3].pose.image, sequence.image[3], atol=1e-6)


def test_camera_that_cannot_open_is_named() -> None:
    with pytest.raises(CoachError, match="camera 7: cannot open the camera"):
        open_source("7")


def test_pacing_waits_for_each_timestamp() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    frames = iter(Frame(i, t, np.zeros((1, 1, 3), np.uint8)) for i, t in enumerate([5.0, 5.1, 5.3]))
    out = [f.t for f in paced(frames, clock=lambda: now[0], sleep=sleep)]
    assert out == [5.0, 5.1, 5.3]
    assert slept == pytest.approx([0.1, 0.2])


def test_prefetch_keeps_order_and_reraises_worker_errors() -> None:
    def items() -> Iterator[int]:
        yield from range(10)
        raise CoachError("clip.mp4", "video is truncated")

    got: list[int] = []
    with pytest.raises(CoachError, match="truncated"):
        for value in prefetched(items(), lambda x: x * 2, depth=2):
            got.append(value)
    assert got == [2 * i for i in range(10)]


def test_prefetch_worker_stops_when_consumer_stops() -> None:
    before = threading.active_count()
    stream = prefetched(iter(range(10_000)), lambda x: x, depth=2)
    assert next(stream) == 0
    stream.close()
    assert threading.active_count() == before
