"""A small practical cohort for the ``coach assess`` tests: attempts rendered as people
(``coach/synth/figure``, the rendered-quality bench's laptop placements), a known fault in
some, and a file that is not a video."""

from __future__ import annotations

from pathlib import Path

from coach.synth.attempts import AttemptSpec
from coach.synth.evaluation import CORRECT
from coach.synth.figure.attempt_video import attempt_scene, write_attempt_video
from coach.synth.rendered_evaluation import PLACEMENTS, jobs_for
from coach.technique.loader import load_technique

TECHNIQUES = Path(__file__).resolve().parents[1] / "techniques"


def render_attempt(technique_id: str, fault: str, seed: int, path: Path) -> Path:
    """Render one attempt (``fault`` or CORRECT) at a laptop placement drawn from ``seed``."""
    technique = load_technique(TECHNIQUES / f"{technique_id}.toml")
    job = jobs_for(technique, [fault], "laptop", 1, seed)[0]
    v = job.variation
    spec = AttemptSpec(
        height_m=v.height_m,
        speed=v.speed,
        side=v.side,
        camera=job.camera,
        faults=() if fault == CORRECT else (fault,),
        seed=v.seed,
        fps=PLACEMENTS["laptop"].fps,
    )
    scene = attempt_scene(technique, spec, job.partner_height_m)
    return write_attempt_video(scene, spec, path)
