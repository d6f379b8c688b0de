"""Stick figures: one PNG per phase of every technique (checked by eye once), and the
rendered reference video loads in Chromium with a duration."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.bodymodel.reference import render_reference
from coach.render.stick_figure import captions_for, save_png, write_animation
from coach.technique.library import list_techniques

OUTPUT = Path(__file__).parent / "output" / "stick_figures"
CHROMIUM = Path("/usr/bin/chromium")


def test_one_png_per_phase_of_each_technique() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    written = 0
    for tech in list_techniques(None):
        ref = render_reference(tech)
        for (_start, end), phase in zip(ref.phase_spans_s, tech.phases, strict=True):
            i = int(np.searchsorted(ref.sequence.t, end - 1e-6)) - 1
            path = OUTPUT / f"{tech.id}_{phase.name}.png"
            save_png(ref.sequence, i, path, f"{tech.id} | {phase.name} | {ref.sequence.t[i]:.2f} s")
            img = cv2.imread(str(path))
            assert img.shape == (360, 640, 3)
            drawn = (img.max(axis=2) > 60).mean()
            assert 0.005 < drawn < 0.2  # a figure is drawn, not an empty or filled frame
            written += 1
    assert written == 28


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (make test installs it)"
)
def test_reference_video_plays_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    tech = next(t for t in list_techniques(None) if t.id == "same_side_wrist_grab")
    ref = render_reference(tech)
    captions = captions_for(
        ref.sequence.t, ref.phase_spans_s, [p.name for p in tech.phases], tech.id
    )
    frames = write_animation(ref.sequence, captions, tmp_path / "ref.mp4", size=(320, 180))
    assert frames == len(ref.sequence)
    (tmp_path / "index.html").write_text(
        '<video id="v" src="ref.mp4" muted preload="auto"></video>'
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
            page.wait_for_function("document.getElementById('v').readyState >= 1", timeout=20000)
            duration = page.evaluate("document.getElementById('v').duration")
            error = page.evaluate("document.getElementById('v').error")
            browser.close()
    finally:
        server.shutdown()
    assert error is None
    assert duration == pytest.approx(ref.sequence.duration_s, abs=0.2)
