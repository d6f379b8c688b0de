"""Read the standing calibration's pictures: photos or videos of the trainee standing upright,
through the pose model, into the upright frames' mid-ankle and mid-ear pixels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from coach.errors import CoachError
from coach.pose.adapter import PoseEstimator, PoseMode
from coach.pose.extraction import extract_poses
from coach.pose.sequence import PoseSequence
from coach.room.board import read_picture
from coach.room.standing_frames import upright_points
from coach.video.file_source import VideoFileSource

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")


@dataclass(frozen=True)
class StandingViews:
    ankles: np.ndarray
    """(N, 2) mid-ankle pixels of every upright frame of every input."""
    ears: np.ndarray
    size: tuple[int, int]
    picture: np.ndarray
    """A BGR frame of the first input, for the room picture."""


def read_standing(paths: Sequence[Path]) -> StandingViews:
    """Every upright frame of the photos and videos (all of one size); CoachError naming the
    file when one cannot be read, differs in size, or shows nobody standing upright."""
    ankles, ears = [], []
    size: tuple[int, int] | None = None
    picture: np.ndarray | None = None
    for path in paths:
        if path.suffix.lower() in PHOTO_SUFFIXES:
            image = read_picture(path)
            est = PoseEstimator(PoseMode.STILL)
            try:
                result = est.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
            finally:
                est.close()
            this = (image.shape[1], image.shape[0])
            px = result.image[None, :, :2] * np.array(this, dtype=np.float64)
            vis = result.visibility[None]
            world = result.world[None]
            frame = image
        else:
            source = VideoFileSource(path)
            try:
                this = source.info.size
                frame = next(iter(source.frames())).image
            finally:
                source.close()
            seq = video_poses(path)
            px, vis, world = seq.image_pixels(), seq.visibility, seq.world
        if size is not None and this != size:
            raise CoachError(
                path, f"is {this[0]}x{this[1]}; the first picture is {size[0]}x{size[1]}"
            )
        size = this
        a, e = upright_points(px, vis, world, this)
        if a.shape[0] == 0:
            raise CoachError(
                path,
                "nobody seen standing upright (the whole body, feet to ears, must be inside "
                "the picture, legs straight)",
            )
        ankles.append(a)
        ears.append(e)
        if picture is None:
            picture = frame
    if size is None or picture is None:
        raise CoachError(None, "--standing: expected at least one photo or video")
    return StandingViews(np.concatenate(ankles), np.concatenate(ears), size, picture)


def video_poses(path: Path) -> PoseSequence:
    """The pose model's (offline mode) landmarks of every frame of a video file."""
    source = VideoFileSource(path)
    est = PoseEstimator(PoseMode.OFFLINE)
    try:
        return extract_poses(source, est)
    finally:
        est.close()
        source.close()
