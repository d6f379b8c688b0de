"""Quality evaluation of the coaching engine on synthetic attempts with known faults.

For every technique and every fault that applies to it, attempts are generated across body
heights, speeds, sides, camera distances and angles, with MediaPipe-like noise, and scored by
the offline engine exactly as a real recording would be (the generator's ground-truth phases
are not used; only the start signal, as a live session records it).

The oracle is the same rubric on the same attempt without noise and with its true phase times.
A fault is detected when one of the criteria it should break is Not met. On a correct attempt
a criterion Not met is a false alarm unless the oracle fails it too: a 2x trainee who holds
the forearm for 0.15 s instead of 0.3 s, or a 0.5x trainee who releases after 3.8 s, is
outside the technique's limits at that speed, and failing it is right. Where the oracle's own
value is within measurement tolerance of the limit the case is borderline (see margins.py)
and counted apart. The report is in quality_report.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Final

import numpy as np

from coach.analysis.checks.base import CheckResult, Status
from coach.analysis.checks.evaluate import evaluate_technique
from coach.analysis.features import Features
from coach.bodymodel.camera import Camera
from coach.bodymodel.reference import Rendered
from coach.pose.sequence import PoseSequence
from coach.scoring.offline import references_for, score_sequence
from coach.scoring.scorecard import ScoreCard
from coach.synth.attempts import AttemptSpec, Noise, add_noise, synthesize_attempt
from coach.synth.faults import FAULTS
from coach.synth.margins import is_borderline
from coach.technique.model import Technique

CORRECT: Final[str] = "correct"

EXPECTED_FAILURES: Final[dict[str, frozenset[str]]] = {
    "narrow_stance": frozenset({"stance_width"}),
    "stiff_knees": frozenset({"joint_angle", "hip_drop"}),
    "hands_down": frozenset({"guard"}),
    "no_step_back": frozenset({"step"}),
    "escape_toward_threat": frozenset({"escape_direction", "escape_distance"}),
    "away_from_exit": frozenset({"escape_direction"}),
    "turn_back_early": frozenset({"keep_facing"}),
    "slow_release": frozenset({"release_time", "movement_duration", "peak_speed"}),  # speeds /3
    "late_onset": frozenset({"onset"}),
    "arm_not_raised": frozenset({"joint_above", "joint_angle"}),
    "no_body_turn": frozenset({"rotation", "keep_facing"}),  # rear strangle: never faces them
    "hesitation": frozenset({"hesitation"}),
}
"""The check kinds each fault should make Not met."""

SIDE_VIEW_FAULTS: Final[frozenset[str]] = frozenset({"stiff_knees"})
"""Faults whose checks are judged only with the camera at the trainee's side (the knee's bend:
Not assessable from the front, ``checks/views.py``): their attempts are filmed from where the
coach's camera advice puts the laptop, SIDE_VIEW_DEG round with the usual +-15 deg spread, on
the side the trainee's stance angles toward (a left-side attempt is the mirror of a right)."""

SIDE_VIEW_DEG: Final[float] = 65.0


@dataclass(frozen=True)
class Variation:
    """One draw of everything that should not change the verdict."""

    height_m: float
    speed: float
    side: str
    distance_m: float
    azimuth_deg: float
    seed: int


def variations(n: int, seed: int = 0) -> list[Variation]:
    """``n`` draws spanning 1.5-2.0 m, 0.5x-2x (log-uniform), both sides, 2.7-3.3 m, +-15 deg."""
    rng = np.random.default_rng(seed)
    return [
        Variation(
            height_m=float(rng.uniform(1.5, 2.0)),
            speed=float(np.exp(rng.uniform(np.log(0.5), np.log(2.0)))),
            side=("left", "right")[i % 2],
            distance_m=float(rng.uniform(2.7, 3.3)),
            azimuth_deg=float(rng.uniform(-15.0, 15.0)),
            seed=int(rng.integers(1 << 30)),
        )
        for i in range(n)
    ]


def applicable_faults(technique: Technique) -> list[str]:
    """Faults that make sense for ``technique`` (the generator refuses the others)."""
    out = []
    for name in FAULTS:
        try:
            synthesize_attempt(technique, AttemptSpec(faults=(name,)))
        except ValueError:
            continue
        out.append(name)
    return out


