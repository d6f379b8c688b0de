"""Geometry of one detected body in the picture: hips, torso, box, likeness of two poses.

Used by the people tracker to tell people apart and to find one body fitted twice.
"""

from __future__ import annotations

import numpy as np

from coach.pose.adapter import PoseResult
from coach.pose.landmarks import index_of
from coach.pose.regions import box_iou

VISIBLE = 0.5
DUPLICATE_DISTANCE_TORSOS = 0.3
"""Two poses whose visible joints are on average closer than this (in torso lengths) are one
person seen twice."""
SAME_BOX_IOU = 0.6
"""Two poses whose landmark boxes overlap this much, with hips within half a torso, are one
person (a second fit of the same body, e.g. with the arms on other limbs)."""

_BONES = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    ("left_shoulder", "left_elbow"),
    ("right_shoulder", "right_elbow"),
    ("left_elbow", "left_wrist"),
    ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"),
    ("right_hip", "right_knee"),
)


def hip_centre(result: PoseResult) -> np.ndarray:
    """(2,) normalised image x, y of the middle of the hips."""
    return np.asarray(
        (result.image[index_of("left_hip"), :2] + result.image[index_of("right_hip"), :2]) / 2
    )


def torso_length(result: PoseResult, frame_size: tuple[int, int]) -> float:
    """Mid-shoulder to mid-hip in pixels."""
    scale = np.asarray(frame_size, dtype=np.float64)
    shoulders = (
        result.image[index_of("left_shoulder"), :2] + result.image[index_of("right_shoulder"), :2]
    ) / 2
    return float(np.linalg.norm((shoulders - hip_centre(result)) * scale))


def landmark_box(result: PoseResult) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 (normalised) around the visible landmarks (all when none is visible)."""
    seen = result.visibility > VISIBLE
    points = result.image[seen if seen.sum() >= 4 else np.isfinite(result.visibility), :2]
    return (
        float(points[:, 0].min()),
        float(points[:, 1].min()),
        float(points[:, 0].max()),
        float(points[:, 1].max()),
    )


def same_body(a: PoseResult, b: PoseResult, frame_size: tuple[int, int]) -> bool:
    """Two poses that are one person: joints nearly the same, or hips and box the same."""
    if pose_distance(a, b, frame_size) < DUPLICATE_DISTANCE_TORSOS:
        return True
    scale = np.asarray(frame_size, dtype=np.float64)
    torso = max(torso_length(a, frame_size), torso_length(b, frame_size), 1.0)
    hips_gap = float(np.linalg.norm((hip_centre(a) - hip_centre(b)) * scale)) / torso
    return hips_gap < 0.5 and box_iou(landmark_box(a), landmark_box(b)) > SAME_BOX_IOU


def pose_distance(a: PoseResult, b: PoseResult, frame_size: tuple[int, int]) -> float:
    """Mean pixel distance of the joints visible in both, in the larger torso length."""
    both = (a.visibility > VISIBLE) & (b.visibility > VISIBLE)
    if both.sum() < 4:
        both = np.isfinite(a.visibility) & np.isfinite(b.visibility)
    if not both.any():
        return float("inf")
    scale = np.asarray(frame_size, dtype=np.float64)
    gaps = np.linalg.norm((a.image[both, :2] - b.image[both, :2]) * scale, axis=1)
    torso = max(torso_length(a, frame_size), torso_length(b, frame_size), 1.0)
    return float(gaps.mean() / torso)


def bone_lengths(result: PoseResult) -> np.ndarray:
    """(8,) lengths in metres of bones that do not change with the pose (world landmarks)."""
    return np.array(
        [np.linalg.norm(result.world[index_of(a)] - result.world[index_of(b)]) for a, b in _BONES]
    )


def hip_jump(
    before: PoseResult, after: PoseResult, frames: int, frame_size: tuple[int, int]
) -> float:
    """Hip displacement per frame in the earlier pose's torso lengths (0 without both)."""
    if not (before.found and after.found):
        return 0.0
    scale = np.asarray(frame_size, dtype=np.float64)
    gap = float(np.linalg.norm((hip_centre(after) - hip_centre(before)) * scale))
    return gap / max(torso_length(before, frame_size), 1.0) / max(frames, 1)
