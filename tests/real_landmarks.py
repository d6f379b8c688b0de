"""The sample clip's landmarks, as the project extracts them, and those of its mirror image.

Extracting takes about 20 s per clip on a free core, so the result is kept in the sample cache
(keyed by the MediaPipe version, the inference size and the extraction code itself) and shared
by every test that needs it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from coach.pose import adapter, extraction
from coach.pose.adapter import PoseEstimator, PoseMode, mediapipe_version
from coach.pose.extraction import DEFAULT_INFERENCE_LONG_SIDE, extract_poses
from coach.pose.sequence import PoseSequence
from coach.samples import cache_dir
from coach.video.file_source import VideoFileSource
from coach.video.frames import Frame, SourceInfo


class MirroredSource:
    """A video file's frames flipped left to right (``cv2.flip``), same times."""

    def __init__(self, source: VideoFileSource) -> None:
        self._source = source

    @property
    def info(self) -> SourceInfo:
        return self._source.info

    def frames(self) -> Iterator[Frame]:
        for frame in self._source.frames():
            yield replace(frame, image=cv2.flip(frame.image, 1))

    def close(self) -> None:
        self._source.close()


def video_landmarks(video: Path, mirrored: bool) -> PoseSequence:
    """``video``'s landmarks (of its mirror image if ``mirrored``), from the cache if there."""
    name = f"{video.stem}{'-mirrored' if mirrored else ''}"
    code = hashlib.sha1(
        b"".join(Path(m.__file__).read_bytes() for m in (extraction, adapter) if m.__file__)
    ).hexdigest()[:10]
    cached = cache_dir() / (
        f"landmarks-{name}-mp{mediapipe_version()}-{DEFAULT_INFERENCE_LONG_SIDE}-{code}.npz"
    )
    if cached.is_file():
        with np.load(cached) as d:
            return PoseSequence(
                d["t"], d["image"], d["visibility"], d["world"], tuple(d["size"]), float(d["fps"])
            )
    source = VideoFileSource(video)
    with PoseEstimator(PoseMode.OFFLINE) as estimator:
        seq = extract_poses(MirroredSource(source) if mirrored else source, estimator)
    source.close()
    partial = cached.with_suffix(".partial.npz")
    np.savez(
        partial,
        t=seq.t,
        image=seq.image,
        visibility=seq.visibility,
        world=seq.world,
        size=np.array(seq.source_size),
        fps=seq.fps,
    )
    partial.replace(cached)
    return seq


PIECE_LENGTHS_S = (1.0, 1.6, 2.4, 3.2, 4.8, 6.4, 7.6)
"""Non-attempt pieces of the sample clip: from a third to twice a technique's length."""
PIECE_STRIDE_S = 0.8


def clip_pieces(seq: PoseSequence) -> list[tuple[float, float, PoseSequence]]:
    """(start s, length s, piece) for each length in PIECE_LENGTHS_S at every PIECE_STRIDE_S,
    keeping those where a person is found in at least half the frames."""
    frames_per_s = 1 / float(np.median(np.diff(seq.t)))
    stride = round(PIECE_STRIDE_S * frames_per_s)
    out = []
    for length_s in PIECE_LENGTHS_S:
        n = round(length_s * frames_per_s)
        for start in range(0, max(1, len(seq) - n + 1), stride):
            piece = seq.slice(start, min(len(seq), start + n))
            if piece.detected_fraction >= 0.5:
                out.append((round(start / frames_per_s, 2), length_s, piece))
    return out
