"""What an assessor marks on one attempt in the blinded form, and checking what they sent.

The items are the marking template's (``coach.assess.marks.items_of``): each criterion's card
label, then the three practical-record points and ``overall``. The form gets the items' names
and labels only; the coach's marks for them are kept server-side until the assessor submits.
The attempt is named as ``coach assess`` names it (``<name>.assess.json`` beside the folder:
candidate, technique, attempt number); an attempt recorded otherwise is its trainee, the
card's technique and its place (1, 2, ...) among that trainee's attempts at it by date.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.agreement.marks import Unit
from coach.assess.fingerprints import read_state
from coach.assess.marks import CODES, items_of
from coach.assess.record import POINTS, card_from_dict, practical_record
from coach.errors import CoachError

MARK_CODES = tuple(CODES.values())
"""met, not_met, not_assessable: the codes ``coach agreement`` reads."""
REQUIRED = (*(item for item, _ in POINTS), "overall")
"""The points and overall must be marked; a criterion may be left blank (not marked)."""
POINT_LABELS = {**dict(POINTS), "overall": "Overall: Competent"}
MAX_ASSESSOR = 80
MAX_NOTES = 2000


class BadMarksError(ValueError):
    """What the assessor sent cannot be written (answered 400, nothing written)."""


@dataclass(frozen=True)
class FormItem:
    """One row of the form: the item's name in the marks file and what the form shows."""

    item: str
    label: str
    phase: str
    coach: str
    """The coach's mark code: never sent before the assessor's marks are written."""

    def blind(self) -> dict[str, str]:
        return {"item": self.item, "label": self.label, "phase": self.phase}


@dataclass(frozen=True)
class Marked:
    item: str
    mark: str  # a code, or "" when not marked
    notes: str


def form_items(card: dict[str, Any]) -> list[FormItem]:
    """The items to mark on the attempt scored as ``card`` (``score.json``), in card order."""
    record = practical_record(card_from_dict(card))
    phases = [c.phase for c in record.card.criteria]
    out = []
    for n, (item, code) in enumerate(items_of(record)):
        if n < len(phases):
            out.append(FormItem(item, item, phases[n], code))
        else:
            out.append(FormItem(item, POINT_LABELS[item], "practical record", code))
    return out


def unit_of(folder: Path, trainee: str | None, technique: str, place: Callable[[], int]) -> Unit:
    """The attempt's candidate, technique and number (see the module's docstring); ``place``
    counts the attempt among the trainee's at the technique, asked only when needed."""
    state = read_state(folder)
    if state and state.get("candidate") and state.get("technique") and state.get("attempt"):
        return Unit(str(state["candidate"]), str(state["technique"]), str(state["attempt"]))
    if not trainee or not trainee.strip():
        raise CoachError(folder, "this attempt has no trainee name, so its marks would name nobody")
    return Unit(trainee.strip(), technique, str(place()))


def assessor_name(value: object) -> str:
    """The assessor's name as typed (trimmed); BadMarksError when missing or unusable."""
    name = value.strip() if isinstance(value, str) else ""
    if not name:
        raise BadMarksError("missing assessor: type your name before submitting")
    if len(name) > MAX_ASSESSOR or any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise BadMarksError(f"assessor: a name of at most {MAX_ASSESSOR} printable characters")
    if name.casefold() == "coach":
        raise BadMarksError("assessor: 'coach' is the coach's own name in the marks files")
    return name


def checked_marks(body: object, items: list[FormItem]) -> list[Marked]:
    """The assessor's marks for every item, in card order; BadMarksError naming the first problem
    (not a list, an item not on the card, twice, an unknown mark, a point left unmarked)."""
    if not isinstance(body, list):
        raise BadMarksError("marks: expected a list of {item, mark, notes}")
    names = {i.item for i in items}
    given: dict[str, Marked] = {}
    for entry in body:
        if not isinstance(entry, dict) or not isinstance(entry.get("item"), str):
            raise BadMarksError("marks: each entry needs an item")
        item = entry["item"]
        if item not in names:
            raise BadMarksError(f"item {item!r} is not on this attempt's card")
        if item in given:
            raise BadMarksError(f"item {item!r} is marked twice")
        mark = entry.get("mark") or ""
        if mark not in (*MARK_CODES, ""):
            raise BadMarksError(f"unknown mark {mark!r} for {item!r} (use {', '.join(MARK_CODES)})")
        notes = entry.get("notes") or ""
        if not isinstance(notes, str) or len(notes) > MAX_NOTES:
            raise BadMarksError(f"notes for {item!r}: text of at most {MAX_NOTES} characters")
        given[item] = Marked(item, mark, notes.strip())
    missing = [i for i in REQUIRED if not (i in given and given[i].mark)]
    if missing:
        raise BadMarksError(
            f"not marked: {', '.join(missing)} (Not assessable if you could not judge)"
        )
    return [given.get(i.item, Marked(i.item, "", "")) for i in items]
