"""The review pages in real headless Chromium (Playwright driving /usr/bin/chromium) against
the real server: no console error, the video plays and seeks, frame stepping, a click on a
Not-met fault, speed, notes and overrides across reloads, the report from file:// alone.
Screenshots go to tests/output/ for a person to look at."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.review.marking import form_items
from coach.review.report import write_report
from coach.workspace import Workspace
from tests.review_attempts import copy_as, scored_sample
from tests.review_server import running_review

CHROMIUM = Path("/usr/bin/chromium")
ATTEMPT = "2026-06-01_ann_1"
TRAINEE = "Ann <img src=x onerror=alert(1)>"

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (apt-get install chromium; tests/system_packages.sh does it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    rec = root / "recordings"
    source = scored_sample(root / "source", video=True)
    copy_as(source, rec / ATTEMPT, trainee=TRAINEE, created="2026-06-01T10:00:00+00:00")
    copy_as(source, rec / "2026-08-01_ann_2", trainee=TRAINEE, created="2026-08-01T10:00:00+00:00")
    keypoints_only = copy_as(
        source, rec / "2026-09-01_ann_3", trainee=TRAINEE, created="2026-09-01T10:00:00+00:00"
    )
    (keypoints_only / "video.mp4").unlink()
    shutil.rmtree(source)
    return root


@pytest.fixture(scope="module")
def base(workspace: Path) -> Iterator[str]:
    with running_review(workspace) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


class Page:
    """A page with its console errors and dialogs collected."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1400})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open_attempt(self, url: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready='1']")
        if self.page.query_selector("video"):
            self.page.wait_for_function("document.getElementById('video').readyState >= 2")
        return self.page

    def video_time(self) -> float:
        self.page.wait_for_function("!document.getElementById('video').seeking")
        return float(self.page.evaluate("document.getElementById('video').currentTime"))


@pytest.fixture
def tab(browser: Any) -> Iterator[Page]:
    page = Page(browser)
    yield page
    page.page.close()


def fps_of(page: Any) -> float:
    return float(
        page.evaluate("JSON.parse(document.getElementById('attempt-data').textContent).fps")
    )


def test_attempt_page_loads_clean_with_a_playable_video(
    tab: Page, base: str, output_dir: Path
) -> None:
    page = tab.open_attempt(f"{base}/attempt/{ATTEMPT}")
    duration = page.evaluate("document.getElementById('video').duration")
    assert duration == pytest.approx(295 / 30.0, abs=0.1)
    assert page.locator(".tl-seg").count() == page.locator("#scorecard tbody tr").count()
    assert page.locator(".plot canvas").count() >= 4
    assert TRAINEE in page.title() and not tab.dialogs
    page.evaluate("reviewClock.seek(4.6)")
    page.check("#superimpose")
    page.wait_for_timeout(300)
    page.screenshot(path=str(output_dir / "review_attempt.png"), full_page=True)
    assert tab.errors == []


def test_frame_step_moves_one_frame_and_keys_work(tab: Page, base: str) -> None:
    page = tab.open_attempt(f"{base}/attempt/{ATTEMPT}")
    frame = 1.0 / fps_of(page)
    page.evaluate("reviewClock.seek(3.0)")
    start = tab.video_time()
    page.click("#next")
    assert tab.video_time() - start == pytest.approx(frame, abs=1e-3)
    page.keyboard.press(".")
    page.keyboard.press("ArrowRight")
    assert tab.video_time() - start == pytest.approx(3 * frame, abs=1e-3)
    page.keyboard.press(",")
    page.keyboard.press("ArrowLeft")
    assert tab.video_time() - start == pytest.approx(frame, abs=1e-3)
    assert "frame 92/295" in page.inner_text("#clock")  # 3.0 s is frame 91 (1-based), +1
    assert tab.errors == []


