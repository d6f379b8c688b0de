"""A small text file written whole or not at all (score.json, scene.json)."""

from __future__ import annotations

import os
from pathlib import Path

from coach.errors import CoachError
from coach.validation import os_error_text


def write_text_atomically(path: Path, text: str) -> None:
    """Write into a hidden ``.<name>.partial-<pid>`` beside ``path`` and rename it into place;
    on any failure (a full disk, Ctrl-C) the partial is removed and ``path`` is untouched. A
    file-system error becomes a ``CoachError`` naming ``path``."""
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise CoachError(path, os_error_text(error)) from None
        raise
