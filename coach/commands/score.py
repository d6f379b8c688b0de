"""``coach score VIDEO_OR_ATTEMPT --technique ID``: the score card of one attempt."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.bodymodel.camera import Camera
from coach.bodymodel.reference import scene_for
from coach.commands.extract import add_trainee_person_option
from coach.errors import CoachError
from coach.extract import extract_video
from coach.pose.people_tracks import DEFAULT_TRAINEE_RULE
from coach.recording.atomic_text import write_text_atomically
from coach.recording.attempt_folder import META_FILE, read_attempt
from coach.render.score_table import format_scorecard
from coach.room.room_file import Room, load_room, room_path
from coach.scoring.offline import NotScorableError, score_sequence
from coach.scoring.reference_build import reference_for
from coach.scoring.scorecard import ScoreCard
from coach.technique.library import find_technique
from coach.technique.model import Technique
from coach.validation import is_number
from coach.workspace import Workspace, find_workspace

SCORE_FILE = "score.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score a video or a recorded attempt against a technique",
        description="Score one attempt: a video (its poses are extracted into an attempt folder "
        "first) or an attempt folder. Prints the score card and writes score.json beside it.",
    )
    parser.add_argument("attempt", type=Path, help="a video file or an attempt folder")
    parser.add_argument("--technique", required=True, metavar="ID", help="technique id")
    parser.add_argument(
        "--side",
        choices=("left", "right", "auto"),
        default="auto",
        help="the side held (default: auto, the side that fits best)",
    )
    parser.add_argument(
        "--t0",
        type=float,
        metavar="S",
        help="start signal time in seconds (default: the recorded GO, else "
        "estimated from the movement; reaction time then not assessable)",
    )
    parser.add_argument(
        "--exit-side",
        choices=("left", "right"),
        help="where the exit is, on the trainee's left or right as they face "
        "the camera (default: the technique's)",
    )
    parser.add_argument(
        "--room",
        action="store_true",
        help="the attempt was filmed with the camera of calibration/room.json (coach "
        "calibrate): measure the stance on its floor plane",
    )
    add_trainee_person_option(parser, None)
    parser.add_argument("--json", action="store_true", help="print the score card as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    technique = find_technique(workspace, args.technique)
    room = None
    if args.room:
        room = load_room(workspace.calibration)
        if room is None:
            raise CoachError(
                room_path(workspace.calibration), "no room set-up yet: run coach calibrate first"
            )
    folder = _attempt_folder(args.attempt, workspace.recordings, args.json, args.trainee_person)
    card = score_attempt(workspace, technique, folder, args.side, args.t0, args.exit_side, room)
    if args.json:
        sys.stdout.write(card.to_json())
    else:
        print(format_scorecard(card))
        print(f"\nWritten: {folder / SCORE_FILE}")
    return 0


def score_attempt(
    workspace: Workspace,
    technique: Technique,
    folder: Path,
    side: str = "auto",
    t0: float | None = None,
    exit_side: str | None = None,
    room: Room | None = None,
) -> ScoreCard:
    """Score the attempt in ``folder`` and write its ``score.json`` (``coach score`` and
    ``coach assess`` both come here). t0: the start signal given (``--t0``, a manifest's
    ``start_s``); None: the recorded GO, else the grab with a partner, else estimated."""
    attempt = read_attempt(folder)
    if room is not None:
        try:
            room = room.for_size(attempt.pose.source_size)
        except ValueError:
            w, h = attempt.pose.source_size
            cw, ch = room.intrinsics.size
            raise CoachError(
                folder,
                f"filmed at {w}x{h}, another aspect ratio than the camera of "
                f"{room_path(workspace.calibration)} ({cw}x{ch}): not the calibrated camera",
            ) from None
    given = t0 is not None
    t0 = t0 if t0 is not None else _recorded_t0(attempt.meta.extra)
    where = "--t0" if given else f"the recorded GO ({folder / META_FILE})"
    scene = None
    if exit_side is not None:
        scene = scene_for(technique.on_side(technique.side), Camera())
        if exit_side != technique.exit_side:
            scene = type(scene)(scene.threat_yaw_deg, _flipped(scene.exit_image_dir))
    if t0 is not None and not attempt.pose.t[0] <= t0 <= attempt.pose.t[-1]:
        raise CoachError(
            folder,
            f"{where} {t0:g} s is outside the attempt "
            f"({attempt.pose.t[0]:.2f}-{attempt.pose.t[-1]:.2f} s)",
        )
    sides = ("left", "right") if side == "auto" else (side,)
    references = {s: reference_for(workspace.techniques, technique.on_side(s)) for s in sides}
    try:
        card = score_sequence(
            attempt.pose,
            technique,
            side=side,
            t0_s=t0,
            scene=scene,
            references=references,
            partner=attempt.partner,
            room=room,
        )
    except NotScorableError as error:
        raise CoachError(folder, str(error)) from None
    write_text_atomically(folder / SCORE_FILE, card.to_json())
    return card


def _attempt_folder(path: Path, recordings: Path, quiet: bool, trainee_rule: str | None) -> Path:
    if path.is_dir():
        if trainee_rule is not None:
            raise CoachError(
                path,
                "--trainee-person applies to a video; this attempt's trainee was chosen "
                "when it was extracted (see attempt.json, people)",
            )
        return path
    result = extract_video(
        path,
        recordings,
        show_progress=not quiet,
        trainee_rule=trainee_rule or DEFAULT_TRAINEE_RULE,
    )
    for warning in result.warnings:
        print(f"coach: warning: {warning}", file=sys.stderr)
    return result.folder


def _recorded_t0(extra: dict[str, object]) -> float | None:
    for key in ("go_t_s", "t0_s"):
        value = extra.get(key)
        if is_number(value):  # checked finite when attempt.json was read
            return float(value)  # type: ignore[arg-type]
    return None


def _flipped(direction: tuple[float, float] | None) -> tuple[float, float] | None:
    return None if direction is None else (-direction[0], direction[1])
