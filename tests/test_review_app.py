"""The review app over real HTTP (werkzeug server on 127.0.0.1, real attempt folders scored by
the real scorer): pages, Range requests for the video, notes and overrides in review.json,
safety (escaping, path traversal, other origins and hosts), bad folders, exports, report."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from coach.commands.live import print_refresher
from coach.commands.review import start_path
from coach.errors import CoachError
from coach.recording.pose_file import read_pose_file, write_pose_file
from coach.review.refresher import (
    RefresherPolicy,
    due_lines,
    load_policy,
    refresher_status,
)
from coach.review.report import write_report
from coach.store.summary import summarise
from coach.workspace import Workspace
from tests.conftest import COACH
from tests.review_attempts import copy_as, scored_sample
from tests.review_server import running_review

NAME = "Ann <script>alert('x')</script>"
ATTEMPT = "2026-06-01_ann_1"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scored_sample(tmp_path_factory.mktemp("src") / "attempt", video=True)


@pytest.fixture
def workspace(tmp_path: Path, source: Path) -> Path:
    rec = tmp_path / "recordings"
    copy_as(source, rec / ATTEMPT, trainee=NAME, created="2026-06-01T10:00:00+00:00")
    copy_as(source, rec / "2026-09-01_bob_1", trainee="Bob", created="2026-09-01T10:00:00+00:00")
    return tmp_path


@pytest.fixture
def base(workspace: Path) -> Iterator[str]:
    with running_review(workspace) as url:
        yield url


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post(url: str, body: object, origin: str | None) -> tuple[int, dict[str, object]]:
    headers = {"Content-Type": "application/json"}
    if origin is not None:
        headers["Origin"] = origin
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, json.loads(text) if text.startswith(b"{") else {"html": text}


def test_home_lists_and_filters_with_names_escaped(base: str) -> None:
    status, _, body = get(base + "/")
    html = body.decode()
    assert status == 200
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert html.count("/attempt/") == 2
    _, _, only_bob = get(base + "/?trainee=Bob")
    assert only_bob.decode().count("/attempt/") == 1
    _, _, none = get(base + "/?outcome=taught_technique")
    assert "no attempts match" in none.decode()


def test_attempt_page_embeds_the_aligned_attempt(base: str, source: Path) -> None:
    status, _, body = get(f"{base}/attempt/{ATTEMPT}")
    html = body.decode()
    assert status == 200
    start = html.index('id="attempt-data">') + len('id="attempt-data">')
    data = json.loads(html[start : html.index("</script>", start)])
    card = json.loads((source / "score.json").read_text())
    n = len(data["t"])
    assert n == 295  # the sample's frames
    assert len(data["keypoints"]) == len(data["reference_over"]) == n
    assert [c["status"] for c in data["criteria"]] == [c["status"] for c in card["criteria"]]
    assert [p["name"] for p in data["phases"]] == [
        "held",
        "turn_wrist",
        "pull",
        "step_back",
        "exit",
    ]
    assert {m["name"] for m in data["markers"]} == {"GO", "release", "safe distance"}
    assert data["video"] == "video.mp4"
    assert data["path"]["points"], "an escape path from t0 on"


def test_video_answers_range_requests(base: str, source: Path) -> None:
    whole = (source / "video.mp4").read_bytes()
    status, headers, body = get(f"{base}/attempt/{ATTEMPT}/video", {"Range": "bytes=100-199"})
    assert status == 206
    assert headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert body == whole[100:200]


def test_notes_and_overrides_go_to_review_json_never_score_json(base: str, workspace: Path) -> None:
    folder = workspace / "recordings" / ATTEMPT
    score_before = (folder / "score.json").read_bytes()
    api = f"{base}/api/attempt/{ATTEMPT}"
    assert post(api + "/notes", {"t": 4.5, "text": "<b>elbow</b> & guard"}, base) == (
        200,
        {"notes": 1},
    )
    card = json.loads(score_before)
    failed = next(c for c in card["criteria"] if c["status"] == "Not met")
    key = f"{failed['phase']}/{failed['kind']}/{failed['label']}"
    status, _ = post(api + "/override", {"criterion": key, "status": "Met", "reason": "seen"}, base)
    assert status == 200
    review = json.loads((folder / "review.json").read_text())
    assert review["format_version"] == 1
    assert review["notes"][0]["text"] == "<b>elbow</b> & guard"
    assert review["overrides"][0]["status"] == "Met"
    assert (folder / "score.json").read_bytes() == score_before
    reviewed = get(base + "/?outcome=reviewed")[2].decode()
    assert reviewed.count("/attempt/") == 1 and f"/attempt/{ATTEMPT}" in reviewed
    html = get(f"{base}/attempt/{ATTEMPT}")[2].decode()
    assert "&lt;b&gt;elbow&lt;/b&gt; &amp; guard" in html
    row = html[html.index(f'data-key="{key}"') :].split("</tr>")[0]
    assert "Not met" in row and ">Met</span>" in row and "seen" in row


def test_writes_from_other_origins_or_hosts_are_refused(base: str, workspace: Path) -> None:
    api = f"{base}/api/attempt/{ATTEMPT}/notes"
    assert post(api, {"t": 1.0, "text": "x"}, "http://evil.example")[0] == 403
    assert post(api, {"t": 1.0, "text": "x"}, None)[0] == 403
    assert get(base + "/", {"Host": "evil.example"})[0] == 403
    assert not (workspace / "recordings" / ATTEMPT / "review.json").exists()


def test_no_path_outside_the_recordings_folder_is_served(base: str, workspace: Path) -> None:
    (workspace / "secret.txt").write_text("TOP-SECRET-CONTENT")
    for path in (
        "/attempt/../secret.txt/video",
        "/attempt/..%2Fsecret.txt/video",
        "/attempt/%2E%2E/%2E%2E/etc/video",
        "/static/../app.py",
        "/static/..%2Fapp.py",
    ):
        status, _, body = get(base + path)
        assert status in (400, 404), path
        assert b"TOP-SECRET-CONTENT" not in body and b"create_app" not in body


def test_newer_review_file_is_shown_read_only_and_never_overwritten(
    base: str, workspace: Path
) -> None:
    path = workspace / "recordings" / ATTEMPT / "review.json"
    newer = json.dumps({"format_version": 7, "notes": [], "overrides": [], "tags": []})
    path.write_text(newer)
    status, _, body = get(f"{base}/attempt/{ATTEMPT}")
    assert status == 200
    assert "review format version 7 is newer than this coach reads" in body.decode()
    status, answer = post(f"{base}/api/attempt/{ATTEMPT}/notes", {"t": 1, "text": "x"}, base)
    assert status == 409 and "newer" in str(answer["error"])
    assert path.read_text() == newer


def test_corrupt_or_unscored_folders_and_missing_video_give_a_message(
    base: str, workspace: Path
) -> None:
    rec = workspace / "recordings"
    bad = copy_as(rec / ATTEMPT, rec / "bad_pose")
    (bad / "pose.npz").write_bytes(b"PK\x03\x04 truncated")
    unscored = copy_as(rec / ATTEMPT, rec / "unscored")
    (unscored / "score.json").unlink()
    no_video = copy_as(rec / ATTEMPT, rec / "no_video")
    (no_video / "video.mp4").unlink()
    status, _, body = get(base + "/attempt/bad_pose")
    assert status == 404 and "pose.npz: not a readable pose file" in body.decode()
    status, _, body = get(base + "/attempt/unscored")
    assert status == 404 and "no score card yet" in body.decode()
    status, _, body = get(base + "/attempt/no_video")
    assert status == 200 and "keypoints only: no video recorded" in body.decode()
    assert get(base + "/attempt/no_video/video")[0] == 404
    home = get(base + "/")[2].decode()
    assert "corrupt: bad_pose/pose.npz" in home


def test_exports_match_the_score_card(base: str, source: Path) -> None:
    card = json.loads((source / "score.json").read_text())
    _, headers, csv_body = get(f"{base}/attempt/{ATTEMPT}/export/scorecard.csv")
    lines = csv_body.decode().strip().splitlines()
    assert len(lines) == len(card["criteria"]) + 1
    assert "attachment" in headers["Content-Disposition"]
    srt = get(f"{base}/attempt/{ATTEMPT}/export/faults.srt")[2].decode()
    failed = [c["label"] for c in card["criteria"] if c["status"] == "Not met"]
    assert srt.count("NOT MET (coach)") == len(failed) and "-->" in srt
    measures = get(f"{base}/attempt/{ATTEMPT}/export/measures.csv")[2].decode().splitlines()
    assert len(measures) == 295 + 1 and measures[0].startswith("t_s,angle:")
    whole = json.loads(get(f"{base}/attempt/{ATTEMPT}/export/scorecard.json")[2])
    assert whole["coach"] == card
    assert get(f"{base}/attempt/{ATTEMPT}/export/nonsense")[0] == 404


def test_trainee_page_and_refresher_policy(base: str, workspace: Path) -> None:
    status, _, body = get(base + "/trainee/Bob")
    assert status == 200 and "never passed" in body.decode()
    assert get(base + "/trainee/Nobody")[0] == 404
    (workspace / "coach.toml").write_text("[refresher]\npractice_due_days = 30\n")
    assert load_policy(workspace) == RefresherPolicy(30, 180)
    (workspace / "coach.toml").write_text("[refresher]\npractice_due_days = 300\n")
    with pytest.raises(CoachError, match="reassess_days must not be below"):
        load_policy(workspace)


def test_refresher_status_after_90_and_180_days(workspace: Path) -> None:
    rec = workspace / "recordings"
    passing = rec / ATTEMPT / "score.json"
    card = json.loads(passing.read_text())
    card["outcomes"]["matched_coaching_points_used_taught_technique"] = True
    passing.write_text(json.dumps(card))
    summaries = [summarise(rec / ATTEMPT, rec)]
    policy = RefresherPolicy()
    on = {
        days: refresher_status(summaries, policy, dt.date(2026, 6, 1) + dt.timedelta(days))[0]
        for days in (0, 89, 90, 179, 180)
    }
    assert [on[d].state for d in (0, 89, 90, 179, 180)] == [
        "up to date",
        "up to date",
        "practice due",
        "practice due",
        "re-assess",
    ]
    assert due_lines([on[90]], policy) == [
        "same_side_wrist_grab: practice due (last passed 2026-06-01, 90 days ago; due after 90)"
    ]


def test_report_is_self_contained(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere" / "report.html"
    write_report(Workspace(workspace), workspace / "recordings" / ATTEMPT, out)
    html = out.read_text()
    assert "data:video/mp4;base64," in html
    links = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert links and all(link.startswith(("data:", "#")) for link in links), links
    assert "reviewClock" in html  # the player script is inline
    assert list(out.parent.iterdir()) == [out]


def test_review_command_serves_on_localhost(workspace: Path) -> None:
    process = subprocess.Popen(
        [*COACH, "--workspace", str(workspace), "review", "Bob", "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("review app: http://127.0.0.1:"), line
        url = line.split()[2]
        assert url.endswith("/trainee/Bob")
        assert get(url)[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    done = subprocess.run(
        [*COACH, "--workspace", str(workspace), "review", "Nobody", "--no-browser"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "coach: error: Nobody: neither an attempt folder nor a trainee with recorded attempts"
    )


def test_report_and_export_commands(workspace: Path, tmp_path: Path) -> None:
    folder = workspace / "recordings" / ATTEMPT
    out = tmp_path / "r.html"
    done = subprocess.run(
        [*COACH, "--workspace", str(workspace), "report", str(folder), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > (folder / "video.mp4").stat().st_size
    done = subprocess.run(
        [*COACH, "--workspace", str(workspace), "export", str(folder), "faults.srt"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0 and done.stdout.startswith("1\n00:00:0")
    shutil.rmtree(folder / "video.mp4", ignore_errors=True)
    done = subprocess.run(
        [*COACH, "--workspace", str(workspace), "report", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2 and "no such attempt folder" in done.stderr
    assert sys.executable  # the CLI ran under this interpreter


def test_live_says_what_is_due_for_the_trainee(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    print_refresher(Workspace(workspace), "Bob")
    assert capsys.readouterr().out == "refresher: same_side_wrist_grab: not passed yet\n"
    print_refresher(Workspace(workspace), "Nobody")
    assert "nothing due" in capsys.readouterr().out
    (workspace / "coach.toml").write_text("[refresher\n")
    print_refresher(Workspace(workspace), "Bob")
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("coach: warning: refresher status unavailable: ")
    assert "coach.toml: not valid TOML" in err


def test_review_target_outside_the_recordings_is_refused(workspace: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    with pytest.raises(CoachError, match="not inside this workspace's recordings folder"):
        start_path(Workspace(workspace), str(outside))
    inside = workspace / "recordings" / ATTEMPT
    assert start_path(Workspace(workspace), str(inside)) == f"/attempt/{ATTEMPT}"


def test_an_attempt_with_no_person_seen_still_opens(base: str, workspace: Path) -> None:
    rec = workspace / "recordings"
    folder = copy_as(rec / ATTEMPT, rec / "nobody_seen")
    pose = read_pose_file(folder / "pose.npz")
    hidden = replace(
        pose,
        image=np.full_like(pose.image, np.nan),
        world=np.full_like(pose.world, np.nan),
        visibility=np.zeros_like(pose.visibility),
    )
    write_pose_file(folder / "pose.npz", hidden)
    status, _, body = get(base + "/attempt/nobody_seen")
    assert status == 200
    html = body.decode()
    start = html.index('id="attempt-data">') + len('id="attempt-data">')
    data = json.loads(html[start : html.index("</script>", start)])
    assert all(point[0] is None for frame in data["keypoints"] for point in frame)
    assert data["path"]["points"] == []


def test_the_instructors_verdict_follows_the_overrides(base: str, source: Path) -> None:
    card = json.loads((source / "score.json").read_text())
    failed = [c for c in card["criteria"] if c["status"] == "Not met"]
    assert all(c["role"] == "coaching" for c in failed)  # the sample's faults
    for c in failed:
        key = f"{c['phase']}/{c['kind']}/{c['label']}"
        body = {"criterion": key, "status": "Met", "reason": "seen on the video"}
        assert post(f"{base}/api/attempt/{ATTEMPT}/override", body, base)[0] == 200
    html = get(f"{base}/attempt/{ATTEMPT}")[2].decode()
    table = html[html.index('id="verdicts"') : html.index("</table>", html.index('id="verdicts"'))]
    row = table[table.index("used the taught technique") :].split("</tr>")[0]
    assert '<td class="no">no</td><td class="yes">yes</td>' in row
    assert table.count('class="differs"') == 1
    whole = json.loads(get(f"{base}/attempt/{ATTEMPT}/export/scorecard.json")[2])
    taught = next(o for o in whole["outcomes"] if o["name"] == "used the taught technique")
    assert (taught["coach"], taught["instructor"]) == (False, True)
