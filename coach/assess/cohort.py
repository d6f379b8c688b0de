"""The cohort table: candidates x techniques, each cell Competent / Not yet competent, and per
technique the pass rate, the most common failing criterion and the median reaction and release
times. A candidate with several attempts at a technique is Competent there when one of the
attempts is (a re-attempt on the day); every attempt stays in the pack.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass

from coach.assess.batch import AttemptResult
from coach.assess.record import COMPETENT, NOT_YET


@dataclass(frozen=True)
class Cell:
    candidate: str
    technique: str
    attempts: tuple[AttemptResult, ...]

    @property
    def result(self) -> str:
        if not self.attempts:
            return ""
        return COMPETENT if any(a.record.competent for a in self.attempts) else NOT_YET


@dataclass(frozen=True)
class TechniqueSummary:
    technique: str
    name: str
    candidates: int
    competent: int
    most_failed: str | None
    most_failed_count: int
    median_reaction_s: float | None
    median_release_s: float | None
    attempts: int

    @property
    def pass_rate(self) -> float | None:
        return self.competent / self.candidates if self.candidates else None


@dataclass(frozen=True)
class Cohort:
    candidates: tuple[str, ...]
    techniques: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    summaries: tuple[TechniqueSummary, ...]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def cohort_of(results: list[AttemptResult]) -> Cohort:
    candidates = tuple(sorted({r.item.candidate for r in results}))
    techniques = tuple(sorted({r.item.technique for r in results}))
    cells = {
        (c, t): Cell(
            c,
            t,
            tuple(
                sorted(
                    (r for r in results if (r.item.candidate, r.item.technique) == (c, t)),
                    key=lambda r: r.item.attempt,
                )
            ),
        )
        for c in candidates
        for t in techniques
    }
    summaries = []
    for t in techniques:
        assessed = [cells[(c, t)] for c in candidates if cells[(c, t)].attempts]
        attempts = [a for cell in assessed for a in cell.attempts]
        failing = Counter(c.label for a in attempts for c in a.record.card.criteria if c.not_met)
        top = min(failing.items(), key=lambda kv: (-kv[1], kv[0])) if failing else None
        timings = [a.record.card.timings for a in attempts]
        summaries.append(
            TechniqueSummary(
                technique=t,
                name=attempts[0].record.card.technique_name if attempts else t,
                candidates=len(assessed),
                competent=sum(cell.result == COMPETENT for cell in assessed),
                most_failed=top[0] if top else None,
                most_failed_count=top[1] if top else 0,
                median_reaction_s=_median(
                    [x.reaction_s for x in timings if x.reaction_s is not None]
                ),
                median_release_s=_median([x.release_s for x in timings if x.release_s is not None]),
                attempts=len(attempts),
            )
        )
    return Cohort(candidates, techniques, cells, tuple(summaries))


def cohort_csv(cohort: Cohort) -> str:
    """The grid: one row per candidate, one column per technique (blank: not assessed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["candidate", *cohort.techniques])
    for c in cohort.candidates:
        writer.writerow([c, *(cohort.cells[(c, t)].result for t in cohort.techniques)])
    return out.getvalue()


def techniques_csv(cohort: Cohort) -> str:
    """Per technique: candidates, competent, pass rate, most common failing criterion, medians."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "technique",
            "candidates",
            "competent",
            "pass_rate",
            "most_common_failing_criterion",
            "times_not_met",
            "median_reaction_s",
            "median_release_s",
        ]
    )
    for s in cohort.summaries:
        writer.writerow(
            [
                s.technique,
                s.candidates,
                s.competent,
                "" if s.pass_rate is None else f"{s.pass_rate:.3f}",
                s.most_failed or "",
                s.most_failed_count,
                "" if s.median_reaction_s is None else s.median_reaction_s,
                "" if s.median_release_s is None else s.median_release_s,
            ]
        )
    return out.getvalue()
