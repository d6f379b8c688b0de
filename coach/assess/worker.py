"""One attempt's work, as one pure function of (video, technique file, set-up): extract (when
the video or the software changed) and score, with ``coach extract``'s and ``coach score``'s own
code. It runs in a worker process; a cluster engine could map it over attempts the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.assess.audio_onset import audio_onset_s
from coach.assess.fingerprints import Keys, read_state, write_state
from coach.assess.manifest import Item
from coach.commands.score import score_attempt
from coach.errors import CoachError, InterruptedRunError
from coach.extract import extract_video
from coach.recording.attempt_folder import read_attempt
from coach.scoring.scorecard import ScoreCard
from coach.technique.library import find_technique
from coach.technique.model import Technique
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
            state["audio_onset_s"] = audio_onset_s(item.video)
        elif "audio_onset_s" in previous:
            state["audio_onset_s"] = previous["audio_onset_s"]
        else:
            state["audio_onset_s"] = audio_onset_s(item.video)
        stage = SCORE
        technique = find_technique(workspace, item.technique)
        card, state["start_signal"] = _scored(workspace, technique, task, state["audio_onset_s"])
    except InterruptedRunError:
        raise  # not a verdict on the video: the next run does it again
    except CoachError as error:
        path = str(error.path) if error.path is not None else str(item.video)
        state["failed"] = {"stage": stage, "path": path, "problem": error.problem}
        write_state(folder, state)
        return Done(item.name, task.work, str(error))
    state["scored_at"] = now()
    state["t0_s"] = card.timings.t0_s
    write_state(folder, state)
    return Done(item.name, task.work)


def _scored(
    workspace: Workspace, technique: Technique, task: Task, onset: float | None
) -> tuple[ScoreCard, str]:
    """The card with the start signal chosen in order: the manifest's ``start_s``, the grab
    (``score`` finds it when a partner is followed), the audio onset, else the movement
    estimate (reaction time then Not assessable). Returns the card and which signal it used:
    manifest, grab, audio or estimated."""
    item, folder = task.item, task.folder
    if item.start_s is not None:
        return score_attempt(workspace, technique, folder, item.side, item.start_s), "manifest"
    card = score_attempt(workspace, technique, folder, item.side)
    if card.timings.t0_source != "estimated" or onset is None:
        return card, card.timings.t0_source
    t = read_attempt(folder).pose.t
    if not t[0] <= onset <= t[-1]:
        return card, card.timings.t0_source
    return score_attempt(workspace, technique, folder, item.side, onset), "audio"
