"""Reading back a video the tests wrote: every frame, decoded by OpenCV."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


def read_video(path: Path) -> list[np.ndarray]:
    """All frames of ``path`` (BGR), in order."""
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            return frames
        frames.append(frame)
