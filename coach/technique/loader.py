"""``techniques/<id>.toml`` -> ``Technique``, with errors naming the file, field and expectation.

Every problem is raised as ``CoachError(path, "field.path: expected ..., got ...")`` so the
CLI prints one line such as
``techniques/x.toml: phases[2].checks[0].min_deg: expected a number in degrees, got "abc"``.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from pathlib import Path
from typing import Any

from coach.analysis.checks.base import DIRECTIONS, NUMBER_UNITS, VIRTUAL_POINTS, ParamSpec
from coach.analysis.checks.registry import CHECK_KINDS
from coach.analysis.features import ANGLE_JOINTS
from coach.errors import CoachError
from coach.pose.landmarks import LANDMARK_NAMES
from coach.technique.model import (
    DEADLINE_EVENTS,
    ROLES,
    THREATS,
    Check,
    Keyframe,
    Phase,
    Technique,
    TimingLimits,
)
from coach.technique.posture import POSTURE_PARAMETERS
from coach.validation import check_nesting, read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_TOP_KEYS = (
    "id",
    "name",
    "summary",
    "side",
    "threat",
    "exit_side",
    "timing",
    "phases",
    "keyframes",
)
_TIMING_KEYS = (
    "start_phase",
    "release_phase",
    "onset_max_s",
    "release_max_s",
    "hard_fail_s",
    "hesitation_max_s",
)
_CHECK_KEYS = ("kind", "label", "role", "deadline_s", "deadline_from")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
UNIT_LIMITS: dict[str, float] = {
    "deg": 360.0,
    "s": 60.0,
    "torso_lengths": 50.0,
    "shoulder_widths": 50.0,
    "torso_lengths_per_s": 100.0,
    "percent": 100.0,
    "ratio": 100.0,
}
"""The largest magnitude a number in each unit may have: far past any real movement, small
enough that a typing slip (``duration_s = 1e6``) cannot make the reference eat the memory."""
MAX_TOTAL_S = 60.0
"""A technique's phases together: real ones last 2-8 s."""
MAX_FILE_BYTES = 1024 * 1024


