"""Synthetic attempts: clean ones pass under noise and varied setups; each fault changes only
the measures it names (statuses per check, and the raw measures themselves)."""

from __future__ import annotations

import numpy as np
import pytest

from coach.analysis.checks.base import CheckResult, Status
from coach.analysis.checks.evaluate import Verdict, evaluate_technique
from coach.analysis.checks.registry import CHECK_KINDS
from coach.analysis.checks.timing import longest_pause_s, onset_time_s
from coach.analysis.features import Features, limb_angle_deg, mid_hip_travel_t
from coach.bodymodel.camera import Camera
from coach.bodymodel.reference import Rendered
from coach.synth.attempts import AttemptSpec, Noise, synthesize_attempt
from coach.synth.faults import FAULTS
from coach.technique.library import find_technique

IDS = (
    "ready_stance",
    "same_side_wrist_grab",
    "cross_wrist_grab",
    "two_hand_wrist_grab",
    "front_strangle",
    "rear_strangle",
)

# fault -> (check kinds that must change, check kinds that may change as a stated consequence)
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "narrow_stance": ({"stance_width"}, set()),
    "stiff_knees": (set(), {"joint_angle", "hip_drop"}),
    "hands_down": ({"guard"}, set()),
    "no_step_back": ({"step"}, set()),
    "escape_toward_threat": ({"escape_distance"}, {"escape_direction"}),
    "away_from_exit": ({"escape_direction"}, {"escape_distance"}),
    "turn_back_early": ({"keep_facing"}, {"guard"}),
    "slow_release": (
        {"release_time"},
        {
            "onset",
            "hesitation",
            "peak_speed",
            "movement_duration",
            "joint_above",
            "rotation",
            "chin_tuck",
        },
    ),
    "late_onset": ({"onset"}, {"joint_above", "chin_tuck"}),
    # not raising the arm leaves the trainee standing still through that phase: a pause
    "arm_not_raised": ({"joint_above"}, {"hesitation"}),
    "no_body_turn": ({"rotation"}, {"keep_facing"}),
    # stopping halfway through a sharp turn or pull also makes it slower than its 0.5 s span
    "hesitation": ({"hesitation"}, {"release_time", "rotation", "joint_flexion"}),
}


def _run(tid: str, spec: AttemptSpec) -> tuple[Rendered, Features, Verdict]:
    tech = find_technique(None, tid)
    attempt = synthesize_attempt(tech, spec)
    f = Features.from_sequence(attempt.sequence)
    tech = tech.on_side(spec.side)
    return attempt, f, evaluate_technique(tech, f, attempt.windows, attempt.events, attempt.scene)


def _statuses(v: Verdict) -> dict[tuple[str, str], Status]:
    return {(r.kind, r.label): r.status for r in v.all()}


def _refused_for_view(r: CheckResult) -> bool:
    """Not assessable because this camera cannot see what the check measures, saying so."""
    return (
        r.status == Status.NOT_ASSESSABLE
        and CHECK_KINDS[r.kind].view is not None
        and r.note.endswith("film from the side")
    )


def _unmet(v: Verdict) -> list[str]:
    """Lines of checks neither Met nor refused for the camera's view."""
    return [r.line() for r in v.all() if r.status != Status.MET and not _refused_for_view(r)]


def test_every_fault_is_documented() -> None:
    assert set(FAULTS) == set(EXPECTED)
    assert all(len(f.changes) > 40 for f in FAULTS.values())


@pytest.mark.parametrize(
    ("tid", "spec"),
    [
        ("same_side_wrist_grab", AttemptSpec(height_m=1.55, noise=Noise.typical(), seed=1)),
        ("cross_wrist_grab", AttemptSpec(height_m=1.95, speed=1.3, noise=Noise.typical(), seed=2)),
        ("two_hand_wrist_grab", AttemptSpec(side="left", noise=Noise.typical(), seed=3)),
        (
            "front_strangle",
            AttemptSpec(
                camera=Camera(distance_m=2.8, azimuth_deg=-15), noise=Noise.typical(), seed=4
            ),
        ),
        ("rear_strangle", AttemptSpec(speed=0.9, noise=Noise.typical(), seed=5)),
        ("ready_stance", AttemptSpec(side="left", speed=1.5, noise=Noise.typical(), seed=6)),
    ],
)
def test_clean_noisy_attempts_meet_every_check(tid: str, spec: AttemptSpec) -> None:
    """Every check the camera can see is Met; one it cannot see (a foot forward from the front)
    is Not assessable with the reason, never Not met."""
    _, _, verdict = _run(tid, spec)
    assert _unmet(verdict) == []


# techniques with a check that needs the camera at the side, and a camera there that still
# keeps the escape in frame
SIDE_VIEWS = (
    ("ready_stance", Camera(azimuth_deg=70)),
    ("same_side_wrist_grab", Camera(azimuth_deg=60, distance_m=4.5)),
)


