"""``pose.npz``: a PoseSequence on disk, versioned (see docs/recording-format.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from coach import validation as v
from coach.errors import CoachError
from coach.pose.landmarks import LANDMARK_NAMES
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_meta import MAX_FPS, MAX_PIXELS, MAX_TIME_S
from coach.recording.npz_guard import load_npz, scalar

POSE_FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
MAX_FRAMES = 1_000_000
"""About 9 hours at 30 fps; more is a damaged file."""
MAX_IMAGE = 1000.0
"""Image landmarks are fractions of the frame (a limb out of shot is a little past 0..1)."""
MAX_WORLD_M = 1000.0
_REQUIRED_KEYS = (
    "format_version",
    "t",
    "image",
    "visibility",
    "world",
    "source_size",
    "fps",
    "joint_names",
)


def write_pose_file(path: Path, sequence: PoseSequence) -> None:
    """Write ``sequence`` as format version 1 (landmarks float32, times float64)."""
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            format_version=np.int64(POSE_FORMAT_VERSION),
            t=sequence.t.astype(np.float64),
            image=sequence.image.astype(np.float32),
            visibility=sequence.visibility.astype(np.float32),
            world=sequence.world.astype(np.float32),
            source_size=np.asarray(sequence.source_size, dtype=np.int64),
            fps=np.float64(sequence.fps),
            joint_names=np.asarray(sequence.joint_names),
        )


def read_pose_file(path: Path) -> PoseSequence:
    """Read a ``pose.npz``; refuse unknown versions, bad shapes and values with a clear error."""
    data = load_npz(path, "pose file")
    missing = [k for k in _REQUIRED_KEYS if k not in data]
    if "format_version" in missing:
        raise CoachError(path, "not a Breakaway Coach pose file (no format_version)")
    version = int(scalar(path, data, "format_version", "iu"))
    if version not in SUPPORTED_VERSIONS:
        raise CoachError(
            path,
            f"pose file format version {version} is not supported "
            f"(this coach reads version {', '.join(map(str, SUPPORTED_VERSIONS))})",
        )
    if missing:
        raise CoachError(path, f"pose file is missing {', '.join(missing)}")
    names = tuple(str(n) for n in np.atleast_1d(data["joint_names"]))
    if names != LANDMARK_NAMES:
        raise CoachError(path, "joint_names differ from the 33 MediaPipe landmarks")
    t = data["t"]
    if t.ndim != 1 or not 1 <= len(t) <= MAX_FRAMES:
        raise CoachError(path, f"t: expected 1 to {MAX_FRAMES} frame times, got shape {t.shape}")
    v.finite_array(path, "t", t, MAX_TIME_S, allow_nan=False)
    for key, limit in (("image", MAX_IMAGE), ("world", MAX_WORLD_M), ("visibility", 1.0)):
        v.finite_array(path, key, data[key], limit)
    if np.nanmin(data["visibility"], initial=0.0) < 0:
        raise CoachError(path, "visibility: expected values from 0 to 1, found a negative one")
    size = data["source_size"]
    if size.shape != (2,) or size.dtype.kind not in "iu":
        raise CoachError(path, f"source_size: expected (width, height), got shape {size.shape}")
    width, height = (v.whole_number(path, "source_size", int(s), 1, MAX_PIXELS) for s in size)
    fps = v.number(path, "fps", float(scalar(path, data, "fps", "fiu")), 0.0, MAX_FPS)
    try:
        return PoseSequence(
            t=t,
            image=data["image"],
            visibility=data["visibility"],
            world=data["world"],
            source_size=(width, height),
            fps=fps,
        )
    except ValueError as error:
        raise CoachError(path, f"pose file is malformed: {error}") from None
