"""The tracks of a whole video as sequences, and which of them is the trainee.

Each track becomes a ``PoseSequence`` over all frames (NaN rows where that person was not
seen). The trainee is chosen by a named rule, recorded with the attempt with the rule that
actually decided (a fallback when the named rule's evidence is weak); the partner is the other
person seen most often (with ``breaks_away``: the one the trainee broke away from).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.pose.drill_roles import RULE as BREAKS_AWAY
from coach.pose.drill_roles import BreakawayEvidence, breakaway_evidence
from coach.pose.landmarks import NUM_LANDMARKS, index_of
from coach.pose.people import TrackedPerson, TrackEvent
from coach.pose.sequence import PoseSequence

TRAINEE_RULES = (BREAKS_AWAY, "largest", "nearest", "left", "right")
DEFAULT_TRAINEE_RULE = BREAKS_AWAY
"""The one who breaks away from the other after the hold (``drill_roles``): what makes them
the trainee in every breakaway drill, wherever each stands. On rendered attempts the partner,
standing beside the trainee, was as big in the picture as the trainee in many views, and
``largest`` followed them (see docs/rendered-quality.md)."""
FALLBACK_RULE = "largest"
"""Decides when ``breaks_away`` has no clear evidence (nobody met, nobody got away): in a
drill filmed for coaching the camera is set up for the trainee."""
MIN_SHARE = 0.2
"""A track seen in fewer frames than this share of the most-seen track's is a passer-by or a
short-lived second fit, never the trainee or the partner."""


@dataclass(frozen=True)
class PeopleTracks:
    """Every track of a video: its landmarks over all frames, and what happened to tracks."""

    t: np.ndarray
    """(T,) seconds of every frame, whether or not anybody was in it"""
    sequences: dict[int, PoseSequence]
    events: tuple[TrackEvent, ...]
    source_size: tuple[int, int]
    fps: float

    def sequence_or_empty(self, track_id: int | None) -> PoseSequence:
        """One track's sequence, or NaN rows over every frame (``None``: nobody)."""
        if track_id is not None:
            return self.sequences[track_id]
        return PoseSequence.empty(len(self.t), self.t, self.source_size, self.fps)


@dataclass(frozen=True)
class TraineeChoice:
    """Which track is the trainee and which the partner (None: nobody else was seen)."""

    rule: str
    trainee: int | None
    partner: int | None
    people_seen: int
    """tracks seen long enough to count (see ``MIN_SHARE``)."""
    decided_by: str = ""
    """the rule that chose (``rule``, or ``FALLBACK_RULE`` when its evidence was weak)"""
    fallback_reason: str | None = None
    evidence: BreakawayEvidence | None = None

    def __post_init__(self) -> None:
        if not self.decided_by:
            object.__setattr__(self, "decided_by", self.rule)


def collect_tracks(
    t: np.ndarray,
    people: list[list[TrackedPerson]],
    source_size: tuple[int, int],
    fps: float,
    events: tuple[TrackEvent, ...] = (),
) -> PeopleTracks:
    """One sequence per track id from the people found in each frame."""
    ids = sorted({p.track_id for frame in people for p in frame})
    n = len(people)
    sequences: dict[int, PoseSequence] = {}
    for track_id in ids:
        image = np.full((n, NUM_LANDMARKS, 3), np.nan)
        world = np.full((n, NUM_LANDMARKS, 3), np.nan)
        visibility = np.full((n, NUM_LANDMARKS), np.nan)
        for i, frame in enumerate(people):
            for person in frame:
                if person.track_id == track_id:
                    image[i] = person.result.image
                    world[i] = person.result.world
                    visibility[i] = person.result.visibility
        sequences[track_id] = PoseSequence(t, image, visibility, world, source_size, fps)
    return PeopleTracks(t, sequences, events, source_size, fps)


