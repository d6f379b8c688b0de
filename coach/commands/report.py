"""``coach report ATTEMPT [-o report.html]``: one self-contained HTML file of an attempt."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.errors import CoachError
from coach.review.report import write_report
from coach.workspace import find_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write an attempt's review page as one self-contained HTML file",
        description="Write the attempt page (video and skeleton, matched reference, fault "
        "timeline, score card with the instructor's notes and overrides, plots, escape path) as "
        "one HTML file that opens from disk on another computer, without a server.",
    )
    parser.add_argument("attempt", type=Path, help="an attempt folder (scored)")
    parser.add_argument(
        "-o", "--output", type=Path, help="output file (default: ATTEMPT/report.html)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    folder: Path = args.attempt
    if not folder.is_dir():
        raise CoachError(folder, "no such attempt folder")
    out = args.output or folder / "report.html"
    if out.suffix.lower() not in (".html", ".htm"):
        raise CoachError(out, "the report is HTML: give a file name ending in .html")
    print(f"report written: {write_report(workspace, folder, out).resolve()}")
    return 0