def test_click_on_a_not_met_fault_seeks_into_its_range(tab: Page, base: str) -> None:
    page = tab.open_attempt(f"{base}/attempt/{ATTEMPT}")
    segment = page.locator(".tl-seg.not-met").first
    t0 = float(segment.get_attribute("data-t0"))
    t1 = float(segment.get_attribute("data-t1"))
    box = segment.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    t = tab.video_time()  # the sample's clock starts at 0, so video time = attempt time
    assert t0 - 1e-3 <= t <= t1 + 1e-3
    assert abs(t - (t0 + t1) / 2) < 0.1 * (t1 - t0) + 0.05


def test_speed_control(tab: Page, base: str) -> None:
    page = tab.open_attempt(f"{base}/attempt/{ATTEMPT}")
    page.select_option("#speed", "0.25")
    assert page.evaluate("document.getElementById('video').playbackRate") == 0.25
    page.keyboard.press("l")
    assert page.evaluate("document.getElementById('video').playbackRate") == 0.5
    assert page.input_value("#speed") == "0.5"
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("document.getElementById('video').playbackRate") == 0.1
    page.select_option("#speed", "2")
    page.evaluate("reviewClock.seek(1.0)")
    page.click("#play")
    page.wait_for_function("document.getElementById('video').currentTime > 1.5")
    assert page.evaluate("document.getElementById('video').playbackRate") == 2.0
    page.keyboard.press("k")
    assert page.evaluate("document.getElementById('video').paused")


def test_a_note_survives_a_reload_and_shows_as_text(tab: Page, base: str) -> None:
    page = tab.open_attempt(f"{base}/attempt/{ATTEMPT}")
    page.evaluate("reviewClock.seek(4.5)")
    page.fill("#note-text", "Elbow late <script>alert(2)</script>")
    page.click("#note-form button")
    page.wait_for_selector("#notes .note-text")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.inner_text("#notes .note-text") == "Elbow late <script>alert(2)</script>"
    assert page.inner_text("#notes a.seek").startswith("4.5")
    assert tab.dialogs == [] and tab.errors == []


def test_an_override_shows_beside_the_coach_status(tab: Page, base: str) -> None:
    page = tab.open_attempt(f"{base}/attempt/{ATTEMPT}")
    key = page.locator("#scorecard tr:has(td.status.not-met)").first.get_attribute("data-key")
    page.select_option("#override-criterion", key)
    page.select_option("#override-status", "Met")
    page.fill("#override-reason", "hands were up, hidden by the partner")
    page.click("#override-form button")
    page.wait_for_selector("td.instructor .status")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    row = page.locator(f'#scorecard tr[data-key="{key}"]')
    assert row.locator("td.status.not-met").inner_text() == "Not met"
    assert row.locator("td.instructor .status").inner_text() == "Met"
    assert "hidden by the partner" in row.locator("td.instructor").inner_text()
    assert page.locator(".tl-seg.overridden").count() == 1


def test_keypoints_only_attempt_plays_on_its_own_clock(tab: Page, base: str) -> None:
    page = tab.open_attempt(f"{base}/attempt/2026-09-01_ann_3")
    assert page.query_selector("video") is None
    page.evaluate("reviewClock.seek(2.0)")
    page.click("#next")
    step = page.evaluate("reviewClock.now()") - 2.0
    assert step == pytest.approx(1.0 / fps_of(page), abs=2e-3)
    assert tab.errors == []


def test_trainee_page(tab: Page, base: str, output_dir: Path) -> None:
    page = tab.page
    page.goto(f"{base}/")
    page.click("a.trainee")
    page.wait_for_selector("#times-plot")
    assert page.inner_text("h1") == TRAINEE
    assert page.locator("table.list tbody tr").count() == 3
    page.screenshot(path=str(output_dir / "review_trainee.png"), full_page=True)
    assert tab.errors == [] and tab.dialogs == []


