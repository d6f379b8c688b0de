"""``coach demo``: the main job on a sample, and where its output went."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.extract import extract_video, summary_lines
from coach.samples import fetch_sample
from coach.workspace import find_workspace

DEMO_FOLDER = "demo"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the coach on a bundled real sample video",
        description="Extract the poses of a real sample video (people walking and jumping, "
        "from the sports2d package) into recordings/demo/ and say what was found.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    video = fetch_sample("demo.mp4")
    out: Path = workspace.recordings / DEMO_FOLDER
    result = extract_video(video, workspace.recordings, out=out, force=True, trainee="demo")
    print(f"Pose extraction of the real sample {video.name} (sports2d demo clip):")
    for line in summary_lines(result):
        print(f"  {line}")
    print(f"Output: {out.resolve()}")
    return 0
