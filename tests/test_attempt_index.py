"""The attempt index (recordings/index.sqlite): built from real scored folders, kept in line
with folders added, changed and removed by hand, corrupt folders listed, schema migrations."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.store.index import (
    INDEX_FILE,
    MIGRATIONS,
    SCHEMA_VERSION,
    AttemptFilter,
    AttemptIndex,
    rebuild,
)
from tests.conftest import COACH
from tests.review_attempts import copy_as, scored_sample


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scored_sample(tmp_path_factory.mktemp("scored") / "attempt")


@pytest.fixture
def recordings(tmp_path: Path, scored: Path) -> Path:
    rec = tmp_path / "recordings"
    copy_as(scored, rec / "2026-01-05_ann_1", trainee="Ann", created="2026-01-05T10:00:00+00:00")
    copy_as(scored, rec / "2026-03-01_ann_2", trainee="Ann", created="2026-03-01T10:00:00+00:00")
    copy_as(scored, rec / "demo" / "bob_1", trainee="Bob", created="2026-02-01T10:00:00+00:00")
    return rec


def test_scored_folders_are_indexed_with_outcomes_timings_and_faults(
    recordings: Path, scored: Path
) -> None:
    card = json.loads((scored / "score.json").read_text())
    with AttemptIndex(recordings) as index:
        report = index.sync()
        assert (report.added, report.removed, report.corrupt) == (3, 0, 0)
        rows = index.attempts()
    assert [r.folder for r in rows] == ["2026-03-01_ann_2", "demo/bob_1", "2026-01-05_ann_1"]
    row = rows[0]
    assert (row.trainee, row.technique, row.side, row.date) == (
        "Ann",
        "same_side_wrist_grab",
        "right",
        "2026-03-01",
    )
    assert row.status == "scored"
    assert row.broke_free is card["outcomes"]["it_worked_broke_free"]
    assert row.used_taught_technique is False  # the sample's faults are coaching points
    assert row.release_s == pytest.approx(card["timings"]["release_s"])
    failed = [c["label"] for c in card["criteria"] if c["status"] == "Not met"]
    assert failed and list(row.failed) == failed


def test_filters_by_trainee_technique_date_outcome_and_fault(
    recordings: Path, scored: Path
) -> None:
    failed_label = json.loads((scored / "score.json").read_text())["criteria"]
    label = next(c["label"] for c in failed_label if c["status"] == "Not met")
    with AttemptIndex(recordings) as index:
        index.sync()
        assert index.count(AttemptFilter(trainee="Ann")) == 2
        assert index.count(AttemptFilter(trainee="Nobody")) == 0
        assert index.count(AttemptFilter(technique="same_side_wrist_grab")) == 3
        assert index.count(AttemptFilter(date_from="2026-02-01", date_to="2026-02-28")) == 1
        assert index.count(AttemptFilter(outcome="not_taught_technique")) == 3
        assert index.count(AttemptFilter(outcome="taught_technique")) == 0
        assert index.count(AttemptFilter(failed=label)) == 3
        assert [t.name for t in index.trainees()] == ["Ann", "Bob"]
        assert [(t.technique, t.attempts) for t in index.techniques()] == [
            ("same_side_wrist_grab", 3)
        ]
        with pytest.raises(ValueError, match="outcome: expected one of"):
            index.count(AttemptFilter(outcome="nonsense"))


def test_folders_added_changed_and_removed_by_hand_are_picked_up(
    recordings: Path, scored: Path
) -> None:
    with AttemptIndex(recordings) as index:
        index.sync()
    copy_as(scored, recordings / "new_one", trainee="Cy", created="2026-04-01T09:00:00+00:00")
    shutil.rmtree(recordings / "demo" / "bob_1")
    meta = recordings / "2026-01-05_ann_1" / "attempt.json"
    body = json.loads(meta.read_text())
    body["trainee"] = "Ann B"
    meta.write_text(json.dumps(body))
    with AttemptIndex(recordings) as index:
        report = index.sync()
        assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 1)
        assert sorted(t.name for t in index.trainees()) == ["Ann", "Ann B", "Cy"]
        assert index.attempt("demo/bob_1") is None


def test_corrupt_and_half_written_folders_are_listed_never_crash(
    recordings: Path, scored: Path
) -> None:
    bad_json = copy_as(scored, recordings / "bad_json")
    (bad_json / "attempt.json").write_text("{ not json", encoding="utf-8")
    no_pose = copy_as(scored, recordings / "no_pose")
    (no_pose / "pose.npz").unlink()
    bad_score = copy_as(scored, recordings / "bad_score")
    (bad_score / "score.json").write_text("[]", encoding="utf-8")
    unscored = copy_as(scored, recordings / "unscored")
    (unscored / "score.json").unlink()
    shutil.copytree(scored, recordings / ".x.partial-123")  # debris of a killed run
    with AttemptIndex(recordings) as index:
        report = index.sync()
        assert report.corrupt == 3
        corrupt = {r.folder: r.problem for r in index.attempts(AttemptFilter(outcome="corrupt"))}
        assert index.attempt("unscored").status == "unscored"  # type: ignore[union-attr]
        assert index.count() == 7
    assert corrupt["bad_json"].startswith("bad_json/attempt.json: not valid JSON")
    assert corrupt["no_pose"] == "no_pose/pose.npz: no such file (the attempt has no keypoints)"
    assert corrupt["bad_score"] == "bad_score/score.json: not a score card (no criteria list)"


def test_an_index_of_schema_1_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / INDEX_FILE
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    conn.execute("INSERT INTO attempts (folder, status, signature) VALUES ('x', 'scored', '-')")
    conn.commit()
    conn.close()
    with AttemptIndex(tmp_path) as index:
        version = index.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION == 3
        row = index.attempt("x")
        assert row is not None and row.reviewed is False  # column added with its default
        tables = {r[0] for r in index.conn.execute("SELECT name FROM sqlite_master")}
        assert {"attempts", "failed_criteria", "attempts_by_trainee"} <= tables


def test_newer_or_damaged_index_is_refused_by_name_and_rebuild_recovers(
    recordings: Path,
) -> None:
    path = recordings / INDEX_FILE
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(CoachError, match="schema version 99 is newer"):
        AttemptIndex(recordings)
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CoachError, match="not a readable attempt index"):
        AttemptIndex(recordings)
    assert rebuild(recordings).added == 3


def test_coach_index_command(recordings: Path) -> None:
    (recordings / "broken").mkdir()
    (recordings / "broken" / "attempt.json").write_text("{", encoding="utf-8")
    workspace = recordings.parent
    (workspace / "techniques").mkdir()
    done = subprocess.run(
        [*COACH, "--workspace", str(workspace), "index"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "updated, 4 attempts (4 added, 0 re-read, 0 removed); 1 corrupt" in done.stdout
    assert "corrupt: broken/attempt.json: not valid JSON" in done.stdout
    again = subprocess.run(
        [*COACH, "--workspace", str(workspace), "index", "--rebuild"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "rebuilt, 4 attempts (4 added" in again.stdout, again.stderr
