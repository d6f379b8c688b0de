"""Benchmark: ``coach assess`` over a batch of clips against the plain pose loop over the same
clips in one process, in the same run.

The plain loop decodes every frame of every clip and runs the single-person pose model on it,
one clip after the other, in one process: the work without the batch. The target for the batch
(extraction of every person, scoring, the cohort files and the packs, on ``--jobs`` cores) is
wall time <= plain time / cores x 1.1. Clips: a folder of ``<candidate>_<technique>.<ext>``
videos, or (default) ``--clips`` rendered attempts.

    python bench/assess.py [FOLDER] [--clips 4] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAIN_LOOP = """
import sys, cv2
from mediapipe.python.solutions.pose import Pose
n = 0
for path in sys.argv[1:]:
    capture = cv2.VideoCapture(path)
    with Pose(static_image_mode=False, model_complexity=1, smooth_landmarks=False) as pose:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            n += 1
print(n)
"""
TECHNIQUES = ("cross_wrist_grab", "same_side_wrist_grab", "rear_strangle", "front_strangle")
TARGET_FACTOR = 1.1


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def rendered_clips(folder: Path, n: int) -> None:
    from coach.synth.evaluation import CORRECT
    from coach.synth.rendered_cohort import render_attempt

    for i in range(n):
        technique = TECHNIQUES[i % len(TECHNIQUES)]
        render_attempt(technique, CORRECT, 100 + i, folder / f"c{i}_{technique}.webm")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--clips", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            folder = Path(tmp) / "clips"
            folder.mkdir()
            rendered_clips(folder, args.clips)
        clips = sorted(str(p) for p in folder.iterdir() if p.suffix in (".mp4", ".webm", ".mov"))
        plain = timed([sys.executable, "-c", PLAIN_LOOP, *clips])
        batch = timed(
            [sys.executable, "-m", "coach.cli", "assess", str(folder), "-o",
             str(Path(tmp) / "out"), "--jobs", str(args.jobs), "--no-progress"]
        )  # fmt: skip
    target = plain / args.jobs * TARGET_FACTOR
    print(f"clips: {len(clips)}; jobs: {args.jobs}; load average {os.getloadavg()[0]:.1f}")
    print(f"plain pose loop, one process: {plain:.1f} s")
    print(f"coach assess:                 {batch:.1f} s ({batch / plain:.2f} x plain)")
    verdict = "met" if batch <= target else "NOT met"
    print(f"target <= plain / {args.jobs} x {TARGET_FACTOR} = {target:.1f} s: {verdict}")


if __name__ == "__main__":
    main()