@pytest.mark.parametrize(("tid", "camera"), SIDE_VIEWS)
def test_checks_refused_from_the_front_are_met_from_the_side(tid: str, camera: Camera) -> None:
    _, _, front = _run(tid, AttemptSpec(noise=Noise.typical(), seed=7))
    refused = {r.label for r in front.all() if _refused_for_view(r)}
    assert refused, "the front view should leave a side-view check unjudged"
    _, _, side = _run(tid, AttemptSpec(camera=camera, noise=Noise.typical(), seed=7))
    assert {r.label: r.status for r in side.all() if r.label in refused} == dict.fromkeys(
        refused, Status.MET
    )


@pytest.mark.parametrize("tid", IDS)
def test_each_fault_changes_only_what_it_names(tid: str) -> None:
    _, _, clean = _run(tid, AttemptSpec())
    base = _statuses(clean)
    assert _unmet(clean) == []
    applied = 0
    for name, (must, may) in EXPECTED.items():
        try:
            _, _, faulty = _run(tid, AttemptSpec(faults=(name,)))
        except ValueError:
            continue  # the fault needs a phase this technique does not have
        applied += 1
        changed = {k[0] for k, s in _statuses(faulty).items() if s != base[k]}
        assert changed <= must | may, (name, changed)
        present = {k[0] for k in base}
        assert (must & present) <= changed, (name, changed)
    assert applied >= 6


def test_narrow_stance_changes_ankle_distance_only() -> None:
    _, f0, _ = _run("same_side_wrist_grab", AttemptSpec())
    _, f1, _ = _run("same_side_wrist_grab", AttemptSpec(faults=("narrow_stance",)))

    def width(f: Features) -> np.ndarray:
        d = f.point("left_ankle") - f.point("right_ankle")
        return np.hypot(d[:, 0], d[:, 2]) / f.shoulder_m

    assert np.median(width(f0) - width(f1)) > 0.3  # feet closer by > 0.3 SW
    for joint in ("left_elbow", "right_elbow"):
        np.testing.assert_allclose(limb_angle_deg(f1, joint), limb_angle_deg(f0, joint), atol=1e-6)
    np.testing.assert_allclose(
        mid_hip_travel_t(f1, 30)[:, 0], mid_hip_travel_t(f0, 30)[:, 0], atol=0.01
    )


def test_stiff_knees_straightens_knees_and_keeps_arms() -> None:
    _, f0, _ = _run("ready_stance", AttemptSpec())
    _, f1, _ = _run("ready_stance", AttemptSpec(faults=("stiff_knees",)))
    assert np.nanmin(limb_angle_deg(f1, "left_knee")) > 177.5
    assert np.nanmin(limb_angle_deg(f0, "left_knee")) < 161
    np.testing.assert_allclose(
        limb_angle_deg(f1, "left_elbow"), limb_angle_deg(f0, "left_elbow"), atol=1e-6
    )


def test_timing_faults_shift_onset_and_pauses_by_their_amounts() -> None:
    a0, f0, _ = _run("front_strangle", AttemptSpec())
    a1, f1, _ = _run("front_strangle", AttemptSpec(faults=("late_onset",)))
    shift = onset_time_s(f1, a1.events.t0_s) - onset_time_s(f0, a0.events.t0_s)
    assert shift == pytest.approx(0.8, abs=0.05)
    a2, f2, _ = _run("front_strangle", AttemptSpec(faults=("hesitation",)))
    assert a2.events.release_s == pytest.approx(a0.events.release_s + 1.0)
    # the pause measure counts the slow settling into and out of the standstill (< 0.15 T from
    # the still posture), about a tenth of a second in all: a 1.0 s standstill reads 1.0-1.2 s
    pause = longest_pause_s(f2, a2.events.t0_s, a2.events.release_s)
    assert 1.0 <= pause <= 1.2
    assert longest_pause_s(f0, a0.events.t0_s, a0.events.release_s) < 0.5
    a3, _, _ = _run("front_strangle", AttemptSpec(faults=("slow_release",)))
    assert a3.events.release_s - a3.events.t0_s == pytest.approx(
        3 * (a0.events.release_s - a0.events.t0_s)
    )


def test_speed_scales_time_and_bad_specs_are_refused() -> None:
    a, _, _ = _run("same_side_wrist_grab", AttemptSpec(speed=2.0))
    assert a.sequence.duration_s == pytest.approx(2.4, abs=0.04)
    with pytest.raises(ValueError, match="height_m"):
        AttemptSpec(height_m=2.2)
    with pytest.raises(KeyError, match="valid faults"):
        AttemptSpec(faults=("sloppy",))
    with pytest.raises(ValueError, match="joint_above"):
        synthesize_attempt(
            find_technique(None, "ready_stance"), AttemptSpec(faults=("arm_not_raised",))
        )
