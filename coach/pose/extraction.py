"""Run the pose model over every frame of a source and collect a PoseSequence."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from coach.pose.adapter import PoseEstimator, PoseResult
from coach.pose.landmarks import NUM_LANDMARKS
from coach.pose.people import PeopleTracker, TrackedPerson
from coach.pose.people_tracks import PeopleTracks, collect_tracks
from coach.pose.sequence import PoseSequence
from coach.video.frames import Frame, FrameSource
from coach.video.prefetch import prefetched

DEFAULT_INFERENCE_LONG_SIDE = 1280
"""Frames are downscaled to this long side before inference (landmarks are normalised, so
they keep their meaning). On the sample video, visible landmarks move by under 1 % of the
image size at the 95th percentile (0.84 %, tests/test_pose_real_video.py); 960 px: 1.5 %."""


@dataclass(frozen=True)
class _Prepared:
    index: int
    t: float
    rgb: np.ndarray


def prepare_for_inference(image: np.ndarray, long_side: int | None) -> np.ndarray:
    """BGR frame -> RGB, downscaled so its long side is ``long_side``.

    Bilinear, not area averaging: area costs about as much as the pose model itself (34 ms
    against 3 ms for a 1768x994 frame here) and changes no landmark measurably.
    """
    height, width = image.shape[:2]
    if long_side is not None and max(height, width) > long_side:
        scale = long_side / max(height, width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def _prepared_frames(source: FrameSource, long_side: int | None) -> Iterator[_Prepared]:
    """The source's frames ready for the model, prepared on a worker thread (prefetched)."""

    def prepare(frame: Frame) -> _Prepared:
        return _Prepared(frame.index, frame.t, prepare_for_inference(frame.image, long_side))

    return prefetched(source.frames(), prepare)


def extract_poses(
    source: FrameSource,
    estimator: PoseEstimator,
    inference_long_side: int | None = DEFAULT_INFERENCE_LONG_SIDE,
    on_frame: Callable[[int], None] | None = None,
) -> PoseSequence:
    """Landmarks for every frame of ``source``; frames without a person are NaN rows.

    Decoding, rotation, resizing and colour conversion run on a worker thread beside the
    model. ``on_frame(n)`` is called after each frame (for a progress bar).
    """
    times: list[float] = []
    image_rows: list[np.ndarray] = []
    world_rows: list[np.ndarray] = []
    visibility_rows: list[np.ndarray] = []
    for prepared in _prepared_frames(source, inference_long_side):
        result: PoseResult = estimator.process(prepared.rgb)
        times.append(prepared.t)
        image_rows.append(result.image)
        world_rows.append(result.world)
        visibility_rows.append(result.visibility)
        if on_frame is not None:
            on_frame(len(times))
    info = source.info
    if not times:
        return PoseSequence.empty(0, np.zeros(0), info.size, info.fps)
    return PoseSequence(
        t=np.asarray(times),
        image=np.stack(image_rows) if image_rows else np.zeros((0, NUM_LANDMARKS, 3)),
        visibility=np.stack(visibility_rows),
        world=np.stack(world_rows),
        source_size=info.size,
        fps=info.fps,
    )


def extract_people(
    source: FrameSource,
    tracker: PeopleTracker,
    inference_long_side: int | None = DEFAULT_INFERENCE_LONG_SIDE,
    on_frame: Callable[[int], None] | None = None,
) -> PeopleTracks:
    """Every person's landmarks over every frame of ``source``, one sequence per track."""
    times: list[float] = []
    people: list[list[TrackedPerson]] = []
    for prepared in _prepared_frames(source, inference_long_side):
        people.append(tracker.process(prepared.rgb))
        times.append(prepared.t)
        if on_frame is not None:
            on_frame(len(times))
    info = source.info
    return collect_tracks(
        np.asarray(times, dtype=np.float64), people, info.size, info.fps, tuple(tracker.events)
    )
