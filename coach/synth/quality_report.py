"""The quality report: detection and false-alarm rates per case, against the targets.

Rows, for each fault: ``rate`` is the detection rate over the attempts where the oracle sees
the fault clearly (beyond measurement tolerance); ``coverage`` is the share it sees clearly
(the rubric's reach: a fault it cannot see needs a check, not a better engine);
``borderline`` counts attempts where the oracle sees it only within tolerance (left out of
``rate``); ``rate_all`` is detection over every attempt. For "correct": ``rate`` is the share
of all correct attempts with a false alarm; ``borderline`` counts those whose only alarms are
borderline; ``coverage`` is the share inside the technique's limits (the oracle fails none);
``rate_all`` counts borderline alarms as false ones too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np

from coach.synth.evaluation import CORRECT, Outcome

DETECTION_TARGET: Final[float] = 0.95
FALSE_ALARM_TARGET: Final[float] = 0.05


@dataclass(frozen=True)
class Row:
    """One line of the quality report (see the module docstring)."""

    case: str
    n: int
    rate: float
    coverage: float
    borderline: int
    rate_all: float


def _fault_row(case: str, group: list[Outcome]) -> Row:
    sight = np.array([o.sight for o in group])
    detected = np.array([o.detected for o in group])
    clear = sight == "clear"
    rate = float(detected[clear].mean()) if clear.any() else float("nan")
    borderline = int((sight == "borderline").sum())
    return Row(case, len(group), rate, float(clear.mean()), borderline, float(detected.mean()))


def _correct_row(group: list[Outcome]) -> Row:
    alarms = np.array([o.alarms() for o in group]).reshape(-1, 2)
    false = alarms[:, 0] > 0
    borderline = int(((alarms[:, 0] == 0) & (alarms[:, 1] > 0)).sum())
    inside = float(np.mean([not o.outside_limits for o in group]))
    any_alarm = float((alarms.sum(axis=1) > 0).mean())
    return Row(CORRECT, len(group), float(false.mean()), inside, borderline, any_alarm)


def report(outcomes: Iterable[Outcome]) -> list[Row]:
    """Rows sorted by case."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.fault, []).append(o)
    return [
        _correct_row(group) if case == CORRECT else _fault_row(case, group)
        for case, group in sorted(groups.items())
    ]


def meets_target(row: Row) -> bool:
    """Detection >= 95 % for a fault, false alarms <= 5 % for correct attempts."""
    if row.case == CORRECT:
        return row.rate <= FALSE_ALARM_TARGET
    return bool(row.rate >= DETECTION_TARGET)


def format_report(rows: Iterable[Row]) -> str:
    """The report as a fixed-width table, with each row against its target."""
    lines = [
        f"{'case':22}{'n':>5}{'rate':>8}{'coverage':>10}{'borderline':>12}{'rate_all':>10}  target"
    ]
    for r in rows:
        target = "met" if meets_target(r) else "NOT met"
        lines.append(
            f"{r.case:22}{r.n:>5}{r.rate:>8.3f}{r.coverage:>10.3f}{r.borderline:>12}"
            f"{r.rate_all:>10.3f}  {target}"
        )
    return "\n".join(lines)

