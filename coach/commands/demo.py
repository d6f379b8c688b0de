"""``coach demo``: the live session, headless, on a bundled synthetic attempt; says where it went.

The sample (``coach/sample_attempts/``) is a SYNTHETIC trainee (body model, not a real person)
doing a same-side wrist grab with two typical faults: no guard after the release and no step
back. By default it is a RENDERED video of a figure doing it, so the whole job runs: the real
pose model on every frame, then the live session (state machine, coach, recorder, overlay).
``--keypoints`` replays the same movement's stored keypoints instead (no pose model, drawn on
a neutral background). Everything goes to ``recordings/demo/``: the coached video, the attempt
folder with its score card, the GO beep.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import numpy as np

from coach.commands.live import coach_factory, print_summary
from coach.errors import CoachError
from coach.interrupts import interrupts_deferred
from coach.native_stderr import native_stderr_silenced
from coach.recording.attempt_folder import META_FILE, PARTIAL_MARK, read_attempt
from coach.session.demo_sample import RENDERED_LABEL, SAMPLE_DIR, SAMPLE_VIDEO
from coach.session.display import HeadlessVideo
from coach.session.pose_worker import PoseFn
from coach.session.scene_profile import scene_for_exit
from coach.session.session import CoachFactory, SessionConfig, SessionResult, run_session
from coach.session.sound import WavTrack
from coach.session.state_machine import Timing
from coach.technique.library import find_technique
from coach.technique.model import Technique
from coach.video.file_source import VideoFileSource
from coach.video.frames import Frame, FrameSource, SourceInfo
from coach.video.replay_source import ReplaySource
from coach.workspace import Workspace, find_workspace

DEMO_FOLDER = "demo"
VIDEO_NAME = "coached.mp4"
SOUND_NAME = "sound.wav"
CANVAS = (960, 540)
"""The coached video's size: the sample has no picture, and VP9 encoding costs per pixel."""
TAIL_S = 6.0
"""The last frame is held this long, so the attempt can end and the score card be seen."""


class HeldTail:
    """A source followed by its last frame repeated (new times) for ``seconds``."""

    def __init__(self, source: FrameSource, seconds: float) -> None:
        self._source = source
        self._seconds = seconds

    @property
    def info(self) -> SourceInfo:
        info = self._source.info
        extra = round(self._seconds * info.fps)
        return replace(info, frame_count=(info.frame_count or 0) + extra)

    def frames(self) -> Iterator[Frame]:
        """The source's frames, then the last one again; the pictures are read-only, since the
        last one is shared (the session copies a read-only picture before drawing on it)."""
        last: Frame | None = None
        for frame in self._source.frames():
            image = frame.image.view()
            image.setflags(write=False)
            last = replace(frame, image=image)
            yield last
        if last is None:
            return
        dt = 1.0 / self._source.info.fps
        for k in range(1, round(self._seconds * self._source.info.fps) + 1):
            yield replace(last, index=last.index + k, t=last.t + k * dt)

    def close(self) -> None:
        self._source.close()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="the live coach, headless, on a bundled synthetic attempt",
        description="Run the live session without a display on a bundled RENDERED video of a "
        "SYNTHETIC trainee (a figure drawn from the body model: same-side wrist grab, with "
        "typical faults), the pose model included; write the coached video, the recording and "
        "the score card under recordings/demo/.",
    )
    parser.add_argument(
        "--keypoints",
        action="store_true",
        help="replay the sample's stored keypoints instead of running the pose model on the "
        "rendered video (faster; no picture)",
    )
    parser.set_defaults(run=run)


def run_demo(
    out: Path,
    sample: Path = SAMPLE_VIDEO,
    make_coach: CoachFactory | None = None,
    workspace: Workspace | None = None,
) -> tuple[SessionResult, Path]:
    """Run the demo into ``out``; the result and the coached video's path.

    ``sample``: the rendered video (the pose model runs on it) or an attempt folder (its
    keypoints are replayed).

    The demo is made in a hidden sibling and swapped in only when complete, so a demo that
    fails leaves the last one whole; a previous ``out`` is replaced only if it holds nothing
    but what a demo writes. The technique comes from ``workspace`` (default: as found).
    """
    check_demo_folder(out)
    meta = read_attempt(SAMPLE_DIR).meta  # the video shows the same attempt
    technique = find_technique(workspace or find_workspace(None), str(meta.technique), meta.side)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}{PARTIAL_MARK}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)  # ours: this process's own name
    staging.mkdir()
    try:
        result = _run_into(staging, sample, technique, make_coach)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_into_place(staging, out)
    result.attempts = [out / folder.relative_to(staging) for folder in result.attempts]
    return result, out / VIDEO_NAME


