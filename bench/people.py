"""Benchmark: following every person against the single-person pose model, in the same run.

Frames of the sports2d demo clip are decoded and downscaled once (1280 px long side, as
``coach extract`` does), then both run over the same frames, alternating rounds:
the single-person legacy solution (the floor: one landmark model a frame) and the people
tracker (one landmark model per person a frame, the detector on tiles every 30 frames).
Two stretches: frames 50-169, where two people are in the picture, and frames 0-44, where one
is. Wall time and CPU time (all threads of this process) per frame, medians over the rounds;
on a shared machine the CPU time is the steadier of the two. Target with two people: ratio
<= 2.2.

    python bench/people.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from coach.native_stderr import native_stderr_silenced
from coach.pose.adapter import PersonModel, PoseEstimator, PoseMode
from coach.pose.extraction import prepare_for_inference
from coach.pose.people import PeopleTracker
from coach.samples import fetch_sample
from coach.video.file_source import VideoFileSource

STRETCHES = {"two people (frames 50-169)": (50, 170), "one person (frames 0-44)": (0, 45)}


def single_person_ms(frames: list[np.ndarray]) -> tuple[float, float]:
    """Per-frame wall and CPU milliseconds of the single-person solution."""
    with PoseEstimator(PoseMode.OFFLINE) as estimator:
        estimator.process(frames[0])  # warm-up, as the tracker's first frame below
        wall, cpu = time.perf_counter(), time.process_time()
        for rgb in frames:
            estimator.process(rgb)
        return _per_frame(wall, cpu, len(frames))


def people_ms(frames: list[np.ndarray]) -> tuple[float, float, float]:
    """Per-frame wall and CPU milliseconds, and the mean number of people found."""
    with PersonModel() as model:
        tracker = PeopleTracker(model)
        found = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for rgb in frames:
            found += len(tracker.process(rgb))
        wall_ms, cpu_ms = _per_frame(wall, cpu, len(frames))
        tracker.close()
    return wall_ms, cpu_ms, found / len(frames)


def _per_frame(wall_start: float, cpu_start: float, n: int) -> tuple[float, float]:
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    return 1000 * wall / n, 1000 * cpu / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with VideoFileSource(fetch_sample("demo.mp4")) as source:
        frames = [prepare_for_inference(f.image, 1280) for f in source.frames()]
    print(f"load before: {os.getloadavg()[0]:.2f} (1-min average, {os.cpu_count()} cores)")
    print(
        f"{'stretch':<28}{'single ms':>10}{'people ms':>10}{'ratio':>7}"
        f"{'single cpu':>11}{'people cpu':>11}{'ratio':>7}{'people':>8}"
    )
    for name, (first, last) in STRETCHES.items():
        part = frames[first:last]
        single: list[tuple[float, float]] = []
        people: list[tuple[float, float]] = []
        seen = 0.0
        with native_stderr_silenced():
            for _ in range(args.rounds):
                single.append(single_person_ms(part))
                wall_ms, cpu_ms, seen = people_ms(part)
                people.append((wall_ms, cpu_ms))
        sw, sc = (statistics.median(x[i] for x in single) for i in (0, 1))
        pw, pc = (statistics.median(x[i] for x in people) for i in (0, 1))
        print(
            f"{name:<28}{sw:>10.1f}{pw:>10.1f}{pw / sw:>7.2f}"
            f"{sc:>11.1f}{pc:>11.1f}{pc / sc:>7.2f}{seen:>8.2f}"
        )
    print(f"load after: {os.getloadavg()[0]:.2f}")
    print("target: two people <= 2.2 x the single-person model")


if __name__ == "__main__":
    main()
