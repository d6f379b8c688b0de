"""``pose.npz``: a PoseSequence on disk, versioned (see docs/recording-format.md)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from coach.errors import CoachError
from coach.pose.landmarks import LANDMARK_NAMES
from coach.pose.sequence import PoseSequence

POSE_FORMAT_VERSION = 1
"""Written when only the trainee was seen: old readers keep reading solo attempts."""
PARTNER_FORMAT_VERSION = 2
"""Version 1 plus the partner's landmarks (``partner_image``, ``partner_visibility``,
``partner_world``, the same shapes as the trainee's)."""
SUPPORTED_VERSIONS = (1, 2)
_PARTNER_KEYS = ("partner_image", "partner_visibility", "partner_world")
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


def write_pose_file(
    path: Path, sequence: PoseSequence, partner: PoseSequence | None = None
) -> None:
    """Write ``sequence`` (the trainee) as version 1, or with ``partner`` as version 2.

    Landmarks are float32, times float64. The partner must share the trainee's frames.
    """
    arrays: dict[str, np.ndarray | np.generic] = {
        "format_version": np.int64(POSE_FORMAT_VERSION),
        "t": sequence.t.astype(np.float64),
        "image": sequence.image.astype(np.float32),
        "visibility": sequence.visibility.astype(np.float32),
        "world": sequence.world.astype(np.float32),
        "source_size": np.asarray(sequence.source_size, dtype=np.int64),
        "fps": np.float64(sequence.fps),
        "joint_names": np.asarray(sequence.joint_names),
    }
    if partner is not None:
        if len(partner) != len(sequence) or not np.array_equal(partner.t, sequence.t):
            raise ValueError("partner: expected the same frames (t) as the trainee")
        arrays["format_version"] = np.int64(PARTNER_FORMAT_VERSION)
        arrays["partner_image"] = partner.image.astype(np.float32)
        arrays["partner_visibility"] = partner.visibility.astype(np.float32)
        arrays["partner_world"] = partner.world.astype(np.float32)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)


def read_pose_file(path: Path) -> PoseSequence:
    """Read the trainee's landmarks from a ``pose.npz`` (any supported version)."""
    return read_pose_people(path)[0]


def read_pose_people(path: Path) -> tuple[PoseSequence, PoseSequence | None]:
    """The trainee and the partner (None in version 1) from a ``pose.npz``.

    Unknown versions and malformed content are refused with an error naming the file.
    """
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
            if version >= PARTNER_FORMAT_VERSION:
                missing += [k for k in _PARTNER_KEYS if k not in data.files]
            if missing:
                raise CoachError(path, f"pose file is missing {', '.join(missing)}")
            names = tuple(str(n) for n in data["joint_names"])
            if names != LANDMARK_NAMES:
                raise CoachError(path, "joint_names differ from the 33 MediaPipe landmarks")
            width, height = (int(v) for v in data["source_size"])
            trainee = PoseSequence(
                t=data["t"],
                image=data["image"],
                visibility=data["visibility"],
                world=data["world"],
                source_size=(width, height),
                fps=float(data["fps"]),
            )
            if version < PARTNER_FORMAT_VERSION:
                return trainee, None
            partner = trainee.replace(
                image=_named("partner_image", data["partner_image"]),
                visibility=_named("partner_visibility", data["partner_visibility"]),
                world=_named("partner_world", data["partner_world"]),
            )
            return trainee, partner
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise CoachError(path, f"not a readable pose file ({error.__class__.__name__})") from None
    except ValueError as error:
        raise CoachError(path, f"pose file is malformed: {error}") from None


def _named(name: str, array: np.ndarray) -> np.ndarray:
    """Shape errors of a partner array name the key (PoseSequence names its own fields)."""
    expected = {"partner_visibility": 2}.get(name, 3)
    if array.ndim != expected:
        raise ValueError(f"{name}: expected {expected} dimensions, got shape {array.shape}")
    return array
