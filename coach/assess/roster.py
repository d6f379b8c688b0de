"""Who is on the course: an optional roster, so that a misspelt name or someone else's video is
refused, not assessed as a new candidate, and a candidate with no video is named.

A roster is a text or CSV file with one candidate per line (the first column; a first line
``candidate`` is a header). Names are compared as written, apart from surrounding spaces and
letter case ("ann lee" is "Ann Lee").
"""

from __future__ import annotations

import csv
from pathlib import Path

from coach.assess.manifest import Item, Refused
from coach.errors import CoachError


def read_roster(path: Path) -> list[str]:
    """The candidates listed in ``path``, in order; CoachError if it is unusable or empty."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CoachError(path, "no such roster file") from None
    except UnicodeDecodeError:
        raise CoachError(path, "not a text (UTF-8) roster file") from None
    names = [row[0].strip() for row in csv.reader(text.splitlines()) if row and row[0].strip()]
    if names and names[0].casefold() == "candidate":
        names = names[1:]
    if not names:
        raise CoachError(path, "the roster lists no candidates (one name per line)")
    return names


def on_roster(
    items: list[Item], roster: list[str], roster_path: Path
) -> tuple[list[Item], list[Refused], list[str]]:
    """(items of candidates on the roster, the others refused, roster names with no video)."""
    listed = {name.casefold() for name in roster}
    kept = [item for item in items if item.candidate.strip().casefold() in listed]
    refused = [
        Refused(item.where, f"candidate {item.candidate!r} is not on the roster {roster_path}")
        for item in items
        if item.candidate.strip().casefold() not in listed
    ]
    filmed = {item.candidate.strip().casefold() for item in items}
    missing = [name for name in roster if name.casefold() not in filmed]
    return kept, refused, missing
