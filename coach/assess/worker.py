"""One attempt's work, as one pure function of (video, technique file, set-up): extract (when
the video or the software changed) and score, with ``coach extract``'s and ``coach score``'s own
code. It runs in a worker process; a cluster engine could map it over attempts the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.assess.fingerprints import Keys, read_state, write_state
from coach.assess.manifest import Item
from coach.commands.score import score_attempt
from coach.errors import CoachError, InterruptedRunError
from coach.extract import extract_video
from coach.technique.library import find_technique
from coach.workspace import Workspace

EXTRACT = "extract"
SCORE = "score"


@dataclass(frozen=True)
class Task:
    """What to do for one attempt: ``work`` is EXTRACT (then score) or SCORE alone."""

    workspace_root: Path
    item: Item
    folder: Path
    keys: Keys
    work: str


@dataclass(frozen=True)
class Done:
    """What a task did: the work, and the one-line problem if it failed."""

    name: str
    work: str
    problem: str | None = None


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def run_task(task: Task) -> Done:
    """Extract and/or score one attempt; its state file records the keys and the outcome."""
    item, folder = task.item, task.folder
    workspace = Workspace(task.workspace_root)
    previous = read_state(folder) or {}
    state: dict[str, Any] = {
        "candidate": item.candidate,
        "technique": item.technique,
        "attempt": item.attempt,
        "video": str(item.video),
        **task.keys.as_dict(),
        "extracted_at": previous.get("extracted_at"),
    }
    stage = EXTRACT
    try:
        if task.work == EXTRACT:
            extract_video(
                item.video,
                workspace.recordings,
                out=folder,
                force=True,
                trainee=item.candidate,
                technique=item.technique,
                show_progress=False,
                trainee_rule=item.trainee_person,
            )
            state["extracted_at"] = now()
        stage = SCORE
        technique = find_technique(workspace, item.technique)
        card = score_attempt(workspace, technique, folder, item.side, item.start_s)
    except InterruptedRunError:
        raise  # not a verdict on the video: the next run does it again
    except CoachError as error:
        path = str(error.path) if error.path is not None else str(item.video)
        state["failed"] = {"stage": stage, "path": path, "problem": error.problem}
        write_state(folder, state)
        return Done(item.name, task.work, str(error))
    state["scored_at"] = now()
    state["t0_source"] = card.timings.t0_source
    write_state(folder, state)
    return Done(item.name, task.work)
