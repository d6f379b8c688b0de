"""``coach assess MANIFEST.csv | FOLDER [-o OUTDIR] [--jobs N]``: a cohort's practical videos."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from coach.errors import CoachError
from coach.workspace import Workspace, find_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assess",
        help="score a cohort's practical videos: records, cohort table, packs, marking files",
        description="Assess every video of a manifest (candidate,video,technique[,side,"
        "trainee_person,start_s]) or of a folder of <candidate>_<technique>[_<n>].<ext> "
        "videos: extraction and scoring on a process pool, resumable (unchanged attempts are "
        "skipped, a changed technique file only re-scores). A video that fails is listed and "
        "the batch goes on; the exit code is 2 only when the manifest or OUTDIR is unusable.",
    )
    parser.add_argument("source", type=Path, help="a manifest CSV or a folder of videos")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUTDIR",
        help="output folder (default: <manifest or folder name>_assessment beside it)",
    )  # fmt: skip
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
        help="videos extracted at once (default: the number of cores)",
    )  # fmt: skip
    parser.add_argument(
        "--roster", type=Path, metavar="FILE",
        help="the course's candidates, one per line: others are refused, and a candidate "
        "with no video is named",
    )  # fmt: skip
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach.assess.run import assess

    if args.jobs < 1:
        raise CoachError(None, f"--jobs {args.jobs}: expected 1 or more")
    workspace: Workspace = find_workspace(args.workspace)
    source: Path = args.source
    outdir = args.output or source.with_name(f"{source.stem}_assessment")
    lines = assess(workspace, source, outdir, args.jobs, not args.no_progress, args.roster)
    for line in lines.warnings:
        print(f"coach: warning: {line}", file=sys.stderr)
    for line in lines.summary:
        print(line)
    return 0
