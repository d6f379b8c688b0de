"""``coach score`` through the real command line: a synthetic attempt with known faults, JSON,
bad input, and a real video that is not a breakaway attempt."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import COACH

SAMPLE = Path(__file__).parent.parent / "coach" / "sample_attempts" / "same_side_wrist_grab"


def run_coach(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COACH, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        cwd=cwd,
    )


@pytest.fixture
def attempt(tmp_path: Path) -> Path:
    """A copy of the bundled synthetic attempt (faults: hands down, no step back)."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "attempt"))


def test_table_names_the_injected_faults_and_writes_score_json(attempt: Path) -> None:
    done = run_coach("score", attempt, "--technique", "same_side_wrist_grab")
    assert done.returncode == 0, done.stderr
    rows = {
        line[4:].split("  ")[0].strip() + "|" + line[:3].strip()
        for line in done.stdout.splitlines()
        if line[:3] in ("ok ", "NO ", "-- ")
    }
    assert any("step_back" in r and r.endswith("|NO") for r in rows)
    assert any("exit" in r and r.endswith("|NO") for r in rows)
    assert "It worked (broke free):          yes" in done.stdout
    assert "Matched the coaching points:     no" in done.stdout
    assert "signal at 4.00 s" in done.stdout  # GO recorded in attempt.json, not estimated
    card = json.loads((attempt / "score.json").read_text())
    failed = {c["label"] for c in card["criteria"] if c["status"] == "Not met"}
    assert failed == {"Step back after the release", "Guard up again"}
    assert card["outcomes"]["it_worked_broke_free"] is True
    assert card["outcomes"]["matched_coaching_points_used_taught_technique"] is False


def test_json_output_and_side_choice(attempt: Path) -> None:
    auto = json.loads(
        run_coach("score", attempt, "--technique", "same_side_wrist_grab", "--json").stdout
    )
    assert auto["side"] == "right"  # the attempt holds the right wrist: auto finds it
    wrong = json.loads(
        run_coach(
            "score", attempt, "--technique", "same_side_wrist_grab", "--side", "left", "--json"
        ).stdout
    )
    assert wrong["side"] == "left"
    assert wrong["alignment_cost"] > auto["alignment_cost"]
    assert len(wrong["criteria"]) == len(auto["criteria"])


def test_bad_input_is_one_line_exit_2(attempt: Path, tmp_path: Path) -> None:
    cases = [
        (("score", attempt, "--technique", "no_such_technique"), "no_such_technique"),
        (
            ("score", tmp_path / "missing.mp4", "--technique", "same_side_wrist_grab"),
            "no such file",
        ),
        (
            ("score", attempt, "--technique", "same_side_wrist_grab", "--t0", "99"),
            "outside the attempt",
        ),
        (
            ("score", attempt, "--technique", "same_side_wrist_grab", "--trainee-person", "left"),
            "--trainee-person applies to a video",
        ),
    ]
    for args, problem in cases:
        done = run_coach(*args)
        assert done.returncode == 2, (args, done.stderr)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("coach: error: "), lines
        assert problem in lines[0]
        assert "Traceback" not in done.stderr


@pytest.mark.pose
def test_real_video_that_is_not_a_breakaway_is_scored_honestly(
    demo_video: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "centre"
    workspace.mkdir()
    done = run_coach(
        "--workspace", workspace, "score", demo_video, "--technique", "front_strangle", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    card = json.loads(done.stdout)
    statuses = [c["status"] for c in card["criteria"]]
    assert statuses.count("Met") <= len(statuses) // 3  # people walking do not pass a strangle
    assert card["outcomes"]["it_worked_broke_free"] is not True
    assert card["outcomes"]["matched_coaching_points_used_taught_technique"] is False
    onset = next(c for c in card["criteria"] if c["kind"] == "onset")
    assert onset["status"] == "Not assessable"  # no start signal: reaction time is not made up
    assert card["timings"]["t0_source"] == "estimated"
    folders = list((workspace / "recordings").iterdir())
    assert len(folders) == 1 and (folders[0] / "score.json").is_file()
