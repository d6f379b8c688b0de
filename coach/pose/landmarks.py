"""The 33-landmark body layout of MediaPipe Pose, addressed by name.

The names are written out once here in MediaPipe's ``PoseLandmark`` enum order (a test checks
them against the enum through the adapter), so no other module ever uses a bare index.
"""

from __future__ import annotations

from typing import Final

LANDMARK_NAMES: Final[tuple[str, ...]] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

NUM_LANDMARKS: Final[int] = len(LANDMARK_NAMES)

_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(LANDMARK_NAMES)}


def index_of(name: str) -> int:
    """Index of a landmark name; an unknown name lists the valid ones."""
    try:
        return _INDEX[name]
    except KeyError:
        raise KeyError(
            f"unknown landmark {name!r}; valid names: {', '.join(LANDMARK_NAMES)}"
        ) from None


def indices_of(*names: str) -> list[int]:
    """Indices of several landmark names, in the order given."""
    return [index_of(n) for n in names]


def _mirror_name(name: str) -> str:
    """The name of the same landmark on the other side of the body."""
    for this, other in (("left", "right"), ("right", "left")):
        if name.startswith(this + "_"):
            return other + name[len(this) :]
        if name.endswith("_" + this):  # mouth_left / mouth_right
            return name[: -len(this)] + other
    return name


LEFT_RIGHT_PAIRS: Final[tuple[tuple[str, str], ...]] = tuple(
    (name, _mirror_name(name))
    for name in LANDMARK_NAMES
    if _mirror_name(name) != name and ("left" in name)
)

MIRROR_PERMUTATION: Final[tuple[int, ...]] = tuple(
    index_of(_mirror_name(name)) for name in LANDMARK_NAMES
)
"""``array[:, MIRROR_PERMUTATION]`` swaps every left landmark with its right partner."""


def mirror_name(name: str) -> str:
    """Public form of the left/right swap of one landmark name (``nose`` stays ``nose``)."""
    index_of(name)
    return _mirror_name(name)


SKELETON_EDGES: Final[tuple[tuple[str, str], ...]] = (
    # face
    ("nose", "left_eye_inner"),
    ("left_eye_inner", "left_eye"),
    ("left_eye", "left_eye_outer"),
    ("left_eye_outer", "left_ear"),
    ("nose", "right_eye_inner"),
    ("right_eye_inner", "right_eye"),
    ("right_eye", "right_eye_outer"),
    ("right_eye_outer", "right_ear"),
    ("mouth_left", "mouth_right"),
    # torso
    ("left_shoulder", "right_shoulder"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    ("left_hip", "right_hip"),
    # arms and hands
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("left_wrist", "left_pinky"),
    ("left_wrist", "left_index"),
    ("left_wrist", "left_thumb"),
    ("left_pinky", "left_index"),
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("right_wrist", "right_pinky"),
    ("right_wrist", "right_index"),
    ("right_wrist", "right_thumb"),
    ("right_pinky", "right_index"),
    # legs and feet
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"),
    ("right_ankle", "right_heel"),
    ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
)
"""Bones of the stick figure, the same 35 connections MediaPipe draws, by name."""

SKELETON_EDGE_INDICES: Final[tuple[tuple[int, int], ...]] = tuple(
    (index_of(a), index_of(b)) for a, b in SKELETON_EDGES
)
