"""A disk cache of the pose model's landmarks on rendered attempts.

Rendering an attempt and running MediaPipe over it costs about 7 s of a core; scoring it costs
milliseconds. The bench keeps what the pose model saw, keyed by everything that decides it (the
job: technique, fault, variation, camera, partner; and the source of the renderer and the
extraction path), so changing the engine re-scores in seconds and changing the renderer or the
pose path renders again. Off unless asked for (``COACH_RENDERED_CACHE=1`` or the bench's
``--cache``): a test measures the real path every time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Final

import coach
from coach.pose.sequence import PoseSequence
from coach.recording.pose_file import read_pose_people, write_pose_file
from coach.samples import cache_dir

CACHE_SWITCH: Final[str] = "COACH_RENDERED_CACHE"
_SOURCES: Final[tuple[str, ...]] = (
    "synth/figure",
    "synth/attempts.py",
    "synth/faults.py",
    "bodymodel",
    "pose",
    "extract.py",
    "video",
)
"""What decides the landmarks of a rendered attempt (package-relative)."""


def cache_enabled() -> bool:
    return os.environ.get(CACHE_SWITCH, "") not in ("", "0")


def code_digest() -> str:
    """SHA-256 of the renderer's and the extraction path's source files."""
    root = Path(coach.__file__).parent
    digest = hashlib.sha256()
    for part in _SOURCES:
        path = root / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def cached_people(
    key: str, compute: Callable[[], tuple[PoseSequence, PoseSequence | None]]
) -> tuple[PoseSequence, PoseSequence | None]:
    """The trainee and partner for ``key`` from the cache, or ``compute()`` stored there.

    The file is written aside and renamed, so a killed run leaves no half-written entry."""
    if not cache_enabled():
        return compute()
    name = hashlib.sha256((key + code_digest()).encode()).hexdigest()[:32]
    folder = cache_dir().parent / "rendered"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.npz"
    if path.is_file():
        return read_pose_people(path)
    trainee, partner = compute()
    partial = path.with_name(f".{name}.{os.getpid()}.partial")
    write_pose_file(partial, trainee, partner)
    partial.replace(path)
    return trainee, partner
