"""``coach live``: the trainee at a laptop camera, or a video or recording played as one."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np

from coach.analysis.checks.base import Scene
from coach.session.display import Display, HeadlessVideo, Window
from coach.session.recorder import recover_partials
from coach.session.scene_profile import load_exit_side, save_exit_side, scene_for_exit
from coach.session.session import Coach, CoachFactory, SessionConfig, SessionResult, run_session
from coach.session.sound import open_sound
from coach.session.state_machine import Timing
from coach.technique.library import find_technique, technique_files
from coach.technique.model import Technique
from coach.video.frames import FrameSource
from coach.video.open_source import open_source
from coach.workspace import Workspace, find_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "live",
        help="coach a technique live from the camera (or a video played as one)",
        description="Live coaching: framing check, exit side, ready stance, countdown, GO, "
        "cues while you move, score card; every attempt is recorded (keypoints). Keys: space "
        "start, r retry, n next technique, m mirror side, q quit.",
    )
    p.add_argument("--technique", required=True, metavar="ID", help="technique id to practise")
    p.add_argument("--camera", default="0", metavar="0|VIDEO|FOLDER",
                   help="camera index, a video file (played in real time) or a recording")
    p.add_argument("--trainee", metavar="NAME", help="name for the recordings")
    p.add_argument("--side", choices=("left", "right"), help="side held (default: as taught)")
    p.add_argument("--exit-side", choices=("left", "right"),
                   help="the exit is on this side of you; saved to calibration/scene.json")
    p.add_argument("--headless", metavar="OUT.mp4", type=Path,
                   help="no window: write what it would show to this browser-playable video")
    p.add_argument("--save-video", action="store_true", help="also keep the camera video")
    p.add_argument("--random-go", type=float, default=0.0, metavar="S",
                   help="reaction drill: wait a random 0..S s after the countdown before GO")
    p.add_argument("--attempts", type=int, metavar="N", help="stop after N attempts")
    p.add_argument("--no-pacing", action="store_true",
                   help="a video or recording as fast as possible, every frame (tests)")
    p.add_argument("--silent", action="store_true", help="no beeps or speech")
    p.add_argument(
        "--partner",
        action="store_true",
        help="a partner applies the hold: follow both people; the trainee is whoever takes "
        "the ready stance first (locked for the session), the partner is drawn in grey",
    )
    p.set_defaults(run=run)


def make_live_scorer(
    technique: Technique,
    scene: Scene | None,
    source_size: tuple[int, int],
    judge_executor: Executor | None = None,
) -> Coach:
    """The engine's live scorer (imported here so the session does not depend on it)."""
    from coach.scoring.live import LiveScorer

    scorer: Coach = LiveScorer(technique, scene, source_size=source_size,
                               judge_executor=judge_executor)
    return scorer


@contextmanager
def live_scorers() -> Iterator[CoachFactory]:
    """Live scorers whose phase judgements run on one worker process for the whole session
    (5-20 ms each, off the drawing path; the cues are the same as inline)."""
    from coach.scoring.phase_judge import judge_worker

    with judge_worker() as executor:
        yield partial(make_live_scorer, judge_executor=executor)


def coach_factory(given: CoachFactory | None) -> AbstractContextManager[CoachFactory]:
    """``given``, or live scorers with a judge worker for the session."""
    return nullcontext(given) if given is not None else live_scorers()


def session_techniques(workspace: Workspace, first: str, side: str | None) -> list[Technique]:
    """The chosen technique first, then the rest of the library in id order (for ``n``)."""
    ids = [first] + [i for i in technique_files(workspace) if i not in (first, "ready_stance")]
    return [find_technique(workspace, i, side) for i in ids]


def is_keypoints_only(path: Path) -> bool:
    """A recording folder without its video: draw on a neutral background."""
    return path.is_dir() and not (path / "video.mp4").is_file()


def open_display(headless: Path | None, source: FrameSource) -> Display:
    if headless is not None:
        fps = source.info.fps if source.info.fps > 0 else 30.0
        return HeadlessVideo(headless, fps, source.info.size)
    return Window()


def run_live(
    workspace: Workspace,
    source: FrameSource,
    display: Display,
    techniques: list[Technique],
    *,
    trainee: str | None = None,
    exit_side: str | None = None,
    timing: Timing | None = None,
    realtime: bool = True,
    neutral_background: bool = False,
    max_attempts: int | None = None,
    sound_on: bool = True,
    keys: tuple[tuple[float, str], ...] = (),
    save_video: bool = False,
    make_coach: CoachFactory | None = None,
    partner: bool = False,
) -> SessionResult:
    """Recover what a killed session left, run the session, close the display.

    partner: a partner is in the picture; every person is followed and the trainee is the
    first to hold the ready stance, locked for the session (``TraineeLock``).
    """
    for folder in recover_partials(workspace.recordings):
        print(f"recovered an unfinished attempt: {folder}", file=sys.stderr)
    if exit_side is not None:
        save_exit_side(workspace.calibration, exit_side)
    side = exit_side or load_exit_side(workspace.calibration)
    sound, notices = open_sound(sound_on)
    for notice in notices:
        print(notice, file=sys.stderr)
    config = SessionConfig(
        techniques=techniques,
        recordings=workspace.recordings,
        scene_for=scene_for_exit,
        exit_side=side,
        save_exit_side=lambda s: print(f"saved: {save_exit_side(workspace.calibration, s)}"),
        trainee=trainee,
        timing=timing or Timing(),
        realtime=realtime,
        neutral_background=neutral_background,
        max_attempts=max_attempts,
        keys=keys,
        save_video=save_video,
    )
    from coach.pose.adapter import PersonModel, PoseEstimator, PoseMode
    from coach.session.trainee_lock import TraineeLock

    keep = False
    coaches = coach_factory(make_coach)
    with ExitStack() as stack:
        factory = stack.enter_context(coaches)
        if partner:
            lock = TraineeLock(stack.enter_context(PersonModel(smooth=True)))
            stack.callback(lock.close)
            config = replace(config, people_status=lock.status)
            pose_fn = lock.process
        else:
            pose_fn = stack.enter_context(PoseEstimator(PoseMode.LIVE)).process
        w, h = source.info.size
        if not partner:  # warm-up outside the timings (a blank frame would start no track)
            pose_fn(np.zeros((h, w, 3), dtype=np.uint8))
        try:
            result = run_session(source, display, config, factory, pose_fn, sound)
            keep = True
        finally:
            display.close(keep=keep)
            source.close()
    return result


def run(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    techniques = session_techniques(workspace, args.technique, args.side)
    source = open_source(args.camera)
    display = open_display(args.headless, source)
    result = run_live(
        workspace, source, display, techniques,
        trainee=args.trainee,
        exit_side=args.exit_side,
        timing=Timing(go_jitter_s=max(0.0, args.random_go)),
        realtime=args.camera.isdigit() or not args.no_pacing,
        neutral_background=is_keypoints_only(Path(args.camera)),
        save_video=args.save_video,
        max_attempts=args.attempts,
        sound_on=not args.silent,
        partner=args.partner,
    )
    print_summary(result, args.headless)
    return 0


def print_summary(result: SessionResult, video: Path | None) -> None:
    for folder in result.attempts:
        print(f"attempt saved: {folder}")
    for card in result.cards:
        print(f"{card.technique_name} ({card.side}): broke free {card.broke_free}, used the "
              f"taught technique {card.used_taught_technique}")
    if video is not None:
        print(f"coached video: {video}")
    print("session statistics:")
    for line in result.stats.lines():
        print(f"  {line}")
