"""The verdict does not depend on who does it where: scale, shift, mirror, re-timing."""

from __future__ import annotations

import numpy as np
import pytest

from coach.analysis.checks.base import Scene
from coach.pose.sequence import PoseSequence
from coach.scoring.offline import references_for, score_sequence
from coach.scoring.scorecard import ScoreCard
from coach.synth.attempts import AttemptSpec, Noise, synthesize_attempt
from coach.technique.library import find_technique

CASES = [
    ("same_side_wrist_grab", ()),
    ("same_side_wrist_grab", ("no_step_back",)),
    ("front_strangle", ("arm_not_raised",)),
    ("cross_wrist_grab", ("hands_down",)),
    ("rear_strangle", ()),
]


def verdict(card: ScoreCard) -> tuple:
    return (
        tuple((c.phase, c.label, c.status) for c in card.criteria),
        card.broke_free,
        card.used_taught_technique,
    )


def scaled(seq: PoseSequence, k: float) -> PoseSequence:
    image = seq.image.copy()
    image[..., :2] = (image[..., :2] - 0.5) * k + 0.5
    return seq.replace(image=image, world=seq.world * k)


def shifted(seq: PoseSequence, dx: float, dy: float) -> PoseSequence:
    image = seq.image.copy()
    image[..., 0] += dx
    image[..., 1] += dy
    return seq.replace(image=image)


def retimed(seq: PoseSequence, t0: float, k: float) -> PoseSequence:
    return seq.replace(t=t0 + (seq.t - t0) * k)


@pytest.mark.parametrize(("tid", "faults"), CASES)
def test_scale_shift_mirror_and_retiming_keep_the_verdict(tid: str, faults: tuple) -> None:
    technique = find_technique(None, tid)
    refs = references_for(technique)
    attempt = synthesize_attempt(
        technique, AttemptSpec(side="right", faults=faults, noise=Noise.typical(), seed=5)
    )
    seq, t0, scene = attempt.sequence, attempt.events.t0_s, attempt.scene
    base = score_sequence(seq, technique, "right", t0, scene, refs)
    assert verdict(score_sequence(scaled(seq, 0.8), technique, "right", t0, scene, refs)) == (
        verdict(base)
    )
    assert verdict(
        score_sequence(shifted(seq, 0.06, -0.03), technique, "right", t0, scene, refs)
    ) == verdict(base)
    mirrored_scene = Scene(
        -scene.threat_yaw_deg,
        None
        if scene.exit_image_dir is None
        else (-scene.exit_image_dir[0], scene.exit_image_dir[1]),
    )
    mirrored = score_sequence(seq.mirrored(), technique, "auto", t0, mirrored_scene, refs)
    assert mirrored.side == "left"
    assert [(c.kind, c.status) for c in mirrored.criteria] == [
        (c.kind, c.status) for c in base.criteria
    ]
    for k in (0.9, 1.1):  # a little faster or slower, inside the time limits: same verdict
        again = score_sequence(retimed(seq, t0, k), technique, "right", t0, scene, refs)
        assert (again.broke_free, again.used_taught_technique, again.was_safe) == (
            base.broke_free, base.used_taught_technique, base.was_safe
        ), k
    expected_failures = {
        (): set(),
        ("no_step_back",): {"step"},
        ("arm_not_raised",): {"joint_above"},
        ("hands_down",): {"guard"},
    }[faults]
    assert expected_failures <= {c.kind for c in base.failed()}
    assert np.isfinite(base.alignment_cost)
