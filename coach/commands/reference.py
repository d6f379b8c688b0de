"""``coach reference build ATTEMPT... --technique ID``: a reference from demonstrations."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from coach.errors import CoachError
from coach.recording.attempt_folder import read_attempt
from coach.scoring.offline import NotScorableError
from coach.scoring.reference_build import (
    build_reference,
    check_demonstration,
    reference_path,
    save_reference,
)
from coach.technique.library import find_technique
from coach.workspace import find_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reference", help="build a technique's reference from recorded demonstrations"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = actions.add_parser(
        "build",
        help="average demonstrations (DTW barycenter) into a reference with a tolerance band",
        description="Average recorded demonstrations of one technique into its reference. "
        "Scoring and live sessions then use it instead of the keyframed reference.",
    )
    build.add_argument(
        "attempts",
        nargs="+",
        type=Path,
        metavar="ATTEMPT",
        help="attempt folders with clean demonstrations (at least 2)",
    )
    build.add_argument("--technique", required=True, metavar="ID")
    build.add_argument(
        "--side",
        choices=("left", "right"),
        help="the side the demonstrations hold (default: the technique's)",
    )
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="default: techniques/<id>.<side>.reference.npz in the workspace",
    )
    build.set_defaults(run=run_build)


def run_build(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    technique = find_technique(workspace, args.technique, args.side)
    demos = [read_attempt(folder).pose for folder in args.attempts]
    for folder, demo in zip(args.attempts, demos, strict=True):
        try:
            check_demonstration(demo)
        except NotScorableError as error:
            raise CoachError(folder, f"not a usable demonstration: {error}") from None
    model = build_reference(demos, technique)
    out = args.output or reference_path(workspace.techniques, technique)
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = out.with_name(out.name.removesuffix(".npz") + ".previous.npz")
    replaced = out.is_file()
    if replaced:
        shutil.copyfile(out, previous)  # the reference every score used until now: kept
    save_reference(out, model)
    if replaced:
        print(f"Replaced the previous reference; it is kept as {previous}")
    band = float(model.tolerance.mean()) if model.tolerance is not None else 0.0
    print(f"Reference for {technique.name} ({technique.side}) from {len(demos)} demonstrations:")
    print(f"  {len(model.t)} frames over {model.t[-1]:.2f} s; mean tolerance band {band:.3f}")
    print(f"Written: {out}")
    return 0
