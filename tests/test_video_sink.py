"""The video writers: every frame arrives, in order, at the size asked; nothing half-written is
left; the headless display scales wide frames down. (Chromium playback: test_stick_figures.)"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.errors import CoachError
from coach.session.display import HeadlessVideo
from coach.video.sink import BrowserVideoWriter, scaled_size
from coach.video.sink_process import VideoWriterProcess
from tests.video_frames import read_video


def numbered(i: int, size: tuple[int, int]) -> np.ndarray:
    """A frame whose brightness tells its number (0, 20, 40, ...) and a white bar to find."""
    w, h = size
    frame = np.full((h, w, 3), 20 * i, dtype=np.uint8)
    frame[h // 3 : h // 2, w // 4 : w // 2] = 255
    return frame


@pytest.mark.parametrize("name", ["out.mp4", "out.webm"])
def test_child_process_writes_every_frame_in_order(tmp_path: Path, name: str) -> None:
    size = (640, 360)
    writer = VideoWriterProcess(tmp_path / name, 30.0, size)
    for i in range(10):
        writer.write(numbered(i, size))
    writer.close()
    frames = read_video(tmp_path / name)
    assert len(frames) == 10
    assert frames[0].shape == (360, 640, 3)
    levels = [float(np.median(f[: 360 // 4])) for f in frames]
    assert levels == pytest.approx([20.0 * i for i in range(10)], abs=8)  # 20 apart: in order
    assert float(frames[5][150, 240].mean()) > 230  # the bar, still sharp enough to find
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no partial file left


def test_discarded_or_wrong_size_leaves_nothing(tmp_path: Path) -> None:
    writer = VideoWriterProcess(tmp_path / "gone.mp4", 30.0, (320, 180))
    writer.write(numbered(1, (320, 180)))
    with pytest.raises(ValueError, match="expected 320x180, got 640x360"):
        writer.write(numbered(1, (640, 360)))
    writer.close(keep=False)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(CoachError, match=r"\.mp4 or \.webm"):
        VideoWriterProcess(tmp_path / "x.avi", 30.0, (320, 180))


def test_odd_size_and_ntsc_rate(tmp_path: Path) -> None:
    with BrowserVideoWriter(tmp_path / "odd.mp4", 29.97, (321, 181)) as out:
        for i in range(6):
            out.write(numbered(i, (321, 181)))
    capture = cv2.VideoCapture(str(tmp_path / "odd.mp4"))
    assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(29.97, abs=0.01)
    assert len(read_video(tmp_path / "odd.mp4")) == 6
    assert read_video(tmp_path / "odd.mp4")[0].shape == (180, 320, 3)


def test_headless_display_scales_a_wide_camera_down(tmp_path: Path) -> None:
    assert scaled_size((1768, 994), 1280) == (1280, 720)
    assert scaled_size((960, 540), 1280) == (960, 540)
    display = HeadlessVideo(tmp_path / "live.mp4", 30.0, (1768, 994))
    for i in range(5):
        assert display.show(numbered(i, (1768, 994))) is None
    display.close()
    frames = read_video(tmp_path / "live.mp4")
    assert len(frames) == 5 and frames[0].shape == (720, 1280, 3)
    assert float(np.median(frames[4][:100])) == pytest.approx(80, abs=8)
