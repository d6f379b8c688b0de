"""``attempt.json``: who, what, with which software and model, and the verdict."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from coach.errors import CoachError

ATTEMPT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class SourceMeta:
    """Where the frames came from."""

    kind: str
    """"video", "camera" or "replay"."""
    name: str
    size: tuple[int, int]
    fps: float
    frames_expected: int | None
    frames_read: int
    rotation_deg: int = 0


@dataclass(frozen=True)
class AttemptMeta:
    """The content of ``attempt.json`` (format version 1)."""

    created: str
    """ISO 8601 local time with offset."""
    software_version: str
    source: SourceMeta
    pose_model: dict[str, Any]
    detected_fraction: float
    trainee: str | None = None
    technique: str | None = None
    side: str | None = None
    calibration_profile: str | None = None
    verdict: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] | None = None
    """who was in the picture and which one is the trainee (docs/recording-format.md)"""

    def to_json(self) -> str:
        body = {"format_version": ATTEMPT_FORMAT_VERSION, **asdict(self)}
        return json.dumps(body, indent=2, sort_keys=False) + "\n"


def write_attempt_meta(path: Path, meta: AttemptMeta) -> None:
    path.write_text(meta.to_json(), encoding="utf-8")


def read_attempt_meta(path: Path) -> AttemptMeta:
    """Read ``attempt.json``; refuse unknown versions and missing fields by name."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CoachError(path, "no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CoachError(path, f"not valid JSON ({error})") from None
    if not isinstance(body, dict):
        raise CoachError(path, "expected a JSON object")
    version = body.pop("format_version", None)
    if version != ATTEMPT_FORMAT_VERSION:
        raise CoachError(
            path,
            f"attempt format version {version!r} is not supported "
            f"(this coach reads version {ATTEMPT_FORMAT_VERSION})",
        )
    try:
        source = body.pop("source")
        source["size"] = tuple(source["size"])
        return AttemptMeta(source=SourceMeta(**source), **body)
    except (KeyError, TypeError) as error:
        raise CoachError(path, f"attempt.json is malformed: {error}") from None
