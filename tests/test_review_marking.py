"""The blinded marking form over Flask's test client, on attempts scored by the real scorer:
nothing of the coach's verdict in what the form gets, the marks written in the contract that
``coach agreement`` reads (proved by running it), replaced on a second submit, bad input 400
with nothing written."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from coach.assess.batch import AttemptResult
from coach.assess.manifest import Item
from coach.assess.marks import HEADER, marks_csv
from coach.assess.record import card_from_dict, practical_record
from coach.review.app import create_app
from coach.review.marking import form_items
from coach.workspace import Workspace
from tests.conftest import COACH
from tests.review_attempts import copy_as, scored_sample

ANN = "2026-06-01_ann_1"
BOB = "2026-06-01_bob_1"
ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scored_sample(tmp_path_factory.mktemp("src") / "attempt")


@pytest.fixture
def workspace(tmp_path: Path, source: Path) -> Path:
    rec = tmp_path / "recordings"
    when = "2026-06-01T10:00:00+00:00"
    copy_as(source, rec / ANN, trainee="Ann", created=when)
    bob = copy_as(source, rec / BOB, trainee="Bob", created=when)
    card = json.loads((bob / "score.json").read_text(encoding="utf-8"))
    for row in card["criteria"]:  # another verdict throughout: all Met, other values
        row["status"], row["value"] = "Met", 123.456
    (bob / "score.json").write_text(json.dumps(card), encoding="utf-8")
    return tmp_path


@pytest.fixture
def client(workspace: Path) -> FlaskClient:
    return create_app(Workspace(workspace)).test_client()


def card_of(workspace: Path, attempt: str) -> dict[str, Any]:
    return dict(json.loads((workspace / "recordings" / attempt / "score.json").read_text()))


def marks_for(
    workspace: Path,
    attempt: str,
    flip: set[str] = frozenset(),
    notes: str = "",  # type: ignore[assignment]
) -> list[dict[str, str]]:
    """The coach's own marks, with the items in ``flip`` marked the other way."""
    other = {"met": "not_met", "not_met": "met", "not_assessable": "met"}
    return [
        {"item": i.item, "mark": other[i.coach] if i.item in flip else i.coach, "notes": notes}
        for i in form_items(card_of(workspace, attempt))
    ]


def submit(client: FlaskClient, attempt: str, body: object) -> Any:
    return client.post(f"/api/mark/{attempt}", json=body, headers=ORIGIN)


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def test_the_form_holds_nothing_of_the_verdict(client: FlaskClient, workspace: Path) -> None:
    ann = client.get(f"/mark/{ANN}").get_data(as_text=True)
    bob = client.get(f"/mark/{BOB}").get_data(as_text=True)
    # Two attempts with opposite verdicts give the same page, but for the names in it.
    assert ann.replace(ANN, "X").replace("Ann", "N") == bob.replace(BOB, "X").replace("Bob", "N")
    assert "123.456" not in bob and "hands_down" not in ann  # values; the sample's known faults
    for word in ('class="status', "Fault timeline", "Score card", "release_s", "t0_s"):
        assert word not in ann
    items = form_items(card_of(workspace, ANN))
    assert ann.count('type="radio"') == 3 * len(items) == 3 * 20
    blob = ann.split('id="blind-data">', 1)[1].split("</script>", 1)[0]
    payload = json.loads(blob)
    assert set(payload) == {"fps", "video_fps", "t", "size", "edges", "keypoints", "video",
                            "unit", "items"}  # fmt: skip
    assert all(set(i) == {"item", "label", "phase"} for i in payload["items"])
    assert payload["unit"] == {"candidate": "Ann", "technique": "same_side_wrist_grab",
                               "attempt": "1"}  # fmt: skip
    listing = client.get("/mark/").get_data(as_text=True)
    assert f"/mark/{ANN}" in listing and f"/mark/{BOB}" in listing
    assert "broke free" not in listing and "Step back" not in listing


