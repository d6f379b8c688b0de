"""Practical videos for ``coach assess`` tests and bench: attempts rendered as people
(``coach/synth/figure``) at the rendered-quality bench's laptop placements, with a known fault
or none."""

from __future__ import annotations

from pathlib import Path

from coach.synth.attempts import AttemptSpec
from coach.synth.evaluation import CORRECT
from coach.synth.figure.attempt_video import attempt_scene, write_attempt_video
from coach.synth.rendered_evaluation import PLACEMENTS, jobs_for
from coach.technique.loader import load_technique
from coach.workspace import default_techniques_dir

TECHNIQUES = default_techniques_dir()


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
