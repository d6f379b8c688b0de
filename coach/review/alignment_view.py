"""The attempt aligned with its technique's reference again, for display.

The score card stores verdicts, not the warping path; the review needs the path to show, at
every trainee frame, the reference pose it was matched to. The same offline scorer functions
are used (filter, features, DTW with the same band), so the phases shown are the ones scored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.analysis.alignment_features import alignment_features
from coach.analysis.checks.base import Scene
from coach.analysis.features import Features
from coach.pose.filters import smooth_offline
from coach.pose.landmarks import index_of
from coach.pose.sequence import PoseSequence
from coach.scoring.offline import align
from coach.scoring.phase_mapping import PhaseMapping
from coach.scoring.reference_build import reference_for
from coach.scoring.reference_model import ReferenceModel
from coach.session.scene_profile import scene_for_exit
from coach.technique.model import Technique
from coach.workspace import Workspace


@dataclass(frozen=True, eq=False)
class AlignedAttempt:
    """Trainee features, the reference on the scored side, and the frame-to-frame mapping."""

    features: Features
    reference: ReferenceModel
    mapping: PhaseMapping
    cost: float
    scene: Scene


def align_attempt(
    workspace: Workspace,
    pose: PoseSequence,
    technique: Technique,
    side: str,
    exit_side: str | None,
) -> AlignedAttempt:
    """Filter and align ``pose`` with ``technique``'s reference on ``side`` (as scored)."""
    on_side = technique.on_side(side)
    reference = reference_for(workspace.techniques, on_side)
    f = Features.from_sequence(smooth_offline(pose))
    mapping, cost = align(alignment_features(f), reference)
    scene = scene_for_exit(on_side, exit_side) if exit_side else reference.scene
    return AlignedAttempt(f, reference, mapping, float(cost), scene)


def reference_over_trainee(aligned: AlignedAttempt, size: tuple[int, int]) -> np.ndarray:
    """(T, 33, 2) the matched reference pose at every trainee frame, placed over the trainee:
    its mid-hip on the trainee's and scaled to the trainee's torso length in that frame (the
    median where the torso is not seen), normalised to the
    trainee's image ``size`` (x, y in 0..1). NaN where the trainee's hips are not seen."""
    ref = aligned.reference
    index = np.clip(aligned.mapping.ref_index, 0, len(ref) - 1)
    ref_px = ref.pixels[index]
    ref_hip = 0.5 * (ref_px[:, _LEFT_HIP] + ref_px[:, _RIGHT_HIP])
    ref_torso = np.linalg.norm(
        0.5 * (ref_px[:, _LEFT_SHOULDER] + ref_px[:, _RIGHT_SHOULDER]) - ref_hip, axis=1
    )
    f = aligned.features
    hip = f.pixel("mid_hip")
    scale = f.torso_px / ref_torso  # per frame: a trainee stepping away shrinks, as it does
    if np.isfinite(scale).any():
        scale = np.where(np.isfinite(scale), scale, np.nanmedian(scale))
    placed = (ref_px - ref_hip[:, None]) * scale[:, None, None] + hip[:, None]
    return placed / np.asarray(size, dtype=np.float64)


def reference_alone(aligned: AlignedAttempt) -> np.ndarray:
    """(T, 33, 2) the matched reference pose at every trainee frame, in the reference's own
    picture, normalised to the box around all its frames (x, y in 0..1, aspect kept)."""
    ref = aligned.reference
    index = np.clip(aligned.mapping.ref_index, 0, len(ref) - 1)
    px = ref.pixels
    lo = np.nanmin(px.reshape(-1, 2), axis=0)
    hi = np.nanmax(px.reshape(-1, 2), axis=0)
    span = float(np.max(hi - lo)) * 1.1
    centre = 0.5 * (lo + hi)
    return (px[index] - centre) / span + 0.5


def phase_spans(aligned: AlignedAttempt) -> list[tuple[str, float, float]]:
    """(phase name, start s, end s) of every phase the attempt reached."""
    t = aligned.features.t
    dt = aligned.features.dt
    out = []
    for phase, window in zip(
        aligned.reference.technique.phases, aligned.mapping.windows, strict=True
    ):
        if window.stop > window.start:
            out.append((phase.name, float(t[window.start]), float(t[window.stop - 1]) + dt))
    return out


_LEFT_HIP = index_of("left_hip")
_RIGHT_HIP = index_of("right_hip")
_LEFT_SHOULDER = index_of("left_shoulder")
_RIGHT_SHOULDER = index_of("right_shoulder")