def test_submit_writes_the_marks_then_reveals_the_coach(
    client: FlaskClient, workspace: Path
) -> None:
    answer = submit(client, ANN, {"assessor": " Dr Jo Smith ", "marks": marks_for(
        workspace, ANN, flip={"Guard up again", "overall"}, notes="elbow, late")})  # fmt: skip
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["written"] == "marks/Dr-Jo-Smith.csv" and body["replaced"] == 0
    coach = {r["item"]: r["coach"] for r in body["rows"]}
    assert coach["Step back after the release"] == "not_met" and coach["overall"] == "not_met"
    assert coach["Elbow bends sharply"] == "not_assessable" and len(coach) == 20
    differ = {r["item"] for r in body["rows"] if r["assessor"] != r["coach"]}
    assert differ == {"Guard up again", "overall"}
    rows = read_rows(workspace / "marks" / "Dr-Jo-Smith.csv")
    assert tuple(rows[0]) == HEADER and len(rows) == 21
    assert rows[1] == ["Ann", "same_side_wrist_grab", "1", "Movement matches the technique",
                       "met", "Dr Jo Smith", "elbow, late"]  # fmt: skip
    assert rows[-1][3:5] == ["overall", "met"]
    assert not [p for p in (workspace / "marks").iterdir() if p.name.startswith(".")]


def test_a_second_submit_replaces_that_assessors_marks_of_the_attempt(
    client: FlaskClient, workspace: Path
) -> None:
    assert (
        submit(client, ANN, {"assessor": "ann", "marks": marks_for(workspace, ANN)}).status_code
        == 200
    )
    assert (
        submit(client, BOB, {"assessor": "ann", "marks": marks_for(workspace, BOB)}).status_code
        == 200
    )
    again = submit(
        client, ANN, {"assessor": "ann", "marks": marks_for(workspace, ANN, {"overall"})}
    )
    assert again.get_json()["replaced"] == 20
    rows = read_rows(workspace / "marks" / "ann.csv")[1:]
    assert len(rows) == 40
    overall = {r[0]: r[4] for r in rows if r[3] == "overall"}
    assert overall == {"Ann": "met", "Bob": "met"}  # Ann's replaced (coach: not_met), Bob's kept


def test_marks_from_the_form_are_read_by_coach_agreement(
    client: FlaskClient, workspace: Path, tmp_path: Path
) -> None:
    # The coach's marks as `coach assess` writes them (its own writer, coach_marks.csv).
    results = [
        AttemptResult(
            Item(who, tmp_path / f"{who}.mp4", "same_side_wrist_grab", 1),
            workspace / "recordings" / attempt,
            {},
            practical_record(card_from_dict(card_of(workspace, attempt))),
        )
        for attempt, who in ((ANN, "Ann"), (BOB, "Bob"))
    ]
    coach_file = tmp_path / "coach_marks.csv"
    coach_file.write_text(marks_csv(results, coach_marks=True), encoding="utf-8")
    flips = {ANN: {"Guard up again"}, BOB: {"Sharp pull", "overall"}}
    for attempt, flip in flips.items():
        answer = submit(
            client, attempt, {"assessor": "ann", "marks": marks_for(workspace, attempt, flip)}
        )
        assert answer.status_code == 200
    out = tmp_path / "agreement"
    run = subprocess.run(
        [*COACH, "agreement", str(coach_file), str(workspace / "marks" / "ann.csv"),
         "-o", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    table = {r["item"]: r for r in csv.DictReader((out / "agreement.csv").open(encoding="utf-8"))}
    # Elbow bends sharply: Not assessable on Ann's attempt (left out, counted), Met on Bob's.
    assert table["Elbow bends sharply"]["n"] == "1"
    assert table["Elbow bends sharply"]["not_assessable_excluded"] == "1"
    assert (
        table["Guard up again"]["n"] == "2"
        and table["Guard up again"]["percent_agreement"] == "0.5000"
    )
    assert table["overall"]["percent_agreement"] == "0.5000"
    assert table["Step back after the release"]["percent_agreement"] == "1.0000"
    # 13 + 16 decided criteria (Ann's knees are Not assessable: the sample is filmed from the
    # front), 2 marked the other way
    pooled = table["all criteria"]
    assert (pooled["n"], pooled["percent_agreement"]) == ("29", f"{27 / 29:.4f}")
    assert table["overall"]["kind"] == "coach-human"


def one(item: str, mark: str) -> dict[str, object]:
    return {"assessor": "ann", "marks": [{"item": item, "mark": mark}]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (one("overall", "pass"), "unknown mark 'pass'"),
        ({"assessor": "  ", "marks": []}, "missing assessor"),
        ({"marks": []}, "missing assessor"),
        (one("Kicked them", "met"), "'Kicked them' is not on"),
        (one("overall", "met"), "not marked: successfully_applied"),
        ({"assessor": "coach", "marks": []}, "the coach's own name"),
        ({"assessor": "ann", "marks": "met"}, "expected a list"),
        (["ann"], "expected a JSON object"),
    ],
)  # fmt: skip
def test_bad_marks_are_refused_and_nothing_is_written(
    client: FlaskClient, workspace: Path, body: object, message: str
) -> None:
    answer = submit(client, ANN, body)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]
    assert "Met" not in json.dumps(answer.get_json())  # no verdict in a refusal either
    assert not (workspace / "marks").exists()


