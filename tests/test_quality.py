"""Quality of the coaching engine on synthetic attempts, against a baseline that may not worsen.

Attempts span body heights 1.5-2.0 m, speeds 0.5x-2x, both sides, camera distances 2.7-3.3 m
and angles +-15 deg, with MediaPipe-like noise (see coach/synth/evaluation.py for the exact
definitions of detection, false alarm, coverage and "outside limits"). The report is written to
tests/output/quality_report.txt. The targets (every fault >= 95 %, false alarms <= 5 %) are
shown there; this test refuses any row that gets worse than tests/quality_baseline.json.
To record an improvement: COACH_UPDATE_QUALITY_BASELINE=1 pytest tests/test_quality.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coach.synth.evaluation import CORRECT, OUTSIDE_LIMITS, evaluate, format_report, report
from coach.technique.library import list_techniques

BASELINE = Path(__file__).parent / "quality_baseline.json"
N_PER_CASE = 5
TOLERANCE = 1e-9  # seeded and deterministic: any change is a real change


@pytest.fixture(scope="module")
def rows(output_dir: Path) -> list:
    outcomes = evaluate(list_techniques(None), N_PER_CASE, seed=0, workers=2)
    rows = report(outcomes)
    (output_dir / "quality_report.txt").write_text(format_report(rows) + "\n")
    return rows


def test_quality_does_not_get_worse_than_the_baseline(rows: list) -> None:
    current = {
        r.case: {"rate": round(r.rate, 4), "coverage": round(r.coverage, 4), "n": r.n} for r in rows
    }
    if os.environ.get("COACH_UPDATE_QUALITY_BASELINE"):
        BASELINE.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    baseline = json.loads(BASELINE.read_text())
    table = format_report(rows)
    assert set(current) >= set(baseline) - {OUTSIDE_LIMITS}, table
    for case, base in baseline.items():
        if case == OUTSIDE_LIMITS:
            continue
        now = current[case]
        assert now["n"] == base["n"], (case, table)
        if case == CORRECT:
            assert now["rate"] <= base["rate"] + TOLERANCE, (case, "more false alarms", table)
        else:
            assert now["rate"] >= base["rate"] - TOLERANCE, (case, "fewer detections", table)


def test_every_fault_is_evaluated_and_seen_by_the_rubric(rows: list) -> None:
    by_case = {r.case: r for r in rows}
    outside = by_case[OUTSIDE_LIMITS].n if OUTSIDE_LIMITS in by_case else 0
    assert by_case[CORRECT].n + outside == 6 * N_PER_CASE  # six techniques
    assert by_case[CORRECT].n >= 4 * N_PER_CASE  # most correct attempts are inside the limits
    faults = [r for r in rows if r.case not in (CORRECT, OUTSIDE_LIMITS)]
    assert len(faults) == 12
    for row in faults:
        assert row.coverage >= 0.8, (row.case, "the rubric cannot see this fault")
