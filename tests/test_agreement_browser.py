"""``agreement.html`` from file:// in real headless Chromium (Playwright driving
/usr/bin/chromium): no console error, the forest plot loads, the coach's pairs stand beside the
assessors', names people typed are shown as text, never run. The screenshot goes to
tests/output/agreement.png for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.agreement_marks import ITEM, ITEM2, rater_rows, write_marks
from tests.cli_run import coach

CHROMIUM = Path("/usr/bin/chromium")
EVIL = "Bob <img src=x onerror=alert(1)>"

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (apt-get install chromium; tests/system_packages.sh does it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agreement")
    files = []
    for rater in ("coach", "ann", "bob"):
        rows = rater_rows(rater)
        if rater == "bob":
            rows = [[*r[:5], EVIL, r[6]] for r in rows]
        files.append(write_marks(folder / f"{rater}.csv", rows))
    run = coach("agreement", *files, "-o", folder / "out")
    assert run.code == 0, run.stderr
    return folder / "out" / "agreement.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def test_the_page_in_chromium(browser: Any, page_file: Path, output_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    size = page.evaluate(
        "(() => { const i = document.querySelector('img.forest');"
        " return [i.complete, i.naturalWidth, i.naturalHeight]; })()"
    )
    assert size[0] and size[1] >= 900 and size[2] >= 400, size
    items = page.eval_on_selector_all(
        "#side-by-side tr[data-item]", "rs => rs.map(r => r.dataset.item)"
    )
    assert items == [ITEM, ITEM2, "overall", "all criteria"]
    heads = page.eval_on_selector_all(
        "#side-by-side th.coach-human, #side-by-side th.human-human",
        "hs => hs.map(h => [h.className, h.textContent])",
    )
    assert heads == [
        ["coach-human", "coach v ann"],
        ["coach-human", f"coach v {EVIL}"],
        ["human-human", f"ann v {EVIL}"],
    ]
    first = page.inner_text(f"#side-by-side tr[data-item='{ITEM}'] td.coach-human >> nth=0")
    assert "85.0 %" in first and "κ 0.32 [" in first and "PABAK 0.70" in first
    assert "n=100, N/A=4" in first
    assert len(page.query_selector_all("#headline li")) == 4
    assert len(page.query_selector_all("#pairs tr.coach-human")) == 8
    methods = page.eval_on_selector_all("#pairs .method", "ms => ms.map(m => m.textContent)")
    assert methods == ["intervals: cluster bootstrap over attempts"] * 3  # the pooled rows
    assert page.query_selector("img[src='x']") is None
    page.screenshot(path=str(output_dir / "agreement.png"), full_page=True)
    assert errors == [] and dialogs == []
    page.close()
