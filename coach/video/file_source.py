"""Frames from a video file, with the container's real timestamps and rotation honoured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2

from coach.errors import CoachError
from coach.native_stderr import native_stderr_silenced
from coach.video.frames import Frame, SourceInfo

# A container's frame count is an estimate for some formats; tolerate small shortfalls.
_TRUNCATION_TOLERANCE_FRAMES = 2


class VideoFileSource:
    """Decodes a video file frame by frame.

    Timestamps come from the container (``CAP_PROP_POS_MSEC`` of each decoded frame), so a
    variable-frame-rate phone video keeps its real timing. Rotation metadata (phones record
    portrait video as landscape pixels plus a rotation tag) is applied, so frames are upright.
    Problems raise ``CoachError`` naming the file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise CoachError(self.path, "no such file")
        if not self.path.is_file():
            raise CoachError(self.path, "not a file")
        with native_stderr_silenced():  # FFmpeg's own complaint precedes ours
            self._capture = cv2.VideoCapture(str(self.path), cv2.CAP_FFMPEG)
        if not self._capture.isOpened():
            raise CoachError(self.path, _unopenable_reason(self.path))
        self._capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        rotation = round(self._capture.get(cv2.CAP_PROP_ORIENTATION_META)) % 360
        # With auto-orientation on, OpenCV reports the upright (rotated) width and height.
        width = int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        count = int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT))
        if width <= 0 or height <= 0:
            self._capture.release()
            raise CoachError(self.path, _unopenable_reason(self.path, opened=True))
        self._info = SourceInfo(
            name=self.path.name,
            size=(width, height),
            fps=float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0),
            frame_count=count if count > 0 else None,  # a raw stream (.h264) has no index
            rotation_deg=rotation,
        )

    @property
    def info(self) -> SourceInfo:
        return self._info

    def frames(self) -> Iterator[Frame]:
        """Yield every decodable frame; raise ``CoachError`` if the file ends early."""
        index = 0
        last_t = -1.0
        while True:
            ok, image = self._capture.read()
            if not ok or image is None:
                break
            t = self._capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            if t <= last_t:  # a container without timestamps for this frame
                t = last_t + (1.0 / self._info.fps if self._info.fps > 0 else 1.0 / 30.0)
            last_t = t
            yield Frame(index=index, t=t, image=image)
            index += 1
        expected = self._info.frame_count or 0
        if index == 0:
            raise CoachError(self.path, "video has no decodable frames")
        if index < expected - _TRUNCATION_TOLERANCE_FRAMES:
            raise CoachError(
                self.path, f"video is truncated or damaged: decoded {index} of {expected} frames"
            )

    def close(self) -> None:
        self._capture.release()

    def __enter__(self) -> VideoFileSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unopenable_reason(path: Path, opened: bool = False) -> str:
    """Why the decoder refused a file: no video track (audio only), an MP4/MOV that lost its
    index, or not a video at all."""
    if not _has_video_track(path):
        return "has no video track (audio only, or not a video)"
    with path.open("rb") as handle:
        head = handle.read(12)
    if head[4:8] == b"ftyp" and not opened:
        return "video is truncated or damaged: its MP4 index is missing or unreadable"
    if opened:
        return "video has no frames (empty, or its index is damaged)"
    return "not a readable video (the decoder could not open it)"


def _has_video_track(path: Path) -> bool:
    """True unless FFmpeg (through PyAV) opens the file and finds no video stream in it."""
    import av  # only to explain a file OpenCV could not open: not loaded in a session

    try:
        with native_stderr_silenced(), av.open(str(path)) as container:
            return bool(container.streams.video)
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError):
        return True  # not even a container: the other reasons say what it is
