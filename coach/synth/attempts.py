"""Synthetic trainee attempts for tests and benchmarks.

From a technique: choose body height (1.5-2.0 m), speed (0.5x-2x), side, camera distance
and angle, MediaPipe-like noise, jitter and dropouts, and any faults from ``faults.FAULTS``.
The result carries the phase windows, events and scene to score it with, exactly like a
rendered reference, so a test knows the ground truth.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coach.analysis.checks.base import Events
from coach.analysis.checks.evaluate import windows_from_times
from coach.bodymodel.body_model import Body
from coach.bodymodel.camera import Camera
from coach.bodymodel.reference import Rendered, render_keyframes, render_reference, scene_for
from coach.pose.landmarks import LANDMARK_NAMES, index_of
from coach.pose.sequence import PoseSequence
from coach.synth.faults import get_fault
from coach.synth.timeline import Timeline
from coach.technique.model import Technique


@dataclass(frozen=True)
class Noise:
    """MediaPipe-like measurement noise.

    image_px: white noise per joint and frame, pixels. world_m: white noise on world
    landmarks, metres. jitter_px / jitter_m: slowly wandering offset per joint (a random walk
    smoothed over ~0.3 s), its standard deviation. frame_dropout: share of frames with no
    person (NaN rows). joint_dropout: share of joint-frames whose visibility falls to 0.2.
    depth_m / depth_jitter_m: extra white and wandering noise on the world landmarks' depth
    (z), which the pose model gets worst. swaps_per_s / swap_s: episodes where the whole body's
    left and right are exchanged (every left/right landmark pair), how often and how long.
    """

    image_px: float = 0.0
    world_m: float = 0.0
    jitter_px: float = 0.0
    jitter_m: float = 0.0
    frame_dropout: float = 0.0
    joint_dropout: float = 0.0
    depth_m: float = 0.0
    depth_jitter_m: float = 0.0
    swaps_per_s: float = 0.0
    swap_s: float = 0.0

    @classmethod
    def typical(cls) -> Noise:
        """Roughly what MediaPipe Pose gives on a steady laptop camera after no filtering."""
        return cls(
            image_px=1.5,
            world_m=0.008,
            jitter_px=2.0,
            jitter_m=0.01,
            frame_dropout=0.01,
            joint_dropout=0.01,
        )

    @classmethod
    def measured(cls) -> Noise:
        """What MediaPipe Pose showed on rendered attempts in the laptop range (bench/
        rendered_quality.py; values and method in docs/engine.md)."""
        return cls(**MEASURED)


MEASURED: dict[str, float] = {
    "image_px": 0.55,
    "jitter_px": 4.7,
    "world_m": 0.0024,
    "jitter_m": 0.024,
    "depth_m": 0.0042,
    "depth_jitter_m": 0.038,
    "frame_dropout": 0.026,
    "joint_dropout": 0.032,
    "swaps_per_s": 0.25,
    "swap_s": 0.16,
}
"""Noise.measured()'s values: bench/rendered_quality.py on 64 rendered attempts in the laptop
range, trainee alone, white and slow parts on still joints (method and table in
docs/engine.md)."""


@dataclass(frozen=True)
class AttemptSpec:
    """Everything that varies between synthetic attempts."""

    height_m: float = 1.75
    speed: float = 1.0
    side: str | None = None
    camera: Camera = field(default_factory=Camera)
    noise: Noise = field(default_factory=Noise)
    faults: tuple[str, ...] = ()
    seed: int = 0
    fps: float = 30.0

    def __post_init__(self) -> None:
        if not 1.5 <= self.height_m <= 2.0:
            raise ValueError(f"height_m: expected 1.5-2.0 m, got {self.height_m}")
        if not 0.5 <= self.speed <= 2.0:
            raise ValueError(f"speed: expected 0.5-2.0 (x the reference), got {self.speed}")
        for name in self.faults:
            get_fault(name)


def attempt_timeline(technique: Technique, faults: Sequence[str], speed: float) -> Timeline:
    """The reference timeline played at ``speed``, then the faults applied on that clock.

    Faults come after the speed change so that their durations are the trainee's own: a 1 s
    hesitation or a 0.8 s late onset lasts that long at any speed.
    """
    tl = Timeline.of(technique).remap(lambda t: t / speed)
    for name in faults:
        tl = get_fault(name).apply(technique, tl)
    return tl


def synthesize_attempt(technique: Technique, spec: AttemptSpec | None = None) -> Rendered:
    """A trainee attempt at ``technique`` as ``spec`` describes it, with ground truth."""
    spec = spec or AttemptSpec()
    tech = technique.on_side(spec.side)
    tl = attempt_timeline(tech, spec.faults, spec.speed)
    seq = render_keyframes(
        tl.keyframes(), tl.duration_s, Body(spec.height_m), spec.camera, spec.fps
    )
    seq = add_noise(seq, spec.noise, np.random.default_rng(spec.seed))
    ref_t, ref_moving = _reference_motion(tech, spec.fps)
    ref_frames = np.clip(np.searchsorted(ref_t, tl.reference_time(seq.t) - 1e-9), 0, len(ref_t) - 1)
    return Rendered(
        sequence=seq,
        windows=tuple(windows_from_times(seq.t, tl.spans)),
        phase_spans_s=tl.spans,
        events=Events(
            t0_s=tl.t0_s, release_s=tl.release_s, reference_moving=ref_moving[ref_frames]
        ),
        scene=scene_for(tech, spec.camera),
    )


@functools.lru_cache(maxsize=32)
def _reference_motion(technique: Technique, fps: float) -> tuple[np.ndarray, np.ndarray]:
    """(times, moving) of the technique's reference: the true answer to "is the reference
    holding still here?" for an attempt, given its true reference times."""
    rendered = render_reference(technique, fps=fps)
    return rendered.sequence.t, rendered.events.reference_moving  # type: ignore[return-value]


