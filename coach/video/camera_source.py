"""Frames from a camera by index: newest frame only, MJPG requested, monotonic clock times."""

from __future__ import annotations

import time
from collections.abc import Iterator

import cv2

from coach.errors import CoachError
from coach.video.frames import Frame, SourceInfo


class CameraSource:
    """A live camera. Asks for a 1-frame buffer so a slow consumer sees the newest frame."""

    def __init__(self, index: int, width: int = 1280, height: int = 720) -> None:
        self._capture = cv2.VideoCapture(index)
        if not self._capture.isOpened():
            raise CoachError(f"camera {index}", "cannot open the camera (not connected, or busy)")
        self._capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        self._info = SourceInfo(
            name=f"camera {index}",
            size=(
                int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
                int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            ),
            fps=float(self._capture.get(cv2.CAP_PROP_FPS) or 30.0),
            frame_count=None,
        )

    @property
    def info(self) -> SourceInfo:
        return self._info

    def frames(self) -> Iterator[Frame]:
        start = time.monotonic()
        index = 0
        while True:
            ok, image = self._capture.read()
            if not ok or image is None:
                return
            yield Frame(index=index, t=time.monotonic() - start, image=image)
            index += 1

    def close(self) -> None:
        self._capture.release()
