"""A technique's reference: its keyframes through the body model and camera, ready to score.

The rendered reference carries what its own checks need: phase windows from the phase
times, the events (t0 at the start of the start phase, release at the end of the release
phase) and the scene (where the threat and the exit are, as this camera sees them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.analysis.checks.base import Events, Scene
from coach.analysis.checks.evaluate import windows_from_times
from coach.analysis.checks.timing import reference_moving
from coach.analysis.features import Features
from coach.bodymodel.body_model import Body, posture_points, rotation
from coach.bodymodel.camera import Camera
from coach.bodymodel.interpolation import interpolate
from coach.pose.sequence import PoseSequence
from coach.technique.model import Keyframe, Technique

_Y = np.array([0.0, 1.0, 0.0])
_Z = np.array([0.0, 0.0, 1.0])


@dataclass(frozen=True, eq=False)
class Rendered:
    """A rendered movement with the phase windows, events and scene to evaluate it with."""

    sequence: PoseSequence
    windows: tuple[slice, ...]
    phase_spans_s: tuple[tuple[float, float], ...]
    events: Events
    scene: Scene


def scene_for(technique: Technique, camera: Camera) -> Scene:
    """Where the threat and the exit are for this technique as ``camera`` sees it."""
    toward_threat = _Z if technique.threat == "front" else -_Z
    w = camera.direction_to_world(toward_threat)
    threat_yaw = float(np.degrees(np.arctan2(w[0], -w[2])))
    exit_dir = np.array([1.0 if technique.exit_side == "left" else -1.0, 0.0, 0.0])
    start = np.array([0.0, 0.9, 0.0])
    a, b = camera.project(np.stack([start, start + exit_dir]))
    d = (b - a) * np.array(camera.size, dtype=np.float64)
    d = d / np.linalg.norm(d)
    return Scene(threat_yaw_deg=threat_yaw, exit_image_dir=(float(d[0]), float(d[1])))


def render_keyframes(
    keyframes: tuple[Keyframe, ...],
    duration_s: float,
    body: Body,
    camera: Camera,
    fps: float = 30.0,
) -> PoseSequence:
    """Keyframes -> a PoseSequence sampled at ``fps`` from 0 to ``duration_s`` inclusive."""
    t = np.arange(round(duration_s * fps) + 1) / fps
    tracks = interpolate(keyframes, t)
    points = np.stack(
        [posture_points({k: float(v[i]) for k, v in tracks.items()}, body) for i in range(len(t))]
    )
    facing = np.stack([rotation(_Y, y) @ _Z for y in tracks["yaw_deg"]])
    image, vis, world = camera.landmarks(points, facing)
    return PoseSequence(t, image, vis, world, camera.size, fps)


def render_reference(
    technique: Technique, body: Body | None = None, camera: Camera | None = None, fps: float = 30.0
) -> Rendered:
    """The technique's reference movement, as seen by ``camera``, with what scoring needs."""
    body = body or Body()
    camera = camera or Camera()
    seq = render_keyframes(technique.keyframes, technique.duration_s, body, camera, fps)
    spans = technique.phase_times()
    return Rendered(
        sequence=seq,
        windows=tuple(windows_from_times(seq.t, spans)),
        phase_spans_s=spans,
        events=Events(
            t0_s=technique.t0_s,
            release_s=technique.release_s,
            reference_moving=reference_moving(Features.from_sequence(seq)),
        ),
        scene=scene_for(technique, camera),
    )
