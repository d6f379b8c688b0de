"""Where the composed frames go: a real window (keys from it) or a headless video file.

Both get exactly the same frames, so the headless video is what the window would have shown.
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from coach.errors import CoachError
from coach.video.sink import scaled_size
from coach.video.sink_process import VideoWriterProcess

WINDOW_TITLE = "Breakaway Coach"
MAX_WIDTH = 1280
"""Widest headless video: a 720 p frame codes in 10-15 ms, a 1768 px one in 40 ms."""


class Display(Protocol):
    def show(self, frame: np.ndarray) -> str | None:
        """Show one frame; the key pressed since the last frame, if any."""
        ...

    def close(self, keep: bool = True) -> None: ...


class Window:
    """An OpenCV window; ``waitKey(1)`` pumps its events and reads the keyboard."""

    def __init__(self, title: str = WINDOW_TITLE) -> None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            raise CoachError(None, "no display to open a window on; use --headless OUT.mp4")
        self.title = title
        cv2.namedWindow(title, cv2.WINDOW_NORMAL)

    def show(self, frame: np.ndarray) -> str | None:
        cv2.imshow(self.title, frame)
        code = cv2.waitKey(1) & 0xFF
        if code == 255:
            return None
        return " " if code == 32 else chr(code)

    def close(self, keep: bool = True) -> None:
        cv2.destroyWindow(self.title)
        cv2.waitKey(1)


class HeadlessVideo:
    """Writes every shown frame into a browser-playable VP9 video (atomically, on close).

    Frames wider than ``max_width`` are scaled down to it (coding costs per pixel: a 1768 px
    camera would not keep up). Coding runs in a child process (``VideoWriterProcess``: libvpx
    holds Python's lock while it codes); a thread here scales each frame and sends it on behind
    a short queue, so the session loop only waits when the coder is ``depth`` frames behind,
    and memory stays bounded.
    """

    def __init__(
        self, path: Path, fps: float, size: tuple[int, int], depth: int = 8,
        max_width: int = MAX_WIDTH,
    ) -> None:
        self.path = path
        self.size = (int(size[0]), int(size[1]))
        self.coded_size = scaled_size(self.size, max_width)
        self._writer = VideoWriterProcess(path, fps, self.coded_size)
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="video-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (frame := self._queue.get()) is not None:
            try:
                if self._error is None:
                    if frame.shape[1::-1] != self.coded_size:
                        frame = cv2.resize(frame, self.coded_size, interpolation=cv2.INTER_AREA)
                    self._writer.write(frame)
            except BaseException as error:  # re-raised on the session's thread
                self._error = error

    @property
    def frames(self) -> int:
        return self._writer.frames

    def show(self, frame: np.ndarray) -> str | None:
        if self._error is not None:
            raise self._error
        self._queue.put(frame)
        return None

    def close(self, keep: bool = True) -> None:
        self._queue.put(None)
        self._thread.join()
        self._writer.close(keep=keep and self._error is None)