def test_an_item_marked_twice_is_refused(client: FlaskClient, workspace: Path) -> None:
    marks = marks_for(workspace, ANN)
    answer = submit(client, ANN, {"assessor": "ann", "marks": [*marks, marks[0]]})
    assert answer.status_code == 400 and "marked twice" in answer.get_json()["error"]


def test_a_file_there_that_is_not_a_marks_file_is_left_alone(
    client: FlaskClient, workspace: Path
) -> None:
    (workspace / "marks").mkdir()
    theirs = workspace / "marks" / "ann.csv"
    theirs.write_text("name,score\nann,10\n", encoding="utf-8")
    answer = submit(client, ANN, {"assessor": "ann", "marks": marks_for(workspace, ANN)})
    assert answer.status_code == 409 and "not a marks file" in answer.get_json()["error"]
    assert theirs.read_text(encoding="utf-8") == "name,score\nann,10\n"
    assert [p.name for p in (workspace / "marks").iterdir()] == ["ann.csv"]


def test_writes_need_the_pages_origin(client: FlaskClient, workspace: Path) -> None:
    body = {"assessor": "ann", "marks": marks_for(workspace, ANN)}
    assert client.post(f"/api/mark/{ANN}", json=body).status_code == 403
    assert (
        client.post(f"/api/mark/{ANN}", json=body, headers={"Origin": "http://evil"}).status_code
        == 403
    )
    assert not (workspace / "marks").exists()


def test_an_assessed_attempt_is_named_as_coach_assess_named_it(
    client: FlaskClient, workspace: Path
) -> None:
    # `coach assess` output put inside recordings/: OUTDIR/attempts/<name> beside its state.
    attempts = workspace / "recordings" / "cohort_assessment" / "attempts"
    name = "Mary-Jo_same_side_wrist_grab_2"
    copy_as(workspace / "recordings" / ANN, attempts / name, trainee="Mary Jo")
    state = {"candidate": "Mary Jo", "technique": "same_side_wrist_grab", "attempt": 2}
    (attempts / f"{name}.assess.json").write_text(json.dumps(state), encoding="utf-8")
    relative = f"cohort_assessment/attempts/{name}"
    assert f"/mark/{relative}" in client.get("/mark/").get_data(as_text=True)
    answer = submit(client, relative, {"assessor": "ann", "marks": marks_for(workspace, ANN)})
    assert answer.status_code == 200
    rows = read_rows(workspace / "marks" / "ann.csv")[1:]
    assert {tuple(r[:3]) for r in rows} == {("Mary Jo", "same_side_wrist_grab", "2")}


def test_the_second_attempt_of_a_trainee_is_attempt_2(client: FlaskClient, workspace: Path) -> None:
    later = copy_as(workspace / "recordings" / ANN, workspace / "recordings" / "2026-07-01_ann_1",
                    created="2026-07-01T10:00:00+00:00")  # fmt: skip
    page = client.get(f"/mark/{later.name}").get_data(as_text=True)
    assert '"attempt": "2"' in page and "attempt 2" in page
    assert '"attempt": "1"' in client.get(f"/mark/{ANN}").get_data(as_text=True)


def test_an_unscored_attempt_cannot_be_marked(client: FlaskClient, workspace: Path) -> None:
    (workspace / "recordings" / BOB / "score.json").unlink()
    page = client.get(f"/mark/{BOB}")
    assert page.status_code == 404 and "no score card yet" in page.get_data(as_text=True)
    answer = submit(client, BOB, {"assessor": "ann", "marks": marks_for(workspace, ANN)})
    assert answer.status_code == 409 and "no score card yet" in answer.get_json()["error"]
    assert f"/mark/{BOB}" not in client.get("/mark/").get_data(as_text=True)
    assert not (workspace / "marks").exists()
