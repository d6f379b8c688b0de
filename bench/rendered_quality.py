"""Benchmark: the engine's quality on rendered attempts run through the real pose model.

Renders the evaluation set (every technique, correct and with each fault that applies, random
heights 1.5-2.0 m, speeds 0.5x-2x, both sides) as video of two people, runs MediaPipe over each
video with ``coach extract``'s code path, scores it with the offline scorer, and prints the
quality table beside the noise model's on the same attempts, per camera placement; then the
pose model's errors per view and per joint, and the noise it shows. Each attempt costs about
7 s of one core (render, VP9, pose model ~30 ms a frame, scoring twice).

Default: one attempt per case in the laptop range with the partner (64 attempts) and without
(64), and one correct attempt per technique at each placement beyond it (24): about 10
minutes on 2 free cores.

    python bench/rendered_quality.py [--per-case 1] [--beyond-per-case 1]
        [--beyond-cases correct|all] [--placements laptop,side_60_90,...] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from coach.synth.criterion_errors import criterion_errors, format_criterion_errors
from coach.synth.evaluation import CORRECT, applicable_faults
from coach.synth.noise_estimate import estimate_noise
from coach.synth.rendered_cache import CACHE_SWITCH
from coach.synth.rendered_evaluation import PLACEMENTS, Job, RenderedOutcome, jobs_for, run_job
from coach.synth.rendered_report import (
    by_placement,
    joints_table,
    noise_lines,
    placement_table,
    view_table,
)
from coach.technique.library import list_techniques

LAPTOP = "laptop"
FULL_SET = (LAPTOP, "laptop_alone")
"""Placements where every case is rendered (elsewhere: correct attempts unless asked)."""


def build_jobs(args: argparse.Namespace) -> list[Job]:
    jobs: list[Job] = []
    for technique in list_techniques(None):
        if args.only and technique.id not in args.only:
            continue
        faults = [CORRECT, *applicable_faults(technique)]
        for placement in args.placements:
            everything = placement in FULL_SET or args.beyond_cases == "all"
            n = args.per_case if placement in FULL_SET else args.beyond_per_case
            cases = faults if everything else [CORRECT]
            jobs += jobs_for(technique, cases, placement, n, args.seed)
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-case", type=int, default=1, help="attempts per case, laptop range")
    parser.add_argument("--beyond-per-case", type=int, default=1)
    parser.add_argument("--beyond-cases", choices=("correct", "all"), default="correct")
    parser.add_argument("--placements", default=",".join(PLACEMENTS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated technique ids (all if empty)")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--cache",
        action="store_true",
        help="keep the pose model's landmarks per attempt (re-scoring skips rendering)",
    )
    parser.add_argument("--save", type=Path, help="pickle the outcomes here (to dig into)")
    args = parser.parse_args()
    args.placements = args.placements.split(",")
    args.only = [x for x in args.only.split(",") if x]
    for name in args.placements:
        if name not in PLACEMENTS:
            parser.error(f"--placements: unknown {name!r}; valid: {', '.join(PLACEMENTS)}")
    jobs = build_jobs(args)
    if args.cache:
        os.environ[CACHE_SWITCH] = "1"  # the pool's workers inherit it
    load_before = os.getloadavg()
    start = time.perf_counter()
    outcomes: list[RenderedOutcome] = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(run_job, job) for job in jobs]
        for future in tqdm(
            as_completed(futures), total=len(futures), unit="attempt", file=sys.stderr
        ):
            outcomes.append(future.result())
    elapsed = time.perf_counter() - start
    load_after = os.getloadavg()
    order = {name: i for i, name in enumerate(PLACEMENTS)}
    outcomes.sort(key=lambda o: (order[o.placement], o.rendered.technique_id, o.rendered.fault))
    sections = []
    for name, group in sorted(by_placement(outcomes).items(), key=lambda kv: order[kv[0]]):
        sections.append(f"== {name}: {len(group)} attempts ==\n{placement_table(group)}")
    measured_on = next(
        (name for name in ("laptop_alone", LAPTOP) if any(o.placement == name for o in outcomes)),
        "all placements",
    )
    laptop = [o for o in outcomes if o.placement == measured_on] or outcomes
    frames = sum(len(o.errors.found) for o in outcomes)
    text = "\n\n".join(
        [
            *sections,
            "== pose model per view ==\n" + view_table(outcomes),
            f"== per criterion, video ({measured_on}) ==\n"
            + format_criterion_errors(criterion_errors([o.rendered for o in laptop])),
            f"== pose model per joint ({measured_on}) ==\n" + joints_table(laptop),
            f"== noise the pose model shows ({measured_on}, all frames) ==\n"
            + noise_lines(estimate_noise([o.errors for o in laptop])),
            f"== noise the pose model shows ({measured_on}, still joints) ==\n"
            + noise_lines(estimate_noise([o.errors for o in laptop], still_only=True)),
            f"run: {len(outcomes)} attempts, {frames} frames in {elapsed:.0f} s "
            f"({elapsed / max(frames, 1) * 1000 * args.workers:.0f} ms a frame per worker, "
            f"{args.workers} workers); load average before {load_before[0]:.2f}, "
            f"after {load_after[0]:.2f} (1 min), {os.cpu_count()} cores",
        ]
    )
    print(text)
    if args.save is not None:
        args.save.write_bytes(pickle.dumps(outcomes))
    if args.out is not None:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
