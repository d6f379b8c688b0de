"""A disk cache of the pose model's landmarks on rendered attempts.

Rendering an attempt and running MediaPipe over it costs about 7 s of a core; scoring it costs
milliseconds. The bench keeps what the pose model saw, keyed by everything that decides it (the
job: technique, fault, variation, camera, partner; and the source of the renderer and the
extraction path), so changing the engine re-scores in seconds and changing the renderer or the
pose path renders again. It keeps every person followed, before the trainee is chosen, so a
change of the trainee rule (``pose/drill_roles.py``, left out of the key) re-chooses from
the same tracks. Off unless asked for (``COACH_RENDERED_CACHE=1`` or the bench's
``--cache``): a test measures the real path every time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Final

import numpy as np

import coach
from coach.pose.people_tracks import PeopleTracks
from coach.pose.sequence import PoseSequence
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
_CHOICE_ONLY: Final[tuple[str, ...]] = ("pose/drill_roles.py",)
"""Under ``_SOURCES`` but applied after the cache: which track is the trainee."""


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
            if str(file.relative_to(root)) in _CHOICE_ONLY:
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def cached_tracks(key: str, compute: Callable[[], PeopleTracks]) -> PeopleTracks:
    """Every track for ``key`` from the cache, or ``compute()`` stored there (track events are
    not kept).

    The file is written aside and renamed, so a killed run leaves no half-written entry."""
    if not cache_enabled():
        return compute()
    name = hashlib.sha256((key + code_digest()).encode()).hexdigest()[:32]
    folder = cache_dir().parent / "rendered"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.tracks.npz"
    if path.is_file():
        return _read_tracks(path)
    tracks = compute()
    partial = path.with_name(f".{name}.{os.getpid()}.partial")
    _write_tracks(partial, tracks)
    partial.replace(path)
    return tracks


def _write_tracks(path: Path, tracks: PeopleTracks) -> None:
    ids = sorted(tracks.sequences)
    n = len(tracks.t)

    def stacked(field: str, shape: tuple[int, ...]) -> np.ndarray:
        arrays = [getattr(tracks.sequences[k], field) for k in ids]
        return np.stack(arrays) if arrays else np.zeros((0, n, *shape))

    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            t=tracks.t,
            ids=np.asarray(ids, dtype=np.int64),
            image=stacked("image", (33, 3)),
            visibility=stacked("visibility", (33,)),
            world=stacked("world", (33, 3)),
            source_size=np.asarray(tracks.source_size, dtype=np.int64),
            fps=np.float64(tracks.fps),
        )


def _read_tracks(path: Path) -> PeopleTracks:
    with np.load(path) as data:
        t = data["t"]
        size = (int(data["source_size"][0]), int(data["source_size"][1]))
        fps = float(data["fps"])
        sequences = {
            int(k): PoseSequence(
                t, data["image"][i], data["visibility"][i], data["world"][i], size, fps
            )
            for i, k in enumerate(data["ids"])
        }
    return PeopleTracks(t, sequences, (), size, fps)
