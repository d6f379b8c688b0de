"""Pick a frame source from what the user typed: a camera index, a video or a recording."""

from __future__ import annotations

from pathlib import Path

from coach.video.camera_source import CameraSource
from coach.video.file_source import VideoFileSource
from coach.video.frames import FrameSource
from coach.video.replay_source import ReplaySource


def open_source(spec: str | Path) -> FrameSource:
    """``"0"`` opens camera 0; a folder replays a recorded attempt; anything else is a video."""
    text = str(spec)
    if text.isdigit():
        return CameraSource(int(text))
    path = Path(text)
    if path.is_dir():
        return ReplaySource(path)
    return VideoFileSource(path)
