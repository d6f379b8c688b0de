"""Score a whole recorded attempt: filter, align with the reference, evaluate every check.

The live scorer (``live.py``) runs the same checks on phase windows found by the streaming
aligner; only the filter and the aligner differ, so review and live agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from coach.analysis.alignment import dtw
from coach.analysis.alignment_features import alignment_features
from coach.analysis.checks.base import Events, Scene
from coach.analysis.features import Features
from coach.pose.filters import repair_and_smooth
from coach.pose.sequence import PoseSequence
from coach.pose.swaps import SwapRepair
from coach.room.room_file import Room
from coach.scoring.card_builder import build_scorecard
from coach.scoring.partner_rows import interaction_of, partner_seen, with_partner_rows
from coach.scoring.phase_mapping import (
    PhaseMapping,
    mapping_from_path,
    mapping_from_ref_index,
    settled_ref_index,
)
from coach.scoring.reference_clock import nearest_frames, ref_index_on_frames, ticks_s
from coach.scoring.reference_model import ReferenceModel, keyframed_reference
from coach.scoring.scorecard import ScoreCard
from coach.technique.model import Technique

SIDES = ("left", "right")
MIN_FRAMES_WITH_PERSON = 10
"""A third of a second at 30 fps: fewer frames with a person are no attempt to judge (a score
card of them would be verdicts on nothing)."""


class NotScorableError(ValueError):
    """The recording holds too little of a person to be scored; the message says why."""


def check_scorable(sequence: PoseSequence) -> None:
    """Refuse a recording with no person, or a person in under MIN_FRAMES_WITH_PERSON frames."""
    seen = int(sequence.detected.sum())
    if seen == 0:
        raise NotScorableError(
            f"no person is visible in any of its {len(sequence)} frames; nothing to score"
        )
    if seen < MIN_FRAMES_WITH_PERSON:
        raise NotScorableError(
            f"a person is visible in only {seen} of its {len(sequence)} frames; "
            f"at least {MIN_FRAMES_WITH_PERSON} are needed to score an attempt"
        )
BAND_FRACTION = 0.25
"""Sakoe-Chiba band beyond the length difference, as a share of the longer sequence."""


def sakoe_chiba_band(n: int, m: int) -> int:
    """Band wide enough for any speed from 0.5x to 2x, plus a quarter for uneven pacing."""
    return abs(n - m) + math.ceil(BAND_FRACTION * max(n, m))


EARLIEST_START_BEFORE_T0_S = 0.5
"""With a start signal, the technique's start phase may begin at most this long before it (a
trainee who anticipates the GO). The unconstrained alignment can place the technique's
movement inside a long, still wait for the GO when the pose model's view of the real movement
looks little like the reference (a rendered same-side wrist grab filmed from the front: the
pull matched 1.7 s before GO, onto a trainee standing still); such an alignment is redone
with the attempt cut at the signal."""


def align(
    features: np.ndarray,
    reference: ReferenceModel,
    t: np.ndarray | None = None,
    t0_s: float | None = None,
) -> tuple[PhaseMapping, float]:
    """Offline DTW of attempt features with the reference; the mapping and its mean cost.

    With the frame times ``t`` and a start signal ``t0_s``, an alignment that starts the
    technique's start phase more than EARLIEST_START_BEFORE_T0_S before the signal is redone
    in two parts: the frames before the signal with the reference before its start phase,
    the rest with the rest (``align_at_signal``). An attempt at another frame rate than the
    reference is aligned on the reference's clock (``reference_clock.py``)."""
    ticks = None if t is None else ticks_s(t, reference.t)
    if t is None or ticks is None:
        return _align_frames(features, reference, t, t0_s)
    picks = nearest_frames(t, ticks)
    mapping, cost = _align_frames(features[picks], reference, ticks, t0_s)
    ref_index = ref_index_on_frames(mapping.ref_index, ticks, t)
    return mapping_from_ref_index(ref_index, reference), cost


def _align_frames(
    features: np.ndarray,
    reference: ReferenceModel,
    t: np.ndarray | None,
    t0_s: float | None,
) -> tuple[PhaseMapping, float]:
    """``align`` on the frames as given."""
    band = sakoe_chiba_band(len(features), len(reference))
    result = dtw(features, reference.features, band=band)
    mapping = mapping_from_path(result.path, len(features), reference, features)
    if t is None or t0_s is None or not _starts_before_signal(mapping, reference, t, t0_s):
        return mapping, result.normalized_distance
    return align_at_signal(features, reference, int(np.searchsorted(t, t0_s)))


def _start_phase_frame(reference: ReferenceModel) -> int:
    """The first reference frame of the technique's start phase."""
    start = reference.technique.phase_index(reference.technique.timing.start_phase)
    return int(np.argmax(reference.phase_of_frame >= start))


def _starts_before_signal(
    mapping: PhaseMapping, reference: ReferenceModel, t: np.ndarray, t0_s: float
) -> bool:
    first = mapping.first_frame_at_or_past(_start_phase_frame(reference))
    return first is not None and float(t[first]) < t0_s - EARLIEST_START_BEFORE_T0_S


