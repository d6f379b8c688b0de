"""Quality evaluation of the coaching engine on synthetic attempts with known faults.

For every technique and every fault that applies to it, attempts are generated across body
heights, speeds, sides, camera distances and angles, with MediaPipe-like noise, and scored by
the offline engine exactly as a real recording would be (the generator's ground-truth phases
are not used; only the start signal, as a live session records it). A fault counts as detected
when one of the criteria it should break is Not met; a correct attempt counts as a false alarm
when any criterion is Not met that the oracle passes.

The oracle is the same rubric on the same attempt without noise and with its true phase times.
A correct attempt the oracle already fails is outside the technique's limits at that speed (a
2x trainee who holds the forearm for 0.15 s instead of 0.3 s, a 0.5x trainee who releases after
3.8 s): it is reported as "outside limits", not as a false alarm, since failing it is right.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Final

import numpy as np

from coach.analysis.checks.base import Status
from coach.analysis.checks.evaluate import evaluate_technique
from coach.analysis.features import Features
from coach.pose.sequence import PoseSequence
from coach.scoring.offline import references_for, score_sequence
from coach.scoring.scorecard import ScoreCard
from coach.synth.attempts import AttemptSpec, Noise, add_noise, synthesize_attempt
from coach.synth.camera import Camera
from coach.synth.faults import FAULTS
from coach.synth.reference import Rendered
from coach.technique.model import Technique

CORRECT: Final[str] = "correct"
OUTSIDE_LIMITS: Final[str] = "correct, outside limits"

EXPECTED_FAILURES: Final[dict[str, frozenset[str]]] = {
    "narrow_stance": frozenset({"stance_width"}),
    "stiff_knees": frozenset({"joint_angle", "hip_drop"}),
    "hands_down": frozenset({"guard"}),
    "no_step_back": frozenset({"step"}),
    "escape_toward_threat": frozenset({"escape_direction", "escape_distance"}),
    "away_from_exit": frozenset({"escape_direction"}),
    "turn_back_early": frozenset({"keep_facing"}),
    "slow_release": frozenset({"release_time", "movement_duration"}),
    "late_onset": frozenset({"onset"}),
    "arm_not_raised": frozenset({"joint_above", "joint_angle"}),
    "no_body_turn": frozenset({"rotation"}),
    "hesitation": frozenset({"hesitation"}),
}
"""The check kinds each fault should make Not met."""


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
    technique_id: str
    fault: str
    variation: Variation
    card: ScoreCard
    oracle_failed: frozenset[str]
    """Check kinds Not met without noise and with the true phase times."""

    @property
    def flagged(self) -> bool:
        """For a fault: one of its expected criteria is Not met. For a correct attempt: a
        criterion is Not met that the oracle passes."""
        failed = {c.kind for c in self.card.failed()}
        if self.fault == CORRECT:
            return bool(failed - self.oracle_failed)
        return bool(failed & EXPECTED_FAILURES[self.fault])

    @property
    def case(self) -> str:
        """The row of the report: the fault, "correct" or "outside limits"."""
        if self.fault == CORRECT and self.oracle_failed:
            return OUTSIDE_LIMITS
        return self.fault


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
    spec = AttemptSpec(
        height_m=v.height_m,
        speed=v.speed,
        side=v.side,
        camera=Camera(distance_m=v.distance_m, azimuth_deg=v.azimuth_deg),
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
        oracle_failed = frozenset(r.kind for r in oracle.all() if r.status is Status.NOT_MET)
        outcomes.append(Outcome(technique.id, fault, v, card, oracle_failed))
    return outcomes


@dataclass(frozen=True)
class Row:
    """One line of the quality report.

    For a fault: ``rate`` is the engine's detection rate over the attempts whose fault the
    oracle sees (the engine's job: find what the rubric can find); ``coverage`` is the share the
    oracle sees (the rubric's reach: a fault it cannot see needs a check, not a better engine);
    ``rate_all`` is detection over every attempt. For "correct": ``rate`` is the false-alarm
    rate. For "outside limits": the share flagged (expected: all of them, by the oracle).
    """

    case: str
    n: int
    rate: float
    coverage: float
    rate_all: float


def report(outcomes: Iterable[Outcome]) -> list[Row]:
    """Rows sorted by case."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.case, []).append(o)
    rows = []
    for case, group in sorted(groups.items()):
        flags = np.array([o.flagged for o in group])
        if case in EXPECTED_FAILURES:
            seen = np.array([bool(o.oracle_failed & EXPECTED_FAILURES[case]) for o in group])
            rate = float(flags[seen].mean()) if seen.any() else float("nan")
            rows.append(Row(case, len(group), rate, float(seen.mean()), float(flags.mean())))
        else:
            rows.append(Row(case, len(group), float(flags.mean()), 1.0, float(flags.mean())))
    return rows


DETECTION_TARGET: Final[float] = 0.95
FALSE_ALARM_TARGET: Final[float] = 0.05


def meets_target(row: Row) -> bool | None:
    """Detection >= 95 % for a fault, false alarms <= 5 % for correct attempts; None: no target."""
    if row.case == CORRECT:
        return row.rate <= FALSE_ALARM_TARGET
    if row.case in EXPECTED_FAILURES:
        return bool(row.rate >= DETECTION_TARGET)
    return None


def format_report(rows: Iterable[Row]) -> str:
    """The report as a fixed-width table, with each row against its target."""
    lines = [f"{'case':26}{'n':>5}{'rate':>8}{'coverage':>10}{'rate_all':>10}  target"]
    for r in rows:
        met = meets_target(r)
        target = "" if met is None else ("met" if met else "NOT met")
        lines.append(
            f"{r.case:26}{r.n:>5}{r.rate:>8.3f}{r.coverage:>10.3f}{r.rate_all:>10.3f}  {target}"
        )
    return "\n".join(lines)
