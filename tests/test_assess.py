"""``coach assess`` on a small rendered cohort, end to end with the real pose model: two
attempts rendered as people (one with a narrow stance injected) and a file that is not a video,
listed in a manifest. The first run extracts and scores; a second run does no work; a changed
technique file re-scores without re-extracting. The records, the cohort table (HTML, CSV), the
marking files and the evidence packs are checked against the score cards the coach wrote."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import pytest

from coach.assess.fingerprints import Keys, work_needed, write_state
from coach.assess.manifest import folder_items, read_manifest, without_name_clashes
from coach.assess.marks import HEADER
from coach.assess.record import card_from_dict, practical_record
from coach.errors import CoachError
from coach.synth.evaluation import CORRECT
from coach.synth.rendered_cohort import TECHNIQUES, render_attempt, with_clap
from tests.cli_run import REPO, Run, assert_refused, coach, debris

TECHNIQUE = "cross_wrist_grab"
ANN_START_S = 0.5
DEE_CLAP_S = 0.6


@dataclass(frozen=True)
class Cohort:
    root: Path
    manifest: Path
    out: Path
    runs: tuple[Run, ...]
    """first run, second run (nothing changed), third run (technique file changed)"""
    mtimes: tuple[dict[str, int], ...]
    """after each run: every file under out/attempts and out/packs -> st_mtime_ns"""
    first_files: dict[str, str]
    """the cohort files' text after the first run"""


