"""The per-frame feature vector used to align an attempt with a reference. numpy only.

Alignment has to find "where in the technique" each frame is, whoever does it and wherever
they stand. So the vector is invariant to body size (torso lengths), position (mid-hip origin)
and the camera's yaw (body frame), but keeps what distinguishes the phases: limb positions,
the body's turn since the start, and its travel across the image (the escape).
"""

from __future__ import annotations

from typing import Final

import numpy as np

from coach.analysis.features import Features, body_frame, facing_yaw_deg, mid_hip_travel_t
from coach.pose.landmarks import index_of

LIMB_POINTS: Final[tuple[str, ...]] = (
    "nose",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)
TRAVEL_WEIGHT: Final[float] = 0.5
"""Travel spans several torso lengths; halved so it does not drown the limbs."""
TURN_WEIGHT: Final[float] = 1.0
"""Weight of the turn (radians) since the start."""

FEATURE_NAMES: Final[tuple[str, ...]] = (
    *(f"{name}_{axis}" for name in LIMB_POINTS for axis in "xyz"),
    "travel_x",
    "travel_y",
    "turn",
)


def alignment_features(f: Features) -> np.ndarray:
    """(T, 30): limb points in the body frame (T), image travel (T) and turn (rad); NaN = unseen."""
    body = body_frame(f)[:, [index_of(n) for n in LIMB_POINTS], :].reshape(len(f), -1)
    travel = TRAVEL_WEIGHT * mid_hip_travel_t(f, _first_seen(f))
    yaw = facing_yaw_deg(f, "left_hip", "right_hip")
    start_yaw = np.nanmedian(yaw[: max(1, min(len(f), 10))]) if np.isfinite(yaw).any() else 0.0
    turn = TURN_WEIGHT * np.radians(yaw - start_yaw)[:, None]
    return np.concatenate([body, travel, turn], axis=1)


def _first_seen(f: Features) -> int:
    seen = np.nonzero(np.isfinite(f.pixel("mid_hip")).all(axis=1))[0]
    return int(seen[0]) if seen.size else 0
