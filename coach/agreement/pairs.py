"""From marks to agreement rows: for every item and every pair of raters, the 2 x 2 table of
the attempts both marked Met or Not met, the pairs left out because one said Not assessable,
and the statistics; Fleiss' kappa per item when three or more raters marked it.

Items come in card order as first met in the files (the criteria), then the practical-record
points and overall, then ``all criteria``: every criterion's pairs pooled, one unit per attempt
and criterion (the points and overall are made from the criteria and are left out of it). The
marks of one attempt are not independent, so that row's intervals come from resampling
attempts (``clustered``), not from the formulas that assume independent marks.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from coach.agreement.clustered import clustered_stats
from coach.agreement.fleiss import FleissStats, fleiss_stats
from coach.agreement.marks import COACH, POINTS, Mark
from coach.agreement.two_raters import Table, TwoRaterStats, two_rater_stats

ALL_CRITERIA = "all criteria"
COACH_HUMAN = "coach-human"
HUMAN_HUMAN = "human-human"


@dataclass(frozen=True)
class PairRow:
    """One item, one rater pair: ``excluded`` attempts both marked but one (or both) Not
    assessable; ``stats`` None when no attempt was paired."""

    item: str
    first: str
    second: str
    table: Table
    excluded: int
    stats: TwoRaterStats | None

    @property
    def kind(self) -> str:
        return COACH_HUMAN if COACH in (self.first, self.second) else HUMAN_HUMAN


@dataclass(frozen=True)
class FleissRow:
    item: str
    raters: tuple[str, ...]
    excluded: int
    stats: FleissStats | None


@dataclass(frozen=True)
class Agreement:
    raters: tuple[str, ...]
    items: tuple[str, ...]
    units: int
    pairs: tuple[PairRow, ...]
    fleiss: tuple[FleissRow, ...]
    unpaired: tuple[str, ...] = ()


def order_raters(marks: list[Mark]) -> tuple[str, ...]:
    """The coach first, then the assessors as first met."""
    names = dict.fromkeys(m.assessor for m in marks)
    return tuple(sorted(names, key=lambda name: name != COACH))


def order_items(marks: list[Mark]) -> tuple[str, ...]:
    seen = dict.fromkeys(m.item for m in marks)
    criteria = [item for item in seen if item not in POINTS]
    return (*criteria, *(p for p in POINTS if p in seen))


def agreement(marks: list[Mark]) -> Agreement:
    raters = order_raters(marks)
    items = order_items(marks)
    by_item: dict[str, dict[object, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for m in marks:
        by_item[m.item][m.unit][m.assessor] = m.mark
        if m.item not in POINTS:  # the pooled criteria: one unit per attempt and criterion
            by_item[ALL_CRITERIA][m.unit, m.item][m.assessor] = m.mark
    if ALL_CRITERIA in by_item:
        items = (*items, ALL_CRITERIA)
    pairs = tuple(
        _pooled_row(by_item[item], first, second)
        if item == ALL_CRITERIA
        else _row(item, first, second, _pair_counts(by_item[item], first, second))
        for item in items
        for first, second in itertools.combinations(raters, 2)
    )
    fleiss = (
        tuple(_fleiss_row(item, by_item[item], raters) for item in items)
        if len(raters) >= 3
        else ()
    )
    units = len({m.unit for m in marks})
    return Agreement(raters, items, units, pairs, fleiss, _unpaired(by_item, items))


def _unpaired(
    by_item: dict[str, dict[object, dict[str, str]]], items: tuple[str, ...]
) -> tuple[str, ...]:
    """Items only one rater marked: often a label spelled two ways."""
    return tuple(
        item
        for item in items
        if len({rater for marks in by_item[item].values() for rater in marks}) < 2
    )


def _pair_counts(units: dict[object, dict[str, str]], first: str, second: str) -> list[int]:
    """[both met, met/not met, not met/met, both not met, excluded as Not assessable]."""
    counts = [0, 0, 0, 0, 0]
    for marks in units.values():
        if first not in marks or second not in marks:
            continue
        a, b = marks[first], marks[second]
        if "not_assessable" in (a, b):
            counts[4] += 1
        else:
            counts[(a == "not_met") * 2 + (b == "not_met")] += 1
    return counts


def _row(item: str, first: str, second: str, counts: list[int]) -> PairRow:
    table = Table(*counts[:4])
    return PairRow(
        item, first, second, table, counts[4], two_rater_stats(table) if table.n else None
    )


def _pooled_row(units: dict[object, dict[str, str]], first: str, second: str) -> PairRow:
    """The criteria pooled, its intervals from resampling attempts with all their criteria."""
    per_attempt: dict[object, dict[object, dict[str, str]]] = defaultdict(dict)
    for key, marks in units.items():
        assert isinstance(key, tuple)  # (attempt, criterion)
        per_attempt[key[0]][key] = marks
    counts = np.array(
        [_pair_counts(criteria, first, second) for criteria in per_attempt.values()]
    ).reshape(-1, 5)
    table = Table(*(int(x) for x in counts[:, :4].sum(axis=0)))
    paired = counts[counts[:, :4].sum(axis=1) > 0, :4]
    stats = clustered_stats(paired) if table.n else None
    return PairRow(ALL_CRITERIA, first, second, table, int(counts[:, 4].sum()), stats)


def _fleiss_row(
    item: str, units: dict[object, dict[str, str]], raters: tuple[str, ...]
) -> FleissRow:
    """Attempts every rater marked; those where any said Not assessable are left out. The
    pooled criteria resample attempts, each with all its criteria."""
    rows, groups, excluded = [], [], 0
    attempt_numbers: dict[object, int] = {}
    for key, marks in units.items():
        if any(r not in marks for r in raters):
            continue
        values = [marks[r] for r in raters]
        if "not_assessable" in values:
            excluded += 1
            continue
        met = values.count("met")
        rows.append([met, len(raters) - met])
        attempt = key[0] if item == ALL_CRITERIA and isinstance(key, tuple) else key
        groups.append(attempt_numbers.setdefault(attempt, len(attempt_numbers)))
    stats = fleiss_stats(np.array(rows), np.array(groups)) if rows else None
    return FleissRow(item, raters, excluded, stats)
