"""The coach's verdict and the instructor's, side by side.

The instructor's verdict is the same score card with the overridden criteria's statuses put in,
so its outcomes (broke free, safe, used the taught technique, hard fail) follow the same rules
as the coach's (``ScoreCard``'s properties), never a second copy of them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from coach.errors import CoachError
from coach.review.review_file import Review, criterion_key
from coach.scoring.scorecard import Criterion, ScoreCard, Timings

OUTCOMES = (
    ("broke free", "broke_free"),
    ("it was safe", "was_safe"),
    ("used the taught technique", "used_taught_technique"),
    ("hard fail (over the time limit)", "hard_fail"),
)


@dataclass(frozen=True)
class OutcomeRow:
    name: str
    coach: bool | None
    instructor: bool | None

    @property
    def differs(self) -> bool:
        return self.coach != self.instructor


def card_from_json(body: dict[str, Any]) -> ScoreCard:
    """A ``score.json`` body back to a ScoreCard; CoachError if it is not one."""
    try:
        names = {f.name for f in fields(Criterion)}
        criteria = tuple(
            Criterion(**{k: v for k, v in row.items() if k in names}) for row in body["criteria"]
        )
        return ScoreCard(
            technique_id=str(body["technique_id"]),
            technique_name=str(body["technique_name"]),
            side=str(body["side"]),
            criteria=criteria,
            timings=Timings(**body["timings"]),
            alignment_cost=float(body["alignment_cost"]),
            notes=tuple(body.get("notes", ())),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CoachError("score.json", f"not a score card this coach reads ({error})") from None


def with_overrides(card: ScoreCard, review: Review) -> ScoreCard:
    """The card with every overridden criterion's status replaced by the instructor's."""
    rows = []
    for c in card.criteria:
        override = review.override_for(
            criterion_key({"phase": c.phase, "kind": c.kind, "label": c.label})
        )
        rows.append(replace(c, status=override.status) if override else c)
    return replace(card, criteria=tuple(rows))


def side_by_side(body: dict[str, Any], review: Review) -> list[OutcomeRow]:
    """The outcomes by the coach and by the instructor (the coach's with overrides put in)."""
    coach = card_from_json(body)
    instructor = with_overrides(coach, review)
    return [
        OutcomeRow(name, getattr(coach, attr), getattr(instructor, attr)) for name, attr in OUTCOMES
    ]
