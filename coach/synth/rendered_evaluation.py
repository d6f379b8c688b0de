"""The quality evaluation on rendered video: attempts drawn as people, run through the real pose
model with ``coach extract``'s code path, scored by the offline scorer.

Every attempt is scored twice: from the pose model's landmarks on its rendered video, and from
the exact landmarks with the noise model added (``Noise.typical()``, as ``evaluation.py`` does),
so the two figures compare the same attempts. Placements say where the camera is: the laptop
range (facing the trainee +-30 deg, lens 0.8-1.6 m high, 2-3.5 m away, 30 fps) and beyond it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from coach.analysis.checks.evaluate import evaluate_technique
from coach.analysis.features import Features
from coach.bodymodel.camera import Camera
from coach.errors import CoachError
from coach.extract import extract_video
from coach.pose.people_tracks import PeopleTracks, choose_trainee
from coach.pose.sequence import PoseSequence
from coach.scoring.offline import references_for, score_sequence
from coach.synth.attempts import AttemptSpec, Noise, add_noise
from coach.synth.evaluation import CORRECT, Outcome, Variation
from coach.synth.figure.attempt_video import AttemptScene, attempt_scene, write_attempt_video
from coach.synth.pose_errors import PoseErrors, pose_errors
from coach.synth.rendered_cache import cached_tracks
from coach.technique.model import Technique

BODY_CENTRE_M: Final[float] = 0.9


@dataclass(frozen=True)
class Placement:
    """A range of camera placements: azimuth (deg, either side when ``both_sides``), lens
    height (m), distance (m), frame rate. The camera is aimed at the body's centre (0.9 m up),
    as a trainee tilts a laptop's screen to see themselves whole: a level camera 1.5 m up and
    2-3 m away cuts the legs off at the knee, and the pose model then misses people it finds
    when they are framed (measured on the rendered figure: 9 of 120 frames missed level,
    none aimed)."""

    name: str
    azimuth_deg: tuple[float, float]
    height_m: tuple[float, float]
    distance_m: tuple[float, float]
    fps: float = 30.0
    both_sides: bool = False
    partner: bool = True
    """Draw the partner (off: the trainee alone, to tell the pose model's own errors from
    following the wrong person)."""

    def draw(self, rng: np.random.Generator) -> Camera:
        az = float(rng.uniform(*self.azimuth_deg))
        if self.both_sides and rng.random() < 0.5:
            az = -az
        height = float(rng.uniform(*self.height_m))
        distance = float(rng.uniform(*self.distance_m))
        pitch = float(np.degrees(np.arctan2(height - BODY_CENTRE_M, distance)))
        return Camera(
            distance_m=distance,
            azimuth_deg=az,
            height_m=height,
            pitch_deg=pitch,
        )


PLACEMENTS: Final[dict[str, Placement]] = {
    p.name: p
    for p in (
        Placement("laptop", (-30.0, 30.0), (0.8, 1.6), (2.0, 3.5)),
        Placement("laptop_alone", (-30.0, 30.0), (0.8, 1.6), (2.0, 3.5), partner=False),
        Placement("laptop_60fps", (-30.0, 30.0), (0.8, 1.6), (2.0, 3.5), fps=60.0),
        Placement("side_60_90", (60.0, 90.0), (0.9, 1.5), (2.5, 3.5), both_sides=True),
        Placement("back", (165.0, 195.0), (0.9, 1.5), (2.5, 3.5)),
        Placement("high", (-30.0, 30.0), (2.2, 2.6), (2.5, 3.5)),
    )
}


@dataclass(frozen=True)
class Job:
    """One attempt to render and score."""

    technique: Technique
    fault: str
    placement: str
    variation: Variation
    partner_height_m: float
    camera: Camera


@dataclass(frozen=True)
class RenderedOutcome:
    """One attempt scored from the rendered video and from the noise model."""

    placement: str
    rendered: Outcome
    noise_model: Outcome
    errors: PoseErrors


def jobs_for(
    technique: Technique,
    cases: list[str],
    placement: str,
    n_per_case: int,
    seed: int,
) -> list[Job]:
    """``n_per_case`` attempts of each case (correct or a fault) at ``placement``."""
    place = PLACEMENTS[placement]
    out = []
    for k, fault in enumerate(cases):
        rng = np.random.default_rng([seed, k, len(technique.id), *map(ord, placement[:4])])
        for i in range(n_per_case):
            camera = place.draw(rng)
            variation = Variation(
                height_m=float(rng.uniform(1.5, 2.0)),
                speed=float(np.exp(rng.uniform(np.log(0.5), np.log(2.0)))),
                side=("left", "right")[(i + k) % 2],
                distance_m=camera.distance_m,
                azimuth_deg=camera.azimuth_deg,
                seed=int(rng.integers(1 << 30)),
            )
            out.append(
                Job(technique, fault, placement, variation, float(rng.uniform(1.55, 1.95)), camera)
            )
    return out


def job_spec(job: Job) -> AttemptSpec:
    """The synthetic attempt a job renders."""
    v = job.variation
    return AttemptSpec(
        height_m=v.height_m,
        speed=v.speed,
        side=v.side,
        camera=job.camera,
        faults=() if job.fault == CORRECT else (job.fault,),
        seed=v.seed,
        fps=PLACEMENTS[job.placement].fps,
    )


def seen_tracks(job: Job, scene: AttemptScene) -> PeopleTracks:
    """Every person the pose model followed on the job's rendered video, by ``coach extract``'s
    code path (from the landmark cache when it is on; no tracks when nobody was found)."""
    spec = job_spec(job)

    def compute() -> PeopleTracks:
        with tempfile.TemporaryDirectory(prefix="rendered_attempt_") as tmp:
            video = write_attempt_video(
                scene, spec, Path(tmp) / "attempt.webm", partner=PLACEMENTS[job.placement].partner
            )
            try:
                result = extract_video(
                    video, Path(tmp), out=Path(tmp) / "pose", show_progress=False
                )
            except CoachError:  # no person in any frame: scored as an empty recording
                t = scene.truth.sequence.t
                return PeopleTracks(t, {}, (), spec.camera.size, spec.fps)
            assert result.tracks is not None
            return result.tracks

    return cached_tracks(repr(job), compute)


def run_job(job: Job) -> RenderedOutcome:
    """Render the attempt, run the pose model on the video, score both ways."""
    v = job.variation
    spec = job_spec(job)
    scene = attempt_scene(job.technique, spec, job.partner_height_m)
    truth = scene.truth
    tracks = seen_tracks(job, scene)
    pose = tracks.sequence_or_empty(choose_trainee(tracks.sequences).trainee)
    refs = references_for(job.technique)
    oracle = tuple(
        evaluate_technique(
            job.technique.on_side(v.side),
            Features.from_sequence(truth.sequence),
            truth.windows,
            truth.events,
            truth.scene,
        ).all()
    )

    def scored(sequence: PoseSequence) -> Outcome:
        card = score_sequence(
            sequence,
            job.technique,
            side="auto",
            t0_s=truth.events.t0_s,
            scene=truth.scene,
            references=refs,
        )
        return Outcome(job.technique.id, job.fault, v, card, oracle)

    noisy = add_noise(truth.sequence, Noise.typical(), np.random.default_rng(v.seed))
    partner_image = job.camera.project(scene.partner.points)
    if not PLACEMENTS[job.placement].partner:
        partner_image[:] = np.nan  # not drawn: never the person followed
    return RenderedOutcome(
        placement=job.placement,
        rendered=scored(pose),
        noise_model=scored(noisy),
        errors=pose_errors(pose, truth.sequence, partner_image),
    )
