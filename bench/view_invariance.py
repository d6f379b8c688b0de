"""Benchmark: does the card judge the trainee or the camera? The same rendered attempt at 30
and 60 fps, and as its mirror image (side swapped), through the real pose model.

For each job of the rendered bench's laptop range (every technique, correct and each fault, one
attempt per case by default), three videos are scored (``coach/synth/view_invariance.py``) and
the statuses compared criterion by criterion. Target (issue 11): the same status on >= 98 % of
criteria for each pair; a mirrored card also names the other side. Prints, per pair, the share
of criteria with the same status and which criteria changed how often, and the run's load.

    python bench/view_invariance.py [--placement laptop_alone] [--cases all|correct]
        [--only TECHNIQUE,...] [--workers 2] [--cache] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from coach.synth.evaluation import CORRECT, applicable_faults
from coach.synth.rendered_cache import CACHE_SWITCH
from coach.synth.rendered_evaluation import PLACEMENTS, Job, jobs_for
from coach.synth.view_invariance import (
    AS_FILMED,
    HIGH_RATE,
    MIRRORED,
    VARIANTS,
    VariantCard,
    score_variant,
    status_pairs,
)
from coach.technique.library import list_techniques

TARGET_SAME = 0.98
OTHER_SIDE = {"left": "right", "right": "left"}


def build_jobs(args: argparse.Namespace) -> list[Job]:
    jobs: list[Job] = []
    for technique in list_techniques(None):
        if args.only and technique.id not in args.only:
            continue
        cases = [CORRECT] if args.cases == "correct" else [CORRECT, *applicable_faults(technique)]
        jobs += jobs_for(technique, cases, args.placement, args.per_case, args.seed)
    return jobs


def pair_report(cards: dict[tuple[int, str], VariantCard], n_jobs: int, other: str) -> str:
    """Same-status share of ``other`` against the 30 fps card, and what changed."""
    same = total = 0
    changed: Counter[str] = Counter()
    sides_wrong = 0
    for i in range(n_jobs):
        base, alt = cards[(i, AS_FILMED)].card, cards[(i, other)].card
        for name, a, b in status_pairs(base, alt):
            total += 1
            if a == b:
                same += 1
            else:
                changed[f"{name} ({a} -> {b})"] += 1
        expected_side = OTHER_SIDE.get(base.side, base.side) if other == MIRRORED else base.side
        sides_wrong += alt.side != expected_side
    share = same / max(total, 1)
    verdict = "met" if share >= TARGET_SAME else "NOT met"
    lines = [
        f"{AS_FILMED} vs {other}: same status on {same} of {total} criteria ({share:.1%}; "
        f"target >= {TARGET_SAME:.0%}: {verdict}); side "
        f"{'not the mirror of' if other == MIRRORED else 'not the same as'} the 30 fps card's "
        f"in {sides_wrong} of {n_jobs} attempts"
    ]
    lines += [f"  {n:3d}  {what}" for what, n in changed.most_common()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placement", default="laptop_alone", choices=sorted(PLACEMENTS))
    parser.add_argument("--cases", choices=("all", "correct"), default="all")
    parser.add_argument("--per-case", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated technique ids (all if empty)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", action="store_true", help="keep the pose model's landmarks")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    args.only = [x for x in args.only.split(",") if x]
    jobs = build_jobs(args)
    if args.cache:
        os.environ[CACHE_SWITCH] = "1"  # the pool's workers inherit it
    load_before = os.getloadavg()
    start = time.perf_counter()
    cards: dict[tuple[int, str], VariantCard] = {}
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = {
            pool.submit(score_variant, job, variant): (i, variant)
            for i, job in enumerate(jobs)
            for variant in VARIANTS
        }
        for future in tqdm(
            as_completed(futures), total=len(futures), unit="video", file=sys.stderr
        ):
            cards[futures[future]] = future.result()
    elapsed = time.perf_counter() - start
    text = "\n\n".join(
        [
            f"== {args.placement}: {len(jobs)} attempts ({args.cases} cases), seed {args.seed} ==",
            pair_report(cards, len(jobs), HIGH_RATE),
            pair_report(cards, len(jobs), MIRRORED),
            f"run: {len(futures)} videos in {elapsed:.0f} s, {args.workers} workers; load average "
            f"before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} (1 min), "
            f"{os.cpu_count()} cores",
        ]
    )
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
