"""Technique files: every bad-file case gives an error naming file, field and expectation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.technique.loader import load_technique

GOOD = (Path(__file__).parent.parent / "techniques" / "same_side_wrist_grab.toml").read_text()


def _write(tmp_path: Path, text: str, name: str = "same_side_wrist_grab") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


def _error(tmp_path: Path, text: str, name: str = "same_side_wrist_grab") -> str:
    with pytest.raises(CoachError) as info:
        load_technique(_write(tmp_path, text, name))
    return str(info.value)


def test_good_file_loads_into_frozen_dataclasses(tmp_path: Path) -> None:
    tech = load_technique(_write(tmp_path, GOOD))
    assert tech.id == "same_side_wrist_grab"
    assert [p.name for p in tech.phases] == ["held", "turn_wrist", "pull", "step_back", "exit"]
    assert tech.t0_s == pytest.approx(1.0)
    assert tech.release_s == pytest.approx(1.8)
    pull = tech.phases[2].checks[0]
    assert pull.kind == "joint_flexion"
    assert pull.param_dict() == {"joint": "right_elbow", "min_deg": 40.0, "max_span_s": 0.5}
    with pytest.raises(AttributeError):
        tech.id = "x"  # type: ignore[misc]


def test_bad_number_names_file_field_and_unit(tmp_path: Path) -> None:
    text = GOOD.replace("min_deg = 40", 'min_deg = "abc"')
    message = _error(tmp_path, text)
    assert message.endswith(
        "same_side_wrist_grab.toml: phases[2].checks[0].min_deg: "
        'expected a number in degrees, got "abc"'
    )


def test_unknown_check_kind_lists_the_valid_ones(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace('kind = "peak_speed"', 'kind = "wrist_twist"'))
    assert 'phases[2].checks[2].kind: unknown check kind "wrist_twist"; valid kinds:' in message
    for kind in ("approach", "escape_distance", "guard", "joint_flexion", "step"):
        assert kind in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('side = "right"', 'side = "up"', 'side: expected one of left, right, got "up"'),
        ('role = "outcome"', 'role = "bonus"', "checks[1].role: expected one of coaching, outcome"),
        (
            "duration_s = 0.5\n",
            "duration_s = -1\n",
            "phases[2].duration_s: expected a number in seconds greater than 0, got -1",
        ),
        (
            'joint = "right_wrist"',
            'joint = "right_wrsit"',
            "checks[1].joint: expected a landmark name such as 'right_wrist'",
        ),
        (
            'joint = "right_elbow"',
            'joint = "right_wrist"',
            "checks[0].joint: expected a joint with an angle",
        ),
        (
            'start_phase = "turn_wrist"',
            'start_phase = "grab"',
            "timing.start_phase: expected one of held, turn_wrist",
        ),
        (
            "min_torso_lengths = 0.3",
            "min_torso_lengths = 0.3\nmin_metres = 2",
            "checks[1].min_metres: unknown field",
        ),
        (
            "right_arm_rot_deg = 20",
            "right_arm_twist_deg = 20",
            "keyframes[2].right_arm_twist_deg: unknown posture field "
            "(did you mean 'right_arm_rot_deg'?)",
        ),
        (
            "t_s = 1.3",
            "t_s = 0.5",
            "keyframes[2].t_s: expected a time after the previous keyframe (1 s), got 0.5",
        ),
        (
            "t_s = 4.8",
            "t_s = 9.0",
            "keyframes[7].t_s: expected a time within the phases' total 4.8 s, got 9.0",
        ),
        (
            'cue = "Stay calm, stand balanced"',
            'cue = ""',
            "phases[0].cue: expected a non-empty text",
        ),
        (
            "hard_fail_s = 10.0",
            "hard_fail_s = 1.0",
            "timing.hard_fail_s: expected at least release_max_s (2)",
        ),
        (
            'id = "same_side_wrist_grab"',
            'id = "other"',
            'id: expected the file name "same_side_wrist_grab", got "other"',
        ),
        ('name = "Same-side wrist grab"\n', "", "name: missing (expected a text)"),
        (
            '[[phases]]\nname = "turn_wrist"',
            '[[phases]]\nname = "held"',
            "phases[1].name: expected a name not used by an earlier phase",
        ),
    ],
)
def test_each_bad_field_is_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD, old
    message = _error(tmp_path, GOOD.replace(old, new, 1))
    assert message.startswith(str(tmp_path / "same_side_wrist_grab.toml") + ": ")
    assert expected in message


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    assert "not valid TOML" in _error(tmp_path, "id = [unclosed")
    with pytest.raises(CoachError, match="no such technique file"):
        load_technique(tmp_path / "nothing.toml")


def test_error_is_one_line(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace("min_deg = 40", "min_deg = true"))
    assert "\n" not in message
    assert re.search(r"min_deg: expected a number in degrees, got True$", message)
