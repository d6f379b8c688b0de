"""``coach live``: the trainee at a laptop camera, or a video or recording played as one."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np

from coach.analysis.checks.base import Scene
from coach.errors import CoachError
from coach.native_stderr import native_stderr_silenced
from coach.review.refresher import trainee_due_lines
from coach.session.display import Display, HeadlessVideo, Window
from coach.session.recovery import recover_partials
from coach.session.scene_profile import load_exit_side, save_exit_side, scene_for_exit
from coach.session.session import (
    Coach,
    CoachFactory,
    SessionConfig,
    SessionResult,
    drawing_size,
    run_session,
)
from coach.session.sound import open_sound
from coach.session.state_machine import Timing
from coach.technique.camera_advice import camera_advice
from coach.technique.library import find_technique, technique_files
from coach.technique.model import Technique
from coach.video.frames import FrameSource
from coach.video.open_source import is_camera_index, open_source
from coach.workspace import Workspace, find_workspace

EXIT_INTERRUPTED = 130
MAX_RANDOM_GO_S = 30.0
"""A reaction drill's longest random wait before GO."""


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
        return HeadlessVideo(headless, fps, drawing_size(source.info.size))
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
    recovery = recover_partials(workspace.recordings)
    for folder in recovery.recovered:
        print(f"recovered an unfinished attempt: {folder}", file=sys.stderr)
    for place, problem in recovery.quarantined:
        print(f"coach: warning: an unfinished attempt could not be read ({problem}); "
              f"kept in {place}", file=sys.stderr)
    for technique in techniques:
        advice = camera_advice(technique)
        if advice is not None:
            print(advice)
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
    from coach.session.frame_memory import return_frames_to_system
    from coach.session.trainee_lock import TraineeLock

    return_frames_to_system()  # freed frames are not kept in the threads' malloc arenas
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
    if not (math.isfinite(args.random_go) and 0.0 <= args.random_go <= MAX_RANDOM_GO_S):
        raise CoachError(None, f"--random-go: expected seconds from 0 to "
                         f"{MAX_RANDOM_GO_S:g}, got {args.random_go:g}")
    workspace = find_workspace(args.workspace)
    techniques = session_techniques(workspace, args.technique, args.side)
    if args.trainee:
        print_refresher(workspace, args.trainee)
    if args.headless is not None:
        check_not_input(args.headless, Path(args.camera))
    with native_stderr_silenced():  # MediaPipe's and FFmpeg's chatter would bury our lines
        source = open_source(args.camera)
        display = open_display(args.headless, source)
        result = run_live(
            workspace, source, display, techniques,
            trainee=args.trainee,
            exit_side=args.exit_side,
            timing=Timing(go_jitter_s=args.random_go),
            realtime=is_camera_index(args.camera) or not args.no_pacing,
            neutral_background=is_keypoints_only(Path(args.camera)),
            save_video=args.save_video,
            max_attempts=args.attempts,
            sound_on=not args.silent,
            partner=args.partner,
        )
    print_summary(result, args.headless)
    if result.interrupted:
        print("coach: interrupted; the attempt in progress was kept as aborted",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def check_not_input(output: Path, camera: Path) -> None:
    """The coached video may not be written over the video it is made from."""
    same = output.resolve() == camera.resolve()
    if not same and output.exists() and camera.exists():
        same = output.samefile(camera)
    if same:
        raise CoachError(output, "is the --camera video itself; the coached video needs "
                         "another name (the input is never overwritten)")


def print_refresher(workspace: Workspace, trainee: str) -> None:
    """What is due for this trainee (practice, re-assessment), before the session starts; a
    problem with the index or coach.toml is a warning, never a reason not to practise."""
    try:
        lines = trainee_due_lines(workspace.root, workspace.recordings, trainee)
    except CoachError as error:
        print(f"coach: warning: refresher status unavailable: {error}", file=sys.stderr)
        return
    for line in lines or [f"{trainee}: nothing due (no refresher practice or re-assessment)"]:
        print(f"refresher: {line}")


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
