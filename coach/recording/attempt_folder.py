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
from coach.interrupts import interrupts_deferred
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_meta import AttemptMeta, read_attempt_meta, write_attempt_meta
from coach.recording.pose_file import read_pose_people, write_pose_file

POSE_FILE = "pose.npz"
META_FILE = "attempt.json"
PARTIAL_MARK = ".partial-"
OUR_FILES = (POSE_FILE, META_FILE, "events.jsonl", "video.mp4", "score.json", "report.html")
"""What the coach writes into an attempt folder: all ``--force`` may replace."""
MAX_NAME_BYTES = 255 - 40
"""A folder name's limit (255 bytes on common file systems) less room for the hidden
``.<name>.partial-<pid>`` and ``.<name>.live-partial`` siblings and a ``-<n>`` suffix."""
MAX_PART_CHARS = 60


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
    """ASCII letters and digits joined by ``-``, at most MAX_PART_CHARS (a long trainee or
    video name must not make a folder name the file system refuses)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug[:MAX_PART_CHARS].strip("-") or "unnamed"


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
    check_output(final, force)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".{final.name}{PARTIAL_MARK}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with interrupts_deferred():  # never the old folder aside and the new one not yet in
        if final.exists():
            old = final.parent / f".{final.name}.replaced-{os.getpid()}"
            final.rename(old)
            staging.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(final)


def check_output(final: Path, force: bool) -> None:
    """Everything that would stop ``final`` being written, checked before any work is done."""
    if len(final.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise CoachError(final, f"folder name longer than {MAX_NAME_BYTES} bytes")
    check_replaceable(final, force)
    parent = final.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise CoachError(parent, "is a file, expected a folder")
    if not os.access(parent, os.W_OK | os.X_OK):  # also a read-only file system
        raise CoachError(parent, "cannot write here (permission denied or read-only)")


def check_replaceable(final: Path, force: bool) -> None:
    """Refuse an existing output unless ``force`` and it is an attempt folder holding only
    files the coach writes: ``--force`` never deletes a user's own files."""
    if not (final.exists() or final.is_symlink()):
        return
    if not force:
        raise CoachError(final, "output folder already exists (use --force to replace it)")
    if final.is_symlink() or not final.is_dir():
        raise CoachError(final, "exists and is not a folder; --force replaces attempt folders only")
    names = sorted(p.name for p in final.iterdir())
    if META_FILE not in names:
        raise CoachError(
            final, f"is not an attempt folder (no {META_FILE}); --force replaces attempt "
            "folders only"
        )
    foreign = [n for n in names if n not in OUR_FILES]
    if foreign:
        raise CoachError(
            final, f"holds files the coach did not write ({', '.join(foreign[:3])}); "
            "--force will not delete them"
        )


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
