"""The live loop: capture thread -> pose worker -> (main thread) flow, coach, recorder, overlay.

``run_session`` wires the parts together and returns the statistics. The coach is anything
with the ``Coach`` methods (the engine's ``LiveScorer``): it is created when the countdown starts
(the ready stance is its baseline), fed raw landmarks on every frame, started at GO,
and finished at the end of the attempt. Recording starts with the
countdown, so the stance before GO is kept; GO's time goes into ``attempt.json``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from coach import __version__
from coach.analysis.checks.base import Scene
from coach.recording.attempt_folder import next_attempt_folder
from coach.recording.attempt_meta import AttemptMeta, SourceMeta
from coach.render.overlay import draw_overlay
from coach.render.partner import draw_partner
from coach.scoring.cues import cue_text
from coach.scoring.live_types import LiveFeedback, PartnerFrame
from coach.scoring.offline import NotScorableError
from coach.scoring.scorecard import ScoreCard
from coach.session.capture import CaptureThread, NewestFrameSlot
from coach.session.display import Display
from coach.session.framing import check_framing, is_ready_stance
from coach.session.pose_worker import PosedFrame, PoseFn, PoseWorker
from coach.session.recorder import AttemptRecorder
from coach.session.sound import Silent, Sound
from coach.session.state_machine import Event, Observation, SessionMachine, State, Timing
from coach.session.stats import SessionStats
from coach.session.view import FrameInfo, build_view
from coach.technique.model import Technique, other_side
from coach.video.frames import FrameSource
from coach.video.pacing import paced

NEUTRAL_GREY = 56
MIN_DRAW_HEIGHT = 360
"""The overlay's text and bars are laid out for 360 p and up: a smaller picture (an old webcam,
a thumbnail-sized video) is enlarged to this height before anything is drawn on it."""


def drawing_size(size: tuple[int, int]) -> tuple[int, int]:
    """(width, height) of what the overlay is drawn on for a source of ``size``."""
    w, h = size
    if h >= MIN_DRAW_HEIGHT or h <= 0:
        return (w, h)
    return (max(1, round(w * MIN_DRAW_HEIGHT / h)), MIN_DRAW_HEIGHT)


class Coach(Protocol):
    """The live scorer's interface (``coach.scoring.live.LiveScorer``)."""

    def start(self, t0_s: float) -> None: ...

    def step(
        self,
        t: float,
        image: np.ndarray,
        world: np.ndarray,
        visibility: np.ndarray,
        partner: PartnerFrame | None = None,
    ) -> LiveFeedback: ...

    def finish(self) -> ScoreCard: ...


CoachFactory = Callable[[Technique, Scene | None, tuple[int, int]], Coach]
SceneFor = Callable[[Technique, str], Scene]


@dataclass
class SessionConfig:
    """Everything a session needs besides the source, the display and the coach."""

    techniques: list[Technique]
    """The technique to practise first, then what ``n`` cycles through (all on their side)."""
    recordings: Path
    scene_for: SceneFor
    exit_side: str | None = None
    save_exit_side: Callable[[str], None] | None = None
    trainee: str | None = None
    timing: Timing = field(default_factory=Timing)
    realtime: bool = True
    neutral_background: bool = False
    canvas_size: tuple[int, int] | None = None
    """(width, height) of the neutral background (default: the source size)."""
    max_attempts: int | None = None
    keys: tuple[tuple[float, str], ...] = ()
    """Scripted key presses (stream time, key), as if typed: for headless runs and tests."""
    seed: int | None = None
    save_video: bool = False
    """Keep the camera picture of each attempt as ``video.mp4`` (keypoints are always kept)."""
    people_status: Callable[[], str] | None = None
    """With a partner in the picture: who the coach follows, for the header (TraineeLock)."""


@dataclass
class SessionResult:
    stats: SessionStats
    attempts: list[Path] = field(default_factory=list)
    cards: list[ScoreCard] = field(default_factory=list)
    cues: list[tuple[float, str]] = field(default_factory=list)
    interrupted: bool = False
    """Ended by Ctrl-C or SIGTERM: the attempt in progress was kept as aborted."""


def run_session(
    source: FrameSource,
    display: Display,
    config: SessionConfig,
    make_coach: CoachFactory,
    pose_fn: PoseFn | None,
    sound: Sound | None = None,
) -> SessionResult:
    """Run until q, the end of the source, or ``max_attempts`` score cards have been shown."""
    loop = _Loop(source, display, config, make_coach, sound or Silent())
    slot = NewestFrameSlot(lossless=not config.realtime)
    frames = paced(source.frames()) if config.realtime else source.frames()
    capture = CaptureThread(frames, slot).start()
    worker = PoseWorker(slot, pose_fn, depth=1).start()
    try:
        try:
            while (posed := worker.next()) is not None:
                if not loop.frame(posed, slot, worker):
                    break
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: end as q does; the attempt is aborted
            loop.result.interrupted = True
        for error in (capture.error, worker.error):
            if error is not None:
                raise error
    finally:
        capture.stop()
        worker.stop()
        loop.close()
    loop.stats.frames_captured = slot.produced
    loop.stats.frames_dropped = slot.dropped
    return loop.result


