"""Trainee and partner: contact, grab, release, separation, and the rows they add to a card."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.analysis.features import Features
from coach.analysis.interaction import measure_interaction
from coach.pose.landmarks import index_of
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_folder import read_attempt
from coach.scoring.live import LiveScorer
from coach.scoring.offline import score_sequence
from coach.technique.library import find_technique

SAMPLE = Path(__file__).parent.parent / "coach" / "sample_attempts" / "same_side_wrist_grab"
HANDS = ("right_wrist", "right_index", "right_pinky", "right_thumb")
GRAB_S, RELEASE_S = 3.5, 4.8


def holding_partner(trainee: PoseSequence, grab_s: float, release_s: float) -> PoseSequence:
    """A partner standing 1.5 torso lengths to the side (away from the trainee's escape)
    whose right hand holds the trainee's
    left wrist from ``grab_s`` to ``release_s`` and rests on their own hip otherwise."""
    w, h = trainee.source_size
    pixels = trainee.image_pixels()
    torso = float(
        np.nanmedian(
            np.linalg.norm(
                (pixels[:, index_of("left_shoulder")] + pixels[:, index_of("right_shoulder")]) / 2
                - (pixels[:, index_of("left_hip")] + pixels[:, index_of("right_hip")]) / 2,
                axis=1,
            )
        )
    )
    image = np.repeat(trainee.image[:1], len(trainee), axis=0).copy()
    image[..., 0] -= 1.5 * torso / w
    holding = (trainee.t >= grab_s) & (trainee.t < release_s)
    for name in HANDS:
        image[:, index_of(name), :2] = image[:, index_of("right_hip"), :2]
        image[holding, index_of(name), :2] = trainee.image[holding, index_of("left_wrist"), :2]
        image[holding, index_of(name), 1] += 0.05 * torso / h
    visibility = np.full_like(trainee.visibility, 0.95)
    return trainee.replace(image=image, visibility=visibility, world=trainee.world)


@pytest.fixture(scope="module")
def trainee() -> PoseSequence:
    return read_attempt(SAMPLE).pose


def test_grab_and_release_are_found_within_a_frame(trainee: PoseSequence) -> None:
    partner = holding_partner(trainee, GRAB_S, RELEASE_S)
    inter = measure_interaction(Features.from_sequence(trainee), Features.from_sequence(partner))
    frame = 1 / 30
    assert inter.grab_s == pytest.approx(GRAB_S, abs=1.01 * frame)
    assert inter.release_s == pytest.approx(RELEASE_S, abs=1.01 * frame)
    assert inter.target == "wrist"
    assert inter.contact[(trainee.t > GRAB_S + 0.05) & (trainee.t < RELEASE_S - 0.05)].all()
    assert not inter.contact[trainee.t < GRAB_S - 0.05].any()
    assert np.nanmedian(inter.separation_t) == pytest.approx(1.5, abs=0.3)


def test_a_hand_trembling_at_the_edge_does_not_flicker_contact(trainee: PoseSequence) -> None:
    partner = holding_partner(trainee, GRAB_S, RELEASE_S)
    pixels = Features.from_sequence(trainee).torso_px
    torso = float(np.nanmedian(pixels))
    image = partner.image.copy()
    held = (trainee.t >= GRAB_S) & (trainee.t < RELEASE_S)
    wobble = np.where(np.arange(len(trainee)) % 2 == 0, 0.25, 0.4) * torso / trainee.source_size[1]
    for name in HANDS:  # 0.25 and 0.4 T from the wrist in turn: on at 0.3, off only past 0.45
        image[held, index_of(name), 1] = (
            trainee.image[held, index_of("left_wrist"), 1] + wobble[held]
        )
    inter = measure_interaction(
        Features.from_sequence(trainee), Features.from_sequence(partner.replace(image=image))
    )
    assert inter.release_s == pytest.approx(RELEASE_S, abs=1.01 / 30)
    runs = np.diff(inter.contact.astype(int))
    assert (runs == 1).sum() == 1 and (runs == -1).sum() == 1


def test_a_partner_adds_rows_and_a_solo_card_is_unchanged(trainee: PoseSequence) -> None:
    technique = find_technique(None, "same_side_wrist_grab")
    solo = score_sequence(trainee, technique, "auto", 4.0)
    assert solo.interaction is None and "interaction" not in solo.to_dict()
    assert all(c.phase != "partner" for c in solo.criteria)
    partner = holding_partner(trainee, GRAB_S, RELEASE_S)
    pair = score_sequence(trainee, technique, "auto", 4.0, partner=partner)
    assert pair.criteria[: len(solo.criteria)] == solo.criteria  # the trainee's rows as before
    rows = {c.kind: c for c in pair.criteria if c.phase == "partner"}
    release = rows["partner_release"]
    assert release.status == "Met" and release.value == pytest.approx(1.3, abs=0.07)
    assert rows["partner_separation"].value is not None
    assert pair.interaction is not None and pair.interaction["held"] == "wrist"
    # without a GO signal the grab is t0
    no_go = score_sequence(trainee, technique, "auto", None, partner=partner)
    assert no_go.timings.t0_source == "grab"
    assert no_go.timings.t0_s == pytest.approx(GRAB_S, abs=0.07)


def test_no_contact_leaves_the_release_not_assessable(trainee: PoseSequence) -> None:
    technique = find_technique(None, "same_side_wrist_grab")
    apart = holding_partner(trainee, 99.0, 100.0)
    card = score_sequence(trainee, technique, "auto", 4.0, partner=apart)
    rows = {c.kind: c for c in card.criteria if c.phase == "partner"}
    assert rows["partner_release"].status == "Not assessable"
    assert rows["partner_separation"].status == "Not assessable"


def test_the_live_card_of_a_partner_drill_is_the_card_review_gives(trainee: PoseSequence) -> None:
    partner = holding_partner(trainee, GRAB_S, RELEASE_S)
    technique = find_technique(None, "same_side_wrist_grab")
    live = LiveScorer(technique.on_side("right"), source_size=trainee.source_size)
    live.start(GRAB_S)
    for i in range(len(trainee)):
        seen = None if i < 5 else (partner.image[i], partner.world[i], partner.visibility[i])
        live.step(trainee.t[i], trainee.image[i], trainee.world[i], trainee.visibility[i], seen)
    card = live.finish()
    image, visibility = partner.image.copy(), partner.visibility.copy()
    image[:5], visibility[:5] = np.nan, np.nan  # the partner came into view at frame 5
    early = partner.replace(image=image, visibility=visibility, world=partner.world)
    review = score_sequence(
        trainee, technique, "right", GRAB_S, live.scene, {"right": live.reference}, partner=early
    )
    rows = [(c.label, c.status, c.value) for c in card.criteria]
    assert rows == [(c.label, c.status, c.value) for c in review.criteria]
    assert "Hold released (partner's hand off)" in [label for label, _, _ in rows]
