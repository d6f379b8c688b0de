"""Live with a partner: every person followed, the trainee locked for the whole session.

Before the lock, the trainee is whoever stands in the ready stance (else the person largest
in the picture, so the framing hints speak to someone). The first person to hold the ready
stance for ``LOCK_FRAMES`` frames (a frame out of it counts one back) becomes the trainee for
the rest of the session: from then on the coach sees that track only, even when the partner
is larger, nearer or alone in the picture (then the coach sees nobody). The others are handed
on for drawing.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coach.pose.adapter import PersonModel, PoseResult
from coach.pose.body_geometry import torso_length
from coach.pose.landmarks import NUM_LANDMARKS
from coach.pose.people import PeopleTracker, TrackedPerson
from coach.session.framing import is_ready_stance

LOCK_FRAMES = 10
"""A third of a second at 30 fps: long enough that a passing pose does not lock."""


class ReadyStanceLock:
    """Counts, per track, frames in the ready stance; locks the first to reach the count."""

    def __init__(self, lock_frames: int = LOCK_FRAMES) -> None:
        self.lock_frames = lock_frames
        self.trainee_id: int | None = None
        self.ready_frames: dict[int, int] = {}

    def update(self, people: list[TrackedPerson]) -> int | None:
        """Count this frame's people; the locked track id (None until someone is locked)."""
        if self.trainee_id is not None:
            return self.trainee_id
        ready = {p.track_id for p in people if is_ready_stance(p.result.image, p.result.visibility)}
        seen = {p.track_id for p in people} | set(self.ready_frames)
        # a frame out of the stance (a jittery wrist) takes one back instead of starting over
        counts = {k: self.ready_frames.get(k, 0) + (1 if k in ready else -1) for k in seen}
        self.ready_frames = {k: n for k, n in counts.items() if n > 0}
        locked = [k for k, n in self.ready_frames.items() if n >= self.lock_frames]
        if len(locked) == 1:  # two people in the stance at once: wait until one drops it
            self.trainee_id = locked[0]
        return self.trainee_id


class TraineeLock:
    """``process(rgb)`` -> the trainee's landmarks, the other people in ``others``."""

    def __init__(self, model: PersonModel, lock_frames: int = LOCK_FRAMES) -> None:
        self.tracker = PeopleTracker(model)
        self.lock = ReadyStanceLock(lock_frames)

    def process(self, rgb: np.ndarray) -> PoseResult:
        people = self.tracker.process(rgb)
        size = (rgb.shape[1], rgb.shape[0])
        self.lock.update(people)
        trainee = self._trainee(people, size)
        others = sorted(
            (p for p in people if p is not trainee),
            key=lambda p: -torso_length(p.result, size),
        )
        result = trainee.result if trainee is not None else _nobody()
        return replace(result, others=tuple(p.result for p in others))

    def status(self) -> str:
        """For the overlay: who the coach is following."""
        if self.lock.trainee_id is None:
            return "trainee: take the ready stance"
        return f"trainee locked: person {self.lock.trainee_id + 1}"

    def close(self) -> None:
        self.tracker.close()

    def _trainee(self, people: list[TrackedPerson], size: tuple[int, int]) -> TrackedPerson | None:
        locked = self.lock.trainee_id
        if locked is not None:
            return next((p for p in people if p.track_id == locked), None)
        if not people:
            return None
        return max(
            people,
            key=lambda p: (self.lock.ready_frames.get(p.track_id, 0), torso_length(p.result, size)),
        )


def _nobody() -> PoseResult:
    nan3 = np.full((NUM_LANDMARKS, 3), np.nan, dtype=np.float32)
    return PoseResult(nan3, nan3.copy(), np.full(NUM_LANDMARKS, np.nan, dtype=np.float32))
