"""Benchmark: following every person against the single-person pose model, in the same run.

Frames of the sports2d demo clip are decoded and downscaled once (1280 px long side, as
``coach extract`` does), then both run over the same frames, alternating rounds:
the single-person legacy solution (the floor: one landmark model a frame) and the people
tracker (one landmark model per person a frame, the detector on tiles every 30 frames).
Two stretches: frames 50-169, where two people are in the picture, and frames 0-44, where one
is. Target with two people: ratio <= 2.2.

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


def single_person_ms(frames: list[np.ndarray]) -> float:
    with PoseEstimator(PoseMode.OFFLINE) as estimator:
        estimator.process(frames[0])  # warm-up, as the tracker's first frame below
        start = time.perf_counter()
        for rgb in frames:
            estimator.process(rgb)
        return 1000 * (time.perf_counter() - start) / len(frames)


def people_ms(frames: list[np.ndarray]) -> tuple[float, float]:
    """Per-frame milliseconds and the mean number of people found."""
    with PersonModel() as model:
        tracker = PeopleTracker(model)
        found = 0
        start = time.perf_counter()
        for rgb in frames:
            found += len(tracker.process(rgb))
        elapsed = time.perf_counter() - start
        tracker.close()
    return 1000 * elapsed / len(frames), found / len(frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with VideoFileSource(fetch_sample("demo.mp4")) as source:
        frames = [prepare_for_inference(f.image, 1280) for f in source.frames()]
    print(f"load before: {os.getloadavg()[0]:.2f} (1-min average, {os.cpu_count()} cores)")
    print(f"{'stretch':<30}{'single ms':>10}{'people ms':>10}{'people':>8}{'ratio':>7}")
    for name, (first, last) in STRETCHES.items():
        part = frames[first:last]
        single: list[float] = []
        people: list[float] = []
        seen = 0.0
        with native_stderr_silenced():
            for _ in range(args.rounds):
                single.append(single_person_ms(part))
                ms, seen = people_ms(part)
                people.append(ms)
        s, p = statistics.median(single), statistics.median(people)
        print(f"{name:<30}{s:>10.1f}{p:>10.1f}{seen:>8.2f}{p / s:>7.2f}")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    print("target: two people <= 2.2 x the single-person model")


if __name__ == "__main__":
    main()
