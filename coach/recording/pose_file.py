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
"""Written when only the trainee was seen: old readers keep reading solo attempts."""
PARTNER_FORMAT_VERSION = 2
"""Version 1 plus the partner's landmarks (``partner_image``, ``partner_visibility``,
``partner_world``, the same shapes as the trainee's)."""
SUPPORTED_VERSIONS = (1, 2)
_PARTNER_KEYS = ("partner_image", "partner_visibility", "partner_world")
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
    """The trainee and the partner (None in version 1) from a ``pose.npz``; unknown versions,
    bad shapes and values are refused with an error naming the file."""
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
    with_partner = version >= PARTNER_FORMAT_VERSION
    if with_partner:
        missing += [k for k in _PARTNER_KEYS if k not in data]
    if missing:
        raise CoachError(path, f"pose file is missing {', '.join(missing)}")
    names = tuple(str(n) for n in np.atleast_1d(data["joint_names"]))
    if names != LANDMARK_NAMES:
        raise CoachError(path, "joint_names differ from the 33 MediaPipe landmarks")
    t = data["t"]
    if t.ndim != 1 or not 1 <= len(t) <= MAX_FRAMES:
        raise CoachError(path, f"t: expected 1 to {MAX_FRAMES} frame times, got shape {t.shape}")
    v.finite_array(path, "t", t, MAX_TIME_S, allow_nan=False)
    prefixes = ("", "partner_") if with_partner else ("",)
    for prefix in prefixes:
        for key, limit in (("image", MAX_IMAGE), ("world", MAX_WORLD_M), ("visibility", 1.0)):
            v.finite_array(path, prefix + key, data[prefix + key], limit)
        if np.nanmin(data[prefix + "visibility"], initial=0.0) < 0:
            raise CoachError(
                path, f"{prefix}visibility: expected values from 0 to 1, found a negative one"
            )
    size = data["source_size"]
    if size.shape != (2,) or size.dtype.kind not in "iu":
        raise CoachError(path, f"source_size: expected (width, height), got shape {size.shape}")
    width, height = (v.whole_number(path, "source_size", int(s), 1, MAX_PIXELS) for s in size)
    fps = v.number(path, "fps", float(scalar(path, data, "fps", "fiu")), 0.0, MAX_FPS)
    try:
        trainee = PoseSequence(
            t=t,
            image=data["image"],
            visibility=data["visibility"],
            world=data["world"],
            source_size=(width, height),
            fps=fps,
        )
        if not with_partner:
            return trainee, None
        partner = trainee.replace(
            image=_named("partner_image", data["partner_image"]),
            visibility=_named("partner_visibility", data["partner_visibility"]),
            world=_named("partner_world", data["partner_world"]),
        )
        return trainee, partner
    except ValueError as error:
        raise CoachError(path, f"pose file is malformed: {error}") from None


def _named(name: str, array: np.ndarray) -> np.ndarray:
    """Shape errors of a partner array name the key (PoseSequence names its own fields)."""
    expected = {"partner_visibility": 2}.get(name, 3)
    if array.ndim != expected:
        raise ValueError(f"{name}: expected {expected} dimensions, got shape {array.shape}")
    return array
