"""The coach the session tests run with: the engine's ``LiveScorer`` when it is there.

Until ``coach/scoring/live.py`` lands, a stand-in with the same methods keeps the session's own
machinery testable: it maps time since GO onto the reference phases, reports a graded joint
deviation and the trainee's pose as the ghost, and scores the attempt with the real offline
scorer at the end. Tests that judge the live cues themselves require the real one.
"""

from __future__ import annotations

import importlib.util

import numpy as np

from coach.analysis.checks.base import Scene
from coach.pose.sequence import PoseSequence
from coach.scoring.live_types import LiveFeedback
from coach.scoring.offline import score_sequence
from coach.scoring.scorecard import ScoreCard
from coach.session.session import Coach, CoachFactory
from coach.technique.model import Technique

HAVE_LIVE_SCORER = importlib.util.find_spec("coach.scoring.live") is not None
DONE_AFTER_S = 5.5


class StandInCoach:
    """Same interface as ``LiveScorer``; only for tests, only until the real one exists."""

    def __init__(self, technique: Technique, scene: Scene | None = None) -> None:
        self.tech, self.scene = technique, scene
        self.rows: list[tuple[float, np.ndarray, np.ndarray, np.ndarray]] = []
        self.t0 = 0.0

    def start(self, t0_s: float) -> None:
        self.t0 = t0_s

    def step(
        self, t: float, image: np.ndarray, world: np.ndarray, visibility: np.ndarray
    ) -> LiveFeedback:
        self.rows.append((t, np.array(image), np.array(world), np.array(visibility)))
        times = self.tech.phase_times()
        ref_t = self.tech.t0_s + (t - self.t0)
        idx = next((i for i, (a, b) in enumerate(times) if a <= ref_t < b), len(times) - 1)
        done = t - self.t0 > DONE_AFTER_S
        return LiveFeedback(
            t, True, idx, self.tech.phases[idx].name, min(1.0, ref_t / times[-1][1]), 0.0,
            np.linspace(0.0, 3.0, 33), np.array(image)[:, :2], None, False, done,
            "safe distance" if done else "",
        )

    def finish(self) -> ScoreCard:
        rows = self.rows
        seq = PoseSequence(
            np.array([r[0] for r in rows]), np.stack([r[1] for r in rows]),
            np.stack([r[3] for r in rows]), np.stack([r[2] for r in rows]), (1280, 720), 30.0,
        )
        return score_sequence(seq, self.tech, self.tech.side, self.t0, self.scene)


def coach_factory() -> CoachFactory:
    """The real ``LiveScorer`` if present, else the stand-in."""
    if HAVE_LIVE_SCORER:
        from coach.commands.live import make_live_scorer

        return make_live_scorer

    def stand_in(technique: Technique, scene: Scene | None) -> Coach:
        return StandInCoach(technique, scene)

    return stand_in
