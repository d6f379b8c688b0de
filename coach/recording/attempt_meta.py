"""``attempt.json``: who, what, with which software and model, and the verdict."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from coach import validation as v
from coach.errors import CoachError
from coach.validation import read_json_object

ATTEMPT_FORMAT_VERSION = 1
SOURCE_KINDS = ("video", "camera", "replay")
MAX_PIXELS = 100_000
"""Wider or taller than any camera or video: a size past it is a damaged file."""
MAX_FPS = 10_000.0
MAX_TIME_S = 1e7
"""About 4 months of stream time: any recorded time past it is a damaged file."""
TIME_FIELDS = ("go_t_s", "t0_s")


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
    """Read ``attempt.json``; refuse unknown versions, missing fields and bad values by name."""
    body = read_json_object(path)
    version = body.pop("format_version", None)
    if version != ATTEMPT_FORMAT_VERSION:
        raise CoachError(
            path,
            f"attempt format version {version!r} is not supported "
            f"(this coach reads version {ATTEMPT_FORMAT_VERSION})",
        )
    return meta_from_body(path, body)


def meta_from_body(path: Path, body: dict[str, Any]) -> AttemptMeta:
    """An ``AttemptMeta`` from its JSON fields, every value checked (``path`` names the file)."""
    body = dict(body)
    try:
        source = dict(v.table(path, "source", body.pop("source")))
        size = source.get("size")
        if not isinstance(size, (list, tuple)) or len(size) != 2:
            raise CoachError(path, f"source.size: expected [width, height], got {size!r}")
        source["size"] = tuple(
            v.whole_number(path, "source.size", side, 1, MAX_PIXELS) for side in size
        )
        v.number(path, "source.fps", source.get("fps"), 0.0, MAX_FPS, "frames per second")
        if source.get("frames_expected") is not None:
            v.whole_number(path, "source.frames_expected", source["frames_expected"], 0, 10**9)
        v.whole_number(path, "source.frames_read", source.get("frames_read"), 0, 10**9)
        v.whole_number(path, "source.rotation_deg", source.get("rotation_deg", 0), -360, 360)
        if not isinstance(source.get("name"), str) or source.get("kind") not in SOURCE_KINDS:
            raise CoachError(path, "source: expected a text name and kind "
                             f"{', '.join(SOURCE_KINDS)}")
        body["pose_model"] = v.table(path, "pose_model", body.get("pose_model"))
        v.number(path, "detected_fraction", body.get("detected_fraction"), 0.0, 1.0)
        for key in ("created", "software_version"):
            if not isinstance(body.get(key), str):
                raise CoachError(path, f"{key}: expected a text, got {body.get(key)!r}")
        for key in ("trainee", "technique", "side", "calibration_profile"):
            v.optional_text(path, key, body.get(key))
        if body.get("verdict") is not None:
            v.table(path, "verdict", body["verdict"])
        body["extra"] = extra = v.table(path, "extra", body.get("extra", {}))
        for key in TIME_FIELDS:
            if extra.get(key) is not None:
                v.number(path, f"extra.{key}", extra[key], -MAX_TIME_S, MAX_TIME_S, "seconds")
        return AttemptMeta(source=SourceMeta(**source), **body)
    except (KeyError, TypeError) as error:
        raise CoachError(path, f"attempt.json is malformed: {error}") from None
