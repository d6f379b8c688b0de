"""The practical record of one attempt: the security-industry form's three points, Met / Not met,
each with the score card's criteria behind it, and Competent / Not yet competent overall.

The points are the card's own outcomes, read the card's way (``ScoreCard``): successfully
applied is "broke free" (every outcome criterion, the 10 s hard fail among them); safely applied
is "it was safe" (the safety criteria); consistent with the coaching points is "used the taught
technique" (the coaching criteria). A point the card could not decide is Not assessable, and the
attempt is then Not yet competent: competence is never granted on what was not seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from coach.scoring.scorecard import SAFETY_KINDS, Criterion, ScoreCard, Timings

MET: Final = "Met"
NOT_MET: Final = "Not met"
NOT_ASSESSABLE: Final = "Not assessable"
COMPETENT: Final = "Competent"
NOT_YET: Final = "Not yet competent"

POINTS: Final[tuple[tuple[str, str], ...]] = (
    ("successfully_applied", "Successfully applied (broke free within 10 s)"),
    ("safely_applied", "Safely applied"),
    ("coaching_points", "Consistent with the coaching points"),
)
"""(item name in the marking files, label on the record)."""


@dataclass(frozen=True)
class Point:
    """One of the three points: its mark and the criteria that decided it."""

    item: str
    label: str
    mark: str
    criteria: tuple[Criterion, ...]

    @property
    def failing(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.not_met)


@dataclass(frozen=True)
class PracticalRecord:
    """The three points and the overall result of one attempt."""

    points: tuple[Point, ...]
    card: ScoreCard

    @property
    def competent(self) -> bool:
        return all(p.mark == MET for p in self.points)

    @property
    def overall(self) -> str:
        return COMPETENT if self.competent else NOT_YET

    @property
    def overall_mark(self) -> str:
        """Met (competent), Not met (a point not met) or Not assessable (none failed, one
        undecided): the coach's mark for the marking files' ``overall`` item."""
        if self.competent:
            return MET
        if any(p.mark == NOT_MET for p in self.points):
            return NOT_MET
        return NOT_ASSESSABLE


def card_from_dict(body: dict[str, Any]) -> ScoreCard:
    """A score card read back from ``score.json`` (``ScoreCard.to_dict``)."""
    return ScoreCard(
        technique_id=body["technique_id"],
        technique_name=body["technique_name"],
        side=body["side"],
        criteria=tuple(Criterion(**c) for c in body["criteria"]),
        timings=Timings(**body["timings"]),
        alignment_cost=body["alignment_cost"],
        notes=tuple(body.get("notes", ())),
        interaction=body.get("interaction"),
        swap_repaired_frames=int(body.get("swap_repaired_frames", 0)),
    )


def _mark(decided: bool | None) -> str:
    return NOT_ASSESSABLE if decided is None else (MET if decided else NOT_MET)


def practical_record(card: ScoreCard) -> PracticalRecord:
    """The record of ``card``: each point as the card decides it, with its criteria."""
    rows = card.criteria
    behind = (
        tuple(c for c in rows if c.role == "outcome"),
        tuple(c for c in rows if c.kind in SAFETY_KINDS),
        tuple(c for c in rows if c.role == "coaching"),
    )
    marks = (card.broke_free, card.was_safe, card.used_taught_technique)
    points = tuple(
        Point(item, label, _mark(decided), criteria)
        for (item, label), decided, criteria in zip(POINTS, marks, behind, strict=True)
    )
    return PracticalRecord(points, card)
