"""Start-up recovery: what killed sessions left in ``recordings/`` becomes attempt folders.

Partials a running session holds (its lock) are left alone. One nobody holds is finalised as an
attempt marked ``"recovered": true``, with the GO its events recorded and ``"aborted"`` unless it
reached its end. One that cannot be read (an empty or cut header, a ``final_name`` that is not a
plain folder name, damaged frames) is moved whole into ``recordings/.quarantine/``: kept, said
where, and recovery goes on with the rest.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from coach.errors import CoachError
from coach.recording.attempt_meta import MAX_TIME_S
from coach.session.partial_owner import recordings_guard, try_lock
from coach.session.recorder import EVENTS_FILE, LIVE_PARTIAL, finalise_partial, free_name
from coach.validation import is_number, os_error_text

QUARANTINE: Final = ".quarantine"
MAX_EVENTS_BYTES: Final = 8 * 1024 * 1024
"""What is read of an ``events.jsonl`` (an attempt's are a few kilobytes)."""


def read_events(events: Path) -> list[dict[str, Any]]:
    """The events of ``events.jsonl`` with a finite time (torn or damaged lines skipped)."""
    if not events.is_file():
        return []
    out = []
    with events.open("rb") as handle:
        text = handle.read(MAX_EVENTS_BYTES).decode("utf-8", errors="replace")
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict) or not is_number(event.get("t")):
            continue
        t = float(event["t"])
        if math.isfinite(t) and abs(t) <= MAX_TIME_S:
            out.append(event)
    return out


def recovered_extra(events: Path) -> dict[str, Any]:
    """What ``attempt.json`` says of a recovered attempt: the GO it had, whether it ended."""
    kinds = {e.get("event"): float(e["t"]) for e in reversed(read_events(events))}
    extra: dict[str, Any] = {"recovered": True, "aborted": "end" not in kinds}
    if "go" in kinds:
        extra["go_t_s"] = kinds["go"]
    return extra


@dataclass
class Recovery:
    """What start-up recovery did: attempts made, and partials it could not read (moved)."""

    recovered: list[Path] = field(default_factory=list)
    quarantined: list[tuple[Path, str]] = field(default_factory=list)
    """(where the damaged partial now is, what was wrong with it)."""


def recover_partials(recordings: Path) -> Recovery:
    """Attempt folders made from what killed sessions left behind, marked ``recovered``.

    Partials a running session holds are left alone. One that cannot be read is moved, whole,
    into ``recordings/.quarantine/`` (nothing deleted) and recovery goes on with the rest.
    """
    out = Recovery()
    if not recordings.is_dir():
        return out
    with recordings_guard(recordings):
        for partial in sorted(recordings.glob(f".*{LIVE_PARTIAL}")):
            if not partial.is_dir():
                continue
            lock = try_lock(partial)
            if lock is None:  # a running session's
                continue
            try:
                extra = recovered_extra(partial / EVENTS_FILE)
                folder = finalise_partial(partial, extra=extra)
                if folder is not None:
                    out.recovered.append(folder)
            except (CoachError, OSError) as error:
                out.quarantined.append((quarantine(partial), _problem(error)))
            finally:
                lock.release()
    return out


def _problem(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {os_error_text(error)}"
    return str(error)


def quarantine(partial: Path) -> Path:
    """Move a partial we cannot read to ``recordings/.quarantine/`` under a free name."""
    place = partial.parent / QUARANTINE
    place.mkdir(exist_ok=True)
    target = free_name(place, partial.name.lstrip(".") or "partial")
    partial.rename(target)
    return target
