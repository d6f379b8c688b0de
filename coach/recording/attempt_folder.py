"""An attempt folder, written atomically: it appears complete or not at all.

Files are written into a hidden sibling ``.<name>.partial-<pid>`` and the folder is renamed
into place only when every file is on disk, so an interrupted or killed run never leaves a
folder that looks complete. ``--force`` replaces an existing folder the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_meta import AttemptMeta, read_attempt_meta, write_attempt_meta
from coach.recording.pose_file import read_pose_people, write_pose_file

POSE_FILE = "pose.npz"
META_FILE = "attempt.json"
PARTIAL_MARK = ".partial-"


@dataclass(frozen=True)
class Attempt:
    """One recorded attempt, loaded."""

    folder: Path
    meta: AttemptMeta
    pose: PoseSequence
    """the trainee"""
    partner: PoseSequence | None = None
    """the person applying the hold (format version 2), None when only the trainee was seen"""


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "unnamed"


def next_attempt_folder(recordings: Path, *parts: str | None, today: dt.date | None = None) -> Path:
    """``recordings/<date>_<part>_<part>_<n>`` with the first unused n (1, 2, ...)."""
    date = (today or dt.date.today()).isoformat()
    stem = "_".join([date, *(_slug(p) for p in parts if p)])
    n = 1
    while (recordings / f"{stem}_{n}").exists():
        n += 1
    return recordings / f"{stem}_{n}"


@contextlib.contextmanager
def staged_folder(final: Path, force: bool) -> Iterator[Path]:
    """Yield a hidden staging folder; on success rename it to ``final``, else delete it."""
    if final.exists() and not force:
        raise CoachError(final, "output folder already exists (use --force to replace it)")
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".{final.name}{PARTIAL_MARK}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if final.exists():
        old = final.parent / f".{final.name}.replaced-{os.getpid()}"
        final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(final)


def write_attempt(
    folder: Path,
    pose: PoseSequence,
    meta: AttemptMeta,
    force: bool = False,
    extra_files: Callable[[Path], None] | None = None,
    partner: PoseSequence | None = None,
) -> Path:
    """Write ``pose.npz`` and ``attempt.json`` (and anything ``extra_files`` adds) atomically.

    With ``partner`` the pose file is format version 2 (the partner's landmarks beside the
    trainee's)."""
    with staged_folder(folder, force) as staging:
        write_pose_file(staging / POSE_FILE, pose, partner)
        if extra_files is not None:
            extra_files(staging)
        write_attempt_meta(staging / META_FILE, meta)
    return folder


def read_attempt(folder: Path) -> Attempt:
    """Load an attempt folder; errors name the folder or file and the problem."""
    if not folder.is_dir():
        raise CoachError(folder, "no such attempt folder")
    meta = read_attempt_meta(folder / META_FILE)
    pose, partner = read_pose_people(folder / POSE_FILE)
    return Attempt(folder=folder, meta=meta, pose=pose, partner=partner)
