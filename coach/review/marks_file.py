"""An assessor's marks file, ``<workspace>/marks/<assessor>.csv``, in the marks contract that
``coach agreement`` reads (``coach.assess.marks.HEADER``).

Submitting an attempt again replaces that assessor's earlier rows for it and keeps every other
row as it was; the file is written aside and renamed into place. A file there that is not a
marks file (another header, not UTF-8, not CSV) is refused and left untouched.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from coach.assess.manifest import slug
from coach.assess.marks import HEADER
from coach.errors import CoachError
from coach.recording.atomic_text import write_text_atomically
from coach.review.marking import Marked, Unit

MARKS_DIR = "marks"


def marks_path(workspace_root: Path, assessor: str) -> Path:
    """``<workspace>/marks/<assessor, file-safe>.csv`` (the name itself goes in the rows)."""
    return workspace_root / MARKS_DIR / f"{slug(assessor)}.csv"


def write_marks(path: Path, assessor: str, unit: Unit, marks: list[Marked]) -> int:
    """Put ``assessor``'s marks of ``unit`` into ``path`` in place of their earlier ones;
    returns how many earlier rows were replaced."""
    kept = _rows(path)
    mine = [r for r in kept if _same(r, unit, assessor)]
    rows = [r for r in kept if not _same(r, unit, assessor)]
    for m in marks:
        rows.append(
            [unit.candidate, unit.technique, unit.attempt, m.item, m.mark, assessor, m.notes]
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, out.getvalue())
    return len(mine)


def _rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CoachError(path, f"not a readable marks file ({error}); left as it is") from None
    if not rows or tuple(c.strip() for c in rows[0]) != HEADER:
        raise CoachError(path, f"not a marks file (header {','.join(HEADER)}); left as it is")
    return [r for r in rows[1:] if any(c.strip() for c in r)]


def _same(row: list[str], unit: Unit, assessor: str) -> bool:
    if len(row) != len(HEADER):
        return False
    candidate, technique, attempt, _item, _mark, who, _notes = (c.strip() for c in row)
    return (candidate, technique, _number(attempt), who) == (
        unit.candidate,
        unit.technique,
        _number(unit.attempt),
        assessor,
    )


def _number(attempt: str) -> str:
    """``1`` and ``01`` are the same attempt, as ``coach agreement`` reads them."""
    return str(int(attempt)) if attempt.isdigit() else attempt
