"""The marking files: a blank template for the assessors and the coach's own marks, in one
format (``candidate,technique,attempt,item,mark,assessor,notes``) that ``coach agreement`` reads.

Items are each criterion's label on the card (a label repeated in another phase gets the
phase in brackets), then ``successfully_applied``, ``safely_applied``, ``coaching_points`` and
``overall``. Marks are ``met``, ``not_met`` or ``not_assessable``.
"""

from __future__ import annotations

import csv
import io

from coach.agreement.marks import COACH, HEADER, MARKS
from coach.assess.batch import AttemptResult
from coach.assess.record import MET, NOT_ASSESSABLE, NOT_MET, PracticalRecord

CODES = dict(zip((MET, NOT_MET, NOT_ASSESSABLE), MARKS, strict=True))
"""The record's marks as the marks files' codes (the format ``coach agreement`` reads)."""


def items_of(record: PracticalRecord) -> list[tuple[str, str]]:
    """(item, coach's mark code) for every item to mark on one attempt, in card order."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for c in record.card.criteria:
        item = c.label if c.label not in seen else f"{c.label} ({c.phase})"
        seen.add(item)
        out.append((item, CODES[c.status]))
    out.extend((p.item, CODES[p.mark]) for p in record.points)
    out.append(("overall", CODES[record.overall_mark]))
    return out


def marks_csv(results: list[AttemptResult], coach_marks: bool) -> str:
    """The template (marks, assessor and notes blank) or the coach's marks (assessor coach)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    ordered = sorted(results, key=lambda r: (r.item.candidate, r.item.technique, r.item.attempt))
    for r in ordered:
        for item, code in items_of(r.record):
            mark, who = (code, COACH) if coach_marks else ("", "")
            writer.writerow(
                [r.item.candidate, r.item.technique, r.item.attempt, item, mark, who, ""]
            )
    return out.getvalue()
