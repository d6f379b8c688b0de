"""Quality of the coaching engine on synthetic attempts, against a baseline that may not worsen.

Attempts span body heights 1.5-2.0 m, speeds 0.5x-2x, both sides, camera distances 2.7-3.3 m and
angles +-15 deg (stiff knees: 65 +-15 deg round, where the coach advises the camera for the
knees' bend, which is Not assessable from the front), with MediaPipe-like noise (see
coach/synth/evaluation.py for the exact definitions of detection, false alarm, coverage and
borderline, and coach/synth/margins.py for the measurement tolerance). The report is written to
tests/output/quality_report.txt. Every row must meet its target (every fault >= 95 %, false
alarms <= 5 %) and none may get worse than tests/quality_baseline.json. To record an
improvement:
COACH_UPDATE_QUALITY_BASELINE=1 pytest tests/test_quality.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coach.synth.evaluation import CORRECT, EXPECTED_FAILURES, evaluate
from coach.synth.quality_report import Row, format_report, meets_target, report
from coach.technique.library import list_techniques

BASELINE = Path(__file__).parent / "quality_baseline.json"
N_PER_CASE = 10
TOLERANCE = 1e-9  # seeded and deterministic: any change is a real change


@pytest.fixture(scope="module")
def rows(output_dir: Path) -> list[Row]:
    outcomes = evaluate(list_techniques(None), N_PER_CASE, seed=0, workers=2)
    rows = report(outcomes)
    (output_dir / "quality_report.txt").write_text(format_report(rows) + "\n")
    return rows


def test_quality_does_not_get_worse_than_the_baseline(rows: list[Row]) -> None:
    current = {
        r.case: {
            "rate": round(r.rate, 4),
            "coverage": round(r.coverage, 4),
            "borderline": r.borderline,
            "n": r.n,
        }
        for r in rows
    }
    if os.environ.get("COACH_UPDATE_QUALITY_BASELINE"):
        BASELINE.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    baseline = json.loads(BASELINE.read_text())
    table = format_report(rows)
    assert set(current) == set(baseline), table
    for case, base in baseline.items():
        now = current[case]
        assert now["n"] == base["n"], (case, table)
        if case == CORRECT:
            assert now["rate"] <= base["rate"] + TOLERANCE, (case, "more false alarms", table)
        else:
            assert now["rate"] >= base["rate"] - TOLERANCE, (case, "fewer detections", table)


def test_every_row_meets_its_target(rows: list[Row]) -> None:
    table = format_report(rows)
    assert all(meets_target(r) for r in rows), table


def test_every_fault_is_evaluated_and_seen_by_the_rubric(rows: list[Row]) -> None:
    by_case = {r.case: r for r in rows}
    assert by_case[CORRECT].n == 6 * N_PER_CASE  # six techniques
    assert by_case[CORRECT].coverage >= 0.7  # most correct attempts are inside the limits
    faults = [r for r in rows if r.case != CORRECT]
    assert {r.case for r in faults} == set(EXPECTED_FAILURES)
    for row in faults:
        assert row.coverage >= 0.8, (row.case, "the rubric cannot see this fault")
        assert row.borderline <= 0.1 * row.n, (row.case, "too many borderline attempts")