def _mtimes(out: Path) -> dict[str, int]:
    return {
        str(p.relative_to(out)): p.stat().st_mtime_ns
        for folder in ("attempts", "packs")
        for p in (out / folder).rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    root = tmp_path_factory.mktemp("cohort")
    (root / "techniques").mkdir()
    shutil.copy(TECHNIQUES / f"{TECHNIQUE}.toml", root / "techniques")
    videos = root / "videos"
    videos.mkdir()
    render_attempt(TECHNIQUE, CORRECT, 7, videos / "ann.webm")
    render_attempt(TECHNIQUE, "narrow_stance", 7, videos / "bob.webm")
    (videos / "carl.mp4").write_text("not a video\n")
    with_clap(videos / "ann.webm", videos / "dee.webm", DEE_CLAP_S)
    manifest = videos / "cohort.csv"
    manifest.write_text(
        "candidate,video,technique,side,trainee_person,start_s\n"
        f"Ann <b>A</b>,ann.webm,{TECHNIQUE},auto,largest,{ANN_START_S}\n"
        f"Bob,bob.webm,{TECHNIQUE},,,\n"
        "Carl,carl.mp4,rear_strangle,auto,,\n"
        f"Dee,dee.webm,{TECHNIQUE},,,\n"
    )
    out = root / "out"
    runs, mtimes = [], []
    texts: dict[str, str] = {}
    for stage in range(3):
        if stage == 2:  # an instructor edits the technique file: only its attempts re-score
            with (root / "techniques" / f"{TECHNIQUE}.toml").open("a") as f:
                f.write("\n# reviewed by the lead instructor\n")
        runs.append(coach("--workspace", root, "assess", manifest, "-o", out, "--jobs", "2"))
        mtimes.append(_mtimes(out))
        if stage == 0:
            texts = {p.name: p.read_text() for p in out.iterdir() if p.is_file()}
    return Cohort(root, manifest, out, tuple(runs), tuple(mtimes), texts)


def _cards(out: Path) -> dict[str, dict[str, Any]]:
    return {
        p.parent.name: json.loads(p.read_text())
        for p in sorted((out / "attempts").glob("*/score.json"))
    }


@pytest.mark.pose
def test_the_batch_scores_the_videos_and_lists_the_broken_file(cohort: Cohort) -> None:
    first = cohort.runs[0]
    assert first.code == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert "assessed 3 of 4 videos: 4 extracted, 0 re-scored, 0 unchanged; 1 not assessed" in (
        first.stdout
    )
    warnings = [line for line in first.stderr.splitlines() if line.startswith("coach: warning:")]
    assert (
        len(warnings) == 1 and "carl.mp4" in warnings[0] and "not a readable video" in (warnings[0])
    ), first.stderr
    summary = json.loads((cohort.out / "assessment.json").read_text())
    assert [(a["candidate"], a["technique"]) for a in summary["attempts"]] == [
        ("Ann <b>A</b>", TECHNIQUE),
        ("Bob", TECHNIQUE),
        ("Dee", TECHNIQUE),
    ]
    assert len(summary["failures"]) == 1 and "carl.mp4" in summary["failures"][0]["where"]
    assert set(_cards(cohort.out)) == {
        f"Ann-b-A-b_{TECHNIQUE}_1",
        f"Bob_{TECHNIQUE}_1",
        f"Dee_{TECHNIQUE}_1",
    }
    assert debris(cohort.out) == []


@pytest.mark.pose
def test_the_start_signal_manifest_then_grab_then_audio_then_estimated(cohort: Cohort) -> None:
    cards = _cards(cohort.out)
    summary = json.loads((cohort.out / "assessment.json").read_text())
    signal = {a["candidate"]: a["start_signal"] for a in summary["attempts"]}
    ann, bob = cards[f"Ann-b-A-b_{TECHNIQUE}_1"], cards[f"Bob_{TECHNIQUE}_1"]
    dee = cards[f"Dee_{TECHNIQUE}_1"]
    assert signal["Ann <b>A</b>"] == "manifest"
    assert ann["timings"]["t0_source"] == "signal"
    assert ann["timings"]["t0_s"] == pytest.approx(ANN_START_S)
    onset = next(c for c in ann["criteria"] if c["kind"] == "onset")
    assert onset["status"] != "Not assessable"
    # Dee: Ann's pictures with a clap in the sound track, no start time, no partner followed
    assert signal["Dee"] == "audio"
    assert dee["timings"]["t0_s"] == pytest.approx(DEE_CLAP_S, abs=0.03)
    assert dee["timings"]["reaction_s"] is not None
    # Bob: no start time, no sound, the rendered partner's face cut off (not followed): the
    # movement estimate, and reaction time Not assessable
    assert signal["Bob"] in ("grab", "estimated")
    if signal["Bob"] == "estimated":
        onset = next(c for c in bob["criteria"] if c["kind"] == "onset")
        assert onset["status"] == "Not assessable" and bob["timings"]["reaction_s"] is None


def test_the_audio_onset_is_the_clap(tmp_path: Path) -> None:
    """On the sound alone: a clap found to the 10 ms step, nothing in a quiet room or in a
    file without sound, and a murmur (a 10 dB rise) is not a signal."""
    from coach.assess.audio_onset import AudioTrack, audio_onset_s, onset_s
    from coach.synth.rendered_cohort import CLAP_RATE_HZ, clap_track

    for clap in (0.35, 1.2, 2.0):
        track = AudioTrack(clap_track(2.5, clap).astype(float), CLAP_RATE_HZ, 0.0)
        assert onset_s(track) == pytest.approx(clap, abs=0.011)
        late = AudioTrack(track.samples, CLAP_RATE_HZ, 0.25)  # sound starting after the picture
        assert onset_s(late) == pytest.approx(clap + 0.25, abs=0.011)
    quiet = clap_track(2.0, 3.0)  # the clap past the end
    assert onset_s(AudioTrack(quiet.astype(float), CLAP_RATE_HZ, 0.0)) is None
    murmur = quiet.astype(float).copy()
    murmur[CLAP_RATE_HZ:] *= 3.0  # +10 dB
    assert onset_s(AudioTrack(murmur, CLAP_RATE_HZ, 0.0)) is None
    (tmp_path / "x.mp4").write_text("not a video")
    assert audio_onset_s(tmp_path / "x.mp4") is None


@pytest.mark.pose
def test_a_second_run_does_no_work(cohort: Cohort) -> None:
    second = cohort.runs[1]
    assert second.code == 0, second.stderr
    assert "0 extracted, 0 re-scored, 4 unchanged" in second.stdout
    assert "evidence packs: 0 written, 3 unchanged" in second.stdout
    assert cohort.mtimes[1] == cohort.mtimes[0]  # not a file of an attempt or a pack rewritten


@pytest.mark.pose
def test_a_changed_technique_file_rescores_without_extracting(cohort: Cohort) -> None:
    third = cohort.runs[2]
    assert third.code == 0, third.stderr
    # the broken file's technique (rear_strangle) did not change: it is not tried again
    assert "0 extracted, 3 re-scored, 1 unchanged" in third.stdout
    before, after = cohort.mtimes[1], cohort.mtimes[2]
    poses = [k for k in before if k.endswith("pose.npz")]
    scores = [k for k in before if k.startswith("attempts/") and k.endswith("score.json")]
    assert len(poses) == 3 and len(scores) == 3
    assert all(after[k] == before[k] for k in poses)
    assert all(after[k] != before[k] for k in scores)
    assert "evidence packs: 3 written, 0 unchanged" in third.stdout
    pack = json.loads((cohort.out / "packs" / "Bob" / "manifest.json").read_text())
    technique_file = cohort.root / "techniques" / f"{TECHNIQUE}.toml"
    sha = hashlib.sha256(technique_file.read_bytes()).hexdigest()
    assert pack["attempts"][0]["technique_sha256"] == sha


@pytest.mark.pose
def test_the_records_three_points_agree_with_the_card(cohort: Cohort) -> None:
    summary = json.loads((cohort.out / "assessment.json").read_text())
    names = {a["candidate"]: a for a in summary["attempts"]}
    by_folder = {Path(a["folder"]).name: a for a in summary["attempts"]}
    cards = _cards(cohort.out)
    assert set(cards) == set(by_folder)
    for key, card in cards.items():
        who = by_folder[key]
        outcomes = card["outcomes"]  # written by the scorer itself
        expected = {
            "successfully_applied": outcomes["it_worked_broke_free"],
            "safely_applied": outcomes["it_was_safe"],
            "coaching_points": outcomes["matched_coaching_points_used_taught_technique"],
        }
        marks = {None: "Not assessable", True: "Met", False: "Not met"}
        assert who["points"] == {k: marks[v] for k, v in expected.items()}, key
        competent = all(v is True for v in expected.values())
        assert who["result"] == ("Competent" if competent else "Not yet competent")
        record = practical_record(card_from_dict(card))
        behind = {p.item: {c.label for c in p.criteria} for p in record.points}
        roles = {
            r: {c["label"] for c in card["criteria"] if c["role"] == r}
            for r in ("outcome", "coaching")
        }
        assert behind["successfully_applied"] == roles["outcome"]
        assert behind["coaching_points"] == roles["coaching"]
        assert "released before the 10 s hard fail" in behind["successfully_applied"]
        assert {"Moving toward the exit", "Still facing them while getting away"} <= (
            behind["safely_applied"]
        )
    # the injected fault: Bob's feet are together while held, Ann's are apart
    bob = {c["label"]: c["status"] for c in cards[f"Bob_{TECHNIQUE}_1"]["criteria"]}
    ann = {c["label"]: c["status"] for c in cards[f"Ann-b-A-b_{TECHNIQUE}_1"]["criteria"]}
    assert bob["Feet apart while held"] == "Not met" and ann["Feet apart while held"] == "Met"
    assert names["Bob"]["points"]["coaching_points"] == "Not met"
    assert names["Bob"]["result"] == "Not yet competent"


def test_competent_needs_all_three_points_met(tmp_path: Path) -> None:
    """On a card (the bundled sample's shape) turned all Met: Competent; one point Not
    assessable: Not yet competent, overall mark not_assessable; one Not met: not_met."""
    sample = Path(__file__).parents[1] / "coach" / "sample_attempts" / "same_side_wrist_grab"
    shutil.copytree(sample, tmp_path / "a")
    run = coach("assess", tmp_path / "missing.csv")  # and the missing manifest's one line
    assert_refused(run, "missing.csv", "no such manifest or folder")
    from coach.commands.score import score_attempt
    from coach.technique.library import find_technique
    from coach.workspace import find_workspace

    ws = find_workspace(Path(__file__).parents[1])
    card = score_attempt(ws, find_technique(ws, "same_side_wrist_grab"), tmp_path / "a")
    all_met = replace(card, criteria=tuple(replace(c, status="Met") for c in card.criteria))
    record = practical_record(all_met)
    assert [p.mark for p in record.points] == ["Met"] * 3
    assert record.overall == "Competent" and record.overall_mark == "Met"
    undecided = replace(
        all_met,
        criteria=tuple(
            replace(c, status="Not assessable")
            if c.kind in ("keep_facing", "escape_direction", "hard_fail")
            else c
            for c in all_met.criteria
        ),
    )
    record = practical_record(undecided)
    assert [p.mark for p in record.points] == ["Not assessable", "Not assessable", "Met"]
    assert record.overall == "Not yet competent" and record.overall_mark == "Not assessable"
    record = practical_record(card)  # the sample as scored: no step back, no guard
    assert record.points[2].mark == "Not met"
    assert {c.label for c in record.points[2].failing} == {
        "Step back after the release",
        "Guard up again",
    }
    assert record.overall_mark == "Not met"


@pytest.mark.pose
def test_the_cohort_table_and_csv(cohort: Cohort) -> None:
    texts = cohort.first_files
    summary = json.loads(texts["assessment.json"])
    rows = list(csv.reader(io.StringIO(texts["cohort.csv"])))
    assert rows[0] == ["candidate", TECHNIQUE]
    assert rows[1:] == [[a["candidate"], a["result"]] for a in summary["attempts"]]
    cards = list(_cards(cohort.out).values())
    (tech,) = list(csv.DictReader(io.StringIO(texts["cohort_techniques.csv"])))
    competent = sum(a["result"] == "Competent" for a in summary["attempts"])
    assert tech["technique"] == TECHNIQUE and tech["candidates"] == "3"
    assert float(tech["pass_rate"]) == pytest.approx(competent / 3)
    failing: dict[str, int] = {}
    for card in cards:
        for c in card["criteria"]:
            if c["status"] == "Not met":
                failing[c["label"]] = failing.get(c["label"], 0) + 1
    top = max(failing.values())
    assert failing[tech["most_common_failing_criterion"]] == top
    assert int(tech["times_not_met"]) == top
    releases = [c["timings"]["release_s"] for c in cards if c["timings"]["release_s"] is not None]
    assert float(tech["median_release_s"]) == pytest.approx(statistics.median(releases), abs=1e-3)
    reactions = [
        c["timings"]["reaction_s"] for c in cards if c["timings"]["reaction_s"] is not None
    ]
    assert reactions, "Ann's manifest start time makes her reaction time assessable"
    assert float(tech["median_reaction_s"]) == pytest.approx(statistics.median(reactions), abs=1e-3)
    page = texts["cohort.html"]
    assert "Ann &lt;b&gt;A&lt;/b&gt;" in page and "<b>A</b>" not in page  # escaped
    assert 'href="packs/Ann-b-A-b/index.html"' in page and 'href="packs/Bob/index.html"' in page
    assert "carl.mp4" in page  # what could not be assessed is on the page too


@pytest.mark.pose
def test_the_marking_template_and_the_coach_marks(cohort: Cohort) -> None:
    template = list(csv.reader(io.StringIO(cohort.first_files["marking_template.csv"])))
    marks = list(csv.reader(io.StringIO(cohort.first_files["coach_marks.csv"])))
    assert tuple(template[0]) == HEADER == tuple(marks[0])
    assert ",".join(HEADER) == "candidate,technique,attempt,item,mark,assessor,notes"
    cards = _cards(cohort.out)
    expected_rows = sum(len(c["criteria"]) + 4 for c in cards.values())
    assert len(template) - 1 == expected_rows == len(marks) - 1
    assert all(r[4] == "" and r[5] == "" for r in template[1:])
    assert [r[:4] for r in template] == [r[:4] for r in marks]
    codes = {"Met": "met", "Not met": "not_met", "Not assessable": "not_assessable"}
    bob = [r for r in marks[1:] if r[0] == "Bob"]
    card = cards[f"Bob_{TECHNIQUE}_1"]
    assert [(r[3], r[4]) for r in bob[: len(card["criteria"])]] == [
        (c["label"], codes[c["status"]]) for c in card["criteria"]
    ]
    tail = {r[3]: r[4] for r in bob[len(card["criteria"]) :]}
    assert set(tail) == {"successfully_applied", "safely_applied", "coaching_points", "overall"}
    assert tail["coaching_points"] == "not_met" and tail["overall"] == "not_met"
    assert all(r[5] == "coach" and r[2] == "1" for r in marks[1:])


@pytest.mark.pose
def test_the_evidence_pack(cohort: Cohort) -> None:
    pack = cohort.out / "packs" / "Bob"
    manifest = json.loads((pack / "manifest.json").read_text())
    (entry,) = manifest["attempts"]
    video = cohort.manifest.parent / "bob.webm"
    assert entry["source_sha256"] == hashlib.sha256(video.read_bytes()).hexdigest()
    assert (
        manifest["software"]["mediapipe"] == "0.10.21" == entry["pose_model"]["mediapipe_version"]
    )
    assert entry["extracted_at"] and entry["scored_at"]
    assert set(manifest["assessor_sign_off"].values()) == {""}
    assert entry["record"]["points"]["coaching_points"]["mark"] == "Not met"
    folder = pack / entry["name"]
    for name in ("report.html", "score.json", "scorecard.csv", "scorecard.json"):
        assert (folder / name).is_file(), name
    csv_rows = list(csv.DictReader((folder / "scorecard.csv").open()))
    card = json.loads((folder / "score.json").read_text())
    assert [r["coach_status"] for r in csv_rows] == [c["status"] for c in card["criteria"]]
    frames = entry["key_frames"]
    decided = [
        c
        for c in card["criteria"]
        if c["status"] in ("Met", "Not met") and c["kind"] != "technique_match"
    ]
    assert 1 <= len(frames) <= len(decided)
    picture = cv2.imread(str(folder / frames[0]))
    assert picture is not None and picture.shape[:2] == (720, 1280)
    with zipfile.ZipFile(pack.with_name("Bob.zip")) as z:
        names = set(z.namelist())
    assert {f"Bob/{f}" for f in manifest["files"]} == names
    assert f"Bob/{entry['name']}/report.html" in names


def test_manifest_problems(tmp_path: Path) -> None:
    """The file as a whole: one line and exit code 2; a row: refused, the rest goes on."""
    bad = tmp_path / "m.csv"
    bad.write_text("candidate,video\nann,a.mp4\n")
    assert_refused(coach("assess", bad), "m.csv", "missing column(s) technique")
    bad.write_text("candidate,video,technique,colour\nann,a.mp4,front_strangle,red\n")
    assert_refused(coach("assess", bad), "unknown column(s) colour")
    bad.write_text("candidate,video,technique\n")
    assert_refused(coach("assess", bad), "lists no videos")
    bad.write_bytes(b"\xff\xfe\x00garbage")
    assert_refused(coach("assess", bad), "not a text (UTF-8) CSV")
    good = tmp_path / "ok.csv"
    good.write_text(
        "candidate,video,technique,side,trainee_person,start_s\n"
        "ann,a.mp4,front_strangle,,,\n"
        "ann,a.mp4,front_strangle,,,\n"
        "bob,../outside.mp4,front_strangle,,,\n"
        "cy,c.mp4,front_strangle,up,,\n"
        "di,d.mp4,front_strangle,,tallest,\n"
        "ed,e.mp4,front_strangle,,,-1\n"
        "ann,a2.mp4,front_strangle,left,nearest,1.5\n"
    )
    items, refused = read_manifest(good)
    assert [(i.candidate, i.attempt, i.side, i.trainee_person, i.start_s) for i in items] == [
        ("ann", 1, "auto", "breaks_away", None),  # the default rule
        ("ann", 2, "left", "nearest", 1.5),
    ]
    problems = [r.problem for r in refused]
    assert problems[0] == "duplicate of row 2"
    assert "outside the manifest's folder" in problems[1]
    assert "side 'up'" in problems[2] and "trainee_person 'tallest'" in problems[3]
    assert "start_s '-1'" in problems[4] and len(problems) == 5
    assert all("ok.csv: row" in r.where for r in refused)
    clash = tmp_path / "clash.csv"
    clash.write_text(
        "candidate,video,technique\nAnn A,a.mp4,front_strangle\nAnn-A,b.mp4,front_strangle\n"
    )
    kept, clashes = without_name_clashes(read_manifest(clash)[0])
    assert [i.candidate for i in kept] == ["Ann A"]
    assert "same file name (Ann-A)" in clashes[0].problem and "row 3" in clashes[0].where


def test_folder_names_are_matched_against_the_library(tmp_path: Path) -> None:
    ids = ["same_side_wrist_grab", "two_hand_wrist_grab", "rear_strangle"]
    for name in (
        "mary_jo_same_side_wrist_grab.mp4",
        "mary_jo_same_side_wrist_grab_2.mp4",
        "li_rear_strangle_1.webm",
        "li_front_kick.mp4",
        "notes.txt",
    ):
        (tmp_path / name).write_bytes(b"")
    items, refused = folder_items(tmp_path, ids)
    assert [(i.candidate, i.technique, i.attempt, i.video.name) for i in items] == [
        ("li", "rear_strangle", 1, "li_rear_strangle_1.webm"),
        ("mary_jo", "same_side_wrist_grab", 1, "mary_jo_same_side_wrist_grab.mp4"),
        ("mary_jo", "same_side_wrist_grab", 2, "mary_jo_same_side_wrist_grab_2.mp4"),
    ]
    assert [Path(r.where).name for r in refused] == ["li_front_kick.mp4"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CoachError, match="no videos"):
        folder_items(empty, ids)


def test_an_output_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "ann_rear_strangle.mp4").write_bytes(b"")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    assert_refused(coach("assess", tmp_path / "v", "-o", out), "did not write")
    assert (out / "mine.txt").read_text() == "keep me" and sorted(out.iterdir()) == [
        out / "mine.txt"
    ]


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (tests/system_packages.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.mark.pose
def test_the_cohort_page_and_a_pack_in_chromium(
    cohort: Cohort, browser: Any, output_dir: Path
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((cohort.out / "cohort.html").as_uri())
    page.wait_for_selector("body[data-ready='1']")
    cells = page.eval_on_selector_all(
        "#cohort tbody tr", "rows => rows.map(r => [...r.children].map(c => c.innerText))"
    )
    summary = json.loads((cohort.out / "assessment.json").read_text())
    assert [[c[0], c[1].splitlines()[0]] for c in cells] == [
        [a["candidate"], a["result"]] for a in summary["attempts"]
    ]
    technique_row = page.inner_text("#techniques tbody tr")
    assert technique_row.startswith("Cross wrist grab")
    page.screenshot(path=str(output_dir / "assess_cohort.png"), full_page=True)
    page.click("#cohort tbody tr:nth-child(2) td a")  # Bob's cell: his pack
    page.wait_for_selector("body[data-ready='1']")
    assert page.url.endswith("packs/Bob/index.html")
    assert "Evidence pack: Bob" in page.inner_text("h1")
    assert page.eval_on_selector_all("img", "imgs => imgs.every(i => i.naturalWidth > 0)")
    page.screenshot(path=str(output_dir / "assess_pack.png"), full_page=True)
    page.click("text=Attempt report")
    page.wait_for_selector("body[data-ready='1']")
    assert "report.html" in page.url
    page.screenshot(path=str(output_dir / "assess_pack_report.png"))
    assert errors == []
    page.close()


@pytest.mark.pose
def test_ctrl_c_keeps_nothing_half_written_and_a_rerun_finishes(
    cohort: Cohort, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["--workspace", cohort.root, "assess", cohort.manifest, "-o", out, "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "coach.cli", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
    )
    time.sleep(3.0)
    os.killpg(proc.pid, signal.SIGINT)  # the batch and its workers, like Ctrl-C
    _stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr, stderr
    assert debris(tmp_path) == []
    for folder in (out / "attempts").glob("*") if (out / "attempts").exists() else []:
        if folder.is_dir():  # an attempt folder that exists is a whole one
            assert {"pose.npz", "attempt.json"} <= {p.name for p in folder.iterdir()}
    again = coach(*args)
    assert again.code == 0, again.stderr
    assert "assessed 3 of 4 videos" in again.stdout
    assert (out / "packs" / "Bob.zip").is_file()


def test_what_a_rerun_does_follows_the_fingerprints(tmp_path: Path) -> None:
    folder = tmp_path / "ann_front_strangle_1"
    folder.mkdir()
    for name in ("pose.npz", "score.json"):
        (folder / name).write_bytes(b"")
    keys = Keys({"source_sha256": "a", "software_version": "1"}, {"technique_sha256": "t"})
    assert work_needed(keys, folder) == "extract"  # never assessed
    write_state(folder, keys.as_dict())
    assert work_needed(keys, folder) == "none"
    newer = Keys({**keys.extraction, "software_version": "2"}, keys.scoring)
    assert work_needed(newer, folder) == "extract"
    edited = Keys(keys.extraction, {"technique_sha256": "u"})
    assert work_needed(edited, folder) == "score"
    (folder / "score.json").unlink()
    assert work_needed(keys, folder) == "score"
    write_state(folder, {**keys.as_dict(), "failed": {"stage": "extract", "problem": "x"}})
    assert work_needed(keys, folder) == "none"  # the same unreadable video is not retried
    assert work_needed(newer, folder) == "extract"
    write_state(folder, {**keys.as_dict(), "failed": {"stage": "score", "problem": "x"}})
    assert work_needed(keys, folder) == "none"
    assert work_needed(edited, folder) == "score"


def test_a_roster_refuses_strangers_and_names_who_has_no_video(tmp_path: Path) -> None:
    """With --roster, a video of someone not on the course is refused (a misspelt name is not a
    new candidate), a candidate with no video is named, and an unusable roster is one line
    with nothing written."""
    videos = tmp_path / "v"
    videos.mkdir()
    (videos / "ann lee_rear_strangle.mp4").write_text("not a video\n")
    (videos / "anne lee_rear_strangle.mp4").write_text("not a video\n")
    roster = tmp_path / "course.csv"
    roster.write_text("candidate\nAnn Lee\nBea\n")
    out = tmp_path / "out"
    done = coach("assess", videos, "-o", out, "--roster", roster, "--no-progress")
    assert done.code == 0 and "Traceback" not in done.stderr, done.stderr
    assert "'anne lee' is not on the roster" in done.stderr
    assert "'Bea' is on the roster but has no video" in done.stderr
    summary = json.loads((out / "assessment.json").read_text())
    assert "not on the roster" in json.dumps(summary)
    assert "ann lee_rear_strangle.mp4" in json.dumps(summary)  # on it: tried (not a video)
    empty = tmp_path / "empty.txt"
    empty.write_text("candidate\n\n")
    out2 = tmp_path / "out2"
    assert_refused(coach("assess", videos, "-o", out2, "--roster", empty), "lists no candidates")
    assert not out2.exists()


def test_an_error_from_a_worker_reaches_the_batch_as_itself() -> None:
    """A CoachError raised in a worker process is pickled back to the parent: it must come
    back whole (it once broke the pool: ``__init__`` takes two arguments)."""
    import pickle

    from coach.errors import CoachError, InterruptedRunError

    for error in (CoachError("/x/a.mp4", "not a video"), InterruptedRunError(None, "stopped")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
        assert back.path == error.path and back.problem == error.problem
