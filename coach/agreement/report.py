"""Marks files in, ``agreement.csv`` (+ ``fleiss.csv`` with 3+ raters) and ``agreement.html``
out, each written aside and renamed into place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coach.agreement.marks import read_marks
from coach.agreement.page import SourceFile, render_page
from coach.agreement.pairs import Agreement, agreement
from coach.agreement.tables import fleiss_csv, pairs_csv
from coach.errors import CoachError
from coach.review.atomic_file import write_text_atomically


@dataclass(frozen=True)
class Written:
    result: Agreement
    files: tuple[Path, ...]


def write_agreement(paths: list[Path], out: Path) -> Written:
    marks = read_marks(paths)
    raters = {m.assessor for m in marks}
    if len(raters) < 2:
        found = ", ".join(sorted(raters)) or "none"
        raise CoachError(
            paths[0], f"agreement needs marks from two raters or more (found: {found})"
        )
    result = agreement(marks)
    sources = [SourceFile(str(p), sum(m.source.startswith(f"{p}:") for m in marks)) for p in paths]
    if out.exists() and not out.is_dir():
        raise CoachError(out, "not a folder")
    out.mkdir(parents=True, exist_ok=True)
    files = [write_text_atomically(out / "agreement.csv", pairs_csv(result))]
    if result.fleiss:
        files.append(write_text_atomically(out / "fleiss.csv", fleiss_csv(result)))
    files.append(write_text_atomically(out / "agreement.html", render_page(result, sources)))
    return Written(result, tuple(files))
