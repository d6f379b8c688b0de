"""Cues: short imperatives from failed checks, prioritised, not flooding the trainee.

Safety first (keep facing them, move toward the exit), then what decides the outcome, then
coaching points. A cue stays up at least ``min_show_s``; a new one waits ``min_gap_s`` after
the last unless it is more urgent; a cue's text is said once per attempt (one selector per
attempt): said again it is nagging, and the score card lists what is still to work on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from coach.analysis.checks.base import CheckResult, Status
from coach.scoring.live_types import Cue

SAFETY_KINDS: Final[frozenset[str]] = frozenset({"keep_facing", "escape_direction"})

_CUE_TEXT: Final[dict[str, str]] = {
    "stance_stagger": "Put one foot forward",
    "stance_angle": "Turn your body a little side-on",
    "balance": "Keep your weight centred",
    "guard": "Hands up in front of you",
    "chin_tuck": "Tuck your chin",
    "hip_drop": "Sink your weight",
    "joint_flexion": "Bend your elbow sharply",
    "approach": "Pull to your shoulder",
    "peak_speed": "Pull sharply",
    "path_ratio": "Circle your hand over the grip",
    "movement_duration": "Make the pull quicker",
    "joint_distance": "Bring your hands together on the grip",
    "joint_above": "Raise your arm beside your ear",
    "rotation": "Turn sharply away",
    "step": "Step back toward the exit",
    "escape_distance": "Get further away",
    "escape_direction": "Move toward the exit",
    "keep_facing": "Keep facing them",
    "onset": "Move as soon as you see GO",
    "release_time": "Release faster",
    "hesitation": "Keep moving, don't stop",
    "hard_fail": "Get out within 10 seconds",
    "technique_match": "Follow the steps of the technique",
}


def cue_text(result: CheckResult) -> str:
    """The imperative for a failed check: by its kind, refined by the measured value."""
    kind = result.kind
    if kind == "stance_width":
        low = result.target.split("-")[0]
        return "Widen your stance" if _below(result.value, low) else "Bring your feet closer"
    if kind == "joint_angle":
        label = result.label.lower()
        if "knee" in label:
            return (
                "Soften your knees"
                if not _below(result.value, result.target.split("-")[0])
                else "Stand a little taller"
            )
        return "Straighten your arm"
    return _CUE_TEXT.get(kind, result.label)


def _below(value: float, bound: str) -> bool:
    try:
        return value < float(bound.strip().lstrip("<>= "))
    except ValueError:
        return False


def priority(result: CheckResult) -> int:
    """0 safety, 1 outcome, 2 coaching point."""
    if result.kind in SAFETY_KINDS:
        return 0
    return 1 if result.role == "outcome" else 2


@dataclass
class CueSelector:
    """Chooses which cue to show, with hysteresis and a rate limit; logs every cue raised.

    One selector serves one attempt: each text is raised at most once, and ``log`` holds each
    text at most once.
    """

    min_show_s: float = 2.0
    min_gap_s: float = 1.5
    current: Cue | None = None
    log: list[Cue] = field(default_factory=list)
    _said: set[str] = field(default_factory=set)

    def offer(self, t: float, failed: list[CheckResult]) -> tuple[Cue | None, bool]:
        """Consider the checks failed so far; return (cue to show, whether it is new)."""
        candidates = sorted(
            (r for r in failed if r.status is Status.NOT_MET), key=lambda r: (priority(r), r.t_end)
        )
        for result in candidates:
            text = cue_text(result)
            if self._may_raise(t, text, priority(result)):
                cue = Cue(text, result.kind, result.label, priority(result), t)
                self.current = cue
                self._said.add(text)
                self.log.append(cue)
                return cue, True
        if self.current is not None and t - self.current.t > self.min_show_s + self.min_gap_s:
            self.current = None
        return self.current, False

    def log_remaining(self, t: float, failed: list[CheckResult]) -> list[Cue]:
        """Log a cue for every failed check not cued yet (the score card's "work on" list).

        A check counts as cued when its kind or its text was: the log names each text once.
        """
        kinds = {c.check_kind for c in self.log}
        added: list[Cue] = []
        for r in sorted(failed, key=priority):
            text = cue_text(r)
            if r.status is Status.NOT_MET and r.kind not in kinds and text not in self._said:
                kinds.add(r.kind)
                self._said.add(text)
                added.append(Cue(text, r.kind, r.label, priority(r), t))
        self.log.extend(added)
        return added

    def _may_raise(self, t: float, text: str, urgency: int) -> bool:
        if text in self._said:
            return False
        if self.current is None:
            return True
        age = t - self.current.t
        if urgency < self.current.priority:
            return age >= self.min_gap_s / 2
        return age >= max(self.min_show_s, self.min_gap_s)
