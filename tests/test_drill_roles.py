"""The trainee is the one who breaks away: on rendered attempts with a partner, through the real
pose model, where the old default (the largest person) followed the partner; and the rule's
fallbacks on tracks from those real extractions, changed in one way each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from coach.pose.drill_roles import MIN_AWAY_T, breakaway_evidence
from coach.pose.landmarks import index_of
from coach.pose.people_tracks import PeopleTracks, choose_trainee, describe_choice
from coach.pose.sequence import PoseSequence
from coach.synth.evaluation import CORRECT
from coach.synth.figure.attempt_video import AttemptScene, attempt_scene
from coach.synth.partner_identity import judge_rules
from coach.synth.rendered_evaluation import Job, job_spec, jobs_for, seen_tracks
from coach.technique.library import find_technique

CASES = (("cross_wrist_grab", 0), ("two_hand_wrist_grab", 1))
"""Seeded laptop attempts (seed 0, the i-th of two correct ones) on which ``largest`` followed
the partner (bench/partner_identity.py): short ones, 66 and 116 frames."""


@dataclass(frozen=True)
class Rendered:
    job: Job
    scene: AttemptScene
    tracks: PeopleTracks


@pytest.fixture(scope="module")
def rendered() -> list[Rendered]:
    """The attempts rendered and run through the real pose model (``coach extract``'s path)."""
    out = []
    for technique_id, i in CASES:
        job = jobs_for(find_technique(None, technique_id), [CORRECT], "laptop", 2, 0)[i]
        scene = attempt_scene(job.technique, job_spec(job), job.partner_height_m)
        out.append(Rendered(job, scene, seen_tracks(job, scene)))
    return out


def _hips(sequence: PoseSequence) -> np.ndarray:
    pixels = sequence.image_pixels()
    return np.asarray((pixels[:, index_of("left_hip")] + pixels[:, index_of("right_hip")]) / 2)


def test_breaks_away_picks_the_trainee_where_largest_followed_the_partner(
    rendered: list[Rendered],
) -> None:
    for r in rendered:
        outcome = judge_rules(r.job, r.scene, r.tracks)
        assert outcome.people_seen == 2
        largest, new = outcome.results["largest"], outcome.results["breaks_away"]
        # largest: the partner's track (measured: every frame of both attempts)
        assert not largest.right
        assert largest.frames_on_partner > 0.8 * largest.frames_seen
        assert new.right and new.decided_by == "breaks_away"
        assert new.frames_on_partner <= 0.05 * new.frames_seen  # measured 0
        assert new.frames_seen >= 0.9 * outcome.frames
        evidence = breakaway_evidence(r.tracks.sequences)
        assert evidence.trainee == new.trainee_track
        away = evidence.away_t
        partner = next(k for k in away if k != evidence.trainee)
        assert away[evidence.trainee] > 2.0  # measured 2.6 in both
        assert away[partner] < 0.6  # the partner's step back: measured 0.39-0.41
        assert evidence.closest_t is not None and evidence.closest_t < 1.5  # measured 1.2-1.3


def _chosen(tracks: dict[int, PoseSequence], rule: str = "breaks_away") -> PoseSequence:
    choice = choose_trainee(tracks, rule)
    assert choice.trainee is not None
    return tracks[choice.trainee]


def _trainee_and_partner(r: Rendered) -> tuple[PoseSequence, PoseSequence]:
    choice = choose_trainee(r.tracks.sequences)
    assert choice.trainee is not None and choice.partner is not None
    return r.tracks.sequences[choice.trainee], r.tracks.sequences[choice.partner]


def _shifted(sequence: PoseSequence, dx: float) -> PoseSequence:
    image = sequence.image.copy()
    image[..., 0] += dx
    return sequence.replace(image=image)


def test_without_a_breakaway_the_largest_decides_and_the_reason_is_kept(
    rendered: list[Rendered],
) -> None:
    for r in rendered:
        trainee, partner = _trainee_and_partner(r)
        evidence = breakaway_evidence({0: trainee, 1: partner})
        assert evidence.closest_s is not None
        # the video cut 0.2 s after the closest approach: nobody has got away yet
        cut = r.tracks.t > evidence.closest_s + 0.2
        before = {
            k: s.replace(image=np.where(cut[:, None, None], np.nan, s.image))
            for k, s in ((0, trainee), (1, partner))
        }
        choice = choose_trainee(before)
        assert choice.decided_by == "largest" and choice.rule == "breaks_away"
        assert choice.fallback_reason is not None
        assert choice.fallback_reason.startswith("nobody moved away")
        assert choice.trainee == choose_trainee(before, "largest").trainee
        assert choice.evidence is not None
        assert max(choice.evidence.away_t.values()) < MIN_AWAY_T

        # the partner moved half the picture's width aside: never near the trainee
        side = np.sign(np.nanmedian(_hips(partner)[:, 0] - _hips(trainee)[:, 0]))
        far = choose_trainee({0: trainee, 1: _shifted(partner, 0.5 * side)})
        assert far.decided_by == "largest" and far.fallback_reason is not None
        assert far.fallback_reason.startswith("the two people never came closer than")

        # a second person moving exactly as the trainee, mirrored: both got away as far
        mid_x = float(np.nanmedian((_hips(trainee)[:, 0] + _hips(partner)[:, 0]) / 2))
        mirror = trainee.image.copy()
        mirror[..., 0] = 2 * mid_x / trainee.source_size[0] - mirror[..., 0]
        twin = choose_trainee({0: trainee, 1: trainee.replace(image=mirror)})
        assert twin.decided_by == "largest" and twin.fallback_reason is not None
        assert twin.fallback_reason.startswith("both moved away about as far")


def test_the_choice_follows_the_person_not_the_track_number_or_a_bystander(
    rendered: list[Rendered],
) -> None:
    for r in rendered:
        trainee, partner = _trainee_and_partner(r)
        for ids in ((0, 1), (1, 0), (7, 2)):
            tracks = {ids[0]: trainee, ids[1]: partner}
            assert _chosen(tracks) is trainee
        # a third person standing far off (the partner's copy, half a picture away)
        side = np.sign(np.nanmedian(_hips(partner)[:, 0] - _hips(trainee)[:, 0]))
        crowd = {0: partner, 1: _shifted(partner, 0.5 * side), 2: trainee}
        choice = choose_trainee(crowd)
        assert choice.people_seen == 3 and choice.trainee == 2 and choice.partner == 0
        assert choice.evidence is not None and choice.evidence.pair == (0, 2)


def test_attempt_json_says_which_rule_decided(rendered: list[Rendered]) -> None:
    r = rendered[0]
    choice = choose_trainee(r.tracks.sequences)
    block = describe_choice(choice, r.tracks)
    assert block["trainee_rule"] == "breaks_away"
    assert block["trainee_decided_by"] == "breaks_away"
    assert "trainee_fallback" not in block
    numbers = block["breakaway"]
    assert isinstance(numbers, dict)
    away = numbers["away_torso_lengths"]
    assert isinstance(away, dict) and away[str(choice.trainee)] > 2.0
    old = describe_choice(choose_trainee(r.tracks.sequences, "largest"), r.tracks)
    assert old["trainee_rule"] == old["trainee_decided_by"] == "largest"
    assert "breakaway" not in old and old["trainee_track"] != block["trainee_track"]
