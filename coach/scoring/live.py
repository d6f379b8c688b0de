"""The live scorer: the offline engine fed one frame at a time.

Per frame (left/right swaps repaired causally, ``pose/swaps.py``, then One Euro-smoothed
landmarks, real timestamps): the alignment feature vector, one
step of the streaming aligner (SPRING, free start, advance clamped), the phase, the lag, joint
deviations from the matched reference pose and the ghost. When the streaming aligner says a
phase has been left, that phase's checks run on the frames so far (offline filter, DTW against
the reference up to the current point: the streaming match alone places phase edges a few
frames off, enough to misjudge a 0.5 s pull; ``phase_judge.py``, on a worker process when one
is given) and failed checks become cues. ``finish`` scores
the raw frames with the offline scorer itself, so the card shown at the end of a live attempt
is the card review shows for its recording. Frames may be fed before ``start`` (the ready
stance): they are the posture the checks compare with.
"""

from __future__ import annotations

import math
from concurrent.futures import Executor

import numpy as np

from coach.analysis.alignment import StreamingAligner
from coach.analysis.alignment_features import LIMB_POINTS, StreamingAlignmentFeatures
from coach.analysis.checks.base import CheckResult, Scene, Status
from coach.analysis.checks.timing import ONSET_T, PAUSE_RADIUS_T
from coach.analysis.features import Features
from coach.pose.landmarks import NUM_LANDMARKS, index_of
from coach.pose.one_euro import LivePoseSmoother
from coach.pose.sequence import PoseSequence
from coach.pose.swaps import CausalSwapRepair
from coach.scoring.cues import CueSelector
from coach.scoring.frame_store import FrameStore
from coach.scoring.live_types import Cue, LiveFeedback, PartnerFrame
from coach.scoring.offline import score_sequence
from coach.scoring.phase_judge import JudgeTask, PhaseJudge
from coach.scoring.reference_model import ReferenceModel, keyframed_reference
from coach.scoring.scorecard import ScoreCard
from coach.technique.model import Technique

LIMB_DIMS = 3 * len(LIMB_POINTS)
DEVIATION_TOLERANCE_T = 0.25
"""A joint this far (torso lengths) from the aligned reference is at the edge of the band."""
DEFAULT_SOURCE_SIZE = (1280, 720)
END_HOLD_S = 0.5
_NOBODY: PartnerFrame = (
    np.full((NUM_LANDMARKS, 3), np.nan),
    np.full((NUM_LANDMARKS, 3), np.nan),
    np.full(NUM_LANDMARKS, np.nan),
)


