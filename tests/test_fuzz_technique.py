"""Hostile technique files (issue 15, defects 3 and 8, and the TOML side of 15).

Every number of a technique file is finite and within its unit's range, ``min_<x>`` is not
above ``max_<x>``, and the phases last at most a minute: anything else is refused with the file,
the field and the expectation named, before a reference is rendered.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError
from coach.technique.loader import MAX_TOTAL_S, UNIT_LIMITS, load_technique
from tests.cli_run import assert_refused, coach

GOOD = (Path(__file__).parent.parent / "techniques" / "same_side_wrist_grab.toml").read_text()
NAME = "same_side_wrist_grab.toml"
NUMBER = re.compile(r"^(\s*[a-z_]+ = )(-?[0-9.]+)(.*)$", re.MULTILINE)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / NAME
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("duration_s = 1.0", "duration_s = 1e6", "phases[0].duration_s: expected a number in "
         "seconds up to 60, got 1000000.0"),  # defect 3: was accepted, then ate 250 MB/s
        ("duration_s = 1.0", "duration_s = nan", "phases[0].duration_s: expected a finite"),
        ("duration_s = 1.0", "duration_s = inf", "phases[0].duration_s: expected a finite"),
        ("min_deg = 40", "min_deg = 4000", "phases[2].checks[0].min_deg: expected a number in "
         "degrees up to 360, got 4000"),
        ("min_deg = 40", "min_deg = -inf", "phases[2].checks[0].min_deg: expected a finite"),
        ("min_deg = 150", "min_deg = 180", "phases[0].checks[1].min_deg: expected at most "
         "max_deg (172), got 180.0"),
        ("min_elbow_deg = 85", "min_elbow_deg = 170", "min_elbow_deg: expected at most "
         "max_elbow_deg (165)"),
        ("t_s = 1.3", "t_s = nan", "keyframes[2].t_s: expected a finite number in seconds"),
        ("right_elbow_deg = 125", "right_elbow_deg = nan", "keyframes[2].right_elbow_deg: "
         "expected a finite number in degrees"),
        ("right_elbow_deg = 125", "right_elbow_deg = 1e300", "right_elbow_deg: expected a "
         "number in degrees up to 360"),
    ],
)
def test_out_of_range_numbers_are_refused_by_check(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    """``coach techniques check`` refuses at once, with one line (it used to call these files
    valid, crash, or run until killed)."""
    assert old in GOOD
    path = _file(tmp_path, GOOD.replace(old, new, 1))
    line = assert_refused(coach("techniques", "check", path), f"{NAME}: ", field)
    assert line.startswith(f"coach: error: {path}: ")


def test_phases_adding_up_past_a_minute_are_refused(tmp_path: Path) -> None:
    text = GOOD.replace("duration_s = 1.0", "duration_s = 30.0")
    with pytest.raises(CoachError, match=f"phases: expected durations adding up to at most "
                       f"{MAX_TOTAL_S:g} s"):
        load_technique(_file(tmp_path, text))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("a = " + "[" * 5000 + "]" * 5000, "nested more than 64 levels deep"),  # RecursionError
        ("\xff\xfe", "not UTF-8 text"),
        ("x" * (2 * 1024 * 1024), "a technique file is at most"),
    ],
)
def test_deep_binary_or_huge_toml_is_refused(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / NAME
    path.write_bytes(content.encode("latin-1"))
    assert_refused(coach("techniques", "check", path), problem)




@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.data(),
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-10**30, max_value=10**30),
        st.sampled_from(["nan", "inf", "-inf", "1e308", "-0.0", "0"]),
    ),
)
def test_any_number_anywhere_is_checked_or_refused(tmp_path: Path, data: st.DataObject,
                                                   value: float | int | str) -> None:
    """Fuzz: one number of the good file replaced by anything TOML can hold. The file either
    loads with every number finite and within its unit's limit, or is refused naming the file
    and the field (never another exception)."""
    matches = list(NUMBER.finditer(GOOD))
    m = data.draw(st.sampled_from(matches))
    shown = value if isinstance(value, str) else repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        shown = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    text = GOOD[: m.start(2)] + str(shown) + GOOD[m.end(2):]
    path = _file(tmp_path, text)
    try:
        tech = load_technique(path)
    except CoachError as error:
        assert str(error).startswith(f"{path}: ")
        assert re.match(r"^(phases|keyframes|timing)[\[\].a-z_0-9]*: ", error.problem), error
        return
    numbers = [p.duration_s for p in tech.phases]
    numbers += [v for p in tech.phases for c in p.checks for _, v in c.params
                if isinstance(v, float)]
    numbers += [v for k in tech.keyframes for _, v in k.values] + [k.t_s for k in tech.keyframes]
    assert all(math.isfinite(x) and abs(x) <= max(UNIT_LIMITS.values()) for x in numbers)
    assert tech.duration_s <= MAX_TOTAL_S