class _Reader:
    """Typed field access on one parsed file, raising CoachError with the field path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, field: str, expected: str, got: object = None, show: bool = True) -> CoachError:
        shown = f", got {_show(got)}" if show else ""
        return CoachError(self.path, f"{field}: expected {expected}{shown}")

    def table(self, data: Any, field: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(field, "a table", data)
        return data

    def text(
        self, table: dict[str, Any], key: str, field: str, choices: tuple[str, ...] = ()
    ) -> str:
        if key not in table:
            expected = f"one of {', '.join(choices)}" if choices else "a text"
            raise CoachError(self.path, f"{field}: missing (expected {expected})")
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "a non-empty text", value)
        if choices and value not in choices:
            raise self.fail(field, f"one of {', '.join(choices)}", value)
        return value

    def number(
        self,
        table: dict[str, Any],
        key: str,
        field: str,
        unit: str,
        default: float | None = None,
        positive: bool = True,
        signed: bool = False,
    ) -> float:
        """A finite number in ``unit`` within UNIT_LIMITS: greater than 0 (``positive``), 0 or
        more, or of either sign (``signed``)."""
        if key not in table:
            if default is not None:
                return default
            raise CoachError(
                self.path, f"{field}: missing (expected a number in {NUMBER_UNITS[unit]})"
            )
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(field, f"a number in {NUMBER_UNITS[unit]}", value)
        limit = UNIT_LIMITS[unit]
        low = -limit if signed else 0.0
        units = NUMBER_UNITS[unit]
        if not math.isfinite(value):
            raise self.fail(field, f"a finite number in {units}", value)
        if (positive and value <= 0) or (not positive and value < low):
            sign = "greater than 0" if positive else f"{low:g} or more"
            raise self.fail(field, f"a number in {units} {sign}", value)
        if value > limit:
            raise self.fail(field, f"a number in {units} up to {limit:g}", value)
        return float(value)

    def unknown(self, table: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                also = f" (did you mean {hint[0]!r}?)" if hint else ""
                prefix = f"{where}." if where else ""
                raise CoachError(
                    self.path,
                    f"{prefix}{key}: unknown field{also}; expected one of {', '.join(allowed)}",
                )


def _show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def load_technique(path: Path | str) -> Technique:
    """Read and validate one technique file; raises CoachError naming file and field."""
    path = Path(path)
    text = read_text(path, MAX_FILE_BYTES, "technique file")
    check_nesting(path, text)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CoachError(path, f"not valid TOML: {error}") from None
    except RecursionError:
        raise CoachError(path, "nested too deeply") from None
    return parse_technique(raw, path)


def parse_technique(raw: dict[str, Any], path: Path) -> Technique:
    r = _Reader(path)
    r.unknown(raw, _TOP_KEYS, "")
    tid = r.text(raw, "id", "id")
    if not _ID.match(tid):
        raise r.fail("id", "lower-case letters, digits and _ (starting with a letter)", tid)
    if tid != path.stem:
        raise r.fail("id", f'the file name "{path.stem}"', tid)
    phases_raw = raw.get("phases")
    if not isinstance(phases_raw, list) or not phases_raw:
        raise r.fail(
            "phases", "a non-empty list of [[phases]] tables", phases_raw, phases_raw is not None
        )
    phases = tuple(_phase(r, p, f"phases[{i}]") for i, p in enumerate(phases_raw))
    names = [p.name for p in phases]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise r.fail(f"phases[{i}].name", "a name not used by an earlier phase", name)
    timing = _timing(r, r.table(raw.get("timing"), "timing"), tuple(names))
    total = sum(p.duration_s for p in phases)
    if total > MAX_TOTAL_S:
        raise r.fail("phases", f"durations adding up to at most {MAX_TOTAL_S:g} s", f"{total:g} s")
    keyframes = _keyframes(r, raw.get("keyframes"), total)
    return Technique(
        id=tid,
        name=r.text(raw, "name", "name"),
        summary=r.text(raw, "summary", "summary"),
        side=r.text(raw, "side", "side", ("left", "right")),
        threat=r.text(raw, "threat", "threat", THREATS),
        exit_side=r.text(raw, "exit_side", "exit_side", ("left", "right")),
        phases=phases,
        timing=timing,
        keyframes=keyframes,
        source=str(path),
    )


def _phase(r: _Reader, data: Any, field: str) -> Phase:
    table = r.table(data, field)
    r.unknown(table, ("name", "cue", "duration_s", "checks"), field)
    name = r.text(table, "name", f"{field}.name")
    if not _ID.match(name):
        raise r.fail(f"{field}.name", "lower-case letters, digits and _", name)
    checks_raw = table.get("checks", [])
    if not isinstance(checks_raw, list):
        raise r.fail(f"{field}.checks", "a list of [[phases.checks]] tables", checks_raw)
    return Phase(
        name=name,
        cue=r.text(table, "cue", f"{field}.cue"),
        duration_s=r.number(table, "duration_s", f"{field}.duration_s", "s"),
        checks=tuple(_check(r, c, f"{field}.checks[{i}]") for i, c in enumerate(checks_raw)),
    )


def _check(r: _Reader, data: Any, field: str) -> Check:
    table = r.table(data, field)
    kind_name = r.text(table, "kind", f"{field}.kind")
    if kind_name not in CHECK_KINDS:
        raise CoachError(
            r.path,
            f'{field}.kind: unknown check kind "{kind_name}"; valid kinds: '
            + ", ".join(sorted(CHECK_KINDS)),
        )
    kind = CHECK_KINDS[kind_name]
    r.unknown(table, _CHECK_KEYS + tuple(s.name for s in kind.params), field)
    params = tuple((s.name, _param(r, table, s, f"{field}.{s.name}")) for s in kind.params)
    _check_ranges(r, dict(params), field)
    deadline = None
    if "deadline_s" in table:
        deadline = r.number(table, "deadline_s", f"{field}.deadline_s", "s")
    label = table.get("label", kind.description)
    if not isinstance(label, str) or not label.strip():
        raise r.fail(f"{field}.label", "a non-empty text", label)
    return Check(
        kind=kind_name,
        label=label,
        role=r.text(table, "role", f"{field}.role", ROLES),
        params=params,
        deadline_s=deadline,
        deadline_from=r.text(table, "deadline_from", f"{field}.deadline_from", DEADLINE_EVENTS)
        if "deadline_from" in table
        else "phase_start",
    )


def _check_ranges(r: _Reader, params: dict[str, float | str], field: str) -> None:
    """``min_<x>`` may not be above ``max_<x>`` (a range nothing can meet)."""
    for name, low in params.items():
        high = params.get("max_" + name[4:]) if name.startswith("min_") else None
        if isinstance(low, float) and isinstance(high, float) and low > high:
            raise r.fail(f"{field}.{name}", f"at most max_{name[4:]} ({high:g})", low)


def _param(r: _Reader, table: dict[str, Any], spec: ParamSpec, field: str) -> float | str:
    if spec.numeric:
        default = float(spec.default) if isinstance(spec.default, (int, float)) else None
        return r.number(
            table, spec.name, field, spec.unit, default=default, positive=False, signed=True
        )
    if spec.name not in table and isinstance(spec.default, str):
        return spec.default
    choices: tuple[str, ...] = {
        "side": ("left", "right"),
        "side_or_either": ("left", "right", "either"),
        "direction": DIRECTIONS,
    }.get(spec.unit, ())
    if spec.unit == "joint":
        value = r.text(table, spec.name, field)
        valid = ANGLE_JOINTS if spec.name == "joint" and _needs_angle(table) else None
        names = valid or (*LANDMARK_NAMES, *VIRTUAL_POINTS)
        if value not in names:
            what = "a joint with an angle" if valid else "a landmark name"
            hint = difflib.get_close_matches(value, names, n=1)
            raise r.fail(field, f"{what}{' such as ' + repr(hint[0]) if hint else ''}", value)
        return value
    return r.text(table, spec.name, field, choices)


def _needs_angle(table: dict[str, Any]) -> bool:
    return table.get("kind") in ("joint_angle", "joint_flexion")


def _timing(r: _Reader, table: dict[str, Any], phases: tuple[str, ...]) -> TimingLimits:
    r.unknown(table, _TIMING_KEYS, "timing")
    start = r.text(table, "start_phase", "timing.start_phase", phases)
    release = r.text(table, "release_phase", "timing.release_phase", phases)
    if phases.index(release) < phases.index(start):
        raise r.fail("timing.release_phase", f'a phase at or after start_phase "{start}"', release)
    limits = TimingLimits(
        start_phase=start,
        release_phase=release,
        onset_max_s=r.number(table, "onset_max_s", "timing.onset_max_s", "s", 0.5),
        release_max_s=r.number(table, "release_max_s", "timing.release_max_s", "s"),
        hard_fail_s=r.number(table, "hard_fail_s", "timing.hard_fail_s", "s", 10.0),
        hesitation_max_s=r.number(table, "hesitation_max_s", "timing.hesitation_max_s", "s", 0.5),
    )
    if limits.hard_fail_s < limits.release_max_s:
        raise r.fail(
            "timing.hard_fail_s",
            f"at least release_max_s ({limits.release_max_s:g})",
            limits.hard_fail_s,
        )
    return limits


def _keyframes(r: _Reader, data: Any, total_s: float) -> tuple[Keyframe, ...]:
    if not isinstance(data, list) or len(data) < 2:
        raise r.fail(
            "keyframes", "a list of at least two [[keyframes]] tables", data, data is not None
        )
    out: list[Keyframe] = []
    for i, item in enumerate(data):
        field = f"keyframes[{i}]"
        table = r.table(item, field)
        t = r.number(table, "t_s", f"{field}.t_s", "s", positive=False)
        if out and t <= out[-1].t_s:
            raise r.fail(
                f"{field}.t_s", f"a time after the previous keyframe ({out[-1].t_s:g} s)", t
            )
        if t > total_s + 1e-9:
            raise r.fail(f"{field}.t_s", f"a time within the phases' total {total_s:g} s", t)
        values: dict[str, float] = {}
        for key in table:
            if key == "t_s":
                continue
            if key not in POSTURE_PARAMETERS:
                hint = difflib.get_close_matches(key, POSTURE_PARAMETERS, n=1)
                also = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise CoachError(
                    r.path,
                    f"{field}.{key}: unknown posture field{also}; the list is in "
                    "techniques/README.md",
                )
            unit = "deg" if key.endswith("_deg") else "torso_lengths"
            values[key] = r.number(table, key, f"{field}.{key}", unit, positive=False, signed=True)
        out.append(Keyframe(t, tuple(sorted(values.items()))))
    if out[0].t_s != 0.0:
        raise r.fail("keyframes[0].t_s", "0 (the reference starts with a keyframe)", out[0].t_s)
    return tuple(out)