def check_demo_folder(out: Path) -> None:
    """Refuse to replace ``out`` if it holds anything a demo does not write."""
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise CoachError(out, "exists and is not a folder; the demo will not replace it")
    foreign = [p.name for p in sorted(out.iterdir())
               if not (p.name in (VIDEO_NAME, SOUND_NAME) or (p / META_FILE).is_file())]
    if foreign:
        raise CoachError(out, f"holds files a demo did not write ({', '.join(foreign[:3])}); "
                         "move them, the demo will not delete them")


def _swap_into_place(staging: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.replaced-{os.getpid()}"
    with interrupts_deferred():  # never the old demo aside and the new one not yet in
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)  # the previous demo, checked to be only ours


def _run_into(
    out: Path, sample: Path, technique: Technique, make_coach: CoachFactory | None
) -> SessionResult:
    keypoints = sample.is_dir()
    source = HeldTail(ReplaySource(sample) if keypoints else VideoFileSource(sample), TAIL_S)
    display = HeadlessVideo(out / VIDEO_NAME, source.info.fps, CANVAS)
    config = SessionConfig(
        techniques=[technique],
        recordings=out,
        scene_for=scene_for_exit,
        exit_side=technique.exit_side,
        trainee="synthetic",
        timing=Timing(),
        realtime=False,
        neutral_background=keypoints,
        canvas_size=CANVAS,
        max_attempts=1,
    )
    sound = WavTrack(out / SOUND_NAME)
    keep = False
    try:
        with ExitStack() as stack:
            factory = stack.enter_context(coach_factory(make_coach))
            pose_fn = None if keypoints else _pose_model(stack, source.info.size)
            result = run_session(source, display, config, factory, pose_fn, sound)
        keep = True
    finally:
        display.close(keep=keep)
        source.close()
    return result


def _pose_model(stack: ExitStack, size: tuple[int, int]) -> PoseFn:
    """The live pose model, warmed up outside the session's timings."""
    from coach.pose.adapter import PoseEstimator, PoseMode

    process = stack.enter_context(PoseEstimator(PoseMode.LIVE)).process
    w, h = size
    process(np.zeros((h, w, 3), dtype=np.uint8))
    return process


def run(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    out = workspace.recordings / DEMO_FOLDER
    meta = read_attempt(SAMPLE_DIR).meta
    sample = SAMPLE_DIR if args.keypoints else SAMPLE_VIDEO
    with native_stderr_silenced():  # MediaPipe's start-up chatter would bury our lines
        result, video = run_demo(out, sample=sample, workspace=workspace)
    faults = ", ".join(meta.extra.get("faults", []))
    if args.keypoints:
        print(f"Live coaching demo on a SYNTHETIC attempt's stored keypoints ({meta.technique}, "
              f"faults injected: {faults}); no pose model, no camera, no display.")
    else:
        print(f"Live coaching demo on a RENDERED video ({RENDERED_LABEL}: a figure drawn from "
              f"the body model doing a {meta.technique}, faults injected: {faults}); the pose "
              f"model ran on every frame; no camera, no display. Source: {sample}")
    print(f"Cues shown: {json.dumps([text for _, text in result.cues])}")
    print_summary(result, video)
    for folder in result.attempts:
        print(f"score card: {folder / 'score.json'}")
    print(f"GO beep and phase tones: {out / SOUND_NAME}")
    print(f"Output: {out.resolve()}")
    for folder in result.attempts:
        command = ".venv/bin/coach" if Path(".venv/bin/coach").is_file() else "coach"
        print(f"Open it in the review app: {command} review {_shown(folder)}")
    return 0


def _shown(folder: Path) -> str:
    """The folder relative to the current one when it is below it (shorter to type)."""
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(folder)
