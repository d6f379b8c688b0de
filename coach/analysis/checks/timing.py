"""Timing of an attempt against a technique's limits: onset, release, hesitation, hard fail."""

from __future__ import annotations

import math

import numpy as np

from coach.analysis.checks.base import CheckResult, Events, Status
from coach.analysis.checks.common import longest_run_s
from coach.analysis.features import Features, motion_speed_t_per_s

ONSET_T_PER_S = 0.6
"""The body counts as moving once its motion speed exceeds this (torso lengths per second)."""
PAUSE_T_PER_S = 0.2
"""Slower than this counts as a pause (hesitation)."""


def onset_time_s(f: Features, t0_s: float) -> float:
    """First time at or after t0 when the body moves; NaN if it never does."""
    speed = motion_speed_t_per_s(f)
    after = f.t >= t0_s - 1e-9
    moving = np.nonzero(after & (np.nan_to_num(speed, nan=0.0) > ONSET_T_PER_S))[0]
    return float(f.t[moving[0]]) if moving.size else math.nan


def longest_pause_s(f: Features, start_s: float, end_s: float) -> float:
    """Longest stretch between two times where the body is (nearly) still, seconds."""
    inside = (f.t >= start_s) & (f.t <= end_s)
    if not inside.any():
        return 0.0
    speed = motion_speed_t_per_s(f)[inside]
    return longest_run_s(np.nan_to_num(speed, nan=np.inf) < PAUSE_T_PER_S, f.t[inside])


def _result(
    kind: str,
    label: str,
    role: str,
    ok: bool | None,
    value: float,
    target: str,
    span: tuple[float, float],
    note: str = "",
) -> CheckResult:
    status = Status.NOT_ASSESSABLE if ok is None else (Status.MET if ok else Status.NOT_MET)
    return CheckResult(kind, label, role, status, value, target, "s", span[0], span[1], note)


def evaluate_timing(f: Features, limits: object, events: Events) -> list[CheckResult]:
    """Onset, release time, hesitation and the hard fail, as check results.

    ``limits`` is a ``coach.technique.model.TimingLimits`` (typed loosely to keep this module
    free of the technique package).
    """
    onset_max = float(limits.onset_max_s)  # type: ignore[attr-defined]
    release_max = float(limits.release_max_s)  # type: ignore[attr-defined]
    hard = float(limits.hard_fail_s)  # type: ignore[attr-defined]
    pause_max = float(limits.hesitation_max_s)  # type: ignore[attr-defined]
    t0 = events.t0_s
    onset = onset_time_s(f, t0)
    out = [
        _result(
            "onset",
            "movement starts after t0",
            "coaching",
            None if math.isnan(onset) else onset - t0 <= onset_max,
            onset - t0,
            f"<= {onset_max:g}",
            (t0, onset if not math.isnan(onset) else t0),
            "" if not math.isnan(onset) else "no movement found",
        ),
    ]
    if events.release_s is None:
        out.append(
            _result(
                "release_time",
                "release complete after t0",
                "coaching",
                None,
                math.nan,
                f"<= {release_max:g}",
                (t0, float(f.t[-1])),
                "no release found",
            )
        )
        out.append(
            _result(
                "hard_fail",
                f"released before the {hard:g} s hard fail",
                "outcome",
                False,
                math.nan,
                f"<= {hard:g}",
                (t0, float(f.t[-1])),
                "no release found",
            )
        )
        return out
    took = events.release_s - t0
    out.append(
        _result(
            "release_time",
            "release complete after t0",
            "coaching",
            took <= release_max,
            took,
            f"<= {release_max:g}",
            (t0, events.release_s),
        )
    )
    out.append(
        _result(
            "hard_fail",
            f"released before the {hard:g} s hard fail",
            "outcome",
            took <= hard,
            took,
            f"<= {hard:g}",
            (t0, events.release_s),
        )
    )
    start = onset if not math.isnan(onset) else t0
    pause = longest_pause_s(f, start, events.release_s)
    out.append(
        _result(
            "hesitation",
            "longest pause inside the technique",
            "coaching",
            pause <= pause_max,
            pause,
            f"<= {pause_max:g}",
            (start, events.release_s),
        )
    )
    return out