class LiveScorer:
    """Scores an attempt while it happens; ``finish`` gives the same card as review would.

    judge_executor: where phase judgements run (``phase_judge.judge_worker()``); inline when
    None. The cues are the same either way.
    """

    def __init__(
        self,
        technique: Technique,
        scene: Scene | None = None,
        reference: ReferenceModel | None = None,
        source_size: tuple[int, int] = DEFAULT_SOURCE_SIZE,
        judge_executor: Executor | None = None,
    ) -> None:
        self.technique = technique
        self.reference = reference or keyframed_reference(technique)
        self.scene = scene if scene is not None else self.reference.scene
        self.source_size = source_size
        self._features = StreamingAlignmentFeatures(source_size)
        self._swaps = CausalSwapRepair(source_size)
        self._smoother = LivePoseSmoother()
        self._aligner = StreamingAligner(
            self.reference.features, self.reference.phase_of_frame, self.reference.t
        )
        self._frames = FrameStore(source_size)
        self._partner: FrameStore | None = None
        self._t0: float | None = None
        self._judge = PhaseJudge(judge_executor)
        self._submitted = 0
        """Phases before this one have been handed to the judge."""
        self._failed: list[CheckResult] = []
        self._cues = CueSelector()
        self._end_reached_t: float | None = None
        self._cost = 0.0
        self._t0_pose: np.ndarray | None = None
        self._onset_t: float | None = None
        self._still_since: float | None = None
        self._still_pose: np.ndarray | None = None
        self._pause_checked_s = technique.timing.hesitation_max_s
        """The standstill length at which the judge next measures the pause."""

    @property
    def cue_log(self) -> list[Cue]:
        """Every cue raised, in order (for events.jsonl)."""
        return list(self._cues.log)

    def start(self, t0_s: float) -> None:
        """The start signal (GO) on the stream clock."""
        self._t0 = t0_s

    def step(
        self,
        t: float,
        image: np.ndarray,
        world: np.ndarray,
        visibility: np.ndarray,
        partner: PartnerFrame | None = None,
    ) -> LiveFeedback:
        """Feed one frame's landmarks; what the trainee should see and hear now.

        partner: (image, world, visibility) of the person applying the hold in a partner drill,
        None when not seen; kept for the score card (its release and separation rows)."""
        self._frames.append(t, image, world, visibility)  # raw: finish repairs them offline
        self._keep_partner(t, partner)
        image, world, visibility = self._swaps(t, image, world, visibility)
        smooth = self._smoother(t, image, world)
        x, frame = self._features.push(t, smooth.image, smooth.world, visibility)
        state = self._aligner.step(t, x)
        self._cost = state.cost
        started = self._t0 is not None and t >= self._t0
        deviation = self._deviation(self._features.body, state.ref_index)
        ghost = self._ghost(frame, state.ref_index) if started else None
        cue, new = (None, False)
        done, reason = self._done(t, state.ref_index)
        if started:
            self._watch_timing(t, x, state.ref_index)
            # a phase is judged once the trainee is a full phase past it, when its edges are
            # settled; at the end every phase is
            self._judge_phases(
                len(self.technique.phases) if done else state.phase_index - 1, state.ref_index
            )
            self._failed += self._judge.collect(len(self._frames), everything=done)
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
            partner=self._partner.sequence() if self._partner is not None else None,
        )
        t_end = self._frames.last_t
        self._cues.log_remaining(t_end, [c.as_result() for c in card.failed()])
        return card

    def sequence(self) -> PoseSequence:
        """Everything fed so far, as a PoseSequence."""
        return self._frames.sequence()

    def _keep_partner(self, t: float, partner: PartnerFrame | None) -> None:
        """One partner row per trainee frame (NaN where not seen), from the first sighting on
        with the frames before it filled in, so both sequences share their clock."""
        if partner is None and self._partner is None:
            return
        if self._partner is None:
            self._partner = FrameStore(self.source_size)
            for earlier in self._frames.sequence().t[:-1]:
                self._partner.append(float(earlier), *_NOBODY)
        self._partner.append(t, *(partner if partner is not None else _NOBODY))

    def _deviation(self, here: np.ndarray, ref_index: int) -> np.ndarray:
        """(33,) distance of each body-frame joint ``here`` from the matched reference pose."""
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

    def _judge_phases(self, phase_index: int, ref_index: int) -> None:
        """Hand every phase the trainee has left since the last time to the judge."""
        if phase_index <= self._submitted or self._t0 is None:
            return
        self._judge.submit(len(self._frames), self._task(ref_index, phase_index))
        self._submitted = phase_index

    def _task(self, ref_index: int, stop: int, pause_limit_s: float | None = None) -> JudgeTask:
        """A judgement of the phases not yet handed over up to ``stop`` on the frames so far."""
        t0 = self._t0 if self._t0 is not None else self._frames.last_t
        return JudgeTask(self.sequence(), self.technique, self.reference, self.scene, t0,
                         ref_index, self._submitted, stop, pause_limit_s)

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
            self._pause_checked_s = limits.hesitation_max_s
        elif self._still_since is not None and t - self._still_since > self._pause_checked_s:
            # A standstill longer than the limit by this frame's rough measure: the judge
            # measures it as the score card will (filtered frames, the pause only where the
            # aligned reference moves) and only a pause it confirms is cued. Again after each
            # further limit's worth of standing still.
            self._pause_checked_s = t - self._still_since + limits.hesitation_max_s
            self._judge.submit(len(self._frames), self._task(ref_index, self._submitted,
                                                             limits.hesitation_max_s))

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
