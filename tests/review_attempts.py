"""Scored attempt folders for the index and review tests, made from the bundled SYNTHETIC
sample (same-side wrist grab; faults: hands down, no step back) by the real scorer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coach.recording.attempt_folder import read_attempt
from coach.render.stick_figure import draw_frame
from coach.scoring.offline import score_sequence
from coach.scoring.reference_build import reference_for
from coach.technique.library import find_technique
from coach.video.sink import BrowserVideoWriter
from coach.workspace import find_workspace

SAMPLE = Path(__file__).parent.parent / "coach" / "sample_attempts" / "same_side_wrist_grab"
VIDEO_SIZE = (640, 360)


def scored_sample(dest: Path, video: bool = False) -> Path:
    """A copy of the sample in ``dest`` with its real ``score.json`` (and a ``video.mp4`` of
    the keypoints drawn as a stick figure, one video frame per pose frame, when asked)."""
    shutil.copytree(SAMPLE, dest)
    attempt = read_attempt(dest)
    workspace = find_workspace(None)
    technique = find_technique(workspace, str(attempt.meta.technique))
    side = str(attempt.meta.side)
    reference = reference_for(workspace.techniques, technique.on_side(side))
    t0 = float(attempt.meta.extra["t0_s"])
    card = score_sequence(attempt.pose, technique, side=side, t0_s=t0, references={side: reference})
    (dest / "score.json").write_text(card.to_json(), encoding="utf-8")
    if video:
        with BrowserVideoWriter(dest / "video.mp4", attempt.pose.fps, VIDEO_SIZE) as writer:
            for i in range(len(attempt.pose)):
                writer.write(draw_frame(attempt.pose, i, VIDEO_SIZE))
    return dest


def copy_as(source: Path, dest: Path, **meta: object) -> Path:
    """A copy of an attempt folder with some attempt.json fields changed (trainee, created...)."""
    shutil.copytree(source, dest)
    path = dest / "attempt.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    body.update(meta)
    path.write_text(json.dumps(body, indent=2), encoding="utf-8")
    return dest
