"""Turn features, a phase mapping and events into a ScoreCard (shared by offline and live)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from coach.analysis.alignment_features import alignment_features
from coach.analysis.checks.base import CheckResult, Events, Scene, Status
from coach.analysis.checks.evaluate import evaluate_technique
from coach.analysis.checks.timing import onset_time_s
from coach.analysis.features import Features, mid_hip_travel_t
from coach.scoring.match_gate import (
    MEAN_DISTANCE_LIMIT_T,
    MatchEvidence,
    match_evidence,
    match_verdict,
)
from coach.scoring.phase_mapping import PhaseMapping, clip_before_t0
from coach.scoring.reference_model import ReferenceModel
from coach.scoring.scorecard import Criterion, ScoreCard, Timings
from coach.technique.model import Technique

DEFAULT_SAFE_DISTANCE_T = 3.0


def build_scorecard(
    f: Features,
    reference: ReferenceModel,
    mapping: PhaseMapping,
    alignment_cost: float,
    t0_s: float | None,
    scene: Scene,
    swap_frames: int = 0,
    swap_note: str = "",
) -> ScoreCard:
    """Evaluate every check of the reference's technique on the mapped phase windows.

    swap_frames, swap_note: the left/right swaps repaired before ``f`` was measured.
    """
    from coach.scoring.offline import events_from_mapping  # shared event rules

    technique = reference.technique
    events, t0_source = events_from_mapping(f, reference, mapping, t0_s)
    start_phase = technique.phase_index(technique.timing.start_phase)
    windows = clip_before_t0(
        [_non_empty(w, len(f)) for w in mapping.windows], f.t, events.t0_s, start_phase
    )
    verdict = evaluate_technique(technique, f, windows, events, scene)
    criteria = []
    reached = {
        p.name: w.stop > w.start for p, w in zip(technique.phases, mapping.windows, strict=True)
    }
    for phase, result in verdict.checks:
        if not reached[phase]:
            result = _not_reached(result)
        criteria.append(Criterion.from_result(phase, result))
    for result in verdict.timing:
        if result.kind == "onset" and t0_source == "estimated":
            result = replace(
                result,
                status=Status.NOT_ASSESSABLE,
                value=math.nan,
                note="no start signal recorded: reaction time needs a GO cue or --t0",
            )
        criteria.append(Criterion.from_result("timing", result))
    notes = [swap_note] if swap_note else []
    if t0_source == "estimated":
        notes.append("t0 estimated from the movement (no start signal)")
    evidence = match_evidence(alignment_features(f), f.t, reference, mapping, alignment_cost)
    match = _technique_match(evidence, technique, f)
    if match.not_met:
        # nothing like the technique: its phases cannot be found, so nothing in them is judged
        criteria = [_unmatched(c) for c in criteria]
        notes.append(f"the movement does not match the technique: {match.note}")
    criteria.insert(0, match)
    return ScoreCard(
        technique_id=technique.id,
        technique_name=technique.name,
        side=technique.side,
        criteria=tuple(criteria),
        timings=_timings(f, technique, events, t0_source, matched=not match.not_met),
        alignment_cost=round(float(alignment_cost), 4),
        notes=tuple(notes),
        swap_repaired_frames=swap_frames,
    )


def _technique_match(evidence: MatchEvidence, technique: Technique, f: Features) -> Criterion:
    """The card's first row: is this an attempt at the technique at all (``match_gate.py``)?"""
    cost = evidence.mean_distance
    names = tuple(p.name for p in technique.phases)
    start = technique.phase_index(technique.timing.start_phase)
    ok, reason = match_verdict(evidence, names, start)
    return Criterion(
        "whole",
        "technique_match",
        "Movement matches the technique",
        "coaching",
        (Status.MET if ok else Status.NOT_MET).value,
        round(float(cost), 4) if math.isfinite(cost) else None,
        f"<= {MEAN_DISTANCE_LIMIT_T:g}",
        "T",
        round(float(f.t[0]), 3),
        round(float(f.t[-1]), 3),
        reason,
    )


def _unmatched(c: Criterion) -> Criterion:
    return replace(
        c, status=Status.NOT_ASSESSABLE.value, value=None, note="movement does not match"
    )


def _non_empty(window: slice, n: int) -> slice:
    start = min(window.start, max(0, n - 1))
    return slice(start, max(window.stop, start + 1))


def _not_reached(result: CheckResult) -> CheckResult:
    return replace(result, status=Status.NOT_MET, value=math.nan, note="phase never reached")


def _safe_distance_t(technique: object) -> float:
    for phase in technique.phases:  # type: ignore[attr-defined]
        for check in phase.checks:
            if check.kind == "escape_distance":
                return float(check.param_dict()["min_torso_lengths"])
    return DEFAULT_SAFE_DISTANCE_T


def _timings(
    f: Features, technique: object, events: Events, t0_source: str, matched: bool
) -> Timings:
    t0 = events.t0_s
    onset = onset_time_s(f, t0)
    safe_s = None
    if not matched:  # no release to time when the technique's phases were not found
        events = replace(events, release_s=None)
    if events.release_s is not None:
        start = f.frame_at(events.release_s)
        distance = np.linalg.norm(mid_hip_travel_t(f, start), axis=1)
        far = np.nonzero(np.nan_to_num(distance) >= _safe_distance_t(technique))[0]
        far = far[far >= start]
        safe_s = round(float(f.t[far[0]]) - t0, 3) if far.size else None
    limits = technique.timing  # type: ignore[attr-defined]
    return Timings(
        reaction_s=None if math.isnan(onset) or t0_source != "signal" else round(onset - t0, 3),
        release_s=None if events.release_s is None else round(events.release_s - t0, 3),
        safe_distance_s=safe_s,
        total_s=round(float(f.t[-1]) - t0, 3),
        t0_s=round(t0, 3),
        t0_source=t0_source,
        onset_max_s=limits.onset_max_s,
        release_max_s=limits.release_max_s,
        hard_fail_s=limits.hard_fail_s,
    )
