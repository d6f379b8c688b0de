"""Pick a frame source from what the user typed: a camera index, a video or a recording."""

from __future__ import annotations

from pathlib import Path

from coach.errors import CoachError
from coach.video.camera_source import CameraSource
from coach.video.file_source import VideoFileSource
from coach.video.frames import FrameSource
from coach.video.replay_source import ReplaySource

MAX_CAMERA_INDEX = 99


def is_camera_index(spec: str | Path) -> bool:
    """ASCII digits only ("0", "1"): not "²" or "٣", which Python also calls digits."""
    text = str(spec)
    return text.isascii() and text.isdecimal()


def open_source(spec: str | Path) -> FrameSource:
    """``"0"`` opens camera 0; a folder replays a recorded attempt; anything else is a video."""
    text = str(spec)
    if is_camera_index(text):
        if int(text) > MAX_CAMERA_INDEX:
            raise CoachError(f"camera {text}", f"expected a camera number from 0 to "
                             f"{MAX_CAMERA_INDEX}")
        return CameraSource(int(text))
    path = Path(text)
    if path.is_dir():
        return ReplaySource(path)
    return VideoFileSource(path)
