"""The live scorer: the offline engine fed one frame at a time.

Per frame (on One Euro-smoothed landmarks, real timestamps): the alignment feature vector, one
step of the streaming aligner (SPRING, free start, advance clamped), the phase, the lag, joint
deviations from the matched reference pose and the ghost. When the streaming aligner says a
phase has been left, that phase's checks run on the frames so far (offline filter, DTW against
the reference up to the current point: the streaming match alone places phase edges a few
frames off, enough to misjudge a 0.5 s pull) and failed checks become cues. ``finish`` scores
the raw frames with the offline scorer itself, so the card shown at the end of a live attempt
is the card review shows for its recording. Frames may be fed before ``start`` (the ready
stance): they are the posture the checks compare with.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from coach.analysis.alignment import StreamingAligner
from coach.analysis.alignment_features import (
    LIMB_POINTS,
    StreamingAlignmentFeatures,
    alignment_features,
)
from coach.analysis.checks.base import CheckResult, Events, Scene, Status
from coach.analysis.checks.evaluate import evaluate_check
from coach.analysis.checks.timing import ONSET_T, PAUSE_RADIUS_T
from coach.analysis.features import Features, body_frame
from coach.pose.filters import smooth_offline
from coach.pose.landmarks import index_of
from coach.pose.one_euro import LivePoseSmoother
from coach.pose.sequence import PoseSequence
from coach.scoring.cues import CueSelector
from coach.scoring.live_types import Cue, LiveFeedback
from coach.scoring.offline import align, score_sequence
from coach.scoring.phase_mapping import PhaseMapping
from coach.scoring.reference_model import ReferenceModel, keyframed_reference
from coach.scoring.scorecard import ScoreCard
from coach.technique.model import Technique

LIMB_DIMS = 3 * len(LIMB_POINTS)
DEVIATION_TOLERANCE_T = 0.25
"""A joint this far (torso lengths) from the aligned reference is at the edge of the band."""
DEFAULT_SOURCE_SIZE = (1280, 720)
END_HOLD_S = 0.5


class LiveScorer:
    """Scores an attempt while it happens; ``finish`` gives the same card as review would."""

    def __init__(
        self,
        technique: Technique,
        scene: Scene | None = None,
        reference: ReferenceModel | None = None,
        source_size: tuple[int, int] = DEFAULT_SOURCE_SIZE,
    ) -> None:
        self.technique = technique
        self.reference = reference or keyframed_reference(technique)
        self.scene = scene if scene is not None else self.reference.scene
        self.source_size = source_size
        self._features = StreamingAlignmentFeatures(source_size)
        self._smoother = LivePoseSmoother()
        self._aligner = StreamingAligner(
            self.reference.features, self.reference.phase_of_frame, self.reference.t
        )
        self._rows: list[tuple[float, np.ndarray, np.ndarray, np.ndarray]] = []
        self._ref_index: list[int] = []
        self._t0: float | None = None
        self._evaluated = 0
        self._failed: list[CheckResult] = []
        self._cues = CueSelector()
        self._end_reached_t: float | None = None
        self._cost = 0.0
        self._t0_pose: np.ndarray | None = None
        self._onset_t: float | None = None
        self._still_since: float | None = None
        self._still_pose: np.ndarray | None = None

    @property
    def cue_log(self) -> list[Cue]:
        """Every cue raised, in order (for events.jsonl)."""
        return list(self._cues.log)

    def start(self, t0_s: float) -> None:
        """The start signal (GO) on the stream clock."""
        self._t0 = t0_s

    def step(
        self, t: float, image: np.ndarray, world: np.ndarray, visibility: np.ndarray
    ) -> LiveFeedback:
        """Feed one frame's landmarks; what the trainee should see and hear now."""
        self._rows.append((t, np.asarray(image), np.asarray(world), np.asarray(visibility)))
        smooth = self._smoother(t, np.asarray(image), np.asarray(world))
        x, frame = self._features.push(t, smooth.image, smooth.world, visibility)
        state = self._aligner.step(t, x)
        self._ref_index.append(state.ref_index)
        self._cost = state.cost
        started = self._t0 is not None and t >= self._t0
        deviation = self._deviation(frame, state.ref_index)
        ghost = self._ghost(frame, state.ref_index) if started else None
        cue, new = (None, False)
        done, reason = self._done(t, state.ref_index)
        if started:
            self._watch_timing(t, x, state.ref_index)
            # a phase is judged once the trainee is a full phase past it, when its edges are
            # settled; at the end every phase is
            self._evaluate_finished_phases(
                len(self.technique.phases) if done else state.phase_index - 1
            )
            cue, new = self._cues.offer(t, self._failed)
        phase = self.technique.phases[state.phase_index]
        return LiveFeedback(
            t=t,
            started=started,
            phase_index=state.phase_index if started else -1,
            phase_name=phase.name if started else "",
            progress=state.progress if started else 0.0,
            lag_s=state.lag_s if started and math.isfinite(state.lag_s) else 0.0,
            joint_deviation=deviation,
            ghost_image=ghost,
            cue=cue,
            new_cue=new,
            done=done,
            done_reason=reason,
        )

    def finish(self) -> ScoreCard:
        """The score card of the attempt: the offline scorer on the raw frames fed so far.

        Failed criteria that were not cued during the attempt are logged as cues now (they
        are the "work on" list of the score card).
        """
        side = self.technique.side
        card = score_sequence(
            self.sequence(),
            self.technique,
            side=side,
            t0_s=self._t0,
            scene=self.scene,
            references={side: self.reference},
        )
        t_end = float(self._rows[-1][0])
        self._cues.log_remaining(t_end, [c.as_result() for c in card.failed()])
        return card

    def sequence(self) -> PoseSequence:
        """Everything fed so far, as a PoseSequence."""
        rows = self._rows
        if not rows:
            raise ValueError("no frames were fed")
        return PoseSequence(
            t=np.array([r[0] for r in rows]),
            image=np.stack([r[1] for r in rows]),
            visibility=np.stack([r[3] for r in rows]),
            world=np.stack([r[2] for r in rows]),
            source_size=self.source_size,
            fps=30.0,
        )

    def _deviation(self, frame: Features, ref_index: int) -> np.ndarray:
        here = body_frame(frame)[0]
        return np.linalg.norm(here - self.reference.body[ref_index], axis=1) / DEVIATION_TOLERANCE_T

    def _ghost(self, frame: Features, ref_index: int) -> np.ndarray | None:
        """The reference pose at the trainee's place and size, normalised image coordinates."""
        ref_px = self.reference.pixels[ref_index]
        ref_mid = _mid(ref_px, "hip")
        ref_torso = np.linalg.norm(_mid(ref_px, "shoulder") - ref_mid)
        mid = frame.pixel("mid_hip")[0]
        torso = float(frame.torso_px[0])
        if not (np.isfinite(mid).all() and np.isfinite(torso) and ref_torso > 0):
            return None
        placed = mid + (ref_px - ref_mid) * (torso / ref_torso)
        return placed / np.array(self.source_size, dtype=np.float64)

    def _evaluate_finished_phases(self, phase_index: int) -> None:
        """Checks of every phase the trainee has left, on the frames aligned to it."""
        if phase_index <= self._evaluated or self._t0 is None:
            return
        f = Features.from_sequence(smooth_offline(self.sequence()))
        mapping = self._mapping_so_far(f, self._ref_index[-1])
        release = mapping.first_frame_at_or_past(self.reference.release_frame)
        events = Events(self._t0, float(f.t[release]) if release is not None else None)
        for k in range(self._evaluated, phase_index):
            window = mapping.windows[k]
            if window.stop <= window.start:
                continue
            for check in self.technique.phases[k].checks:
                if check.deadline_from == "release" and events.release_s is None:
                    continue
                result = evaluate_check(check, f, window, events, self.scene)
                self._failed.append(result)
        self._evaluated = phase_index

    def _watch_timing(self, t: float, x: np.ndarray, ref_index: int) -> None:
        """Timing cues that cannot wait for a phase to end: no movement yet, a standstill."""
        limits = self.technique.timing
        t0 = self._t0 if self._t0 is not None else t
        limbs = x[:LIMB_DIMS]
        if self._t0_pose is None:
            self._t0_pose = limbs
        if self._onset_t is None and _displacement(limbs, self._t0_pose) > ONSET_T:
            self._onset_t = t
        if self._onset_t is None and t - t0 > limits.onset_max_s:
            self._raise_timing("onset", "movement starts after t0", t, t - t0, limits.onset_max_s)
        if self._onset_t is None or ref_index >= self.reference.release_frame:
            self._still_since = None
            return
        restart = (
            self._still_since is None
            or self._still_pose is None
            or not self.reference.moving[ref_index]
            or _displacement(limbs, self._still_pose) > PAUSE_RADIUS_T
        )
        if restart:
            self._still_since, self._still_pose = t, limbs
        elif self._still_since is not None and t - self._still_since > limits.hesitation_max_s:
            pause = t - self._still_since
            self._raise_timing(
                "hesitation",
                "longest pause inside the technique",
                t,
                pause,
                limits.hesitation_max_s,
            )

    def _raise_timing(self, kind: str, label: str, t: float, value: float, limit: float) -> None:
        if any(r.kind == kind for r in self._failed):
            return
        self._failed.append(
            CheckResult(
                kind,
                label,
                "coaching",
                Status.NOT_MET,
                value,
                f"<= {limit:g}",
                "s",
                self._t0 if self._t0 is not None else t,
                t,
            )
        )

    def _mapping_so_far(self, f: Features, ref_end: int) -> PhaseMapping:
        """DTW of the frames so far against the reference up to ``ref_end``."""
        partial = replace(
            self.reference,
            t=self.reference.t[: ref_end + 1],
            features=self.reference.features[: ref_end + 1],
        )
        mapping, _ = align(alignment_features(f), partial)
        return mapping

    def _done(self, t: float, ref_index: int) -> tuple[bool, str]:
        if self._t0 is None:
            return False, ""
        if t - self._t0 >= self.technique.timing.hard_fail_s:
            return True, f"{self.technique.timing.hard_fail_s:g} s limit"
        if ref_index >= len(self.reference) - 1:
            self._end_reached_t = self._end_reached_t if self._end_reached_t is not None else t
            if t - self._end_reached_t >= END_HOLD_S:
                return True, "technique complete"
        return False, ""


def _displacement(a: np.ndarray, b: np.ndarray) -> float:
    """Largest coordinate change between two limb vectors (torso lengths); 0 if unseen."""
    d = np.abs(a - b)
    return float(np.max(d[np.isfinite(d)])) if np.isfinite(d).any() else 0.0


def _mid(pixels: np.ndarray, joint: str) -> np.ndarray:
    """Midpoint of the left and right ``joint`` (``hip``, ``shoulder``)."""
    return 0.5 * (pixels[index_of(f"left_{joint}")] + pixels[index_of(f"right_{joint}")])
