"""The score card: per criterion Met / Not met / Not assessable with evidence, the two outcomes
kept apart, the timings against the limits, and the three assessment points.

Shaped like the security-industry practical record (it worked, it was safe, it matched the
coaching points) and the research audits (broke free vs used the taught technique, 10 s limit).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any, Final

from coach.analysis.checks.base import CheckResult, Status

SAFETY_KINDS: Final[frozenset[str]] = frozenset({"keep_facing", "escape_direction", "hard_fail"})
"""Criteria that decide "it was safe": facing the person, never toward them, out within 10 s."""


@dataclass(frozen=True)
class Criterion:
    """One row of the score card."""

    phase: str
    kind: str
    label: str
    role: str
    status: str
    value: float | None
    target: str
    unit: str
    t_start: float
    t_end: float
    note: str = ""

    @classmethod
    def from_result(cls, phase: str, result: CheckResult) -> Criterion:
        value = None if math.isnan(result.value) else round(float(result.value), 4)
        return cls(
            phase,
            result.kind,
            result.label,
            result.role,
            result.status.value,
            value,
            result.target,
            result.unit,
            round(result.t_start, 3),
            round(result.t_end, 3),
            result.note,
        )

    def as_result(self) -> CheckResult:
        """Back to the engine's result type (for cues)."""
        return CheckResult(
            self.kind,
            self.label,
            self.role,
            Status(self.status),
            math.nan if self.value is None else self.value,
            self.target,
            self.unit,
            self.t_start,
            self.t_end,
            self.note,
        )

    @property
    def met(self) -> bool:
        return self.status == Status.MET.value

    @property
    def not_met(self) -> bool:
        return self.status == Status.NOT_MET.value


@dataclass(frozen=True)
class Timings:
    """Seconds from t0; None where the event was not found."""

    reaction_s: float | None
    release_s: float | None
    safe_distance_s: float | None
    total_s: float
    t0_s: float
    t0_source: str
    """"signal" (GO cue or recorded start) or "estimated" (from the movement)."""
    onset_max_s: float
    release_max_s: float
    hard_fail_s: float


@dataclass(frozen=True)
class ScoreCard:
    """Everything an assessor records for one attempt."""

    technique_id: str
    technique_name: str
    side: str
    criteria: tuple[Criterion, ...]
    timings: Timings
    alignment_cost: float
    notes: tuple[str, ...] = ()
    interaction: dict[str, Any] | None = None
    """with a partner in the picture: grab, release, what was held, separation (T)"""
    swap_repaired_frames: int = 0
    """Frames whose left and right landmarks were found swapped and relabelled first."""

    def _outcome(self, rows: list[Criterion]) -> bool | None:
        if any(r.not_met for r in rows):
            return False
        if rows and all(r.met for r in rows):
            return True
        return None

    @property
    def broke_free(self) -> bool | None:
        """Outcome criteria all Met (True), any Not met (False), else undecided (None)."""
        return self._outcome([c for c in self.criteria if c.role == "outcome"])

    @property
    def used_taught_technique(self) -> bool | None:
        """Coaching points: none Not met and at least one Met; None if nothing was assessable."""
        rows = [c for c in self.criteria if c.role == "coaching"]
        if any(r.not_met for r in rows):
            return False
        return True if any(r.met for r in rows) else None

    @property
    def was_safe(self) -> bool | None:
        return self._outcome([c for c in self.criteria if c.kind in SAFETY_KINDS])

    @property
    def hard_fail(self) -> bool:
        return any(c.kind == "hard_fail" and c.not_met for c in self.criteria)

    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if c.not_met]

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for c in self.criteria:
            out[c.status] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        if body["interaction"] is None:
            del body["interaction"]  # solo cards are written as before
        body["format_version"] = 1
        body["outcomes"] = {
            "it_worked_broke_free": self.broke_free,
            "it_was_safe": self.was_safe,
            "matched_coaching_points_used_taught_technique": self.used_taught_technique,
            "hard_fail": self.hard_fail,
        }
        body["counts"] = self.counts()
        return body

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n"
