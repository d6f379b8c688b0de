"""The marks CSV that assessors fill in (and the coach's own marks in the same shape).

Header, exactly: ``candidate,technique,attempt,item,mark,assessor,notes``. ``item`` is a
criterion's card label or one of the practical-record points; ``mark`` is ``met``,
``not_met`` or ``not_assessable`` (spelled in any case, with a space or hyphen for the
underscore), blank when not marked. The assessor ``coach`` is the coach. A row with a mark and
no assessor, an unknown mark, or a second mark by one assessor for one item of one attempt is
an error naming the file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError

HEADER = ("candidate", "technique", "attempt", "item", "mark", "assessor", "notes")
MARKS = ("met", "not_met", "not_assessable")
POINTS = ("successfully_applied", "safely_applied", "coaching_points", "overall")
COACH = "coach"


@dataclass(frozen=True)
class Unit:
    """One attempt of one candidate at one technique: what raters mark."""

    candidate: str
    technique: str
    attempt: str


@dataclass(frozen=True)
class Mark:
    unit: Unit
    item: str
    mark: str
    assessor: str
    source: str  # "<file>:<line>", to say where a duplicate came from


def read_marks(paths: Iterable[Path]) -> list[Mark]:
    """Every mark in the files, in order; blank marks are left out."""
    marks: list[Mark] = []
    seen: dict[tuple[Unit, str, str], str] = {}
    for path in paths:
        for mark in _read_file(path):
            key = (mark.unit, mark.item, mark.assessor)
            if key in seen:
                raise CoachError(
                    path,
                    f"line {mark.source.rsplit(':', 1)[1]}: a second mark by {mark.assessor!r} "
                    f"for {mark.item!r} of {_unit_text(mark.unit)} (the first is at "
                    f"{seen[key]})",
                )
            seen[key] = mark.source
            marks.append(mark)
    return marks


def _read_file(path: Path) -> list[Mark]:
    if not path.is_file():
        raise CoachError(path, "no such marks file" if not path.exists() else "not a file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CoachError(path, f"not UTF-8 text (byte {error.start})") from None
    rows = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(rows, None)
        if header is None:
            raise CoachError(path, f"empty; expected the header {','.join(HEADER)}")
        _check_header(path, [name.strip() for name in header])
        return [m for m in (_mark(path, rows.line_num, row) for row in rows) if m is not None]
    except csv.Error as error:
        raise CoachError(path, f"line {rows.line_num}: not CSV ({error})") from None


def _check_header(path: Path, header: list[str]) -> None:
    missing = [name for name in HEADER if name not in header]
    if missing:
        raise CoachError(
            path, f"line 1: missing column {', '.join(missing)} (header: {','.join(HEADER)})"
        )
    if tuple(header) != HEADER:
        raise CoachError(path, f"line 1: the header must be exactly {','.join(HEADER)}")


def _mark(path: Path, line: int, row: list[str]) -> Mark | None:
    if not any(cell.strip() for cell in row):
        return None
    if len(row) != len(HEADER):
        raise CoachError(path, f"line {line}: {len(row)} fields, expected {len(HEADER)}")
    candidate, technique, attempt, item, mark, assessor, _notes = (c.strip() for c in row)
    if not mark:
        return None
    code = mark.lower().replace(" ", "_").replace("-", "_")
    if code not in MARKS:
        raise CoachError(path, f"line {line}: unknown mark {mark!r} (use {', '.join(MARKS)})")
    for name, value in (
        ("candidate", candidate),
        ("technique", technique),
        ("attempt", attempt),
        ("item", item),
        ("assessor", assessor),
    ):
        if not value:
            raise CoachError(path, f"line {line}: a mark with no {name}")
    return Mark(
        Unit(candidate, technique, _attempt(attempt)), item, code, assessor, f"{path}:{line}"
    )


def _attempt(text: str) -> str:
    """``1`` and ``01`` are the same attempt."""
    return str(int(text)) if text.isdigit() else text


def _unit_text(unit: Unit) -> str:
    return f"{unit.candidate} / {unit.technique} / attempt {unit.attempt}"
