"""Attempt index benchmark: 10,000 attempt folders indexed, then filtered lists answered.

Run: ``python bench/index.py [--attempts 10000] [--repeats 5]``. Makes a recordings folder in
a temporary directory (pose.npz hard-linked from the bundled sample, attempt.json and
score.json written per folder with varied trainees, techniques, dates and outcomes), then
times, side by side in the same run:

- building the index from nothing, against the floor: walking the folders and reading each
  attempt.json and score.json without SQLite;
- a sync when nothing changed, and after 1 % of the folders changed;
- a filtered list (trainee + technique + date range + outcome, newest 50) from the index,
  against answering the same question by reading every folder.

Prints a table with ratios and the machine load. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from coach.store.index import AttemptFilter, AttemptIndex, attempt_folders, rebuild
from coach.store.summary import summarise

SAMPLE = Path(__file__).parent.parent / "coach" / "sample_attempts" / "same_side_wrist_grab"
TECHNIQUES = ("same_side_wrist_grab", "cross_wrist_grab", "front_strangle", "rear_strangle")
LABELS = ("Guard up again", "Step back after the release", "Elbow bends sharply", "Feet apart")
QUERY = AttemptFilter(
    trainee="trainee-007",
    technique="front_strangle",
    date_from="2026-01-01",
    date_to="2026-12-31",
    outcome="broke_free",
)


def make_recordings(root: Path, n: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    meta = json.loads((SAMPLE / "attempt.json").read_text())
    rec = root / "recordings"
    for k in range(n):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        folder = rec / f"2026-{month:02d}-{day:02d}_t{k % 40:03d}_{k}"
        folder.mkdir(parents=True)
        os.link(SAMPLE / "pose.npz", folder / "pose.npz")
        meta.update(
            trainee=f"trainee-{k % 40:03d}",
            technique=rng.choice(TECHNIQUES),
            created=f"2026-{month:02d}-{day:02d}T10:{k % 60:02d}:00+00:00",
        )
        (folder / "attempt.json").write_text(json.dumps(meta))
        failed = rng.sample(LABELS, rng.randint(0, 2))
        card = {
            "technique_id": meta["technique"],
            "side": "right",
            "criteria": [{"label": x, "status": "Not met"} for x in failed],
            "outcomes": {
                "it_worked_broke_free": rng.random() < 0.8,
                "matched_coaching_points_used_taught_technique": not failed,
                "hard_fail": rng.random() < 0.05,
            },
            "timings": {
                "reaction_s": rng.uniform(0.2, 0.8),
                "release_s": rng.uniform(0.5, 2.5),
                "safe_distance_s": rng.uniform(2, 6),
            },
        }
        (folder / "score.json").write_text(json.dumps(card))
    return rec


def scan_without_index(rec: Path) -> list[object]:
    """The floor: walk and read every folder's JSON, no SQLite."""
    return [summarise(f, rec) for f in attempt_folders(rec)]


def filter_without_index(rec: Path) -> list[str]:
    rows = [
        s
        for s in scan_without_index(rec)
        if getattr(s, "trainee", None) == QUERY.trainee
        and getattr(s, "technique", None) == QUERY.technique
        and getattr(s, "broke_free", None) is True
    ]
    return sorted((str(getattr(s, "created", "")) for s in rows), reverse=True)[:50]


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="coach-bench-index-"))
    try:
        t0 = time.perf_counter()
        rec = make_recordings(root, args.attempts)
        print(f"made {args.attempts} attempt folders in {time.perf_counter() - t0:.1f} s")
        build, floor = [], []
        for _ in range(max(1, args.repeats // 2)):
            floor.append(timed(lambda: scan_without_index(rec)))
            build.append(timed(lambda: rebuild(rec)))
        with AttemptIndex(rec) as index:
            unchanged = [timed(index.sync) for _ in range(args.repeats)]
            changed = []
            folders = sorted(p for p in rec.iterdir() if p.is_dir())
            for r in range(args.repeats):
                for folder in folders[r::100]:
                    path = folder / "attempt.json"
                    path.write_text(path.read_text().replace("T10:", "T11:", 1))
                changed.append(timed(index.sync))
            listed = index.attempts(QUERY, limit=50)
            query = [
                timed(lambda: index.attempts(QUERY, limit=50)) for _ in range(args.repeats * 20)
            ]
            count = [
                timed(lambda: index.count(AttemptFilter(outcome="over_limit")))
                for _ in range(args.repeats * 20)
            ]
        slow = [timed(lambda: filter_without_index(rec)) for _ in range(max(1, args.repeats // 2))]
        assert len(listed) == len(filter_without_index(rec)), "index and scan disagree"
        base = statistics.median(floor)
        rows = [
            ("read every folder, no index (floor)", base),
            ("build the index from nothing", statistics.median(build)),
            ("sync, nothing changed", statistics.median(unchanged)),
            ("sync, 1 % of folders changed", statistics.median(changed)),
            ("filtered list without an index", statistics.median(slow)),
            ("filtered list from the index (newest 50)", statistics.median(query)),
            ("count of over-limit attempts from the index", statistics.median(count)),
        ]
        print(
            f"\n{args.attempts} attempts, {len(listed)} match the filter; medians of "
            f"{args.repeats} runs (20x for queries)"
        )
        print(f"{'case':<46} {'ms':>10} {'x floor':>9}")
        for name, ms in rows:
            print(f"{name:<46} {ms:>10.2f} {ms / base:>9.4f}")
        print(
            f"\nfiltered list: index is {statistics.median(slow) / statistics.median(query):.0f}x "
            "faster than reading the folders"
        )
        print(
            f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
            f"{os.getloadavg()[2]:.2f} (1, 5, 15 min) on {os.cpu_count()} cores"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
