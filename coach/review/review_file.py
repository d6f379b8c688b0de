"""``review.json`` beside an attempt: the instructor's notes and overrides, versioned.

Written atomically (a hidden partial file renamed into place), never touching ``score.json``:
the coach's verdict and the instructor's stay side by side. A file this coach cannot read (a
newer format version, or damaged) is reported by name and never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from coach.errors import CoachError
from coach.review.atomic_file import write_text_atomically
from coach.store.summary import REVIEW_FILE

REVIEW_FORMAT_VERSION = 1
STATUSES = ("Met", "Not met", "Not assessable")
MAX_TEXT = 4000


@dataclass(frozen=True)
class Note:
    """A comment pinned to a moment of the attempt (seconds on the attempt's clock)."""

    t: float
    text: str
    created: str


@dataclass(frozen=True)
class Override:
    """The instructor's status for one criterion, with the reason; ``criterion`` is the key
    ``phase/kind/label`` of the score card row."""

    criterion: str
    status: str
    reason: str
    created: str


@dataclass(frozen=True)
class Review:
    notes: tuple[Note, ...] = ()
    overrides: tuple[Override, ...] = field(default=())

    def override_for(self, criterion: str) -> Override | None:
        return next((o for o in self.overrides if o.criterion == criterion), None)

    def to_json(self) -> str:
        body = {"format_version": REVIEW_FORMAT_VERSION, **asdict(self)}
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def criterion_key(row: dict[str, object]) -> str:
    return f"{row.get('phase')}/{row.get('kind')}/{row.get('label')}"


def read_review(folder: Path) -> Review:
    """The review of the attempt in ``folder`` (empty if none yet); a newer or damaged file is
    a CoachError naming it."""
    path = folder / REVIEW_FILE
    if not path.is_file():
        return Review()
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CoachError(
            path, f"not valid JSON ({error.__class__.__name__}); left as it is"
        ) from None
    version = body.get("format_version") if isinstance(body, dict) else None
    if not isinstance(version, int) or version < 1:
        raise CoachError(path, "not a review file (no format_version); left as it is")
    if version > REVIEW_FORMAT_VERSION:
        raise CoachError(
            path,
            f"review format version {version} is newer than this coach reads "
            f"({REVIEW_FORMAT_VERSION}); shown read-only, never overwritten",
        )
    try:
        notes = tuple(Note(float(n["t"]), str(n["text"]), str(n["created"])) for n in body["notes"])
        overrides = tuple(
            Override(str(o["criterion"]), str(o["status"]), str(o["reason"]), str(o["created"]))
            for o in body["overrides"]
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CoachError(path, f"review file is malformed ({error}); left as it is") from None
    return Review(notes, overrides)


def add_note(folder: Path, t: float, text: str) -> Review:
    text = _clean(text, "note")
    review = read_review(folder)
    note = Note(round(float(t), 3), text, _now())
    return _write(folder, replace(review, notes=(*review.notes, note)))


def delete_note(folder: Path, index: int) -> Review:
    review = read_review(folder)
    if not 0 <= index < len(review.notes):
        raise CoachError(folder / REVIEW_FILE, f"no note number {index}")
    notes = review.notes[:index] + review.notes[index + 1 :]
    return _write(folder, replace(review, notes=notes))


def set_override(folder: Path, criterion: str, status: str | None, reason: str) -> Review:
    """Set (or with ``status`` None, clear) the instructor's status of one criterion."""
    review = read_review(folder)
    kept = tuple(o for o in review.overrides if o.criterion != criterion)
    if status is not None:
        if status not in STATUSES:
            raise CoachError(None, f"status: expected one of {', '.join(STATUSES)}, got {status!r}")
        kept = (*kept, Override(criterion, status, _clean(reason, "reason"), _now()))
    return _write(folder, replace(review, overrides=kept))


def _clean(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise CoachError(None, f"{what}: empty")
    if len(text) > MAX_TEXT:
        raise CoachError(None, f"{what}: longer than {MAX_TEXT} characters")
    return text


def _write(folder: Path, review: Review) -> Review:
    write_text_atomically(folder / REVIEW_FILE, review.to_json())
    return review


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
