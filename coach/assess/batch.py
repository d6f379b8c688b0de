"""The batch: decide per attempt what is left to do, run it on a process pool with one progress
bar (videos done/total, ETA), then read every attempt's card back as a practical record.

Nothing here schedules beyond ``concurrent.futures``: each attempt is ``worker.run_task``, a
pure function of its inputs, so a cluster engine could map the same function instead.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from coach.assess.fingerprints import (
    file_sha256,
    keys_for,
    read_state,
    technique_fingerprint,
    work_needed,
)
from coach.assess.manifest import Item, Refused
from coach.assess.record import PracticalRecord, card_from_dict, practical_record
from coach.assess.worker import Done, Task, run_task
from coach.errors import CoachError, InterruptedRunError
from coach.interrupts import stop_signals_handled_by
from coach.technique.library import technique_files
from coach.validation import os_error_text
from coach.workspace import Workspace

ATTEMPTS = "attempts"


@dataclass(frozen=True)
class AttemptResult:
    """A scored attempt: its item, folder, state (keys, dates) and practical record."""

    item: Item
    folder: Path
    state: dict[str, Any]
    record: PracticalRecord


@dataclass
class BatchResult:
    results: list[AttemptResult]
    failures: list[Refused]
    work: Counter[str] = field(default_factory=Counter)
    """How many attempts were extracted, only re-scored, or left as they were ("none")."""


def assess_items(
    workspace: Workspace,
    items: list[Item],
    refused: list[Refused],
    outdir: Path,
    jobs: int,
    show_progress: bool = True,
) -> BatchResult:
    """Extract and score what changed since the last run into ``outdir/attempts``."""
    files = technique_files(workspace)
    fingerprints: dict[str, dict[str, str]] = {}
    batch = BatchResult([], list(refused))
    tasks: list[Task] = []
    ready: list[Item] = []
    for item in items:
        folder = outdir / ATTEMPTS / item.name
        if item.technique not in files:
            known = ", ".join(files)
            batch.failures.append(
                Refused(item.where, f"unknown technique {item.technique!r}; known: {known}")
            )
            continue
        try:
            sha = file_sha256(item.video)
        except OSError as error:
            batch.failures.append(Refused(str(item.video), os_error_text(error)))
            continue
        if item.technique not in fingerprints:
            try:
                fingerprints[item.technique] = technique_fingerprint(
                    files[item.technique], workspace.techniques
                )
            except CoachError as error:  # a technique file that does not load
                batch.failures.append(Refused(item.where, str(error)))
                continue
        keys = keys_for(item, sha, fingerprints[item.technique])
        work = work_needed(keys, folder)
        ready.append(item)
        if work == "none":
            batch.work["none"] += 1
        else:
            tasks.append(Task(workspace.root, item, folder, keys, work))
    for done in _run(tasks, len(ready), jobs, show_progress):
        batch.work[done.work] += 1
    for item in ready:
        _collect(batch, item, outdir / ATTEMPTS / item.name)
    return batch


def _run(tasks: list[Task], total: int, jobs: int, show_progress: bool) -> list[Done]:
    bar = tqdm(
        total=total,
        initial=total - len(tasks),
        unit="video",
        desc="assess",
        disable=not show_progress,
        file=sys.stderr,
        dynamic_ncols=True,
    )
    if not tasks:
        bar.close()
        return []
    out: list[Done] = []
    # spawned, not forked: a worker forked from a process where MediaPipe already ran dies
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=max(1, min(jobs, len(tasks))),
        mp_context=context,
        initializer=_leave_interrupts_to_the_batch,
    )
    try:
        with _interrupts_ignored():  # workers start here, and inherit the ignoring
            futures: list[Future[Done]] = [pool.submit(run_task, t) for t in tasks]
        for future in as_completed(futures):
            out.append(future.result())
            bar.update(1)
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        raise InterruptedRunError(
            None, "interrupted; the attempts finished are kept, a re-run does the rest"
        ) from None
    finally:
        bar.close()
        pool.shutdown(wait=True)
    return out


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ctrl-C and SIGTERM ignored while the workers are started: an ignored signal stays
    ignored in a new interpreter, so a Ctrl-C during a worker's start-up (before its
    initializer runs) cannot print a traceback from it. A signal in these milliseconds is
    lost; the parent takes them again right after."""
    with stop_signals_handled_by(signal.SIG_IGN):
        yield


def _leave_interrupts_to_the_batch() -> None:
    """Workers ignore Ctrl-C and SIGTERM: the batch stops handing out videos and waits for
    the ones under way, so no attempt is cut off half-written and no worker prints a
    traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _collect(batch: BatchResult, item: Item, folder: Path) -> None:
    state = read_state(folder)
    if state is None:
        batch.failures.append(Refused(item.where, "not assessed (interrupted?)"))
        return
    failed = state.get("failed")
    if isinstance(failed, dict):
        where = str(failed.get("path") or item.where)
        problem = (
            f"{failed.get('problem')} ({item.candidate}, {item.technique}, attempt {item.attempt})"
        )
        batch.failures.append(Refused(where, problem))
        return
    path = folder / "score.json"
    try:
        card = card_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        batch.failures.append(
            Refused(str(path), f"score card unreadable ({error}); delete it to redo")
        )
        return
    batch.results.append(AttemptResult(item, folder, state, practical_record(card)))
