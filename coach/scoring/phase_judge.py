"""Judging the phases a live trainee has left, off the drawing path.

A phase's checks run on its frames as the offline scorer finds them: the frames so far are
filtered (zero-phase, so the whole attempt again) and aligned by DTW with the reference up to
the current point. That costs 5-20 ms at once, several times the coach's whole per-frame
budget, so ``PhaseJudge`` can hand it to a worker process. Whether it runs there or inline, its
result is handed back exactly ``lag_frames`` frames after the phase was left (earlier only when
the attempt ends), so the cues, and when they come, do not depend on how busy the machine was.
"""

from __future__ import annotations

import math
import os
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context

import numpy as np

from coach.analysis.alignment_features import alignment_features
from coach.analysis.checks.base import CheckResult, Events, Scene
from coach.analysis.checks.evaluate import evaluate_check
from coach.analysis.checks.timing import hesitation_result, onset_time_s
from coach.analysis.features import Features
from coach.child_process import die_with_parent
from coach.pose.filters import repair_and_smooth
from coach.pose.sequence import PoseSequence
from coach.scoring.offline import align
from coach.scoring.phase_mapping import clip_before_t0
from coach.scoring.reference_model import ReferenceModel
from coach.technique.model import Technique

LAG_FRAMES = 3
"""Frames between leaving a phase and its verdict (0.1 s at 30 fps): time for the worker."""


@dataclass(frozen=True, eq=False)
class JudgeTask:
    """Everything one judgement needs (picklable): phases ``first`` to ``stop`` - 1."""

    sequence: PoseSequence
    technique: Technique
    reference: ReferenceModel
    scene: Scene
    t0_s: float
    ref_end: int
    """The reference frame the trainee has reached: the alignment's open end."""
    first: int
    stop: int
    pause_limit_s: float | None = None
    """Also measure the longest pause so far against this limit (a live standstill to
    confirm): the same measure as the score card's, on the frames so far."""


def judge_phases(task: JudgeTask) -> list[CheckResult]:
    """The checks of phases ``first`` .. ``stop`` - 1 on the frames DTW gives them, and the
    longest pause so far when ``pause_limit_s`` is given."""
    f = Features.from_sequence(repair_and_smooth(task.sequence)[0])
    ref = task.reference
    partial = replace(
        ref, t=ref.t[: task.ref_end + 1], features=ref.features[: task.ref_end + 1]
    )
    mapping, _ = align(alignment_features(f), partial)
    release = mapping.first_frame_at_or_past(ref.release_frame)
    events = Events(task.t0_s, float(f.t[release]) if release is not None else None)
    start_phase = task.technique.phase_index(task.technique.timing.start_phase)
    windows = clip_before_t0(mapping.windows, f.t, task.t0_s, start_phase)
    results: list[CheckResult] = []
    for k in range(task.first, task.stop):
        window = windows[k]
        if window.stop <= window.start:
            continue
        for check in task.technique.phases[k].checks:
            if check.deadline_from == "release" and events.release_s is None:
                continue
            results.append(evaluate_check(check, f, window, events, task.scene))
    if task.pause_limit_s is not None:
        moving = ref.moving[np.clip(mapping.ref_index, 0, task.ref_end)]
        onset = onset_time_s(f, task.t0_s)
        start = task.t0_s if math.isnan(onset) else onset
        end = events.release_s if events.release_s is not None else float(f.t[-1])
        results.append(hesitation_result(f, start, end, moving, task.pause_limit_s))
    return results


class PhaseJudge:
    """Runs judgements inline or on ``executor``; hands each back ``lag_frames`` frames later.

    A worker that died (or could not start) is not an error for the trainee: its judgements
    are then made inline, with the same results.
    """

    def __init__(self, executor: Executor | None = None, lag_frames: int = LAG_FRAMES) -> None:
        self._executor = executor
        self._lag = lag_frames
        self._pending: deque[tuple[int, JudgeTask, Future[list[CheckResult]] | None]] = deque()

    def submit(self, frame: int, task: JudgeTask) -> None:
        """Start judging at ``frame`` (the count of frames fed so far)."""
        future = None
        if self._executor is not None:
            try:
                future = self._executor.submit(judge_phases, task)
            except (BrokenProcessPool, RuntimeError):  # broken, or shut down
                self._executor = None
        self._pending.append((frame + self._lag, task, future))

    def collect(self, frame: int, everything: bool = False) -> list[CheckResult]:
        """Results due by ``frame`` (waiting for them if need be), or all with ``everything``."""
        out: list[CheckResult] = []
        while self._pending and (everything or self._pending[0][0] <= frame):
            _, task, future = self._pending.popleft()
            out += _result(task, future)
        return out


def _result(task: JudgeTask, future: Future[list[CheckResult]] | None) -> list[CheckResult]:
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            pass
    return judge_phases(task)


def _warm_up() -> bool:
    """Run in a new worker so its imports are done before the first judgement."""
    return True


def judge_worker() -> ProcessPoolExecutor:
    """One worker process for phase judgements (spawned: no fork of a threaded process)."""
    executor = ProcessPoolExecutor(
        max_workers=1, mp_context=get_context("spawn"),
        initializer=die_with_parent, initargs=(os.getpid(),),  # no orphan when we are killed
    )
    executor.submit(_warm_up)
    return executor
