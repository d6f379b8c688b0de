"""A synthetic attempt as video: the trainee and the partner rendered through the camera.

The trainee's landmarks come from the same timeline the noise-model evaluation uses
(``synthesize_attempt`` without noise gives the ground truth: landmarks, phase windows,
events, scene); the partner holds until halfway through the release phase.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from coach.bodymodel.body_model import Body, posture_points
from coach.bodymodel.interpolation import interpolate
from coach.bodymodel.reference import Rendered
from coach.synth.attempts import AttemptSpec, Noise, attempt_timeline, synthesize_attempt
from coach.synth.figure.partner import partner_points
from coach.synth.figure.scene import Person, Staging, random_staging, render_frames
from coach.technique.model import Technique
from coach.video.sink import BrowserVideoWriter


@dataclass(frozen=True, eq=False)
class AttemptScene:
    """Everything to draw one attempt and judge the pose model on it.

    truth: the noise-free attempt with its phase windows and events (what the pose model should
    have seen). trainee / partner: the people to draw. let_go_s: when the partner lets go.
    """

    truth: Rendered
    trainee: Person
    partner: Person
    staging: Staging
    let_go_s: float


def attempt_scene(
    technique: Technique, spec: AttemptSpec, partner_height_m: float, staging: Staging | None = None
) -> AttemptScene:
    """The scene of the attempt ``spec`` describes (its noise is ignored: the renders are
    the measurement)."""
    spec = replace(spec, noise=Noise())
    truth = synthesize_attempt(technique, spec)
    tech = technique.on_side(spec.side)
    tl = attempt_timeline(tech, spec.faults, spec.speed)
    tracks = interpolate(tl.keyframes(), truth.sequence.t)
    body = Body(spec.height_m)
    points = np.stack(
        [
            posture_points({k: float(v[i]) for k, v in tracks.items()}, body)
            for i in range(len(truth.sequence))
        ]
    )
    release_phase = tl.spans[tech.phase_index(tech.timing.release_phase)]
    let_go = 0.5 * (release_phase[0] + release_phase[1])
    partner = partner_points(
        points, truth.sequence.t, tech, let_go, spec.height_m, partner_height_m
    )
    rng = np.random.default_rng(spec.seed)
    staging = staging or random_staging(rng)
    return AttemptScene(
        truth=truth,
        trainee=Person(points, spec.height_m, staging.trainee_look),
        partner=Person(partner, partner_height_m, staging.partner_look),
        staging=staging,
        let_go_s=let_go,
    )


def write_attempt_video(
    scene: AttemptScene, spec: AttemptSpec, path: Path, partner: bool = True
) -> Path:
    """Render ``scene`` through ``spec.camera`` at ``spec.fps`` into a VP9 video at ``path``
    (without the partner when ``partner`` is false)."""
    people = [scene.trainee, scene.partner] if partner else [scene.trainee]
    with BrowserVideoWriter(path, spec.fps, spec.camera.size) as out:
        for frame in render_frames(people, spec.camera, scene.staging, spec.seed):
            out.write(frame)
    return path
