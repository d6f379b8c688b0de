"""``pose.npz``: a PoseSequence on disk, versioned (see docs/recording-format.md)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from coach.errors import CoachError
from coach.pose.landmarks import LANDMARK_NAMES
from coach.pose.sequence import PoseSequence

POSE_FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
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
    """Read a ``pose.npz``; refuse unknown versions and malformed content with a clear error."""
    if not path.is_file():
        raise CoachError(path, "no such file")
    if not zipfile.is_zipfile(path):
        raise CoachError(path, "not a readable pose file (not an .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in _REQUIRED_KEYS if k not in data.files]
            if "format_version" in missing:
                raise CoachError(path, "not a Breakaway Coach pose file (no format_version)")
            version = int(data["format_version"])
            if version not in SUPPORTED_VERSIONS:
                raise CoachError(
                    path,
                    f"pose file format version {version} is not supported "
                    f"(this coach reads version {', '.join(map(str, SUPPORTED_VERSIONS))})",
                )
            if missing:
                raise CoachError(path, f"pose file is missing {', '.join(missing)}")
            names = tuple(str(n) for n in data["joint_names"])
            if names != LANDMARK_NAMES:
                raise CoachError(path, "joint_names differ from the 33 MediaPipe landmarks")
            width, height = (int(v) for v in data["source_size"])
            return PoseSequence(
                t=data["t"],
                image=data["image"],
                visibility=data["visibility"],
                world=data["world"],
                source_size=(width, height),
                fps=float(data["fps"]),
            )
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise CoachError(path, f"not a readable pose file ({error.__class__.__name__})") from None
    except ValueError as error:
        raise CoachError(path, f"pose file is malformed: {error}") from None
