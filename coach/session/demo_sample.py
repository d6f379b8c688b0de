"""The bundled sample attempt for ``coach demo``: a synthetic trainee with typical faults.

Made once by ``python -m coach.session.demo_sample`` and committed (it ships in the wheel as
package data), so the demo needs no camera, no model run and no download. It is a same-side
wrist grab with two faults a trainee typically makes, ``hands_down`` (no guard after the
release) and ``no_step_back``, with MediaPipe-like noise, jitter and dropouts; ``attempt.json``
says it is synthetic. A 3 s ready stance comes first so the live flow (stance held 1 s, 3 s
countdown) gives GO at 4.0 s, exactly where the technique's t0 is, and a 2 s hold at the end.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from coach import __version__
from coach.bodymodel.body_model import Body
from coach.bodymodel.camera import Camera
from coach.bodymodel.reference import render_keyframes
from coach.pose.adapter import MODEL_NAME
from coach.recording.attempt_folder import write_attempt
from coach.recording.attempt_meta import AttemptMeta, SourceMeta
from coach.synth.attempts import Noise, add_noise, attempt_timeline
from coach.technique.library import find_technique

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_attempts" / "same_side_wrist_grab"
TECHNIQUE = "same_side_wrist_grab"
FAULTS = ("hands_down", "no_step_back")
LEAD_IN_S = 3.0
TAIL_S = 2.0
SEED = 7


def build_sample(folder: Path = SAMPLE_DIR) -> Path:
    """Render the sample attempt and write it as an attempt folder (replacing it)."""
    tech = find_technique(None, TECHNIQUE)
    timeline = attempt_timeline(tech, FAULTS, 1.0).insert_hold(0.0, LEAD_IN_S)
    camera = Camera()
    seq = render_keyframes(
        timeline.keyframes(), timeline.duration_s + TAIL_S, Body(1.75), camera, 30.0
    )
    seq = add_noise(seq, Noise.typical(), np.random.default_rng(SEED))
    t0 = float(timeline.t0_s) + LEAD_IN_S  # insert_hold keeps t0 for "late onset"; here it moves
    meta = AttemptMeta(
        created=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).isoformat(),
        software_version=__version__,
        source=SourceMeta("replay", "synthetic", seq.source_size, seq.fps, len(seq), len(seq)),
        pose_model={"name": MODEL_NAME, "mode": "synthetic"},
        detected_fraction=round(seq.detected_fraction, 4),
        trainee="synthetic trainee",
        technique=TECHNIQUE,
        side=tech.side,
        extra={
            "synthetic": True,
            "description": "SYNTHETIC attempt (body model + camera, not a real person), "
            "made by coach.session.demo_sample",
            "faults": list(FAULTS),
            "noise": "Noise.typical()",
            "seed": SEED,
            "t0_s": t0,
            "release_s": float(timeline.release_s),
        },
    )
    return write_attempt(folder, seq, meta, force=True)


if __name__ == "__main__":
    print(build_sample())
