"""Per criterion: how far the measured value lies from the truth, and how often the verdict flips.

The quality report counts attempts; this table says which criterion a false alarm or a missed
fault comes from. For every criterion of every attempt (correct or faulty) it compares the
card's value with the oracle's (the rubric on the exact, noise-free attempt with its true phase
times): the error's median and 90th percentile beside the criterion's measurement tolerance
(``margins.tolerance``), and the verdicts: Met where the oracle says Not met, Not met where the
oracle clearly says Met, and Not assessable. The issue's target "the spread of a check's value
across the camera placements is within its tolerance, or the check is Not assessable there"
is read off this table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from coach.analysis.checks.base import CheckResult, Status
from coach.scoring.scorecard import Criterion
from coach.synth.evaluation import Outcome
from coach.synth.margins import is_borderline, tolerance


@dataclass(frozen=True)
class CriterionErrors:
    """One criterion (technique, label) over a set of attempts."""

    technique_id: str
    label: str
    unit: str
    tolerance: float
    n: int
    """attempts where the oracle has a value"""
    assessed: int
    """of those, attempts the card has a value for"""
    median_error: float
    p90_error: float
    """|card - oracle| over the assessed attempts, in the criterion's unit"""
    false_not_met: int
    """card Not met where the oracle clearly says Met (beyond the tolerance)"""
    false_met: int
    """card Met where the oracle clearly says Not met"""
    not_assessable: int

    @property
    def within_tolerance(self) -> bool:
        """The value's error stays inside the tolerance for 90 % of the attempts it judged."""
        return bool(self.assessed == 0 or self.p90_error <= self.tolerance)


def criterion_errors(outcomes: Iterable[Outcome]) -> list[CriterionErrors]:
    """The table, one row per (technique, criterion label), sorted by technique and label."""
    groups: dict[tuple[str, str], list[tuple[Criterion, CheckResult]]] = {}
    for o in outcomes:
        truth = {r.label: r for r in o.oracle}
        for row in o.card.criteria:
            if row.label in truth:
                groups.setdefault((o.technique_id, row.label), []).append((row, truth[row.label]))
    out = []
    for (technique_id, label), pairs in sorted(groups.items()):
        errors: list[float] = []
        false_not_met = false_met = na = n = 0
        unit, tol = "", 0.0
        for row, oracle in pairs:
            if np.isnan(oracle.value):
                continue
            n += 1
            unit, tol = oracle.unit, tolerance(oracle)
            status = row.status
            clear = not is_borderline(oracle)
            if status == Status.NOT_ASSESSABLE.value or row.value is None:
                na += 1
                continue
            errors.append(abs(float(row.value) - float(oracle.value)))
            truth_met = oracle.status is Status.MET
            if clear and truth_met and status == Status.NOT_MET.value:
                false_not_met += 1
            if clear and not truth_met and status == Status.MET.value:
                false_met += 1
        e = np.asarray(errors)
        out.append(
            CriterionErrors(
                technique_id,
                label,
                unit,
                tol,
                n,
                len(errors),
                float(np.median(e)) if e.size else float("nan"),
                float(np.percentile(e, 90)) if e.size else float("nan"),
                false_not_met,
                false_met,
                na,
            )
        )
    return out


def format_criterion_errors(rows: Iterable[CriterionErrors]) -> str:
    """A fixed-width table of ``criterion_errors``; ``!`` marks a p90 error over tolerance."""
    lines = [
        f"{'technique':<22} {'criterion':<40} {'unit':>5} {'tol':>6} {'n':>4} {'judged':>6} "
        f"{'err p50':>8} {'err p90':>8} {'false NM':>8} {'false M':>7} {'N/A':>4}"
    ]
    for r in rows:
        flag = " " if r.within_tolerance else "!"
        lines.append(
            f"{r.technique_id:<22} {r.label[:40]:<40} {r.unit:>5} {r.tolerance:>6.3g} {r.n:>4} "
            f"{r.assessed:>6} {r.median_error:>8.3g} {r.p90_error:>8.3g}{flag}"
            f"{r.false_not_met:>8} {r.false_met:>7} {r.not_assessable:>4}"
        )
    return "\n".join(lines)
