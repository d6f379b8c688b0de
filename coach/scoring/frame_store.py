"""The raw landmarks of the frames fed so far, in arrays that grow by doubling.

The live scorer turns them into a ``PoseSequence`` several times an attempt (phase judgements,
the score card); stacking a list of per-frame arrays each time costs milliseconds at 300 frames,
a slice of preallocated arrays a fraction of that.
"""

from __future__ import annotations

import numpy as np

from coach.pose.landmarks import NUM_LANDMARKS
from coach.pose.sequence import PoseSequence


class FrameStore:
    """Append-only (t, image, world, visibility) rows; ``sequence()`` copies them out."""

    def __init__(self, source_size: tuple[int, int], capacity: int = 512) -> None:
        self.source_size = source_size
        self._n = 0
        self._t = np.zeros(capacity)
        self._image = np.zeros((capacity, NUM_LANDMARKS, 3))
        self._world = np.zeros((capacity, NUM_LANDMARKS, 3))
        self._visibility = np.zeros((capacity, NUM_LANDMARKS))

    def __len__(self) -> int:
        return self._n

    @property
    def last_t(self) -> float:
        return float(self._t[self._n - 1])

    def append(
        self, t: float, image: np.ndarray, world: np.ndarray, visibility: np.ndarray
    ) -> None:
        """One frame: image and world (33, 3), visibility (33,)."""
        if self._n == len(self._t):
            self._grow()
        i = self._n
        self._t[i] = t
        self._image[i] = image
        self._world[i] = world
        self._visibility[i] = visibility
        self._n += 1

    def sequence(self, fps: float = 30.0) -> PoseSequence:
        """Everything appended so far (copies)."""
        if self._n == 0:
            raise ValueError("no frames were fed")
        n = self._n
        return PoseSequence(
            t=self._t[:n].copy(),
            image=self._image[:n].copy(),
            visibility=self._visibility[:n].copy(),
            world=self._world[:n].copy(),
            source_size=self.source_size,
            fps=fps,
        )

    def _grow(self) -> None:
        self._t = np.concatenate([self._t, np.zeros_like(self._t)])
        self._image = np.concatenate([self._image, np.zeros_like(self._image)])
        self._world = np.concatenate([self._world, np.zeros_like(self._world)])
        self._visibility = np.concatenate([self._visibility, np.zeros_like(self._visibility)])
