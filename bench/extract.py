"""Benchmark: ``coach extract`` against a plain decode-and-infer loop, in the same run.

Both run as fresh processes on the same real video (the sports2d demo clip unless a path is
given), alternating, so both pay interpreter start, imports and model loading. The plain loop
decodes every frame, converts it to RGB and runs the pose model on it, one after the other:
that is the floor the coach should not exceed (target: ratio <= 1.0).

    python bench/extract.py [VIDEO] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAIN_LOOP = """
import sys, cv2
from mediapipe.python.solutions.pose import Pose
capture = cv2.VideoCapture(sys.argv[1])
with Pose(static_image_mode=False, model_complexity=1, smooth_landmarks=False) as pose:
    n = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
        n += 1
print(n)
"""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", nargs="?", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.video is None:
        from coach.samples import fetch_sample

        args.video = fetch_sample("demo.mp4")
    plain: list[float] = []
    coach: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "attempt"
        for _ in range(args.repeats):
            plain.append(timed([sys.executable, "-c", PLAIN_LOOP, str(args.video)]))
            coach.append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "coach.cli",
                        "extract",
                        str(args.video),
                        "-o",
                        str(out),
                        "--force",
                        "--no-progress",
                    ]
                )
            )
    p, c = statistics.median(plain), statistics.median(coach)
    print(f"video: {args.video} ({args.repeats} runs each, alternating, median wall time)")
    print(f"{'job':<34}{'median s':>10}{'min s':>9}{'ratio':>8}")
    print(f"{'plain loop (decode + pose, serial)':<34}{p:>10.2f}{min(plain):>9.2f}{1.0:>8.2f}")
    print(f"{'coach extract':<34}{c:>10.2f}{min(coach):>9.2f}{c / p:>8.2f}")
    print(f"target: ratio <= 1.00 -> {'met' if c / p <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