def choose_trainee(
    tracks: dict[int, PoseSequence], rule: str = DEFAULT_TRAINEE_RULE
) -> TraineeChoice:
    """The trainee by ``rule`` among the tracks seen long enough, and the partner.

    breaks_away: of the two who came closest, the one who moves away from the other after
    it (``drill_roles``); ``largest`` when that evidence is weak;
    largest: the biggest in the picture (median torso length in pixels);
    nearest: the feet lowest in the picture (nearest the camera on a level floor);
    left / right: the hips furthest to that side of the picture (as the camera sees it).
    """
    if rule not in TRAINEE_RULES:
        raise ValueError(f"unknown trainee rule {rule!r}; valid: {', '.join(TRAINEE_RULES)}")
    seen = {k: int(s.detected.sum()) for k, s in tracks.items()}
    most = max(seen.values(), default=0)
    if most == 0:
        return TraineeChoice(rule, None, None, 0)
    candidates = [k for k, n in seen.items() if n >= MIN_SHARE * most]
    if rule == BREAKS_AWAY and len(candidates) > 1:
        return _by_breakaway(tracks, candidates)
    decided_by = FALLBACK_RULE if rule == BREAKS_AWAY else rule
    trainee = max(candidates, key=lambda k: (_rule_score(tracks[k], decided_by), seen[k], -k))
    others = [k for k in candidates if k != trainee]
    partner = max(others, key=lambda k: (seen[k], -k)) if others else None
    return TraineeChoice(rule, trainee, partner, len(candidates), decided_by)


def _by_breakaway(tracks: dict[int, PoseSequence], candidates: list[int]) -> TraineeChoice:
    """``breaks_away`` among two or more people, falling back to ``FALLBACK_RULE``."""
    evidence = breakaway_evidence({k: tracks[k] for k in candidates})
    if evidence.trainee is not None and evidence.pair is not None:
        trainee = evidence.trainee
        partner = evidence.pair[1] if evidence.pair[0] == trainee else evidence.pair[0]
        return TraineeChoice(
            BREAKS_AWAY, trainee, partner, len(candidates), BREAKS_AWAY, None, evidence
        )
    fallback = choose_trainee({k: tracks[k] for k in candidates}, FALLBACK_RULE)
    return TraineeChoice(
        BREAKS_AWAY,
        fallback.trainee,
        fallback.partner,
        len(candidates),
        FALLBACK_RULE,
        evidence.weak_reason,
        evidence,
    )


def _rule_score(sequence: PoseSequence, rule: str) -> float:
    """Larger is more likely the trainee under ``rule``."""
    pixels = sequence.image_pixels()
    hips = (pixels[:, index_of("left_hip")] + pixels[:, index_of("right_hip")]) / 2
    if rule == "largest":
        shoulders = (
            pixels[:, index_of("left_shoulder")] + pixels[:, index_of("right_shoulder")]
        ) / 2
        return float(np.nanmedian(np.linalg.norm(shoulders - hips, axis=1)))
    if rule == "nearest":
        feet = np.fmax(pixels[:, index_of("left_ankle"), 1], pixels[:, index_of("right_ankle"), 1])
        return float(np.nanmedian(feet))
    x = float(np.nanmedian(hips[:, 0]))
    return -x if rule == "left" else x


def describe_choice(choice: TraineeChoice, tracks: PeopleTracks) -> dict[str, object]:
    """The ``people`` block of ``attempt.json``: the rule, the choice, every track, events."""
    t = tracks.t
    return {
        "trainee_rule": choice.rule,
        "trainee_decided_by": choice.decided_by,
        **({"trainee_fallback": choice.fallback_reason} if choice.fallback_reason else {}),
        **({"breakaway": choice.evidence.describe()} if choice.evidence is not None else {}),
        "trainee_track": choice.trainee,
        "partner_track": choice.partner,
        "people_seen": choice.people_seen,
        "tracks": [
            {
                "id": k,
                "frames": int(s.detected.sum()),
                "first_s": round(float(s.t[s.detected][0]), 3),
                "last_s": round(float(s.t[s.detected][-1]), 3),
            }
            for k, s in sorted(tracks.sequences.items())
            if s.detected.any()
        ],
        "events": [
            {
                "t_s": round(float(t[e.frame]), 3) if e.frame < len(t) else None,
                "track": e.track_id,
                "kind": e.kind,
                **({"detail": e.detail} if e.detail else {}),
            }
            for e in tracks.events
        ],
    }
