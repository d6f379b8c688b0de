"""A technique as typed, frozen data: phases with cues and checks, timing limits, keyframes.

Built by ``loader.load_technique`` from ``techniques/<id>.toml`` (the format is described in
``techniques/README.md``). ``Technique.mirrored()`` gives the same technique on the other side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from coach.analysis.checks.base import VIRTUAL_POINTS
from coach.analysis.checks.registry import get_kind
from coach.pose.landmarks import mirror_name
from coach.technique.posture import mirror_posture

ROLES: Final[tuple[str, ...]] = ("coaching", "outcome")
"""coaching: one of the programme's coaching points ("used the taught technique");
outcome: decides whether the trainee broke free."""
DEADLINE_EVENTS: Final[tuple[str, ...]] = ("phase_start", "t0", "release")
THREATS: Final[tuple[str, ...]] = ("front", "behind")


def _swap_side_words(text: str) -> str:
    """ "left knee" <-> "right knee" in free text (labels), keeping capitals."""
    swap = {"left": "right", "right": "left", "Left": "Right", "Right": "Left"}
    return re.sub(r"\b(left|right|Left|Right)\b", lambda m: swap[m.group(1)], text)


def other_side(side: str) -> str:
    return {"left": "right", "right": "left"}[side]


@dataclass(frozen=True)
class Check:
    """One measurable coaching point or outcome of a phase.

    kind: a name from the check registry. params: (name, value) pairs, values in the unit
    the name ends with. deadline_s: if set, the check's window runs from ``deadline_from`` (the
    phase start, t0 or the release) to that event + deadline_s instead of over the phase.
    """

    kind: str
    label: str
    role: str
    params: tuple[tuple[str, float | str], ...]
    deadline_s: float | None = None
    deadline_from: str = "phase_start"

    def param_dict(self) -> dict[str, float | str]:
        return dict(self.params)

    def mirrored(self) -> Check:
        """Side names in parameters swapped (``arm = "left"``, ``joint = "left_wrist"``)."""
        kind = get_kind(self.kind)
        out: list[tuple[str, float | str]] = []
        for name, value in self.params:
            unit = kind.param(name).unit
            if unit in ("side", "side_or_either") and value in ("left", "right"):
                value = other_side(str(value))
            elif unit == "joint" and value not in VIRTUAL_POINTS:
                value = mirror_name(str(value))
            out.append((name, value))
        return replace(self, params=tuple(out), label=_swap_side_words(self.label))


@dataclass(frozen=True)
class Phase:
    """A step of the technique as taught: its cue, expected duration and checks."""

    name: str
    cue: str
    duration_s: float
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class TimingLimits:
    """t0 is the start of ``start_phase``; the release is the end of ``release_phase``."""

    start_phase: str
    release_phase: str
    onset_max_s: float
    release_max_s: float
    hard_fail_s: float
    hesitation_max_s: float


@dataclass(frozen=True)
class Keyframe:
    """Posture at one time of the reference; fields not listed keep their previous value."""

    t_s: float
    values: tuple[tuple[str, float], ...]

    def mirrored(self) -> Keyframe:
        return Keyframe(self.t_s, tuple(sorted(mirror_posture(dict(self.values)).items())))


@dataclass(frozen=True)
class Technique:
    """One technique of the library.

    side: the side held in the reference (the held wrist; for strangles the arm that leads).
    threat: where the other person is at the start, "front" or "behind".
    exit_side: the side of the trainee (at the start, facing the camera) where the exit is.
    """

    id: str
    name: str
    summary: str
    side: str
    threat: str
    exit_side: str
    phases: tuple[Phase, ...]
    timing: TimingLimits
    keyframes: tuple[Keyframe, ...]
    source: str = ""

    @property
    def duration_s(self) -> float:
        return float(sum(p.duration_s for p in self.phases))

    def phase_times(self) -> tuple[tuple[float, float], ...]:
        """(start, end) seconds of every phase in the reference, back to back from 0."""
        out = []
        start = 0.0
        for phase in self.phases:
            out.append((start, start + phase.duration_s))
            start += phase.duration_s
        return tuple(out)

    def phase_index(self, name: str) -> int:
        for i, phase in enumerate(self.phases):
            if phase.name == name:
                return i
        raise KeyError(f"{self.id}: no phase {name!r}")

    @property
    def t0_s(self) -> float:
        return self.phase_times()[self.phase_index(self.timing.start_phase)][0]

    @property
    def release_s(self) -> float:
        return self.phase_times()[self.phase_index(self.timing.release_phase)][1]

    def mirrored(self) -> Technique:
        """The same technique done on the other side; mirroring twice gives it back."""
        phases = tuple(
            replace(p, checks=tuple(c.mirrored() for c in p.checks)) for p in self.phases
        )
        return replace(
            self,
            side=other_side(self.side),
            exit_side=other_side(self.exit_side),
            phases=phases,
            keyframes=tuple(k.mirrored() for k in self.keyframes),
        )

    def on_side(self, side: str | None) -> Technique:
        """This technique on ``side`` ("left"/"right"; None keeps the reference side)."""
        return self if side in (None, self.side) else self.mirrored()
