"""The blinded marking form's data: the attempt as seen (video, keypoints) and the items to mark,
with nothing of the coach's verdict in what the page is sent.

The attempt page's payload holds the verdict throughout (criteria, phases, the release marker,
the plots' bands), so this one is built on its own from the pose file alone: the clock, the
picture's size, the skeleton's edges and the trainee's keypoints. The coach's marks stay in
``items`` (``FormItem.coach``) for the server to reveal after the assessor has submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coach.pose.landmarks import SKELETON_EDGES, index_of
from coach.recording.attempt_folder import read_attempt
from coach.review.attempt_data import playback_fps, read_score_card, rounded_list, video_name
from coach.review.marking import FormItem, Unit, form_items, unit_of


@dataclass(frozen=True)
class BlindPage:
    unit: Unit
    technique_name: str
    created: str
    video: str | None
    items: list[FormItem]
    payload: dict[str, Any]
    """What the page's script gets: the attempt as seen, the items without marks."""


def blind_page(folder: Path, place: Callable[[], int]) -> BlindPage:
    """Load one scored attempt for blind marking; CoachError (naming the file) if it cannot."""
    attempt = read_attempt(folder)
    card = read_score_card(folder)
    technique = str(card.get("technique_id") or attempt.meta.technique)
    unit = unit_of(folder, attempt.meta.trainee, technique, place)
    items = form_items(card)
    pose = attempt.pose
    video = video_name(folder)
    keypoints = np.concatenate([pose.image[:, :, :2], pose.visibility[:, :, None]], axis=2)
    payload = {
        "fps": playback_fps(pose.t, pose.fps),
        "video_fps": float(pose.fps),
        "t": rounded_list(pose.t, 4),
        "size": list(pose.source_size),
        "edges": [[index_of(a), index_of(b)] for a, b in SKELETON_EDGES],
        "keypoints": rounded_list(keypoints, 4),
        "video": video,
        "unit": unit.__dict__,
        "items": [i.blind() for i in items],
    }
    name = str(card.get("technique_name") or technique)
    return BlindPage(unit, name, str(attempt.meta.created or ""), video, items, payload)
