"""``coach extract VIDEO [-o DIR] [--force]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.extract import extract_video, summary_lines
from coach.pose.people_tracks import DEFAULT_TRAINEE_RULE, TRAINEE_RULES
from coach.workspace import find_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="run the pose model over a video and write an attempt folder",
        description="Run the pose model over every frame of VIDEO and write an attempt folder "
        "(pose.npz + attempt.json). Default folder: recordings/<date>_<video name>_<n>.",
    )
    parser.add_argument("video", type=Path, help="the video file")
    parser.add_argument("-o", "--output", type=Path, metavar="DIR", help="attempt folder to write")
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists")
    parser.add_argument("--trainee", help="trainee name, stored in attempt.json")
    parser.add_argument("--technique", help="technique id, stored in attempt.json")
    add_trainee_person_option(parser, DEFAULT_TRAINEE_RULE)
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(run=run)


def add_trainee_person_option(parser: argparse.ArgumentParser, default: str | None) -> None:
    """``--trainee-person``: which of several people in a video is the trainee."""
    parser.add_argument(
        "--trainee-person",
        choices=TRAINEE_RULES,
        default=default,
        help="when several people are in the video, which one is the trainee: the one who "
        "breaks away from the other after the hold (breaks_away; the largest when nobody "
        "clearly does), the largest in the picture, the nearest (feet lowest), or the one on "
        f"the left or right of the picture (default: {DEFAULT_TRAINEE_RULE}); recorded in "
        "attempt.json with the rule that decided",
    )


def run(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    result = extract_video(
        args.video,
        workspace.recordings,
        out=args.output,
        force=args.force,
        trainee=args.trainee,
        technique=args.technique,
        show_progress=not args.no_progress,
        trainee_rule=args.trainee_person,
    )
    for warning in result.warnings:
        print(f"coach: warning: {warning}", file=sys.stderr)
    for line in summary_lines(result):
        print(line)
    return 0
