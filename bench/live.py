"""Live per-frame cost of everything the coach adds, beside the pose model, in one run.

Coach side (per frame, 1280x720): One Euro smoothing, framing and stance gates, the live
scorer's step (features, alignment, criteria; when ``coach.scoring.live`` exists), building the
view and drawing the overlay onto a copy of the camera picture. Pose side: MediaPipe (live mode)
on real frames of the sports2d clip resized to 1280x720. Target: coach p95 <= 3 ms.

    python bench/live.py [--frames 150]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import cv2
import numpy as np

from coach.pose.adapter import PoseEstimator, PoseMode
from coach.pose.one_euro import LivePoseSmoother
from coach.recording.attempt_folder import read_attempt
from coach.render.overlay import draw_overlay
from coach.samples import fetch_sample
from coach.session.demo_sample import SAMPLE_DIR
from coach.session.framing import check_framing, is_ready_stance
from coach.session.scene_profile import scene_for_exit
from coach.session.state_machine import SessionMachine, State
from coach.session.view import FrameInfo, build_view
from coach.technique.library import find_technique

SIZE = (1280, 720)


def pct(values: list[float]) -> tuple[float, float]:
    a = np.array(values)
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def coach_costs(frames: int) -> dict[str, list[float]]:
    attempt = read_attempt(SAMPLE_DIR)
    seq = attempt.pose
    tech = find_technique(None, "same_side_wrist_grab")
    scene = scene_for_exit(tech, tech.exit_side)
    scorer = None
    if importlib.util.find_spec("coach.scoring.live") is not None:
        from coach.scoring.live import LiveScorer

        scorer = LiveScorer(tech, scene)
        scorer.start(4.0)
    machine = SessionMachine(exit_side="left")
    machine.state, machine.go_t = State.ATTEMPT, 4.0
    smoother = LivePoseSmoother()
    picture = np.full((SIZE[1], SIZE[0], 3), 90, dtype=np.uint8)
    costs: dict[str, list[float]] = {"smooth+gates": [], "scorer": [], "overlay": [], "total": []}
    start_i = int(np.searchsorted(seq.t, 4.0))
    for k in range(frames):
        i = start_i + k % (len(seq) - start_i)
        t = 4.0 + k / 30.0
        t0 = time.perf_counter()
        s = smoother(t, seq.image[i], seq.world[i])
        framing = check_framing(seq.image[i], seq.visibility[i])
        ready = is_ready_stance(s.image, seq.visibility[i])
        t1 = time.perf_counter()
        fb = scorer.step(t, s.image, s.world, seq.visibility[i]) if scorer is not None else None
        t2 = time.perf_counter()
        info = FrameInfo(t, s.image, seq.visibility[i], framing.hint, ready, fb, None, "right")
        draw_overlay(picture.copy(), build_view(machine, tech, tech.name, info))
        t3 = time.perf_counter()
        costs["smooth+gates"].append((t1 - t0) * 1e3)
        costs["scorer"].append((t2 - t1) * 1e3)
        costs["overlay"].append((t3 - t2) * 1e3)
        costs["total"].append((t3 - t0) * 1e3)
    if scorer is None:
        del costs["scorer"]
        print("note: coach.scoring.live not found; the scorer's step is not in the total")
    return costs


def pose_costs(frames: int) -> list[float]:
    capture = cv2.VideoCapture(str(fetch_sample("demo.mp4")))
    out = []
    with PoseEstimator(PoseMode.LIVE) as estimator:
        for _ in range(frames):
            ok, image = capture.read()
            if not ok:
                break
            rgb = cv2.cvtColor(cv2.resize(image, SIZE, interpolation=cv2.INTER_LINEAR),
                               cv2.COLOR_BGR2RGB)
            t0 = time.perf_counter()
            estimator.process(rgb)
            out.append((time.perf_counter() - t0) * 1e3)
    return out[5:]  # the first calls warm the model up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=150)
    args = parser.parse_args()
    costs = coach_costs(args.frames * 2)
    pose = pose_costs(args.frames)
    print(f"live per-frame cost at {SIZE[0]}x{SIZE[1]} ({Path(__file__).name})")
    print(f"{'part':<16}{'p50 ms':>10}{'p95 ms':>10}")
    for name, values in costs.items():
        p50, p95 = pct(values)
        print(f"{name:<16}{p50:>10.2f}{p95:>10.2f}")
    p50, p95 = pct(pose)
    print(f"{'pose model':<16}{p50:>10.2f}{p95:>10.2f}")
    total95 = pct(costs["total"])[1]
    print(f"coach p95 / pose p50 = {total95 / p50:.3f}   target: coach p95 <= 3 ms "
          f"({'met' if total95 <= 3.0 else 'NOT met'})")


if __name__ == "__main__":
    main()
