"""A browser-playable video writer: VP9 in .webm or .mp4, coded for real time, written atomically.

VP9 plays in Chromium from both containers (see docs/environment.md). It is coded by libvpx
through PyAV with real-time settings: ``deadline=realtime``, ``cpu-used=8``, constant quality
(crf 24: at 32 a box that left the picture stayed as a faint outline on the flat background
for seconds; 24 costs under 1 ms more a frame), no look-ahead (``lag-in-frames=0``: each
frame is coded as it arrives, nothing piles up to be caught up later) and one thread (the
pose model and the session have the cores). That is 5-10 ms a frame at 960x540 and 10-15 ms
at 1280x720 here. OpenCV's own VP9 writer costs 100-500 ms a frame: its FFmpeg wrapper asks
for a bit rate of about twice fps x width x height and opens the codec without options
(``OPENCV_FFMPEG_WRITER_OPTIONS`` only reaches its choice of hardware acceleration in OpenCV
4.11), so libvpx runs at its slow "good" settings.

Frames go to a temporary file next to the target, renamed into place on close, so a
half-written file never looks complete.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Final

import numpy as np

from coach.errors import CoachError

SUFFIXES = (".mp4", ".webm")
CODEC: Final = "libvpx-vp9"
REALTIME_OPTIONS: Final[dict[str, str]] = {
    "deadline": "realtime",
    "cpu-used": "8",
    "crf": "24",
    "b": "0",  # constant quality: crf alone decides
    "lag-in-frames": "0",
    "row-mt": "1",
    "threads": "1",
}
"""libvpx options (names as in ``ffmpeg -h encoder=libvpx-vp9``)."""


def check_video_path(path: Path) -> Path:
    """``path`` if a video can be written there (known suffix, existing folder)."""
    if path.suffix.lower() not in SUFFIXES:
        raise CoachError(path, f"expected a video name ending in {' or '.join(SUFFIXES)}")
    if not path.parent.is_dir():
        raise CoachError(path.parent, "output folder does not exist")
    return path


def scaled_size(size: tuple[int, int], max_width: int) -> tuple[int, int]:
    """``size`` shrunk to at most ``max_width`` wide (aspect kept), both sides even."""
    w, h = size
    if w > max_width:
        w, h = max_width, round(h * max_width / w)
    return w & ~1, h & ~1


class BrowserVideoWriter:
    """Context manager: ``with BrowserVideoWriter(path, fps, (w, h)) as out: out.write(bgr)``.

    An odd width or height loses its last column or row (4:2:0 colour needs even sizes).
    """

    def __init__(self, path: Path | str, fps: float, size: tuple[int, int]) -> None:
        self.path = check_video_path(Path(path))
        if fps <= 0:
            raise CoachError(self.path, f"frame rate must be > 0, got {fps}")
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(fps)
        self.frames = 0
        self._coded = (self.size[0] & ~1, self.size[1] & ~1)
        if min(self._coded) <= 0:
            raise CoachError(self.path, f"frame size too small: {self.size[0]}x{self.size[1]}")
        self._tmp = self.path.with_name(f".{self.path.stem}.partial{self.path.suffix}")
        rate = Fraction(self.fps).limit_denominator(1001)
        import av  # here, not at the top: a session that writes no video need not map FFmpeg

        self._video_frame = av.VideoFrame
        try:
            self._container = av.open(str(self._tmp), "w")
            self._stream = self._container.add_stream(CODEC, rate=rate, options=REALTIME_OPTIONS)
        except (av.FFmpegError, ValueError) as error:
            self._tmp.unlink(missing_ok=True)
            raise CoachError(self.path, f"could not open a VP9 video writer: {error}") from None
        self._stream.width, self._stream.height = self._coded
        self._stream.pix_fmt = "yuv420p"
        self._stream.codec_context.time_base = 1 / rate
        self._closed = False

    def write(self, frame_bgr: np.ndarray) -> None:
        h, w = frame_bgr.shape[:2]
        if (w, h) != self.size:
            raise ValueError(f"frame: expected {self.size[0]}x{self.size[1]}, got {w}x{h}")
        cw, ch = self._coded
        image = np.ascontiguousarray(frame_bgr[:ch, :cw], dtype=np.uint8)
        frame = self._video_frame.from_ndarray(image, format="bgr24")
        frame.pts = self.frames
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self.frames += 1

    def close(self, keep: bool = True) -> None:
        """Finish the file and move it into place (or delete it if ``keep`` is false)."""
        if self._closed:
            return
        self._closed = True
        try:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
        finally:
            self._container.close()
        if keep and self.frames > 0:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> BrowserVideoWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(keep=kind is None)
