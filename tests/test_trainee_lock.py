"""The live trainee lock: the first to hold the ready stance is the trainee for the session."""

from __future__ import annotations

import numpy as np

from coach.pose.adapter import PoseResult
from coach.pose.landmarks import NUM_LANDMARKS, index_of
from coach.pose.people import TrackedPerson
from coach.session.trainee_lock import ReadyStanceLock


def person(track_id: int, x: float, ready: bool) -> TrackedPerson:
    """A person standing at ``x``: hands up between nose and hips (ready) or down by the legs."""
    image = np.full((NUM_LANDMARKS, 3), 0.5)
    points = {
        "nose": (0.0, 0.2),
        "left_shoulder": (0.05, 0.3),
        "right_shoulder": (-0.05, 0.3),
        "left_hip": (0.04, 0.55),
        "right_hip": (-0.04, 0.55),
        "left_ankle": (0.1, 0.9),
        "right_ankle": (-0.1, 0.9),
        "left_wrist": (0.06, 0.35 if ready else 0.65),
        "right_wrist": (-0.06, 0.35 if ready else 0.65),
    }
    for name, (dx, y) in points.items():
        image[index_of(name), :2] = (x + dx, y)
    result = PoseResult(image, np.zeros((NUM_LANDMARKS, 3)), np.full(NUM_LANDMARKS, 0.9))
    return TrackedPerson(track_id, result)


def test_the_first_to_hold_the_stance_is_locked_for_good() -> None:
    lock = ReadyStanceLock(lock_frames=10)
    for _ in range(9):
        assert lock.update([person(0, 0.3, ready=False), person(1, 0.7, ready=True)]) is None
    assert lock.update([person(0, 0.3, ready=False), person(1, 0.7, ready=True)]) == 1
    for _ in range(30):  # the partner takes the stance later, or the trainee leaves: still 1
        assert lock.update([person(0, 0.3, ready=True)]) == 1


def test_a_jittery_frame_counts_one_back_and_two_in_the_stance_wait() -> None:
    lock = ReadyStanceLock(lock_frames=10)
    frames = [True] * 9 + [False] + [True] * 1
    for ready in frames:
        assert lock.update([person(0, 0.5, ready)]) is None  # 9 - 1 + 1 = 9
    assert lock.update([person(0, 0.5, ready=True)]) == 0
    both = ReadyStanceLock(lock_frames=10)
    for _ in range(15):  # both in the stance: nobody is chosen
        assert both.update([person(0, 0.3, True), person(1, 0.7, True)]) is None
    # one drops it: his count falls by one a frame; under 10 (6 frames later) the other locks
    locked = [both.update([person(0, 0.3, False), person(1, 0.7, True)]) for _ in range(6)]
    assert locked == [None] * 5 + [1]
