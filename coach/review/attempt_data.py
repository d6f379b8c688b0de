"""Everything the attempt page shows, as one JSON-ready dict (the page and the report share it).

Keypoints, the matched reference at every frame (beside and over the trainee), the fault
timeline (criteria with evidence ranges, phases, GO / release / safe-distance markers), the
score card with the instructor's overrides beside it, the measures the checks use, and the
escape path seen from above.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coach.errors import CoachError
from coach.pose.landmarks import SKELETON_EDGES, index_of
from coach.recording.attempt_folder import Attempt, read_attempt
from coach.review.alignment_view import (
    AlignedAttempt,
    align_attempt,
    phase_spans,
    reference_alone,
    reference_over_trainee,
)
from coach.review.escape_path import escape_path
from coach.review.measures import measures_for
from coach.review.review_file import Review, criterion_key
from coach.review.verdicts import OutcomeRow, side_by_side
from coach.store.summary import SCORE_FILE, VIDEO_NAMES, read_score_json
from coach.technique.library import find_technique
from coach.workspace import Workspace

PAYLOAD_VERSION = 1


@dataclass(frozen=True)
class AttemptPage:
    """What the attempt page needs: the loaded attempt, its score card, the payload."""

    attempt: Attempt
    card: dict[str, Any]
    video: str | None
    payload: dict[str, Any]
    outcomes: list[OutcomeRow]
    """The coach's and the instructor's verdicts side by side."""


def read_score_card(folder: Path) -> dict[str, Any]:
    path = folder / SCORE_FILE
    if not path.is_file():
        raise CoachError(path, "no score card yet: run `coach score` on this attempt first")
    return read_score_json(path)


def video_name(folder: Path) -> str | None:
    return next((n for n in VIDEO_NAMES if (folder / n).is_file()), None)


def attempt_page(workspace: Workspace, folder: Path, review: Review) -> AttemptPage:
    """Load, re-align and assemble one attempt; CoachError (naming the file) if it cannot."""
    attempt = read_attempt(folder)
    card = read_score_card(folder)
    technique_id = str(card.get("technique_id") or attempt.meta.technique)
    technique = find_technique(workspace, technique_id)
    exit_side = attempt.meta.extra.get("exit_side")
    aligned = align_attempt(
        workspace,
        attempt.pose,
        technique,
        str(card.get("side") or technique.side),
        str(exit_side) if exit_side in ("left", "right") else None,
    )
    video = video_name(folder)
    payload = _payload(attempt, card, aligned, review, video)
    return AttemptPage(attempt, card, video, payload, side_by_side(card, review))


def _payload(
    attempt: Attempt,
    card: dict[str, Any],
    aligned: AlignedAttempt,
    review: Review,
    video: str | None,
) -> dict[str, Any]:
    pose = attempt.pose
    timings = card.get("timings", {})
    t0 = float(timings.get("t0_s", pose.t[0]))
    keypoints = np.concatenate([pose.image[:, :, :2], pose.visibility[:, :, None]], axis=2)
    return {
        "version": PAYLOAD_VERSION,
        "fps": playback_fps(pose.t, pose.fps),
        "video_fps": float(pose.fps),
        "t": rounded_list(pose.t, 4),
        "size": list(pose.source_size),
        "edges": [[index_of(a), index_of(b)] for a, b in SKELETON_EDGES],
        "keypoints": rounded_list(keypoints, 4),
        "reference_over": rounded_list(reference_over_trainee(aligned, pose.source_size), 4),
        "reference_alone": rounded_list(reference_alone(aligned), 4),
        "reference_source": aligned.reference.source,
        "video": video,
        "phases": [
            {"name": n, "t0": round(a, 3), "t1": round(b, 3)} for n, a, b in phase_spans(aligned)
        ],
        "markers": _markers(attempt, timings, t0),
        "criteria": _criteria(card, review),
        "measures": [
            {
                "key": m.key,
                "title": m.title,
                "unit": m.unit,
                "trainee": rounded_list(m.trainee, 3),
                "reference": None if m.reference is None else rounded_list(m.reference, 3),
                "bands": [b.__dict__ for b in m.bands],
            }
            for m in measures_for(aligned, card.get("criteria", []), t0)
        ],
        "path": escape_path(aligned, t0, pose.source_size),
        "notes": [n.__dict__ for n in review.notes],
    }


def _criteria(card: dict[str, Any], review: Review) -> list[dict[str, Any]]:
    rows = []
    for row in card.get("criteria", []):
        key = criterion_key(row)
        override = review.override_for(key)
        rows.append(
            {
                "key": key,
                "label": row.get("label"),
                "phase": row.get("phase"),
                "role": row.get("role"),
                "status": row.get("status"),
                "value": row.get("value"),
                "target": row.get("target"),
                "unit": row.get("unit"),
                "note": row.get("note", ""),
                "t0": row.get("t_start"),
                "t1": row.get("t_end"),
                "override": None if override is None else override.__dict__,
            }
        )
    return rows


def _markers(attempt: Attempt, timings: dict[str, Any], t0: float) -> list[dict[str, Any]]:
    out = [{"name": "GO" if timings.get("t0_source") == "signal" else "t0 (estimated)", "t": t0}]
    for name, key in (("release", "release_s"), ("safe distance", "safe_distance_s")):
        value = timings.get(key)
        if isinstance(value, int | float):
            out.append({"name": name, "t": round(t0 + float(value), 3)})
    return out


def playback_fps(t: np.ndarray, nominal: float) -> float:
    """Frames per second the page plays at: from the recorded times (the nominal rate for one
    frame)."""
    if len(t) > 1:
        return round(float(1.0 / np.median(np.diff(t))), 3)
    return float(nominal)


def rounded_list(values: np.ndarray, digits: int) -> Any:
    """Nested lists, rounded, NaN as None (JSON null)."""
    rounded = np.round(np.asarray(values, dtype=np.float64), digits)
    out = rounded.astype(object)
    out[~np.isfinite(rounded)] = None
    return out.tolist()
