"""A browser-playable video writer: VP9 (fourcc ``VP90``) in .webm or .mp4, written atomically.

OpenCV's wheel cannot write H.264, and its ``mp4v`` does not play in browsers; VP9 plays in
Chromium from both containers (see docs/environment.md). Frames go to a temporary file next
to the target, renamed into place on close, so a half-written file never looks complete.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

import cv2
import numpy as np

from coach.errors import CoachError
from coach.native_stderr import native_stderr_silenced

SUFFIXES = (".mp4", ".webm")


class BrowserVideoWriter:
    """Context manager: ``with BrowserVideoWriter(path, fps, (w, h)) as out: out.write(bgr)``."""

    def __init__(self, path: Path | str, fps: float, size: tuple[int, int]) -> None:
        self.path = Path(path)
        if self.path.suffix.lower() not in SUFFIXES:
            raise CoachError(self.path, f"expected a video name ending in {' or '.join(SUFFIXES)}")
        if not self.path.parent.is_dir():
            raise CoachError(self.path.parent, "output folder does not exist")
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(fps)
        self.frames = 0
        self._tmp = self.path.with_name(f".{self.path.stem}.partial{self.path.suffix}")
        with native_stderr_silenced():  # FFmpeg notes that it tags VP9 in MP4 as 'vp09'
            self._writer = cv2.VideoWriter(
                str(self._tmp), cv2.VideoWriter.fourcc(*"VP90"), self.fps, self.size
            )
        if not self._writer.isOpened():
            raise CoachError(self.path, "OpenCV could not open a VP9 video writer")

    def write(self, frame_bgr: np.ndarray) -> None:
        h, w = frame_bgr.shape[:2]
        if (w, h) != self.size:
            raise ValueError(f"frame: expected {self.size[0]}x{self.size[1]}, got {w}x{h}")
        self._writer.write(np.ascontiguousarray(frame_bgr, dtype=np.uint8))
        self.frames += 1

    def close(self, keep: bool = True) -> None:
        """Finish the file and move it into place (or delete it if ``keep`` is false)."""
        self._writer.release()
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
