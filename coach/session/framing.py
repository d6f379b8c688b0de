"""Is the whole body in view, and is the trainee in the ready stance? From one frame's landmarks.

Framing: the head, shoulders, hips, knees and ankles visible (>= 0.5) and inside the picture,
with a short spoken-style hint for what is wrong ("Step back so your feet are visible").
Ready stance (a quick live gate, not a score): both wrists raised between hip and nose height,
and the ankles at least ``min_feet_sw`` shoulder widths apart sideways in the picture (0.6: a
staggered stance looks narrower from the front than the 0.9 SW it is on the floor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from coach.pose.landmarks import index_of, indices_of

VISIBLE: Final = 0.5
MARGIN: Final = 0.02
"""Share of the frame at each edge that counts as outside (MediaPipe invents joints there)."""

_HEAD = indices_of("nose", "left_ear", "right_ear")
_FEET = indices_of("left_ankle", "right_ankle", "left_heel", "right_heel")
_BODY = indices_of(
    "nose", "left_shoulder", "right_shoulder", "left_hip", "right_hip",
    "left_knee", "right_knee", "left_ankle", "right_ankle",
)
_NOSE = index_of("nose")
_WRISTS = indices_of("left_wrist", "right_wrist")
_HIPS = indices_of("left_hip", "right_hip")
_SHOULDERS = indices_of("left_shoulder", "right_shoulder")
_ANKLES = indices_of("left_ankle", "right_ankle")


@dataclass(frozen=True)
class Framing:
    """Whether the whole body is in view; ``hint`` says what to do when it is not."""

    in_view: bool
    hint: str


def _inside(xy: np.ndarray) -> np.ndarray:
    return (xy >= MARGIN).all(axis=-1) & (xy <= 1 - MARGIN).all(axis=-1)


def check_framing(image: np.ndarray, visibility: np.ndarray) -> Framing:
    """Framing of one frame: image (33, 3) normalised landmarks, visibility (33,)."""
    vis = np.nan_to_num(np.asarray(visibility, dtype=np.float64), nan=0.0)
    xy = np.nan_to_num(np.asarray(image, dtype=np.float64)[:, :2], nan=-1.0)
    seen = (vis >= VISIBLE) & _inside(xy)
    if not (vis >= VISIBLE).any():
        return Framing(False, "Step into view of the camera")
    if not seen[_FEET].any() or not seen[_ANKLES].all():
        return Framing(False, "Step back so your feet are visible")
    if not seen[_HEAD].any():
        return Framing(False, "Step back so your head is in view")
    if not seen[_BODY].all():
        centre_x = float(np.mean(xy[_BODY, 0]))
        if centre_x < 0.3 or centre_x > 0.7:
            return Framing(False, "Move to the middle of the picture")
        return Framing(False, "Step back so your whole body is visible")
    return Framing(True, "")


def is_ready_stance(image: np.ndarray, visibility: np.ndarray, min_feet_sw: float = 0.6) -> bool:
    """Hands up between hip and nose height and feet apart (image y grows downwards)."""
    vis = np.nan_to_num(np.asarray(visibility, dtype=np.float64), nan=0.0)
    needed = [*_WRISTS, *_HIPS, *_SHOULDERS, *_ANKLES, _NOSE]
    if (vis[needed] < VISIBLE).any():
        return False
    img = np.asarray(image, dtype=np.float64)
    hip_y = float(img[_HIPS, 1].mean())
    nose_y = float(img[_NOSE, 1])
    wrist_y = img[_WRISTS, 1]
    hands_up = bool(((wrist_y < hip_y) & (wrist_y > nose_y)).all())
    shoulder_w = float(np.linalg.norm(img[_SHOULDERS[0], :2] - img[_SHOULDERS[1], :2]))
    feet_w = float(abs(img[_ANKLES[0], 0] - img[_ANKLES[1], 0]))
    return hands_up and shoulder_w > 0 and feet_w >= min_feet_sw * shoulder_w