def align_at_signal(
    features: np.ndarray, reference: ReferenceModel, cut: int
) -> tuple[PhaseMapping, float]:
    """DTW of attempt frames ``[:cut]`` with the reference before its start phase and of the
    rest with the rest; one mapping, and the mean cost over both paths. Without frames on
    either side of the cut, the plain alignment."""
    ref_cut = _start_phase_frame(reference)
    if not (0 < cut < len(features) and 0 < ref_cut < len(reference)):
        return align(features, reference)
    before = dtw(
        features[:cut],
        reference.features[:ref_cut],
        band=sakoe_chiba_band(cut, ref_cut),
    )
    after = dtw(
        features[cut:],
        reference.features[ref_cut:],
        band=sakoe_chiba_band(len(features) - cut, len(reference) - ref_cut),
    )
    # each part's matches settled on its own, so none crosses the signal
    ref_index = np.concatenate(
        [
            settled_ref_index(before.path, features[:cut], reference.features[:ref_cut]),
            ref_cut
            + settled_ref_index(after.path, features[cut:], reference.features[ref_cut:]),
        ]
    )
    mapping = mapping_from_ref_index(ref_index, reference)
    return mapping, (before.distance + after.distance) / (len(before.path) + len(after.path))


def references_for(
    technique: Technique, sides: tuple[str, ...] = SIDES
) -> dict[str, ReferenceModel]:
    """The keyframed reference of ``technique`` on each side."""
    return {side: keyframed_reference(technique.on_side(side)) for side in sides}


@dataclass(frozen=True)
class Fit:
    """An attempt aligned with the technique's best-fitting reference."""

    smoothed: PoseSequence
    """The attempt after the swap repair and the offline filter."""
    f: Features
    """Its features."""
    features: np.ndarray
    """(T, F) its alignment features."""
    reference: ReferenceModel
    mapping: PhaseMapping
    cost: float
    """Mean frame cost along the alignment (torso lengths)."""
    swaps: SwapRepair


def best_fit(
    sequence: PoseSequence,
    technique: Technique,
    side: str = "auto",
    references: Mapping[str, ReferenceModel] | None = None,
    t0_s: float | None = None,
    room: Room | None = None,
) -> Fit:
    """Repair, filter and align ``sequence`` with the reference of ``side`` ("auto": the side
    whose reference fits best); ``t0_s``, the start signal, keeps the technique from being
    matched long before it (``align``); ``room``, the set-up of the camera that filmed it,
    puts the feet on its floor."""
    if side not in (*SIDES, "auto"):
        raise ValueError(f"side: expected left, right or auto, got {side!r}")
    sides = SIDES if side == "auto" else (side,)
    refs = dict(references) if references is not None else {}
    for s in sides:
        if s not in refs:
            refs[s] = keyframed_reference(technique.on_side(s))
    smoothed, swaps = repair_and_smooth(sequence)
    f = Features.from_sequence(smoothed, room)
    features = alignment_features(f)
    fits = {s: align(features, refs[s], smoothed.t, t0_s) for s in sides}
    chosen = min(sides, key=lambda s: fits[s][1])
    mapping, cost = fits[chosen]
    return Fit(smoothed, f, features, refs[chosen], mapping, cost, swaps)


def score_sequence(
    sequence: PoseSequence,
    technique: Technique,
    side: str = "auto",
    t0_s: float | None = None,
    scene: Scene | None = None,
    references: Mapping[str, ReferenceModel] | None = None,
    partner: PoseSequence | None = None,
    room: Room | None = None,
) -> ScoreCard:
    """The score card of one attempt.

    side: "left", "right" or "auto" (the side whose reference fits best). t0_s: the start
    signal on the sequence's clock, if one was given (GO cue); otherwise it is estimated from
    the movement and reaction time is not assessable. scene: where the threat and the exit are;
    by default the technique's own (exit on its ``exit_side``, camera in front). partner: the
    person applying the hold (same frames); when seen, the hold's release and the separation
    join the card, and without a start signal the grab is t0. room: the set-up (camera,
    floor plane) of the camera that filmed it; the stance is then measured on the floor.
    Raises NotScorableError for a recording with (almost) no person in it.
    """
    if side not in (*SIDES, "auto"):
        raise ValueError(f"side: expected left, right or auto, got {side!r}")
    check_scorable(sequence)
    fit = best_fit(sequence, technique, side, references, t0_s, room)
    inter = None
    if partner is not None and partner_seen(partner):
        inter = interaction_of(fit.smoothed, repair_and_smooth(partner)[0])
    grab_is_t0 = t0_s is None and inter is not None and inter.grab_s is not None
    if grab_is_t0 and inter is not None:
        t0_s = inter.grab_s
    card = build_scorecard(
        fit.f,
        fit.reference,
        fit.mapping,
        fit.cost,
        t0_s,
        scene if scene is not None else fit.reference.scene,
        swap_frames=fit.swaps.frames,
        swap_note=fit.swaps.note(),
    )
    return card if inter is None else with_partner_rows(card, inter, grab_is_t0)


def events_from_mapping(
    f: Features, reference: ReferenceModel, mapping: PhaseMapping, t0_s: float | None
) -> tuple[Events, str]:
    """t0 (given, or where the reference's t0 is matched) and the release, from the mapping."""
    source = "signal"
    if t0_s is None:
        frame = mapping.first_frame_at_or_past(reference.t0_frame)
        t0_s = float(f.t[frame if frame is not None else 0])
        source = "estimated"
    release = mapping.first_frame_at_or_past(reference.release_frame)
    release_s = float(f.t[release]) if release is not None else None
    if release_s is not None and release_s < t0_s:
        release_s = t0_s
    moving = reference.moving[np.clip(mapping.ref_index, 0, len(reference) - 1)]
    return Events(t0_s=t0_s, release_s=release_s, reference_moving=moving), source
