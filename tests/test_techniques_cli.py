"""``coach techniques list | show | check`` through coach.cli.main: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli import main

TECHNIQUES = Path(__file__).parent.parent / "techniques"


def test_list_shows_the_six_techniques(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["techniques", "list"]) == 0
    out = capsys.readouterr().out
    for tid in (
        "ready_stance",
        "same_side_wrist_grab",
        "cross_wrist_grab",
        "two_hand_wrist_grab",
        "front_strangle",
        "rear_strangle",
    ):
        assert tid in out


def test_show_prints_checks_and_writes_video(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "ref.webm"
    assert (
        main(["techniques", "show", "cross_wrist_grab", "--side", "left", "-o", str(out_file)]) == 0
    )
    out = capsys.readouterr().out
    assert "side left" in out
    assert "[OUTCOME ] Wrist ends at the right shoulder: joint_distance(joint=left_wrist" in out
    assert "max_torso_lengths=0.5" in out
    assert "[coaching] One quick pull: movement_duration(joint=left_wrist, max_s=0.4)" in out
    assert f"reference animation: {out_file}" in out
    assert out_file.stat().st_size > 5000
    assert not list(tmp_path.glob(".*partial*"))  # no temporary file left behind


def test_show_unknown_id_lists_available(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["techniques", "show", "headlock", "--no-video"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coach: error: ")
    assert "no technique 'headlock'; available: cross_wrist_grab, front_strangle" in err


def test_check_accepts_a_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "front_strangle.toml"
    path.write_text((TECHNIQUES / "front_strangle.toml").read_text())
    assert main(["techniques", "check", str(path)]) == 0
    assert "its reference meets all 17 of its own checks" in capsys.readouterr().out


def test_check_rejects_a_bad_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "front_strangle.toml"
    path.write_text(
        (TECHNIQUES / "front_strangle.toml")
        .read_text()
        .replace('kind = "rotation"', 'kind = "spin"')
    )
    assert main(["techniques", "check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert (
        'front_strangle.toml: phases[4].checks[0].kind: unknown check kind "spin"; valid kinds:'
        in err[0]
    )


def test_check_reports_a_reference_failing_its_own_rubric(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "front_strangle.toml"
    path.write_text(
        (TECHNIQUES / "front_strangle.toml").read_text().replace("min_deg = 60", "min_deg = 90")
    )
    assert main(["techniques", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "fails 1 of its own 17 checks" in out
    assert "Sharp turn breaks the hold" in out


def test_workspace_file_overrides_the_shipped_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "techniques").mkdir()
    (tmp_path / "techniques" / "ready_stance.toml").write_text(
        (TECHNIQUES / "ready_stance.toml")
        .read_text()
        .replace('name = "Ready stance drill"', 'name = "Our fence"')
    )
    assert main(["--workspace", str(tmp_path), "techniques", "list"]) == 0
    out = capsys.readouterr().out
    assert "Our fence" in out and "rear_strangle" in out
