"""A picture of who was chosen as the trainee on a rendered attempt with a partner.

The attempt's last frame as rendered, with every track's hip path over the attempt drawn on it
(where each person went), the point of the closest approach, and a label per track: which rule
chose it and how far it moved away from the other (torso lengths). What a person checks the
rule against: the one who broke away should be the one labelled the trainee.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from coach.pose.drill_roles import breakaway_evidence
from coach.pose.landmarks import index_of
from coach.pose.people_tracks import PeopleTracks, choose_trainee
from coach.synth.figure.attempt_video import AttemptScene
from coach.synth.figure.scene import render_frames
from coach.synth.rendered_evaluation import Job, job_spec

_COLOURS = ((60, 200, 60), (40, 120, 255), (200, 200, 40), (200, 80, 200))
"""BGR per track, in track order."""


def _hips(tracks: PeopleTracks, track: int) -> np.ndarray:
    pixels = tracks.sequences[track].image_pixels()
    return np.asarray((pixels[:, index_of("left_hip")] + pixels[:, index_of("right_hip")]) / 2)


def write_identity_picture(job: Job, scene: AttemptScene, tracks: PeopleTracks, path: Path) -> Path:
    """Draw the choice on the attempt's last frame and write it as PNG at ``path``."""
    spec = job_spec(job)
    last = None
    for rendered in render_frames(
        [scene.trainee, scene.partner], spec.camera, scene.staging, spec.seed
    ):
        last = rendered
    assert last is not None
    image = last.copy()
    evidence = breakaway_evidence(tracks.sequences)
    by_rule = {rule: choose_trainee(tracks.sequences, rule) for rule in ("largest", "breaks_away")}
    scale = max(1.0, image.shape[1] / 1280)
    for n, track in enumerate(sorted(tracks.sequences)):
        colour = _COLOURS[n % len(_COLOURS)]
        hips = _hips(tracks, track)
        seen = np.isfinite(hips).all(axis=1)
        points = np.round(hips[seen]).astype(np.int32)
        if len(points) < 2:
            continue
        cv2.polylines(image, [points.reshape(-1, 1, 2)], False, colour, int(3 * scale), cv2.LINE_AA)
        cv2.circle(image, tuple(int(v) for v in points[-1]), int(7 * scale), colour, -1)
        chosen = [rule for rule, c in by_rule.items() if c.trainee == track]
        away = evidence.away_t.get(track)
        label = f"track {track}"
        if away is not None:
            label += f": away {away:.1f} T"
        if chosen:
            label += f"; trainee by {' and '.join(chosen)}"
        x, y = int(points[-1][0]), int(points[-1][1])
        y_text = max(int(30 * scale), y - int(20 * scale) - int(28 * scale) * n)
        _text(image, label, (max(5, x - int(150 * scale)), y_text), colour, scale)
        if evidence.closest_s is not None:
            frame = int(np.argmin(np.abs(tracks.t - evidence.closest_s)))
            if seen[frame]:
                at = (round(float(hips[frame][0])), round(float(hips[frame][1])))
                cv2.drawMarker(image, at, colour, cv2.MARKER_CROSS, int(22 * scale), int(2 * scale))
    title = f"{job.technique.id} ({job.fault}): + closest approach, line: hip path"
    _text(image, title, (int(10 * scale), int(30 * scale)), (255, 255, 255), scale)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)
    return path


def _text(
    image: np.ndarray, text: str, at: tuple[int, int], colour: tuple[int, int, int], scale: float
) -> None:
    """Text with a dark outline, legible on the wall and the floor alike."""
    for c, width in (((0, 0, 0), 5), (colour, 2)):
        cv2.putText(
            image,
            text,
            at,
            cv2.FONT_HERSHEY_SIMPLEX,
            0.7 * scale,
            c,
            int(width * scale),
            cv2.LINE_AA,
        )
