"""Benchmark: a synthetic cohort assessed end to end, records against the injected faults.

Twelve candidates, three techniques each, rendered as people at the laptop placements with a
partner (``coach/synth/rendered_cohort.py``), each attempt correct or with one known fault, and
two files that are not videos. ``coach assess`` runs on the manifest three times: the first
does the work; the second must do none; before the third one technique file is edited, and
only its attempts may be re-scored. Each record's three points are compared with the oracle's:
the same attempt scored from its exact landmarks (what the pose model should have seen), so a
difference is the pose model's and the engine's, not the rubric's.

    python bench/assess_cohort.py [--candidates 12] [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from coach.assess.record import practical_record
from coach.scoring.offline import score_sequence
from coach.synth.evaluation import CORRECT, applicable_faults
from coach.synth.rendered_cohort import TECHNIQUES, cohort_attempt, render_attempt
from coach.technique.loader import load_technique

COHORT_TECHNIQUES = ("same_side_wrist_grab", "two_hand_wrist_grab", "front_strangle")
POINTS = ("successfully_applied", "safely_applied", "coaching_points")


def oracle_points(technique_id: str, fault: str, seed: int) -> dict[str, str]:
    """The three points from the attempt's exact landmarks (the same draw as the video)."""
    technique = load_technique(TECHNIQUES / f"{technique_id}.toml")
    truth = cohort_attempt(technique_id, fault, seed)[0].truth
    card = score_sequence(truth.sequence, technique, "auto", truth.events.t0_s, truth.scene)
    return {p.item: p.mark for p in practical_record(card).points}


def run_assess(manifest: Path, out: Path, workspace: Path, jobs: int) -> tuple[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "coach.cli", "--workspace", str(workspace), "assess",
         str(manifest), "-o", str(out), "--jobs", str(jobs), "--no-progress"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"coach assess failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout + done.stderr, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="build the cohort here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="cohort_"))
    videos, workspace = root / "videos", root / "workspace"
    videos.mkdir(parents=True, exist_ok=True)
    (workspace / "techniques").mkdir(parents=True, exist_ok=True)
    for tid in COHORT_TECHNIQUES:
        shutil.copy(TECHNIQUES / f"{tid}.toml", workspace / "techniques")
    rows, expected = [], {}
    started = time.perf_counter()
    for k in range(args.candidates):
        for j, tid in enumerate(COHORT_TECHNIQUES):
            faults = [CORRECT, *applicable_faults(load_technique(TECHNIQUES / f"{tid}.toml"))]
            fault = faults[(k + j) % len(faults)]
            seed = 1000 + 10 * k + j
            name = f"c{k + 1:02d}_{tid}.webm"
            render_attempt(tid, fault, seed, videos / name)
            rows.append((f"Candidate {k + 1:02d}", name, tid))
            expected[(f"Candidate {k + 1:02d}", tid)] = (fault, oracle_points(tid, fault, seed))
        print(f"rendered {3 * (k + 1)} videos ({time.perf_counter() - started:.0f} s)",
              file=sys.stderr)  # fmt: skip
    for bad in ("Candidate 90", "Candidate 91"):
        name = f"{bad.split()[1]}_broken.mp4"
        (videos / name).write_text("not a video\n")
        rows.append((bad, name, COHORT_TECHNIQUES[0]))
    manifest = videos / "cohort.csv"
    with manifest.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["candidate", "video", "technique"])
        writer.writerows(rows)
    out = root / "out"
    first, t_first = run_assess(manifest, out, workspace, args.jobs)
    second, t_second = run_assess(manifest, out, workspace, args.jobs)
    with (workspace / "techniques" / f"{COHORT_TECHNIQUES[2]}.toml").open("a") as fh:
        fh.write("\n# reviewed\n")
    third, t_third = run_assess(manifest, out, workspace, args.jobs)
    summary = json.loads((out / "assessment.json").read_text())
    agree = dict.fromkeys(POINTS, 0)
    tally: dict[str, list[int]] = {}
    for attempt in summary["attempts"]:
        fault, oracle = expected[(attempt["candidate"], attempt["technique"])]
        same = [attempt["points"][p] == oracle[p] for p in POINTS]
        for p, ok in zip(POINTS, same, strict=True):
            agree[p] += ok
        row = tally.setdefault(attempt["technique"], [0, 0])
        row[0] += all(same)
        row[1] += 1
    n = len(summary["attempts"])
    line = re.compile(r"assessed .*")
    print(f"cohort: {args.candidates} candidates x {len(COHORT_TECHNIQUES)} techniques + 2 broken")
    for label, text, seconds in (("first run", first, t_first), ("second run", second, t_second),
                                 ("technique edited", third, t_third)):  # fmt: skip
        found = line.search(text)
        print(f"{label:<18} {seconds:7.1f} s  {found.group(0) if found else '?'}")
    failed = [f["where"].split("/")[-1] for f in summary["failures"]]
    print(f"not assessed: {len(failed)} ({', '.join(failed)})")
    print(f"\n{'point':<24}{'record = oracle':>16}")
    for p in POINTS:
        print(f"{p:<24}{agree[p]:>10} of {n}")
    print(f"\n{'technique':<24}{'all three = oracle':>20}")
    for tid, (ok, total) in sorted(tally.items()):
        print(f"{tid:<24}{ok:>12} of {total}")
    load = os.getloadavg()[0]
    print(f"\nload average (1 min) at the end: {load:.2f}, {os.cpu_count()} cores")
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
