"""The vocabulary of checks: parameter specs, results, events, scene, and a check kind.

A check kind is a named measurement with declared parameters (each with a unit) and an
``evaluate`` function. It is given the features of an attempt, an explicit frame window (the
phase it belongs to, found from keyframe times for a reference or by alignment for a real
attempt), the event times and the scene, and returns a ``CheckResult``. numpy only.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    from coach.analysis.features import Features

NUMBER_UNITS: Final[dict[str, str]] = {
    "deg": "degrees",
    "s": "seconds",
    "torso_lengths": "torso lengths (T, mid-shoulder to mid-hip)",
    "shoulder_widths": "shoulder widths (SW)",
    "torso_lengths_per_s": "torso lengths per second",
    "percent": "percent",
    "ratio": "a plain ratio",
}
"""Units a numeric parameter can have; a parameter's name ends with its unit (``min_deg``)."""

TEXT_UNITS: Final[tuple[str, ...]] = ("side", "side_or_either", "joint", "direction")
DIRECTIONS: Final[tuple[str, ...]] = ("back", "side", "any")
VIRTUAL_POINTS: Final[tuple[str, ...]] = ("mid_hip", "mid_shoulder", "chin")
"""Points that are not MediaPipe landmarks but may be named in a check: midpoints, and the
chin approximated by the midpoint of the mouth corners."""


class Status(enum.Enum):
    MET = "Met"
    NOT_MET = "Not met"
    NOT_ASSESSABLE = "Not assessable"


@dataclass(frozen=True)
class ParamSpec:
    """One named parameter of a check kind; ``unit`` is a key of NUMBER_UNITS or TEXT_UNITS."""

    name: str
    unit: str
    default: float | str | None = None
    meaning: str = ""

    @property
    def numeric(self) -> bool:
        return self.unit in NUMBER_UNITS


@dataclass(frozen=True)
class Events:
    """Event times of one attempt, seconds on the sequence's clock.

    t0_s: the start signal (GO cue or contact). release_s: when the release was complete, or
    None if it never was (then checks measured from it are not assessable).
    reference_moving: (T,) bool per attempt frame, True where the reference is moving at the
    matched point (from alignment); a pause counts as hesitation only there, so a hold the
    reference itself makes is not one. None: every frame counts.
    """

    t0_s: float
    release_s: float | None = None
    reference_moving: np.ndarray | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Scene:
    """What the camera setting tells the checks.

    threat_yaw_deg: the facing yaw (see ``features.facing_yaw_deg``) of someone squarely facing
    the threat. exit_image_dir: unit (dx, dy) in the image toward the exit, or None if the
    scene has no exit marked (then the direction check is not assessable).
    """

    threat_yaw_deg: float = 0.0
    exit_image_dir: tuple[float, float] | None = None


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one check with its evidence."""

    kind: str
    label: str
    role: str
    status: Status
    value: float
    target: str
    unit: str
    t_start: float
    t_end: float
    note: str = ""

    def line(self) -> str:
        value = "n/a" if math.isnan(self.value) else f"{self.value:.3g}"
        return (
            f"{self.status.value:<15} {self.label}: {value} {self.unit} (target {self.target}) "
            f"[{self.t_start:.2f}-{self.t_end:.2f} s]{' ' + self.note if self.note else ''}"
        )


@dataclass(frozen=True)
class Measurement:
    """What a kind's evaluate function returns; the caller adds label, role and times."""

    status: Status
    value: float
    target: str
    unit: str
    note: str = ""


def not_assessable(unit: str, target: str, why: str) -> Measurement:
    return Measurement(Status.NOT_ASSESSABLE, math.nan, target, unit, why)


TIE_TOLERANCE: Final = 1e-9
"""Relative to the limit (at least 1e-9 of the unit): a value this close to its limit is on it,
and a value on its limit meets it. A measure that equals its limit by construction (a pause of
exactly 15 frames against 0.5 s at 30 fps, a turn of exactly 60 deg) then gets the same verdict
on every machine, whatever its last bits: comparing it bare would make the verdict depend on
the rounding of the CPU's arithmetic."""


def at_least(value: float, limit: float) -> bool:
    """``value >= limit`` with the tie rule (NaN is never at least anything)."""
    return bool(value >= limit - TIE_TOLERANCE * max(1.0, abs(limit)))


def at_most(value: float, limit: float) -> bool:
    """``value <= limit`` with the tie rule (NaN is never at most anything)."""
    return bool(value <= limit + TIE_TOLERANCE * max(1.0, abs(limit)))


def verdict(ok: bool, value: float, target: str, unit: str, note: str = "") -> Measurement:
    return Measurement(Status.MET if ok else Status.NOT_MET, float(value), target, unit, note)


Params = Mapping[str, "float | str"]
EvaluateFn = Callable[["Features", slice, Events, Scene, Params], Measurement]


MEASURES: Final[dict[str, str]] = {
    "picture": "image-plane landmarks, scaled by the torso length in pixels",
    "world": "the pose model's 3D (world) landmarks, depth included",
    "travel": "the mid-hip's path across the picture",
    "time": "times of movement, from speeds",
    "floor": "the feet's image points placed on the floor plane of the room set-up",
}
"""What a check kind measures on; said by ``coach techniques show`` beside each check."""


@dataclass(frozen=True)
class ViewNeed:
    """A check's need of the camera: the trainee seen at least ``min_side_on_deg`` from
    square-on (``checks.views``). what: the measure in words, for the reason on the card; it
    may name the check's parameters (``"The {joint}'s bend"``). joints: when not empty, the
    need holds only for checks whose ``joint`` is one of them (a knee, not an elbow)."""

    min_side_on_deg: float
    what: str
    joints: frozenset[str] = frozenset()

    def applies(self, params: Mapping[str, object]) -> bool:
        """Whether a check with these parameters has this need."""
        return not self.joints or params.get("joint") in self.joints


@dataclass(frozen=True)
class CheckKind:
    """A named measurement: what it checks, its parameters, how to evaluate it, what it
    measures on (a key of MEASURES) and what it needs of the camera (None: any view).
    floor: it measures on the floor plane instead when the room is calibrated (the feet from
    their image points); its view need then does not apply."""

    name: str
    description: str
    params: tuple[ParamSpec, ...]
    evaluate: EvaluateFn
    measure: str = "world"
    view: ViewNeed | None = None
    floor: bool = False

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(name)
