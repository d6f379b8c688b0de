"""What the live scorer tells the session after every frame, and the cues it shows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PartnerFrame = tuple[np.ndarray, np.ndarray, np.ndarray]
"""A partner's (image (33, 3), world (33, 3), visibility (33,)) in one frame of a drill."""


@dataclass(frozen=True)
class Cue:
    """A short imperative for the trainee ("Widen your stance"), from a failed check."""

    text: str
    check_kind: str
    check_label: str
    priority: int
    """Lower is more urgent: safety first, then outcome, then coaching points."""
    t: float
    """Stream time (s) at which the cue was raised."""


@dataclass(frozen=True, eq=False)
class LiveFeedback:
    """The coach's view of one frame, for the overlay, the sound and the event log.

    phase_index / phase_name: where in the technique the trainee is (-1 / "" before the start).
    progress: 0..1 through the reference. lag_s: seconds behind (+) or ahead (-) of the
    reference timing. joint_deviation: (33,) distance of each joint from the aligned reference
    pose in tolerance units (<1 inside the band, 1-2 amber, >2 red), NaN where unknown.
    ghost_image: (33, 2) the aligned reference pose in normalised image coordinates, fitted to
    the trainee's position and size, or None before the start. cue: the cue to show now (None:
    nothing to say). new_cue: True on the frame a cue is first raised (speak it, log it).
    done: the attempt has ended (safe distance reached, or the hard-fail time passed).
    """

    t: float
    started: bool
    phase_index: int
    phase_name: str
    progress: float
    lag_s: float
    joint_deviation: np.ndarray
    ghost_image: np.ndarray | None
    cue: Cue | None
    new_cue: bool
    done: bool
    done_reason: str = ""
