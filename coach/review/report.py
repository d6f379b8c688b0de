"""``coach report``: the attempt page as one self-contained HTML file.

Styles and scripts are inlined, the keypoints and the matched reference are embedded as JSON,
and the video (if any) is embedded as a data URI, or, past EMBED_VIDEO_MAX_BYTES, copied beside
the report and referenced by a relative name. The file opens from disk on any computer with a
browser: no server, no network. It is written atomically.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

from flask import render_template

from coach.review.app import PACKAGE, create_app
from coach.review.atomic_file import write_text_atomically
from coach.review.attempt_data import attempt_page
from coach.review.review_file import read_review
from coach.workspace import Workspace

EMBED_VIDEO_MAX_BYTES = 64 * 1024 * 1024
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}


def write_report(workspace: Workspace, folder: Path, out: Path) -> Path:
    """Write the report of the attempt in ``folder`` to ``out``; returns ``out``."""
    review = read_review(folder)
    page = attempt_page(workspace, folder, review)
    video_src = None
    if page.video is not None:
        video = folder / page.video
        if video.stat().st_size <= EMBED_VIDEO_MAX_BYTES:
            encoded = base64.b64encode(video.read_bytes()).decode("ascii")
            video_src = f"data:{VIDEO_TYPES[video.suffix]};base64,{encoded}"
        else:
            beside = out.with_name(f"{out.stem}_{page.video}")
            shutil.copyfile(video, beside)
            video_src = beside.name
    app = create_app(workspace)
    with app.test_request_context():
        html = render_template(
            "attempt.html",
            relative=folder.name,
            page=page,
            meta=page.attempt.meta,
            review=review,
            review_problem=None,
            report=True,
            inline_css=(PACKAGE / "static" / "review.css").read_text(encoding="utf-8"),
            inline_js=(PACKAGE / "static" / "attempt.js").read_text(encoding="utf-8"),
            video_src=video_src,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_text_atomically(out, html)
