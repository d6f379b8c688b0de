"""Attempt folders named in URLs and on the command line, kept inside the recordings folder."""

from __future__ import annotations

from pathlib import Path

from coach.errors import CoachError


def attempt_folder(recordings: Path, relative: str) -> Path:
    """``recordings/<relative>`` if it is an attempt folder inside ``recordings``; a path that
    leaves it (``..``, absolute, a symlink out) is refused."""
    root = recordings.resolve()
    folder = (root / relative).resolve()
    if folder == root or not folder.is_relative_to(root) or relative.startswith("/"):
        raise CoachError(relative, "not an attempt folder inside the recordings folder")
    if not folder.is_dir():
        raise CoachError(relative, "no such attempt folder")
    return folder


def relative_name(recordings: Path, folder: Path) -> str:
    return folder.resolve().relative_to(recordings.resolve()).as_posix()