@dataclass(frozen=True)
class Outcome:
    """One scored attempt beside the oracle's verdict on the same attempt."""

    technique_id: str
    fault: str
    variation: Variation
    card: ScoreCard
    oracle: tuple[CheckResult, ...]
    """The rubric on the attempt without noise and with its true phase times."""

    @property
    def oracle_failed(self) -> frozenset[str]:
        """Check kinds the oracle finds Not met."""
        return frozenset(r.kind for r in self.oracle if r.status is Status.NOT_MET)

    @property
    def detected(self) -> bool:
        """A fault: one of the criteria it should break is Not met on the card."""
        return bool({c.kind for c in self.card.failed()} & EXPECTED_FAILURES[self.fault])

    @property
    def sight(self) -> str:
        """A fault as the oracle sees it: "clear" (an expected criterion fails beyond the
        measurement tolerance), "borderline" (fails, but only within it) or "unseen"."""
        failing = [
            r
            for r in self.oracle
            if r.kind in EXPECTED_FAILURES[self.fault] and r.status is Status.NOT_MET
        ]
        if any(not is_borderline(r) for r in failing):
            return "clear"
        return "borderline" if failing else "unseen"

    def alarms(self) -> tuple[int, int]:
        """A correct attempt: (false alarms, borderline alarms) on the card. A criterion Not
        met is a false alarm unless the oracle fails it too (the attempt is outside the
        technique's limits there, and failing it is right) or passes it only within the
        measurement tolerance (borderline)."""
        by_name = {(r.kind, r.label): r for r in self.oracle}
        false = borderline = 0
        for c in self.card.failed():
            truth = by_name.get((c.kind, c.label))
            if truth is not None and truth.status is Status.NOT_MET:
                continue
            if truth is not None and truth.status is Status.MET and is_borderline(truth):
                borderline += 1
            else:
                false += 1
        return false, borderline

    @property
    def outside_limits(self) -> bool:
        """A correct attempt the oracle fails: outside the technique's limits at its speed."""
        return self.fault == CORRECT and bool(self.oracle_failed)


def evaluate(
    techniques: Iterable[Technique],
    n_per_case: int,
    seed: int = 0,
    workers: int = 1,
) -> list[Outcome]:
    """Score ``n_per_case`` attempts per (technique, fault or correct), on ``workers`` processes."""
    cases = [
        (technique, fault)
        for technique in techniques
        for fault in [CORRECT, *applicable_faults(technique)]
    ]
    jobs = [(technique, fault, n_per_case, seed) for technique, fault in cases]
    if workers <= 1:
        return [o for job in jobs for o in _evaluate_case(job)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [o for chunk in pool.map(_evaluate_case, jobs) for o in chunk]


def evaluation_attempt(
    technique: Technique, fault: str, v: Variation
) -> tuple[Rendered, PoseSequence]:
    """One attempt of the evaluation set: noise-free with its ground truth, and with noise."""
    azimuth_deg = v.azimuth_deg
    if fault in SIDE_VIEW_FAULTS:  # round to the side the trainee angles toward (mirrored)
        azimuth_deg = (SIDE_VIEW_DEG + azimuth_deg) * (1.0 if v.side == "right" else -1.0)
    spec = AttemptSpec(
        height_m=v.height_m,
        speed=v.speed,
        side=v.side,
        camera=Camera(distance_m=v.distance_m, azimuth_deg=azimuth_deg),
        faults=() if fault == CORRECT else (fault,),
        seed=v.seed,
    )
    attempt = synthesize_attempt(technique, spec)
    noisy = add_noise(attempt.sequence, Noise.typical(), np.random.default_rng(v.seed))
    return attempt, noisy


def _evaluate_case(job: tuple[Technique, str, int, int]) -> list[Outcome]:
    """Every variation of one (technique, fault) case."""
    technique, fault, n_per_case, seed = job
    refs = references_for(technique)
    outcomes = []
    for v in variations(n_per_case, seed):
        attempt, noisy = evaluation_attempt(technique, fault, v)
        oracle = evaluate_technique(
            technique.on_side(v.side),
            Features.from_sequence(attempt.sequence),
            attempt.windows,
            attempt.events,
            attempt.scene,
        )
        card = score_sequence(
            noisy,
            technique,
            side="auto",
            t0_s=attempt.events.t0_s,
            scene=attempt.scene,
            references=refs,
        )
        outcomes.append(Outcome(technique.id, fault, v, card, tuple(oracle.all())))
    return outcomes
