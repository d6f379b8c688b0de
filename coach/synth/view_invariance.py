"""The same rendered attempt filmed three ways, to see whether the card judges the trainee or
the camera: as the bench films it (30 fps), at 60 fps, and as its mirror image.

A mirror image of a left-side attempt is a right-side attempt with the exit on the other side:
the coach should judge it so (side "auto", scene mirrored) and give every criterion the same
status. The 60 fps video is rendered from the same movement at twice the frame rate (the same
drawn person, the same room); the mirror image is the 30 fps video flipped left to right
before the pose model sees it. Both run through ``coach extract``'s code path like the bench's
own video, and go through the landmark cache when it is on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import cv2
import numpy as np

from coach.analysis.checks.base import Scene
from coach.errors import CoachError
from coach.extract import extract_video
from coach.pose.people_tracks import PeopleTracks, choose_trainee
from coach.scoring.offline import references_for, score_sequence
from coach.scoring.scorecard import ScoreCard
from coach.synth.attempts import AttemptSpec
from coach.synth.figure.attempt_video import AttemptScene, attempt_scene
from coach.synth.figure.scene import render_frames
from coach.synth.rendered_cache import cached_tracks
from coach.synth.rendered_evaluation import PLACEMENTS, Job, job_spec
from coach.video.sink import BrowserVideoWriter

AS_FILMED: Final = "30 fps"
HIGH_RATE: Final = "60 fps"
MIRRORED: Final = "mirrored"
VARIANTS: Final = (AS_FILMED, HIGH_RATE, MIRRORED)
_HIGH_FPS = 60.0


@dataclass(frozen=True)
class VariantCard:
    """One variant of one job, scored."""

    job: Job
    variant: str
    card: ScoreCard


def mirrored_scene(scene: Scene) -> Scene:
    """The scene seen in a mirror: facing yaws negate, the exit's image direction flips in x."""
    exit_dir = scene.exit_image_dir
    return Scene(
        threat_yaw_deg=-scene.threat_yaw_deg,
        exit_image_dir=None if exit_dir is None else (-exit_dir[0], exit_dir[1]),
    )


def _variant_spec(job: Job, variant: str) -> AttemptSpec:
    spec = job_spec(job)
    return replace(spec, fps=_HIGH_FPS) if variant == HIGH_RATE else spec


def _frames(
    scene: AttemptScene, spec: AttemptSpec, job: Job, mirror: bool
) -> Iterator[np.ndarray]:
    people = [scene.trainee]
    if PLACEMENTS[job.placement].partner:
        people.append(scene.partner)
    for frame in render_frames(people, spec.camera, scene.staging, spec.seed):
        yield cv2.flip(frame, 1) if mirror else frame


def variant_tracks(job: Job, variant: str, scene: AttemptScene) -> PeopleTracks:
    """Every person the pose model followed on this variant's video (cached when on)."""
    spec = _variant_spec(job, variant)

    def compute() -> PeopleTracks:
        with tempfile.TemporaryDirectory(prefix="view_variant_") as tmp:
            video = Path(tmp) / "attempt.webm"
            with BrowserVideoWriter(video, spec.fps, spec.camera.size) as out:
                for frame in _frames(scene, spec, job, mirror=variant == MIRRORED):
                    out.write(frame)
            try:
                result = extract_video(
                    video, Path(tmp), out=Path(tmp) / "pose", show_progress=False
                )
            except CoachError:  # nobody found: scored as an empty recording
                t = scene.truth.sequence.t
                return PeopleTracks(t, {}, (), spec.camera.size, spec.fps)
            assert result.tracks is not None
            return result.tracks

    # the 30 fps video is the bench's own: same key, so the bench's cache serves it
    key = repr(job) if variant == AS_FILMED else f"{job!r}|variant={variant}|v1"
    return cached_tracks(key, compute)


def score_variant(job: Job, variant: str) -> VariantCard:
    """Render (or fetch) the variant, choose the trainee, score with the side found by the
    coach and the scene as this variant's camera sees it."""
    spec = _variant_spec(job, variant)
    scene = attempt_scene(job.technique, spec, job.partner_height_m)
    tracks = variant_tracks(job, variant, scene)
    pose = tracks.sequence_or_empty(choose_trainee(tracks.sequences).trainee)
    truth_scene = scene.truth.scene
    card = score_sequence(
        pose,
        job.technique,
        side="auto",
        t0_s=scene.truth.events.t0_s,
        scene=mirrored_scene(truth_scene) if variant == MIRRORED else truth_scene,
        references=references_for(job.technique),
    )
    return VariantCard(job, variant, card)


def status_pairs(a: ScoreCard, b: ScoreCard) -> list[tuple[str, str, str]]:
    """(criterion, status in a, status in b) for each criterion, matched by phase, kind and
    place in its phase (labels name the side, which a mirror changes)."""

    def keyed(card: ScoreCard) -> dict[tuple[str, str, int], str]:
        seen: dict[tuple[str, str], int] = {}
        out = {}
        for c in card.criteria:
            n = seen.get((c.phase, c.kind), 0)
            seen[(c.phase, c.kind)] = n + 1
            out[(c.phase, c.kind, n)] = c.status
        return out

    ka, kb = keyed(a), keyed(b)
    return [(f"{k[0]}: {k[1]}", ka[k], kb.get(k, "missing")) for k in ka]
