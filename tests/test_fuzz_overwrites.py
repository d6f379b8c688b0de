"""Overwrite rules (issue 15, defects 5 and 21): never delete or replace what we did not write.

``--headless`` may not name the ``--camera`` video; ``extract --force`` replaces only an attempt
folder holding nothing but the coach's own files; ``coach demo`` is made aside and swapped in
whole, so a failed demo leaves the last one as it was, and it uses the chosen workspace.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.commands.demo import run_demo
from coach.errors import CoachError
from coach.recording.attempt_folder import write_attempt
from coach.workspace import find_workspace
from tests.cli_run import assert_refused, coach, debris
from tests.test_recording_format import make_meta, make_sequence

REPO = Path(__file__).resolve().parent.parent


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "recordings").mkdir(parents=True)
    shutil.copytree(REPO / "techniques", ws / "techniques")
    return ws


@pytest.mark.parametrize("link", [False, True])
def test_headless_output_may_not_be_the_camera_video(tmp_path: Path, link: bool) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"the trainee's only copy")
    out = video
    if link:
        out = tmp_path / "out.mp4"
        out.symlink_to(video)
    run = coach("--workspace", _workspace(tmp_path), "live", "--technique",
                "same_side_wrist_grab", "--camera", video, "--headless", out)
    assert_refused(run, "is the --camera video itself")
    assert video.read_bytes() == b"the trainee's only copy"


def test_extract_force_will_not_delete_a_users_folder_or_file(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    mine = tmp_path / "my_project"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    a_file = tmp_path / "report.pdf"
    a_file.write_text("mine too")
    missing_video = tmp_path / "nothing.mp4"
    for target, problem in ((mine, "is not an attempt folder"), (a_file, "is not a folder")):
        run = coach("--workspace", ws, "extract", missing_video, "-o", target, "--force")
        assert_refused(run, str(target), problem)
    assert (mine / "notes.txt").read_text() == "mine" and a_file.read_text() == "mine too"


def test_force_replaces_only_an_attempt_folder_with_only_our_files(tmp_path: Path) -> None:
    folder = tmp_path / "a1"
    write_attempt(folder, make_sequence(3), make_meta())
    (folder / "instructor-notes.txt").write_text("keep me")
    with pytest.raises(CoachError, match=r"holds files the coach did not write "
                       r"\(instructor-notes.txt\); --force will not delete them"):
        write_attempt(folder, make_sequence(4), make_meta(), force=True)
    (folder / "instructor-notes.txt").unlink()
    write_attempt(folder, make_sequence(4), make_meta(), force=True)
    assert not debris(tmp_path)


def test_demo_refuses_a_folder_with_the_users_files(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    demo = ws / "recordings" / "demo"
    demo.mkdir()
    (demo / "holiday.jpg").write_bytes(b"jpeg")
    assert_refused(coach("--workspace", ws, "demo"), "holiday.jpg", "will not delete them")
    assert (demo / "holiday.jpg").read_bytes() == b"jpeg"


def test_a_failed_demo_leaves_the_last_one_whole(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    demo = ws / "recordings" / "demo"
    demo.mkdir()
    (demo / "coached.mp4").write_bytes(b"last demo")

    def broken_coach(*_: object) -> object:
        raise RuntimeError("the coach failed")

    with pytest.raises(RuntimeError, match="the coach failed"):
        run_demo(demo, make_coach=broken_coach, workspace=find_workspace(ws))  # type: ignore[arg-type]
    assert (demo / "coached.mp4").read_bytes() == b"last demo"
    assert sorted(p.name for p in demo.parent.iterdir()) == ["demo"]


def test_demo_uses_the_workspaces_technique(tmp_path: Path) -> None:
    """Defect 21: the technique comes from --workspace (a broken one there is what is read)."""
    ws = _workspace(tmp_path)
    technique = ws / "techniques" / "same_side_wrist_grab.toml"
    technique.write_text(technique.read_text().replace("duration_s = 1.0", "duration_s = 1e6", 1))
    assert_refused(coach("--workspace", ws, "demo"), str(technique), "duration_s")
    assert not (ws / "recordings" / "demo").exists()
