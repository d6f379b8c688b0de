"""``coach export ATTEMPT KIND [-o FILE]``: the score card (CSV, JSON), the measures over time
(CSV) or the faults as timed subtitles (SRT), as the review page offers them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.errors import CoachError
from coach.review.atomic_file import write_text_atomically
from coach.review.exports import KINDS, export
from coach.workspace import find_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export an attempt's score card, measures or fault subtitles",
        description="Export one attempt: scorecard.csv / scorecard.json (coach's and "
        "instructor's status side by side), measures.csv (every measure the checks use, per "
        "frame, with the matched reference), faults.srt (criteria not met as timed subtitles).",
    )
    parser.add_argument("attempt", type=Path, help="an attempt folder (scored)")
    parser.add_argument("kind", choices=list(KINDS), help="what to export")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.attempt
    if not folder.is_dir():
        raise CoachError(folder, "no such attempt folder")
    body, _mimetype, _name = export(find_workspace(args.workspace), folder, args.kind)
    if args.output is None:
        sys.stdout.write(body)
        return 0
    write_text_atomically(args.output, body)
    print(f"written: {args.output}", file=sys.stderr)
    return 0