def test_report_opens_from_a_file_path_alone(
    tab: Page, workspace: Path, tmp_path: Path, output_dir: Path
) -> None:
    out = write_report(
        Workspace(workspace), workspace / "recordings" / ATTEMPT, tmp_path / "report.html"
    )
    page = tab.open_attempt(out.as_uri())
    assert page.evaluate("document.getElementById('video').duration") > 9.0
    page.evaluate("reviewClock.seek(5.0)")
    assert tab.video_time() == pytest.approx(5.0, abs=0.01)
    data = json.loads(page.inner_text("#attempt-data"))
    assert len(data["keypoints"]) == 295
    assert page.query_selector("#note-form") is None  # a report is read-only
    page.screenshot(path=str(output_dir / "review_report.png"))
    assert tab.errors == []


def test_blind_marking_hides_the_verdict_until_submitted(
    tab: Page, base: str, workspace: Path, output_dir: Path
) -> None:
    page = tab.open_attempt(f"{base}/mark/{ATTEMPT}")
    assert page.locator(".status, #scorecard, #timeline, #plots").count() == 0
    page.click("#next")
    assert "frame 2/295" in page.inner_text("#clock")
    page.click("#play")
    page.wait_for_timeout(500)
    page.click("#play")
    assert page.evaluate("document.getElementById('video').currentTime") > 0.2  # it plays
    page.evaluate("localStorage.removeItem('coach.assessor')")
    page.fill("#assessor", "")
    page.click("#submit-marks")
    page.wait_for_function("document.getElementById('mark-error').textContent !== ''")
    assert "missing assessor" in page.inner_text("#mark-error")
    assert not page.is_visible("#reveal")
    card = json.loads((workspace / "recordings" / ATTEMPT / "score.json").read_text())
    items = form_items(card)
    rows = page.locator("#mark-table tbody tr")
    assert rows.count() == len(items) == 20
    flipped = {"met": "not_met", "not_met": "met", "not_assessable": "met"}
    for n, item in enumerate(items):
        mark = flipped[item.coach] if item.item == "Guard up again" else item.coach
        rows.nth(n).locator(f"input[value='{mark}']").check()
    rows.nth(0).locator(".mark-notes").fill("<b>looked</b> fine")
    page.fill("#assessor", "Cleo <i>")
    page.screenshot(path=str(output_dir / "review_mark_form.png"), full_page=True)
    page.click("#submit-marks")
    page.wait_for_selector("#reveal:not([hidden])")
    shown = page.locator("#reveal-table tbody tr")
    assert shown.count() == 20
    assert page.locator("#reveal-table tr.differs").count() == 1
    assert "Guard up again" in page.inner_text("#reveal-table tr.differs")
    assert "marks/Cleo-i.csv" in page.inner_text("#written")
    assert not page.is_visible("#mark-form")
    page.screenshot(path=str(output_dir / "review_mark_revealed.png"), full_page=True)
    lines = (workspace / "marks" / "Cleo-i.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 21 and lines[1].endswith(",Cleo <i>,<b>looked</b> fine")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.input_value("#assessor") == "Cleo <i>"  # asked once, kept in the browser
    assert tab.errors == [] and tab.dialogs == []


def test_blind_marking_of_a_keypoints_only_attempt(tab: Page, base: str, output_dir: Path) -> None:
    page = tab.page
    page.goto(f"{base}/")
    page.click("#blind-marking")
    page.wait_for_selector("#to-mark")
    assert page.locator("#to-mark tbody tr").count() == 3
    assert "broke free" not in page.inner_text("main")
    page.screenshot(path=str(output_dir / "review_mark_list.png"))
    page.click("a[href$='/mark/2026-09-01_ann_3']")
    page.wait_for_selector("body[data-ready='1']")
    assert page.query_selector("video") is None
    page.click("#next")
    assert "frame 2/295" in page.inner_text("#clock")
    page.click("#play")
    page.wait_for_timeout(500)
    page.click("#play")
    frame = int(page.inner_text("#clock").split("frame ")[1].split("/")[0])
    assert 8 <= frame <= 40  # about half a second at 30 fps, on a loaded machine too
    assert tab.errors == [] and tab.dialogs == []
