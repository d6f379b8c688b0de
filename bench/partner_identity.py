"""Benchmark: is the trainee chosen among two rendered people the rendered trainee?

Renders attempts with a partner (the rendered evaluation's jobs: seeded heights, speeds, sides
and camera placements), runs the pose model over each with ``coach extract``'s code path,
keeps every person followed, and chooses the trainee by the old default rule (``largest``) and
the new one (``breaks_away``) side by side: per technique, the attempts where the chosen track
is the rendered trainee (its hips nearer the trainee's drawn hips than the partner's in most
frames), and the share of followed frames on the partner. Each attempt costs about 7 s of one
core the first time; with ``--cache`` (shared with bench/rendered_quality.py) a re-run after a
change of the rule takes seconds.

Default: every case (correct and each fault) once per technique at the laptop placement with
the partner (64 attempts).

    python bench/partner_identity.py [--per-case 1] [--cases all|correct]
        [--placements laptop] [--only cross_wrist_grab,...] [--workers 2] [--cache] [--attempts]
        [--picture out.png]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from coach.synth.evaluation import CORRECT, applicable_faults
from coach.synth.figure.attempt_video import attempt_scene
from coach.synth.identity_picture import write_identity_picture
from coach.synth.partner_identity import (
    IdentityOutcome,
    attempt_lines,
    fallback_lines,
    identity_job,
    identity_table,
)
from coach.synth.rendered_cache import CACHE_SWITCH
from coach.synth.rendered_evaluation import PLACEMENTS, Job, job_spec, jobs_for, seen_tracks
from coach.technique.library import list_techniques


def build_jobs(args: argparse.Namespace) -> list[Job]:
    jobs: list[Job] = []
    for technique in list_techniques(None):
        if args.only and technique.id not in args.only:
            continue
        cases = [CORRECT, *applicable_faults(technique)] if args.cases == "all" else [CORRECT]
        for placement in args.placements:
            jobs += jobs_for(technique, cases, placement, args.per_case, args.seed)
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-case", type=int, default=1, help="attempts per case")
    parser.add_argument("--cases", choices=("all", "correct"), default="all")
    parser.add_argument("--placements", default="laptop")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated technique ids (all if empty)")
    parser.add_argument("--cache", action="store_true", help="keep the landmarks per attempt")
    parser.add_argument("--attempts", action="store_true", help="also print every attempt")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--picture",
        type=Path,
        help="draw the first attempt where the rules disagree (PNG: hip paths, choices)",
    )
    args = parser.parse_args()
    args.placements = args.placements.split(",")
    args.only = [x for x in args.only.split(",") if x]
    for name in args.placements:
        if name not in PLACEMENTS or not PLACEMENTS[name].partner:
            valid = ", ".join(k for k, p in PLACEMENTS.items() if p.partner)
            parser.error(f"--placements: {name!r} is not a placement with a partner ({valid})")
    jobs = build_jobs(args)
    if args.cache:
        os.environ[CACHE_SWITCH] = "1"  # the pool's workers inherit it
    start = time.perf_counter()
    outcomes: list[IdentityOutcome] = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(identity_job, job) for job in jobs]
        for future in tqdm(
            as_completed(futures), total=len(futures), unit="attempt", file=sys.stderr
        ):
            outcomes.append(future.result())
    elapsed = time.perf_counter() - start
    outcomes.sort(key=lambda o: (o.placement, o.technique_id, o.fault))
    sections = [
        f"== trainee chosen, {name}: {len(group)} attempts (seed {args.seed}) ==\n"
        + identity_table(group)
        for name in args.placements
        if (group := [o for o in outcomes if o.placement == name])
    ]
    if len(args.placements) > 1:
        sections.append(
            f"== trainee chosen, every placement: {len(outcomes)} attempts ==\n"
            + identity_table(outcomes)
        )
    sections += [
        "== breaks_away fell back to largest because ==\n"
        + ("\n".join(fallback_lines(outcomes)) or "   0  (never)"),
    ]
    if args.attempts:
        sections.append("== every attempt ==\n" + "\n".join(attempt_lines(outcomes)))
    frames = sum(o.frames for o in outcomes)
    sections.append(f"run: {len(outcomes)} attempts, {frames} frames in {elapsed:.0f} s")
    text = "\n\n".join(sections)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    if args.picture is not None:
        _picture(jobs, outcomes, args.picture)


def _picture(jobs: list[Job], outcomes: list[IdentityOutcome], path: Path) -> None:
    """The first attempt (in job order) where ``largest`` was wrong and ``breaks_away`` right."""
    for job in jobs:
        o = next(
            o
            for o in outcomes
            if (o.technique_id, o.fault, o.placement)
            == (job.technique.id, job.fault, job.placement)
        )
        if not o.results["largest"].right and o.results["breaks_away"].right:
            scene = attempt_scene(job.technique, job_spec(job), job.partner_height_m)
            write_identity_picture(job, scene, seen_tracks(job, scene), path)
            print(f"picture: {path} ({job.technique.id}, {job.fault})")
            return
    print("picture: no attempt where the rules disagree as asked")


if __name__ == "__main__":
    main()
