"""What an attempt is aligned with: the reference's feature track, phases and event frames.

The default reference is the technique's keyframes rendered through the body model. An
instructor can replace it with the average of recorded demonstrations (``coach reference
build``), which also brings a per-frame tolerance band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.analysis.alignment_features import alignment_features
from coach.analysis.checks.base import Scene
from coach.analysis.checks.timing import reference_moving
from coach.analysis.features import Features, body_frame
from coach.bodymodel.reference import render_reference
from coach.technique.model import Technique


@dataclass(frozen=True, eq=False)
class ReferenceModel:
    """A reference movement ready for alignment.

    t: (L,) seconds from the reference start. features: (L, F) alignment features.
    tolerance: (L, F) one standard deviation between demonstrations, or None for a
    keyframed reference. phase_of_frame: (L,) phase index of each frame. moving: (L,) True
    where the reference moves fast enough that a trainee at half its speed is still moving
    (a standstill matched there is hesitation; one matched to a hold of the reference is not).
    """

    technique: Technique
    t: np.ndarray
    features: np.ndarray
    phase_of_frame: np.ndarray
    scene: Scene
    moving: np.ndarray
    body: np.ndarray
    """(L, 33, 3) the reference pose in the body frame (torso lengths), for joint deviations."""
    pixels: np.ndarray
    """(L, 33, 2) the reference pose in its own image, pixels, for the ghost skeleton."""
    tolerance: np.ndarray | None = None
    source: str = "keyframes"

    @property
    def t0_frame(self) -> int:
        """First frame of the technique's start phase."""
        start = self.technique.phase_index(self.technique.timing.start_phase)
        return int(np.argmax(self.phase_of_frame >= start))

    @property
    def release_frame(self) -> int:
        """First frame after the technique's release phase (the release is complete)."""
        release = self.technique.phase_index(self.technique.timing.release_phase)
        after = np.nonzero(self.phase_of_frame > release)[0]
        return int(after[0]) if after.size else len(self.t) - 1

    def frame_at(self, seconds: float) -> int:
        return min(len(self.t) - 1, int(np.searchsorted(self.t, seconds - 1e-9)))

    def __len__(self) -> int:
        return int(self.t.shape[0])


def keyframed_reference(technique: Technique, fps: float = 30.0) -> ReferenceModel:
    """The technique's keyframes rendered through the default body and camera."""
    rendered = render_reference(technique, fps=fps)
    phases = np.zeros(len(rendered.sequence), dtype=np.int64)
    for index, window in enumerate(rendered.windows):
        phases[window] = index
    f = Features.from_sequence(rendered.sequence)
    return ReferenceModel(
        technique=technique,
        t=rendered.sequence.t - rendered.sequence.t[0],
        features=alignment_features(f),
        phase_of_frame=phases,
        scene=rendered.scene,
        moving=reference_moving(f),
        body=body_frame(f),
        pixels=f.pixels,
    )
