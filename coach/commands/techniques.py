"""``coach techniques list | show ID | check FILE``: browse and validate the technique library."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from coach.analysis.checks.base import MEASURES, CheckResult, Status
from coach.analysis.checks.registry import get_kind, view_need
from coach.errors import CoachError
from coach.technique.library import find_technique, list_techniques
from coach.technique.loader import load_technique
from coach.technique.model import Technique
from coach.workspace import find_workspace

if TYPE_CHECKING:
    from coach.analysis.checks.evaluate import Verdict


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("techniques", help="list, show and check technique files")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list the techniques of the workspace")
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", help="steps and checks, and the reference as a video")
    show.add_argument("technique_id", metavar="ID")
    show.add_argument("--side", choices=("left", "right"), help="side held (default: as stored)")
    show.add_argument(
        "-o",
        "--output",
        metavar="OUT.mp4",
        help="stick-figure video to write (.mp4 or .webm; default ID_SIDE.mp4)",
    )
    show.add_argument("--no-video", action="store_true", help="print only, write no video")
    show.set_defaults(run=run_show)
    check = actions.add_parser("check", help="validate a technique file you wrote")
    check.add_argument("file", metavar="FILE")
    check.set_defaults(run=run_check)


def run_list(args: argparse.Namespace) -> int:
    for tech in list_techniques(find_workspace(args.workspace)):
        print(
            f"{tech.id:<24} {tech.name}  ({len(tech.phases)} phases, "
            f"{sum(len(p.checks) for p in tech.phases)} checks, held side {tech.side})"
        )
    return 0


def describe(tech: Technique) -> list[str]:
    """The steps, cues and checks of a technique as printable lines."""
    lines = [
        f"{tech.name} [{tech.id}], side {tech.side}, threat {tech.threat}, "
        f"exit to the {tech.exit_side}",
        tech.summary,
        "",
    ]
    t = tech.timing
    lines.append(
        f"timing: onset <= {t.onset_max_s:g} s, release <= {t.release_max_s:g} s after "
        f"t0 (t0 = start of '{t.start_phase}', release = end of '{t.release_phase}'), "
        f"hesitation <= {t.hesitation_max_s:g} s, hard fail at {t.hard_fail_s:g} s"
    )
    for i, phase in enumerate(tech.phases, 1):
        lines.append(f'{i}. {phase.name} ({phase.duration_s:g} s): "{phase.cue}"')
        if not phase.checks:
            lines.append("     (no check: coached by the cue only)")
        for c in phase.checks:
            mark = "OUTCOME " if c.role == "outcome" else "coaching"
            params = ", ".join(
                f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in c.params
            )
            deadline = (
                f", by {c.deadline_from} + {c.deadline_s:g} s" if c.deadline_s is not None else ""
            )
            lines.append(f"   [{mark}] {c.label}: {c.kind}({params}{deadline})")
            lines.append(f"              measured on {_where(c.kind)}")
    return lines


def _where(kind_name: str) -> str:
    """What a check kind measures on and what it needs of the camera, in words."""
    kind = get_kind(kind_name)
    where = MEASURES[kind.measure]
    if kind.view is not None:
        where += (
            f"; needs the camera at least {kind.view.min_side_on_deg:g} deg round to the side "
            "(Not assessable from the front or behind)"
        )
        if kind.view.joints:
            where += " for " + ", ".join(sorted(j.replace("_", " ") for j in kind.view.joints))
    if kind.floor:
        where += (
            f"; with the room calibrated (coach score --room): {MEASURES['floor']}, from any "
            "view where one foot is not behind the other as the camera sees it"
        )
    return where


def run_show(args: argparse.Namespace) -> int:
    tech = find_technique(find_workspace(args.workspace), args.technique_id, args.side)
    for line in describe(tech):
        print(line)
    if args.no_video:
        return 0
    from coach.bodymodel.reference import render_reference
    from coach.render.stick_figure import captions_for, write_animation

    out = Path(args.output) if args.output else Path(f"{tech.id}_{tech.side}.mp4")
    ref = render_reference(tech)
    captions = captions_for(
        ref.sequence.t, ref.phase_spans_s, [p.name for p in tech.phases], f"{tech.id} ({tech.side})"
    )
    frames = write_animation(ref.sequence, captions, out)
    print(
        f"\nreference animation: {out.resolve()} ({frames} frames, {ref.sequence.duration_s:.1f} s)"
    )
    return 0


def _reference_failures(tech: Technique) -> tuple[list[CheckResult], int]:
    """The reference's own checks it does not meet, and how many it has. Each check is judged
    from a camera it can judge from: in front, or 80 deg round for those that need the side
    (filmed from the front they are Not assessable, which is the camera, not the file)."""
    from coach.analysis.checks.evaluate import evaluate_technique
    from coach.analysis.features import Features
    from coach.bodymodel.camera import Camera
    from coach.bodymodel.reference import render_reference

    def verdict_from(camera: Camera | None) -> Verdict:
        ref = render_reference(tech) if camera is None else render_reference(tech, camera=camera)
        return evaluate_technique(
            tech, Features.from_sequence(ref.sequence), ref.windows, ref.events, ref.scene
        )

    front = verdict_from(None)
    needs_side = {
        (phase.name, check.label)
        for phase in tech.phases
        for check in phase.checks
        if view_need(check.kind, check.param_dict()) is not None
    }
    side = verdict_from(Camera(azimuth_deg=80.0)) if needs_side else front
    judged = [
        (s if (phase, f.label) in needs_side else f)
        for (phase, f), (_, s) in zip(front.checks, side.checks, strict=True)
    ] + list(front.timing)
    return [r for r in judged if r.status != Status.MET], len(judged)


def run_check(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CoachError(path, "no such file")
    tech = load_technique(path)

    failed, n = _reference_failures(tech)
    print(f"{path}: valid technique file '{tech.id}' ({len(tech.phases)} phases)")
    if failed:
        print(f"but its reference fails {len(failed)} of its own {n} checks:")
        for r in failed:
            print("  " + r.line())
        return 1
    print(f"its reference meets all {n} of its own checks")
    return 0
