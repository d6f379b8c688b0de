"""The match gate on real non-attempts and on the synthetic evaluation attempts, with margins.

Real non-attempts: the sample clip (people walking, jumping, swinging their arms) and its mirror
image, cut into pieces of 1-7.6 s every 0.8 s, each scored against every technique: none
should be taken. Synthetic attempts: the quality evaluation's set (correct and faulty, 0.5x-2x)
and correct attempts at exactly 0.5x and 2x: all should be taken. For each rule of the gate the
table gives the closest any synthetic attempt comes to its limit, and how many non-attempts
that rule alone stops.

    python bench/match_gate.py [--per-case 10]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from coach.samples import fetch_sample
from coach.scoring.match_gate import (
    EXCURSION_SHARE,
    HOLD_SPREAD_T,
    LONGEST_RATIO,
    MEAN_DISTANCE_LIMIT_T,
    MOVING_PHASE_T,
    PHASE_TIME_SHARE,
    SHORTEST_RATIO,
    MatchEvidence,
    match_evidence,
    match_verdict,
)
from coach.scoring.offline import best_fit, references_for
from coach.synth.attempts import AttemptSpec, Noise, synthesize_attempt
from coach.synth.evaluation import CORRECT, applicable_faults, evaluation_attempt, variations
from coach.technique.library import list_techniques
from coach.technique.model import Technique
from tests.real_landmarks import clip_pieces, video_landmarks


@dataclass
class Row:
    label: str
    technique: Technique
    evidence: MatchEvidence
    taken: bool
    reason: str


def _judge(label: str, technique: Technique, sequence: object, refs: dict) -> Row:
    fit = best_fit(sequence, technique, references=refs)  # type: ignore[arg-type]
    e = match_evidence(fit.features, fit.f.t, fit.reference, fit.mapping, fit.cost)
    names = tuple(p.name for p in technique.phases)
    start = technique.phase_index(technique.timing.start_phase)
    taken, reason = match_verdict(e, names, start)
    return Row(label, technique, e, taken, reason)


def _rule_values(row: Row) -> dict[str, float]:
    """Each rule's measure, signed so that larger is worse, relative to its limit (<= 1 passes)."""
    e, t = row.evidence, row.technique
    start = t.phase_index(t.timing.start_phase)
    shares = [
        s for m, s in zip(e.reference_motion, e.phase_time, strict=True) if m >= MOVING_PHASE_T
    ]
    holds = [
        s
        for k, (m, s) in enumerate(zip(e.reference_motion, e.phase_spread, strict=True))
        if k >= start and m < MOVING_PHASE_T and math.isfinite(s)
    ]
    return {
        "distance": e.mean_distance / MEAN_DISTANCE_LIMIT_T,
        "no movement": EXCURSION_SHARE / e.excursion if e.excursion > 0 else math.inf,
        "too short": SHORTEST_RATIO / e.duration_ratio if e.duration_ratio > 0 else math.inf,
        "too long": e.duration_ratio / LONGEST_RATIO,
        "phase skipped": PHASE_TIME_SHARE / min(shares) if min(shares) > 0 else math.inf,
        "moving in a hold": max(holds) / HOLD_SPREAD_T if holds else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-case", type=int, default=10)
    args = parser.parse_args()
    techniques = list_techniques(None)
    refs = {t.id: references_for(t) for t in techniques}
    started = time.time()
    real: list[Row] = []
    video = fetch_sample("demo.mp4")
    for mirrored in (False, True):
        for start, length, piece in clip_pieces(video_landmarks(video, mirrored)):
            for t in techniques:
                label = f"{'mirror' if mirrored else 'clip'} {start:.1f}+{length:.1f}s"
                real.append(_judge(label, t, piece, refs[t.id]))
        print(f"real pieces scored: {len(real)} ({time.time() - started:.0f} s)", file=sys.stderr)
    synth: list[Row] = []
    for t in techniques:
        for fault in [CORRECT, *applicable_faults(t)]:
            for v in variations(args.per_case, 0):
                _, noisy = evaluation_attempt(t, fault, v)
                synth.append(_judge(f"{fault} {v.speed:.2f}x", t, noisy, refs[t.id]))
        for speed in (0.5, 2.0):
            spec = AttemptSpec(speed=speed, side=t.side, noise=Noise.typical(), seed=7)
            synth.append(
                _judge(f"correct {speed}x", t, synthesize_attempt(t, spec).sequence, refs[t.id])
            )
        print(
            f"synthetic attempts scored: {len(synth)} ({time.time() - started:.0f} s)",
            file=sys.stderr,
        )
    print(f"{'set':<34}{'items':>7}{'taken':>7}{'rejected':>10}")
    print(
        f"{'real non-attempts (target 0 taken)':<34}{len(real):>7}"
        f"{sum(r.taken for r in real):>7}{sum(not r.taken for r in real):>10}"
    )
    print(
        f"{'synthetic attempts (0 rejected)':<34}{len(synth):>7}"
        f"{sum(r.taken for r in synth):>7}{sum(not r.taken for r in synth):>10}"
    )
    print()
    print(
        f"{'rule':<18}{'limit':>10}{'synthetic worst / limit':>26}{'non-attempts stopped':>22}"
        f"{'... by it alone':>17}"
    )
    limits = {
        "distance": f"{MEAN_DISTANCE_LIMIT_T:g} T",
        "no movement": f"{EXCURSION_SHARE:g}",
        "too short": f"{SHORTEST_RATIO:g}x",
        "too long": f"{LONGEST_RATIO:g}x",
        "phase skipped": f"{PHASE_TIME_SHARE:g}",
        "moving in a hold": f"{HOLD_SPREAD_T:g} T",
    }
    values_real = [_rule_values(r) for r in real]
    values_synth = [_rule_values(r) for r in synth]
    for rule, limit in limits.items():
        worst = max(v[rule] for v in values_synth)
        stopped = sum(v[rule] > 1 for v in values_real)
        alone = sum(v[rule] > 1 and sum(x > 1 for x in v.values()) == 1 for v in values_real)
        print(f"{rule:<18}{limit:>10}{worst:>26.2f}{stopped:>22}{alone:>17}")
    closest = min(max(v.values()) for v in values_real)
    print(f"\nclosest non-attempt: its worst rule at {closest:.2f} x its limit (> 1 = stopped)")
    for r in real:
        if r.taken:
            print(f"TAKEN: {r.technique.id} {r.label} distance {r.evidence.mean_distance:.3f}")
    for r in synth:
        if not r.taken:
            print(f"REJECTED: {r.technique.id} {r.label}: {r.reason}")


if __name__ == "__main__":
    main()
