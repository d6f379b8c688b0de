"""One attempt folder summarised for the index: who, what, when, outcomes, timings, faults.

Reading never raises on a bad folder: a half-written or corrupt folder becomes a summary with
``status = "corrupt"`` and a one-line ``problem`` naming the file, so one broken attempt never
hides the others. Only ``attempt.json`` and ``score.json`` are read (and ``pose.npz`` is
checked to be a zip archive), so summarising ten thousand folders stays cheap.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.recording.attempt_folder import META_FILE, POSE_FILE
from coach.recording.attempt_meta import read_attempt_meta

SCORE_FILE = "score.json"
REVIEW_FILE = "review.json"
VIDEO_NAMES = ("video.mp4", "video.webm")
SIGNATURE_FILES = (META_FILE, SCORE_FILE, REVIEW_FILE, POSE_FILE)


@dataclass(frozen=True)
class AttemptSummary:
    """One row of the index. ``folder`` is relative to the recordings folder, with ``/``."""

    folder: str
    status: str
    """"scored", "unscored" (no score.json yet) or "corrupt"."""
    problem: str
    trainee: str | None
    technique: str | None
    side: str | None
    created: str | None
    """ISO 8601 from attempt.json; its first 10 characters are the date."""
    source_kind: str | None
    recovered: bool
    has_video: bool
    broke_free: bool | None
    used_taught_technique: bool | None
    within_limit: bool | None
    """Out to safe distance within the hard-fail limit (10 s): not a hard fail."""
    reaction_s: float | None
    release_s: float | None
    safe_distance_s: float | None
    failed: tuple[str, ...]
    """Labels of the criteria the coach found Not met."""
    signature: str
    """Sizes and modification times of the folder's files: a change means re-read it."""
    reviewed: bool = False
    """An instructor's review.json (notes, overrides) is beside it."""

    @property
    def date(self) -> str | None:
        return self.created[:10] if self.created else None


def folder_signature(folder: Path) -> str:
    parts = []
    for name in SIGNATURE_FILES:
        try:
            st = (folder / name).stat()
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return "|".join(parts)


def summarise(folder: Path, recordings: Path) -> AttemptSummary:
    """The index row of ``folder``; never raises for a bad folder (it is marked corrupt)."""
    relative = folder.relative_to(recordings).as_posix()
    signature = folder_signature(folder)
    try:
        meta = read_attempt_meta(folder / META_FILE)
        _check_pose_file(folder / POSE_FILE)
        score = _read_score(folder / SCORE_FILE)
    except CoachError as error:
        return _corrupt(relative, signature, _problem_in(error, recordings))
    outcomes = score.get("outcomes", {}) if score else {}
    timings = score.get("timings", {}) if score else {}
    hard_fail = outcomes.get("hard_fail")
    return AttemptSummary(
        folder=relative,
        status="scored" if score else "unscored",
        problem="",
        trainee=meta.trainee,
        technique=meta.technique or (score.get("technique_id") if score else None),
        side=(score.get("side") if score else None) or meta.side,
        created=meta.created,
        source_kind=meta.source.kind,
        recovered=bool(meta.extra.get("recovered", False)),
        has_video=any((folder / name).is_file() for name in VIDEO_NAMES),
        broke_free=outcomes.get("it_worked_broke_free"),
        used_taught_technique=outcomes.get("matched_coaching_points_used_taught_technique"),
        within_limit=None if hard_fail is None or not score else not hard_fail,
        reaction_s=_number(timings.get("reaction_s")),
        release_s=_number(timings.get("release_s")),
        safe_distance_s=_number(timings.get("safe_distance_s")),
        failed=tuple(
            str(c.get("label"))
            for c in (score or {}).get("criteria", [])
            if isinstance(c, dict) and c.get("status") == "Not met"
        ),
        signature=signature,
        reviewed=(folder / REVIEW_FILE).is_file(),
    )


def _corrupt(relative: str, signature: str, problem: str) -> AttemptSummary:
    return AttemptSummary(
        relative,
        "corrupt",
        problem,
        None,
        None,
        None,
        None,
        None,
        False,
        False,
        None,
        None,
        None,
        None,
        None,
        None,
        (),
        signature,
    )


def _problem_in(error: CoachError, recordings: Path) -> str:
    if error.path is None:
        return error.problem
    try:
        name = error.path.relative_to(recordings).as_posix()
    except ValueError:
        name = str(error.path)
    return f"{name}: {error.problem}"


def _check_pose_file(path: Path) -> None:
    if not path.is_file():
        raise CoachError(path, "no such file (the attempt has no keypoints)")
    if not zipfile.is_zipfile(path):
        raise CoachError(path, "not a readable pose file (not an .npz archive)")


def _read_score(path: Path) -> dict[str, Any] | None:
    return read_score_json(path) if path.is_file() else None


def read_score_json(path: Path) -> dict[str, Any]:
    """A ``score.json`` as a dict; CoachError naming it if it is not a score card."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CoachError(path, f"not valid JSON ({error.__class__.__name__})") from None
    if not isinstance(body, dict) or not isinstance(body.get("criteria"), list):
        raise CoachError(path, "not a score card (no criteria list)")
    return body


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