class _Loop:
    """The main thread's per-frame work, with the state that lives across frames."""

    def __init__(
        self, source: FrameSource, display: Display, config: SessionConfig,
        make_coach: CoachFactory, sound: Sound,
    ) -> None:
        self.source, self.display, self.config = source, display, config
        self.make_coach, self.sound = make_coach, sound
        self.machine = SessionMachine(config.timing, config.exit_side, seed=config.seed)
        self.tech_index = 0
        self.tech = config.techniques[0]
        self.stats = SessionStats()
        self.result = SessionResult(self.stats)
        self.coach: Coach | None = None
        self.recorder: AttemptRecorder | None = None
        self.card: ScoreCard | None = None
        self.last_phase = -1
        self.pending_keys = sorted(config.keys)
        self.key: str | None = None
        self.scene: Scene | None = None
        self.attempt_cues: set[str] = set()
        """Cue texts said in the current attempt: each is said (and logged) once."""
        self.last_t = 0.0
        """Stream time of the last frame: where an attempt cut short ends."""

    def _scene(self) -> Scene | None:
        if self.machine.exit_side is None:
            return None
        return self.config.scene_for(self.tech, self.machine.exit_side)

    def frame(self, posed: PosedFrame, slot: NewestFrameSlot, worker: PoseWorker) -> bool:
        """Process one frame; False to stop the session."""
        t = posed.t
        self.last_t = t
        start = time.perf_counter()
        while self.pending_keys and self.pending_keys[0][0] <= t:
            self.key = self.pending_keys.pop(0)[1]
        raw = posed.raw
        framing = check_framing(raw.image, raw.visibility)
        ready = is_ready_stance(posed.image, posed.visibility)
        fb = None
        other = raw.others[0] if raw.others else None
        partner = None if other is None else (other.image, other.world, other.visibility)
        if self.coach is not None:  # from the countdown on: the ready stance is its baseline
            step = self.coach.step(t, raw.image, raw.world, raw.visibility, partner)
            fb = step if step.started else None
        if fb is not None:  # before the events: the frame that ends an attempt belongs to it
            self._log_feedback(fb)
        obs = Observation(t, framing.in_view, ready, fb is not None and fb.done, self.key)
        self.key = None
        for event in self.machine.step(obs):
            self._handle(event, t, posed)
        if self.recorder is not None:
            self.recorder.add_frame(t, raw.image, raw.world, raw.visibility, partner)
            self.recorder.add_picture(posed.captured.frame.image)
        if self.machine.state is State.QUIT:
            return False
        picture = self._picture(posed)
        info = FrameInfo(t, posed.image, posed.visibility, framing.hint, ready, fb, self.card,
                         self._exit_dir())
        header = f"{self.tech.name} ({self.tech.side})"
        if self.config.trainee:
            header += f" | {self.config.trainee}"
        if self.config.people_status is not None:
            header += f" | {self.config.people_status()}"
        for other in raw.others[:1]:  # the partner, under the trainee's overlay; no cues
            draw_partner(picture, other.image, other.visibility)
        draw_overlay(picture, build_view(self.machine, self.tech, header, info))
        coach_ms = (time.perf_counter() - start) * 1000.0
        wall = time.monotonic()  # the feedback is drawn: the end of frame-to-cue latency
        self.key = self.display.show(picture) or self.key
        self.stats.max_queue = max(self.stats.max_queue, worker.results.qsize() + slot.pending)
        self.stats.frame_done(wall, (wall - posed.captured.wall_s) * 1000.0, posed.pose_ms,
                              coach_ms)
        done = self.config.max_attempts
        return not (done is not None and len(self.result.cards) >= done
                    and self.machine.state is not State.SCORE)

    def _exit_dir(self) -> str | None:
        from coach.session.scene_profile import exit_image_side

        scene = self.scene if self.scene is not None else self._scene()
        self.scene = scene
        return exit_image_side(scene) if scene is not None else None

    def _picture(self, posed: PosedFrame) -> np.ndarray:
        """What the overlay is drawn on: the camera picture itself when the source handed out
        a fresh array for this frame (nothing else uses it once the pose model and the
        recorder have), a copy when it is read-only (a picture the source shares between
        frames, such as a blank canvas or a held last frame). A copy of a 720 p frame costs
        0.2-1 ms, a fifth of the coach's budget."""
        image = posed.captured.frame.image
        if self.config.neutral_background:
            w, h = drawing_size(self.config.canvas_size or (image.shape[1], image.shape[0]))
            return np.full((h, w, 3), NEUTRAL_GREY, dtype=np.uint8)
        size = drawing_size((image.shape[1], image.shape[0]))
        if size != (image.shape[1], image.shape[0]):
            return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)
        return image if image.flags.writeable else image.copy()

    def _handle(self, event: Event, t: float, posed: PosedFrame) -> None:
        if event is Event.EXIT_SIDE_CHOSEN and self.machine.exit_side is not None:
            self.scene = None
            if self.config.save_exit_side is not None:
                self.config.save_exit_side(self.machine.exit_side)
        elif event is Event.COUNTDOWN_STARTED:
            self.card = None
            self.attempt_cues = set()
            self._start_recording()
            self.coach = self.make_coach(self.tech, self._scene(), self.source.info.size)
        elif event is Event.GO:
            if self.coach is None:
                self.coach = self.make_coach(self.tech, self._scene(), self.source.info.size)
            self.coach.start(t)
            self.last_phase = -1
            self.sound.go(t)
            if self.recorder is not None:
                self.recorder.add_event(t, "go")
        elif event is Event.ATTEMPT_ENDED:
            self._end_attempt(t, aborted=False)
        elif event is Event.ATTEMPT_ABORTED:
            self._end_attempt(t, aborted=True)
        elif event is Event.NEXT_TECHNIQUE:
            self.tech_index = (self.tech_index + 1) % len(self.config.techniques)
            self.tech = self.config.techniques[self.tech_index]
            self.scene = None
        elif event is Event.MIRROR_SIDE:
            self.tech = self.tech.on_side(other_side(self.tech.side))
            self.scene = None

    def _start_recording(self) -> None:
        info = self.source.info
        kind = "replay" if info.frame_count is not None and info.fps > 0 else "camera"
        meta = AttemptMeta(
            created=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            software_version=__version__,
            source=SourceMeta(kind, info.name, info.size, info.fps, None, 0, info.rotation_deg),
            pose_model={"name": "mediapipe-pose-legacy", "mode": "live"},
            detected_fraction=0.0,
            trainee=self.config.trainee,
            technique=self.tech.id,
            side=self.tech.side,
            calibration_profile="scene.json" if self.machine.exit_side else None,
            extra={"session": "live", "exit_side": self.machine.exit_side},
        )
        folder = next_attempt_folder(self.config.recordings, self.config.trainee or "trainee",
                                     self.tech.id)
        video = (info.fps if info.fps > 0 else 30.0, info.size) if self.config.save_video else None
        self.recorder = AttemptRecorder(
            folder, meta, video=video, with_partner=self.config.people_status is not None
        )

    def _end_attempt(self, t: float, aborted: bool) -> None:
        card = None
        not_scored = None
        if self.coach is not None and not aborted:
            try:
                card = self.coach.finish()
            except NotScorableError as error:  # no one (or hardly anyone) in the picture
                not_scored = str(error)
        if card is not None:
            self.card = card
            self.result.cards.append(card)
            for criterion in card.failed():  # the score card's "work on" list is cued too
                work_on = cue_text(criterion.as_result())
                if work_on not in self.attempt_cues:
                    self.attempt_cues.add(work_on)
                    self.result.cues.append((t, work_on))
                    if self.recorder is not None:
                        self.recorder.add_event(t, "cue", text=work_on, on="score card")
        self.coach = None
        if self.recorder is None:
            return
        self.recorder.add_event(t, "aborted" if aborted else "end")
        go = self.machine.go_t
        extra: dict[str, object] = {"go_t_s": go, "aborted": aborted}
        if not_scored is not None:
            extra["not_scored"] = not_scored
        verdict = None
        if card is not None:
            verdict = {"broke_free": card.broke_free,
                       "used_taught_technique": card.used_taught_technique,
                       "was_safe": card.was_safe, "hard_fail": card.hard_fail}
        text = card.to_json() if card is not None else None

        def write_card(folder: Path) -> None:
            if text is not None:
                (folder / "score.json").write_text(text, encoding="utf-8")

        info = self.source.info
        folder = self.recorder.finish(info.size, info.fps, extra, verdict, write_card)
        self.recorder = None
        if folder is not None:
            self.result.attempts.append(folder)

    def _log_feedback(self, fb: LiveFeedback) -> None:
        if fb.new_cue and fb.cue is not None:
            self.attempt_cues.add(fb.cue.text)
            self.result.cues.append((fb.t, fb.cue.text))
            self.sound.say(fb.t, fb.cue.text)
            if self.recorder is not None:
                self.recorder.add_event(fb.t, "cue", text=fb.cue.text, check=fb.cue.check_kind,
                                        label=fb.cue.check_label)
        if fb.phase_index != self.last_phase and fb.phase_index >= 0:
            if self.last_phase >= 0:
                self.sound.phase_done(fb.t)
            self.last_phase = fb.phase_index
            if self.recorder is not None:
                self.recorder.add_event(fb.t, "phase", index=fb.phase_index, name=fb.phase_name)

    def close(self) -> None:
        """End an attempt still running (the source ended, q, Ctrl-C) and close the outputs.

        It never reached its own end (safe distance or the time limit), so it is kept as
        aborted, stamped at the last frame's stream time: no verdict, no score card.
        """
        if self.recorder is not None:
            self._end_attempt(self.last_t, aborted=True)
        self.sound.close()

