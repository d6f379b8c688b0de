"""Named trainee faults: each rewrites a technique's timeline in one documented way.

Every fault changes only what its description says (tests measure it). A fault that needs
a phase the technique does not have (a guard, an escape, a raised arm) refuses with an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np

from coach.synth.timeline import Timeline
from coach.technique.model import Technique

_ARM = ("arm_elev_deg", "arm_plane_deg", "arm_rot_deg", "elbow_deg")
_HANG = {"arm_elev_deg": 8.0, "arm_plane_deg": 10.0, "arm_rot_deg": 0.0, "elbow_deg": 170.0}
_SIDES = ("left", "right")


@dataclass(frozen=True)
class Fault:
    name: str
    changes: str
    apply: Callable[[Technique, Timeline], Timeline]


def _phase_with(tech: Technique, kind: str, **params: str) -> int:
    for i, phase in enumerate(tech.phases):
        for check in phase.checks:
            if check.kind == kind and all(
                check.param_dict().get(k) == v for k, v in params.items()
            ):
                return i
    raise ValueError(f"this fault needs a {kind} check, which {tech.id} does not have")


def _narrow_stance(tech: Technique, tl: Timeline) -> Timeline:
    def edit(t: float, p: dict[str, float]) -> dict[str, float]:
        for s in _SIDES:
            p[f"{s}_hip_abd_deg"] -= 8.0
        return p

    return tl.edit(edit)


def _stiff_knees(tech: Technique, tl: Timeline) -> Timeline:
    def edit(t: float, p: dict[str, float]) -> dict[str, float]:
        for s in _SIDES:
            bend = 178.0 - p[f"{s}_knee_deg"]
            p[f"{s}_knee_deg"] = 178.0
            p[f"{s}_hip_flex_deg"] -= 0.5 * max(bend, 0.0)  # keep the feet under the hips
        return p

    return tl.edit(edit)


def _hands_down(tech: Technique, tl: Timeline) -> Timeline:
    start = tl.spans[_phase_with(tech, "guard")][0]
    base = tl.with_key_at(tl.release_s) if start >= tl.release_s else tl
    keys_before = [t for t in base.times if t <= start + 1e-9]
    from_t = max(max(keys_before, default=0.0), tl.release_s if start >= tl.release_s else 0.0)

    def edit(t: float, p: dict[str, float]) -> dict[str, float]:
        if t >= from_t - 1e-9:
            for s in _SIDES:
                p.update({f"{s}_{k}": v for k, v in _HANG.items()})
        return p

    return base.edit(edit)


def _freeze(tl: Timeline, names: tuple[str, ...], start: float, stop: float) -> Timeline:
    base = tl.with_key_at(start)
    ref = base.postures[base.key_index(start)]

    def edit(t: float, p: dict[str, float]) -> dict[str, float]:
        if start < t < stop - 1e-9:
            p.update({n: ref[n] for n in names})
        return p

    return base.edit(edit)


def _no_step_back(tech: Technique, tl: Timeline) -> Timeline:
    _phase_with(tech, "step")
    stop = tl.spans[_phase_with(tech, "escape_distance")][0]
    legs = tuple(f"{s}_{n}" for s in _SIDES for n in ("hip_flex_deg", "hip_abd_deg"))
    return _freeze(tl, legs, tl.t0_s, stop)


def _no_body_turn(tech: Technique, tl: Timeline) -> Timeline:
    _phase_with(tech, "rotation")
    stop = tl.spans[_phase_with(tech, "escape_distance")][0]
    return _freeze(tl, ("yaw_deg", "trunk_twist_deg", "trunk_side_deg"), tl.t0_s, stop)


def _escape_edit(tech: Technique, tl: Timeline, how: str) -> Timeline:
    _phase_with(tech, "escape_distance")
    base = tl.with_key_at(tl.release_s)
    at = base.postures[base.key_index(tl.release_s)]
    x0, z0 = at["x_torso_lengths"], at["z_torso_lengths"]
    toward = 1.0 if tech.threat == "front" else -1.0

    def edit(t: float, p: dict[str, float]) -> dict[str, float]:
        if t > tl.release_s + 1e-9:
            dx, dz = p["x_torso_lengths"] - x0, p["z_torso_lengths"] - z0
            if how == "threat":
                ahead = toward * min(float(np.hypot(dx, dz)), 1.5)
                p["x_torso_lengths"], p["z_torso_lengths"] = x0, z0 + ahead
            else:
                p["x_torso_lengths"] = x0 - dx
        return p

    return base.edit(edit)


def _turn_back_early(tech: Technique, tl: Timeline) -> Timeline:
    start = tl.spans[_phase_with(tech, "keep_facing")][0]
    exit_yaw = 100.0 if tech.exit_side == "left" else -100.0
    base = tl.with_key_at(start)

    def edit(t: float, p: dict[str, float]) -> dict[str, float]:
        if t > start + 1e-9:
            p["yaw_deg"] = exit_yaw
        return p

    return base.edit(edit)


def _arm_not_raised(tech: Technique, tl: Timeline) -> Timeline:
    i = _phase_with(tech, "joint_above", reference="nose")
    joint = next(c for c in tech.phases[i].checks if c.kind == "joint_above").param_dict()["joint"]
    side = str(joint).split("_")[0]

    def edit(t: float, p: dict[str, float]) -> dict[str, float]:
        if t >= tl.t0_s - 1e-9:
            p[f"{side}_arm_elev_deg"] = min(p[f"{side}_arm_elev_deg"], 60.0)
        return p

    return tl.edit(edit)


def _hesitation(tech: Technique, tl: Timeline) -> Timeline:
    """Stop for 1 s halfway through the longest moving keyframe segment of the release."""
    segments = [
        (b - a, 0.5 * (a + b))
        for (a, pa), (b, pb) in zip(
            zip(tl.times, tl.postures, strict=True),
            zip(tl.times[1:], tl.postures[1:], strict=True),
            strict=False,
        )
        if a >= tl.t0_s - 1e-9 and b <= tl.release_s + 1e-9 and pa != pb
    ]
    if not segments:
        raise ValueError(f"{tech.id} has no movement between t0 and the release")
    return tl.insert_hold(max(segments)[1], 1.0)


FAULTS: Final[Mapping[str, Fault]] = MappingProxyType(
    {
        f.name: f
        for f in (
            Fault(
                "narrow_stance",
                "hip abduction -8 deg in every keyframe: ankles closer sideways "
                "(stance width falls); stagger, knees, arms, steps and travel unchanged",
                _narrow_stance,
            ),
            Fault(
                "stiff_knees",
                "knees straight (178 deg) in every keyframe, hip flexion eased to keep "
                "the feet under the hips: knee angles rise and the hips no longer drop",
                _stiff_knees,
            ),
            Fault(
                "hands_down",
                "both arms hang by the sides from the release (or the last keyframe before the "
                "first phase with a guard check, if later): the guard fails; the release itself "
                "is unchanged",
                _hands_down,
            ),
            Fault(
                "no_step_back",
                "hip flexion and abduction frozen at their t0 values until the escape "
                "phase: no step (step checks fail); knees, arms, turns and travel unchanged",
                _no_step_back,
            ),
            Fault(
                "escape_toward_threat",
                "after the release the mid-hip moves up to 1.5 T toward the threat instead "
                "of to the exit: escape direction and distance fail",
                lambda t, tl: _escape_edit(t, tl, "threat"),
            ),
            Fault(
                "away_from_exit",
                "after the release the sideways travel is reversed, away from the "
                "exit: escape direction fails, distance unchanged",
                lambda t, tl: _escape_edit(t, tl, "away"),
            ),
            Fault(
                "turn_back_early",
                "from the start of the escape phase the body turns 100 deg toward "
                "the exit, showing the threat its side/back: keep-facing fails",
                _turn_back_early,
            ),
            Fault(
                "slow_release",
                "the time from t0 to the release plays 3x slower: release time x3, "
                "speeds /3; postures unchanged",
                lambda t, tl: tl.stretch(tl.t0_s, tl.release_s, 3.0),
            ),
            Fault(
                "late_onset",
                "stands still 0.8 s after t0 before starting: onset +0.8 s (release "
                "+0.8 s); the movement itself unchanged",
                lambda t, tl: tl.insert_hold(tl.t0_s, 0.8),
            ),
            Fault(
                "arm_not_raised",
                "strangle: the raised arm stops at 60 deg elevation from t0 on: "
                "the wrist stays below the nose; the elbow stays straight",
                _arm_not_raised,
            ),
            Fault(
                "no_body_turn",
                "strangle: yaw, trunk twist and side bend frozen at t0 until the "
                "escape phase: the turn check fails (rear strangle: also never faces them)",
                _no_body_turn,
            ),
            Fault(
                "hesitation",
                "a 1.0 s standstill in the middle of the longest movement between t0 and "
                "the release (never inside a hold the technique itself makes): longest "
                "pause 1 s, release +1 s; postures unchanged",
                _hesitation,
            ),
        )
    }
)
"""Every fault by name, with what it changes."""


def get_fault(name: str) -> Fault:
    try:
        return FAULTS[name]
    except KeyError:
        raise KeyError(f"unknown fault {name!r}; valid faults: {', '.join(FAULTS)}") from None
