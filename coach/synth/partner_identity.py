"""Is the trainee chosen among two rendered people the rendered trainee?

For a rendered attempt with a partner, every person the pose model followed is kept (the
rendered evaluation's tracks, cached), the trainee is chosen from them by each rule compared,
and the chosen track is matched with what was drawn: in each frame where it was seen, its
mid-hip is nearer either the trainee's drawn mid-hip or the partner's. The choice is right
when most of its frames are on the trainee.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.pose.landmarks import index_of
from coach.pose.people_tracks import PeopleTracks, choose_trainee
from coach.synth.figure.attempt_video import AttemptScene, attempt_scene
from coach.synth.rendered_evaluation import Job, job_spec, seen_tracks

RULES_COMPARED = ("largest", "breaks_away")


@dataclass(frozen=True)
class RuleResult:
    """One rule on one attempt: frames the chosen track was seen, and on the partner."""

    rule: str
    decided_by: str
    frames_seen: int
    frames_on_partner: int
    fallback_reason: str | None
    evidence: dict[str, object] | None
    """``breaks_away``'s numbers (as in attempt.json), None for the other rules"""
    trainee_track: int | None
    """the track chosen"""

    @property
    def right(self) -> bool:
        """The chosen track is the trainee in most of its frames (and was seen at all)."""
        return self.frames_seen > 0 and 2 * self.frames_on_partner < self.frames_seen


@dataclass(frozen=True)
class IdentityOutcome:
    technique_id: str
    fault: str
    placement: str
    frames: int
    people_seen: int
    results: dict[str, RuleResult]


def _mid_hip(points: np.ndarray) -> np.ndarray:
    """(T, 2) mid-hip of (T, 33, >=2) points."""
    return np.asarray(
        (points[:, index_of("left_hip"), :2] + points[:, index_of("right_hip"), :2]) / 2
    )


def identity_job(job: Job) -> IdentityOutcome:
    """Render (or read from the cache) one attempt and judge each rule's choice on it."""
    scene = attempt_scene(job.technique, job_spec(job), job.partner_height_m)
    return judge_rules(job, scene, seen_tracks(job, scene))


def judge_rules(job: Job, scene: AttemptScene, tracks: PeopleTracks) -> IdentityOutcome:
    """Each rule's choice among ``tracks`` (followed on the job's video) against the drawing."""
    size = np.array(job.camera.size, dtype=np.float64)
    n = len(tracks.t)
    trainee_hip = _mid_hip(scene.truth.sequence.image[:n]) * size
    partner_hip = _mid_hip(job.camera.project(scene.partner.points)[:n]) * size
    results = {}
    people = 0
    for rule in RULES_COMPARED:
        choice = choose_trainee(tracks.sequences, rule)
        people = choice.people_seen
        hips = _mid_hip(tracks.sequence_or_empty(choice.trainee).image_pixels())
        seen = np.isfinite(hips).all(axis=1)
        to_trainee = np.linalg.norm(hips - trainee_hip, axis=1)
        to_partner = np.linalg.norm(hips - partner_hip, axis=1)
        on_partner = seen & (to_partner < to_trainee)
        results[rule] = RuleResult(
            rule,
            choice.decided_by,
            int(seen.sum()),
            int(on_partner.sum()),
            choice.fallback_reason,
            choice.evidence.describe() if choice.evidence is not None else None,
            choice.trainee,
        )
    return IdentityOutcome(job.technique.id, job.fault, job.placement, n, people, results)


def identity_table(outcomes: list[IdentityOutcome]) -> str:
    """Per technique: attempts, and per rule the attempts whose chosen trainee is the rendered
    trainee, and the share of followed frames that were on the partner."""
    rules = RULES_COMPARED
    head = f"{'technique':<22} {'n':>3} {'2 seen':>6}"
    for rule in rules:
        head += f" | {rule + ' right':>17} {'on partner':>10}"
    head += f" | {'decided by breaks_away':>22}"
    lines = [head, "-" * len(head)]
    groups: dict[str, list[IdentityOutcome]] = {}
    for o in outcomes:
        groups.setdefault(o.technique_id, []).append(o)
    for name, group in [*sorted(groups.items()), ("all", outcomes)]:
        row = f"{name:<22} {len(group):>3} {sum(o.people_seen >= 2 for o in group):>6}"
        for rule in rules:
            res = [o.results[rule] for o in group]
            right = sum(r.right for r in res)
            seen = sum(r.frames_seen for r in res)
            on = sum(r.frames_on_partner for r in res)
            share = f"{100 * on / seen:.1f} %" if seen else "-"
            row += f" | {right:>11}/{len(group):<3} {'':>2} {share:>10}"
        decided = sum(o.results["breaks_away"].decided_by == "breaks_away" for o in group)
        row += f" | {decided:>18}/{len(group):<3}"
        lines.append(row)
    return "\n".join(lines)


def fallback_lines(outcomes: list[IdentityOutcome]) -> list[str]:
    """Why ``breaks_away`` fell back, counted (the reason's words before its numbers)."""
    counts: dict[str, int] = {}
    for o in outcomes:
        reason = o.results["breaks_away"].fallback_reason
        if reason is not None:
            key = reason.split(" (")[0].split(" than")[0]
            counts[key] = counts.get(key, 0) + 1
    return [f"{n:>4}  {reason}" for reason, n in sorted(counts.items(), key=lambda kv: -kv[1])]


def attempt_lines(outcomes: list[IdentityOutcome]) -> list[str]:
    """One line per attempt: each rule's choice, right or wrong, and breaks_away's numbers."""
    lines = []
    for o in outcomes:
        cells = [f"{o.technique_id:<22} {o.fault:<22} people {o.people_seen}"]
        for rule in RULES_COMPARED:
            r = o.results[rule]
            verdict = "right" if r.right else "WRONG"
            cells.append(f"{rule} {r.trainee_track} {verdict}")
        ev = o.results["breaks_away"].evidence or {}
        cells.append(
            f"closest {ev.get('closest_torso_lengths')} T, away {ev.get('away_torso_lengths')}"
        )
        lines.append("  ".join(cells))
    return lines
