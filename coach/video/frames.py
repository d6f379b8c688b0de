"""The one interface every frame source has: timestamped frames, in order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Frame:
    """One picture from a source.

    Attributes:
        index: 0-based position in the source.
        t: seconds from the source's own clock (container timestamp, camera clock or the
            recorded time), never derived from a nominal frame rate.
        image: (H, W, 3) uint8 BGR, already rotated upright. A fresh array for each frame,
            which the live session draws its overlay on; read-only if the source shares it
            between frames (then the session draws on a copy).
        pose: for a replayed recording, the recorded landmarks of this frame (so no model
            needs to run); ``None`` from cameras and video files.
    """

    index: int
    t: float
    image: np.ndarray
    pose: RecordedPose | None = None


@dataclass(frozen=True)
class RecordedPose:
    """The landmarks of one recorded frame: image (33, 3), world (33, 3), visibility (33,)."""

    image: np.ndarray
    world: np.ndarray
    visibility: np.ndarray


@dataclass(frozen=True)
class SourceInfo:
    """What is known about a source before reading it."""

    name: str
    size: tuple[int, int]
    """(width, height) of the frames it yields, after rotation."""
    fps: float
    """Nominal frame rate (informative only; frames carry their own times)."""
    frame_count: int | None
    """Frames expected, when the container says; ``None`` for a camera."""
    rotation_deg: int = 0
    """Rotation applied to the stored pixels to make them upright (phone metadata)."""


class FrameSource(Protocol):
    """A camera, a video file or a recording replay: yields ``Frame`` s in time order."""

    @property
    def info(self) -> SourceInfo: ...

    def frames(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...
