"""Evaluate a technique's checks on an attempt, given explicit phase windows.

For a reference the windows come from the keyframe (phase) times; for a real attempt they
will come from alignment. A check with a deadline is evaluated from its phase start to the
deadline instead of the phase end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coach.analysis.checks.base import CheckResult, Events, Scene, Status
from coach.analysis.checks.registry import get_kind, view_need
from coach.analysis.checks.timing import evaluate_timing
from coach.analysis.checks.views import refused_by_view
from coach.analysis.features import Features
from coach.technique.model import Check, Technique


@dataclass(frozen=True)
class Verdict:
    """All results of one attempt; the two outcomes kept apart as in the assessment."""

    checks: tuple[tuple[str, CheckResult], ...]
    timing: tuple[CheckResult, ...]

    def all(self) -> list[CheckResult]:
        return [r for _, r in self.checks] + list(self.timing)

    @property
    def broke_free(self) -> bool:
        return all(r.status == Status.MET for r in self.all() if r.role == "outcome")

    @property
    def used_taught_technique(self) -> bool:
        return all(r.status != Status.NOT_MET for r in self.all() if r.role == "coaching")

    def failed(self) -> list[CheckResult]:
        return [r for r in self.all() if r.status != Status.MET]


def windows_from_times(t: np.ndarray, spans: Sequence[tuple[float, float]]) -> list[slice]:
    """Frame slices for (start, end) times; each covers start <= t < end (last one inclusive)."""
    out = []
    for i, (start, end) in enumerate(spans):
        lo = int(np.searchsorted(t, start - 1e-9))
        last = i == len(spans) - 1
        hi = int(np.searchsorted(t, end + 1e-9, side="right" if last else "left"))
        out.append(slice(lo, max(hi, lo + 1)))
    return out


def check_window(f: Features, phase: slice, check: Check, events: Events) -> slice | None:
    """The frames a check looks at; None when its deadline event is unknown.

    A check "within N s of the release" (or of t0) looks from that event to its deadline,
    not from its phase's first frame: the event is what the rubric counts from, and an
    attempt that goes wrong (escaping the wrong way) can leave its phase a frame or two wide.
    """
    if check.deadline_s is None:
        return phase
    anchor = {
        "phase_start": float(f.t[min(phase.start, len(f) - 1)]),
        "t0": events.t0_s,
        "release": events.release_s,
    }[check.deadline_from]
    if anchor is None:
        return None
    start = phase.start if check.deadline_from == "phase_start" else f.frame_at(anchor)
    start = min(start, len(f) - 1)
    stop = f.frame_at(anchor + check.deadline_s + 1e-6)
    return slice(start, max(stop, start + 1))


def evaluate_technique(
    technique: Technique, f: Features, windows: Sequence[slice], events: Events, scene: Scene
) -> Verdict:
    """Every phase check on its window, plus the timing results."""
    if len(windows) != len(technique.phases):
        raise ValueError(f"expected {len(technique.phases)} phase windows, got {len(windows)}")
    results: list[tuple[str, CheckResult]] = []
    for phase, window in zip(technique.phases, windows, strict=True):
        for check in phase.checks:
            results.append((phase.name, evaluate_check(check, f, window, events, scene)))
    return Verdict(tuple(results), tuple(evaluate_timing(f, technique.timing, events)))


def evaluate_check(
    check: Check, f: Features, phase: slice, events: Events, scene: Scene
) -> CheckResult:
    kind = get_kind(check.kind)
    window = check_window(f, phase, check, events)
    looked = window if window is not None else phase
    stop = min(len(f), looked.stop)
    span = (float(f.t[min(looked.start, len(f) - 1)]), float(f.t[max(0, stop - 1)]))
    if window is None:
        return CheckResult(
            check.kind,
            check.label,
            check.role,
            Status.NOT_ASSESSABLE,
            float("nan"),
            "",
            "",
            *span,
            f"no {check.deadline_from} event",
        )
    params = check.param_dict()
    m = kind.evaluate(f, window, events, scene, params)
    view = None if kind.floor and f.floor is not None else view_need(check.kind, params)
    m = refused_by_view(view, f, window, m.unit, m.target, params) or m
    return CheckResult(
        check.kind, check.label, check.role, m.status, m.value, m.target, m.unit, *span, m.note
    )
