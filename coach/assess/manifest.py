"""What a batch assesses: the rows of a manifest CSV, or the videos of a folder by their names.

A manifest's columns are ``candidate,video,technique`` and optionally ``side`` (left, right,
auto), ``trainee_person`` (a ``coach extract --trainee-person`` rule) and ``start_s`` (the start
signal, seconds from the start of the video). Problems with the file as a whole (unreadable, a
column missing or unknown, no rows) are a ``CoachError``; a bad row is one ``Refused`` line and
the rest of the batch goes on.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError
from coach.pose.people_tracks import DEFAULT_TRAINEE_RULE, TRAINEE_RULES

REQUIRED = ("candidate", "video", "technique")
OPTIONAL = ("side", "trainee_person", "start_s")
SIDES = ("left", "right", "auto")
VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mov", ".mkv", ".avi", ".m4v", ".h264"})
"""What a folder's files must end with to be taken as videos (others are left alone)."""


@dataclass(frozen=True)
class Item:
    """One attempt to assess: a candidate's video of one technique."""

    candidate: str
    video: Path
    technique: str
    attempt: int
    """1, 2, ... in the order the candidate's attempts at the technique are listed."""
    side: str = "auto"
    trainee_person: str = DEFAULT_TRAINEE_RULE
    start_s: float | None = None
    where: str = ""
    """The manifest row or file the item came from, for messages."""

    @property
    def name(self) -> str:
        """The attempt's folder name in the output: ``<candidate>_<technique>_<n>``."""
        return f"{slug(self.candidate)}_{self.technique}_{self.attempt}"


@dataclass(frozen=True)
class Refused:
    """A manifest row or a file that is not assessed, and why (one line)."""

    where: str
    problem: str


def slug(text: str) -> str:
    """Letters, digits, ``-`` and ``.`` only: a candidate's name as a safe file name."""
    cleaned = re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-.")
    return cleaned[:60] or "unnamed"


def read_manifest(path: Path) -> tuple[list[Item], list[Refused]]:
    """The items of a manifest CSV and the rows refused; CoachError if the file is unusable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CoachError(path, "not a text (UTF-8) CSV file") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        raise CoachError(path, f"empty manifest; expected the columns {','.join(REQUIRED)}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CoachError(path, f"missing column(s) {', '.join(missing)}; header is {header}")
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if unknown:
        known = ",".join(REQUIRED + OPTIONAL)
        raise CoachError(path, f"unknown column(s) {', '.join(unknown)}; known: {known}")
    root = path.parent.resolve()
    items: list[Item] = []
    refused: list[Refused] = []
    seen: dict[tuple[str, str, str], int] = {}
    attempts: dict[tuple[str, str], int] = {}
    rows = 0
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        rows += 1
        where = f"{path}: row {number}"
        try:
            fields = _row_fields(row, root)
        except ValueError as error:
            refused.append(Refused(where, str(error)))
            continue
        candidate, video, technique, side, rule, start = fields
        key = (candidate, str(video), technique)
        if key in seen:
            refused.append(Refused(where, f"duplicate of row {seen[key]}"))
            continue
        seen[key] = number
        n = attempts.get((candidate, technique), 0) + 1
        attempts[(candidate, technique)] = n
        items.append(Item(candidate, video, technique, n, side, rule, start, where))
    if rows == 0:
        raise CoachError(path, "the manifest lists no videos")
    return items, refused


def _row_fields(row: dict[str, str], root: Path) -> tuple[str, Path, str, str, str, float | None]:
    for column in REQUIRED:
        if not row.get(column):
            raise ValueError(f"{column} is empty")
    video = (root / row["video"]).resolve()
    if not video.is_relative_to(root):
        raise ValueError(f"video {row['video']!r} is outside the manifest's folder {root}")
    side = row.get("side") or "auto"
    if side not in SIDES:
        raise ValueError(f"side {side!r}: expected {', '.join(SIDES)}")
    rule = row.get("trainee_person") or DEFAULT_TRAINEE_RULE
    if rule not in TRAINEE_RULES:
        raise ValueError(f"trainee_person {rule!r}: expected {', '.join(TRAINEE_RULES)}")
    start: float | None = None
    if row.get("start_s"):
        try:
            start = float(row["start_s"])
        except ValueError:
            raise ValueError(f"start_s {row['start_s']!r} is not a number") from None
        if not math.isfinite(start) or start < 0:
            raise ValueError(f"start_s {row['start_s']!r}: expected seconds >= 0")
    return row["candidate"], video, row["technique"], side, rule, start


def folder_items(folder: Path, technique_ids: list[str]) -> tuple[list[Item], list[Refused]]:
    """The videos of ``folder`` named ``<candidate>_<technique>[_<n>].<ext>``; technique ids
    hold underscores, so a name is matched against the library's ids, the longest first."""
    ids = sorted(technique_ids, key=len, reverse=True)
    found: list[tuple[str, str, int, Path]] = []
    refused: list[Refused] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in VIDEO_SUFFIXES:
            continue
        parsed = _parse_name(path.stem, ids)
        if parsed is None:
            refused.append(
                Refused(
                    str(path),
                    "name is not <candidate>_<technique>[_<n>] with a known technique "
                    f"({', '.join(sorted(ids))})",
                )
            )
            continue
        found.append((*parsed, path))
    if not found and not refused:
        raise CoachError(folder, f"no videos ({', '.join(sorted(VIDEO_SUFFIXES))}) in the folder")
    items = []
    counts: dict[tuple[str, str], int] = {}
    for candidate, technique, _n, path in sorted(found, key=lambda f: (f[0], f[1], f[2])):
        n = counts.get((candidate, technique), 0) + 1
        counts[(candidate, technique)] = n
        items.append(Item(candidate, path.resolve(), technique, n, where=str(path)))
    return items, refused


def _parse_name(stem: str, ids: list[str]) -> tuple[str, str, int] | None:
    """(candidate, technique, n) from ``<candidate>_<technique>[_<n>]``, None if no id fits."""
    number = re.fullmatch(r"(.*)_(\d+)", stem)
    for base, n in ((number.group(1), int(number.group(2))) if number else (stem, 0), (stem, 0)):
        for tid in ids:
            if base.endswith(f"_{tid}") and len(base) > len(tid) + 1:
                return base[: -len(tid) - 1], tid, n
    return None


def without_name_clashes(items: list[Item]) -> tuple[list[Item], list[Refused]]:
    """Refuse an item whose folder name another candidate's item already has ("Ann A" and
    "Ann-A" are both ``Ann-A`` on disk): its attempts and pack would overwrite the other's."""
    owner: dict[str, str] = {}
    kept: list[Item] = []
    refused: list[Refused] = []
    for item in items:
        key = slug(item.candidate)
        first = owner.setdefault(key, item.candidate)
        if first != item.candidate:
            refused.append(
                Refused(
                    item.where,
                    f"candidate {item.candidate!r} has the same file name ({key}) as "
                    f"{first!r}; rename one of them",
                )
            )
            continue
        kept.append(item)
    return kept, refused