def _wander(rng: np.random.Generator, shape: tuple[int, ...], sd: float, fps: float) -> np.ndarray:
    """A smooth random offset per joint with standard deviation ``sd`` (0.3 s correlation)."""
    if sd <= 0:
        return np.zeros(shape)
    steps = rng.normal(size=shape)
    alpha = 1.0 / max(1.0, 0.3 * fps)
    out = np.zeros(shape)
    for i in range(1, shape[0]):
        out[i] = (1 - alpha) * out[i - 1] + np.sqrt(2 * alpha) * steps[i]
    return out * sd


def add_noise(seq: PoseSequence, noise: Noise, rng: np.random.Generator) -> PoseSequence:
    """The sequence with noise, jitter and dropouts as ``noise`` describes."""
    n, j = len(seq), seq.image.shape[1]
    w, h = seq.source_size
    px = np.array([w, h], dtype=np.float64)
    image = seq.image.copy()
    world = seq.world.copy()
    vis = seq.visibility.copy()
    image[..., :2] += (
        rng.normal(size=(n, j, 2)) * noise.image_px
        + _wander(rng, (n, j, 2), noise.jitter_px, seq.fps)
    ) / px
    world += rng.normal(size=(n, j, 3)) * noise.world_m + _wander(
        rng, (n, j, 3), noise.jitter_m, seq.fps
    )
    lost_joint = rng.random((n, j)) < noise.joint_dropout
    vis[lost_joint] = np.minimum(vis[lost_joint], 0.2)
    lost_frame = rng.random(n) < noise.frame_dropout
    image[lost_frame] = np.nan
    world[lost_frame] = np.nan
    vis[lost_frame] = np.nan
    # drawn after everything above, and only when asked, so older models' noise is unchanged
    if noise.depth_m > 0 or noise.depth_jitter_m > 0:
        world[..., 2] += rng.normal(size=(n, j)) * noise.depth_m + _wander(
            rng, (n, j), noise.depth_jitter_m, seq.fps
        )
    if noise.swaps_per_s > 0 and noise.swap_s > 0:
        swapped = _swap_episodes(rng, n, seq.fps, noise.swaps_per_s, noise.swap_s)
        for a, b in MIRROR_PAIRS:
            for arr in (image, world, vis):
                arr[swapped, a], arr[swapped, b] = arr[swapped, b], arr[swapped, a].copy()
    return seq.replace(image=image, world=world, visibility=vis)


MIRROR_PAIRS: tuple[tuple[int, int], ...] = (
    *(
        (index_of(name), index_of("right_" + name[5:]))
        for name in LANDMARK_NAMES
        if name.startswith("left_")
    ),
    (index_of("mouth_left"), index_of("mouth_right")),
)


def _swap_episodes(
    rng: np.random.Generator, n: int, fps: float, per_s: float, length_s: float
) -> np.ndarray:
    """(n,) frames inside left/right swap episodes starting at random (Poisson, ``per_s``)."""
    out = np.zeros(n, dtype=bool)
    starts = np.flatnonzero(rng.random(n) < per_s / fps)
    for s in starts:
        out[s : s + max(1, round(length_s * fps))] = True
    return out
