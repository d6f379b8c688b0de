"""Live per-frame cost of everything the coach adds, beside the pose model, in one run.

Coach side (per frame, 1280x720, on the main thread): One Euro smoothing, framing and stance
gates, the live scorer's step (features, alignment, cues), building the view and drawing the
overlay onto the camera picture (a fresh array per frame, made by the capture thread). The
bundled sample attempt is replayed from GO to its end, attempt after attempt (a new scorer
each, fed the countdown first as in a session), with frames arriving at 30 fps as from a
camera: phase judgements run on their worker process in the gaps, as they do live. Their own
cost, and the score card's at the end of an attempt (on the main thread, once), are rows of
their own. Pose side: MediaPipe (live mode) on real frames of the sports2d clip resized to
1280x720. Target: coach p95 <= 3 ms.

    python bench/live.py [--frames 300] [--fps 30]   (--fps 0: frames back to back)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cv2
import numpy as np

from coach.pose.adapter import PoseEstimator, PoseMode
from coach.pose.one_euro import LivePoseSmoother
from coach.recording.attempt_folder import read_attempt
from coach.render.overlay import draw_overlay
from coach.samples import fetch_sample
from coach.scoring import phase_judge
from coach.scoring.live import LiveScorer
from coach.session.demo_sample import SAMPLE_DIR
from coach.session.framing import check_framing, is_ready_stance
from coach.session.scene_profile import scene_for_exit
from coach.session.state_machine import SessionMachine, State
from coach.session.view import FrameInfo, build_view
from coach.technique.library import find_technique

SIZE = (1280, 720)
GO_S = 4.0
COUNTDOWN_S = 1.0
COLUMNS = (50, 95, 99, 100)


def pct(values: list[float]) -> list[float]:
    return [float(v) for v in np.percentile(np.array(values), COLUMNS)] if values else []


def coach_costs(frames: int, fps: float = 30.0) -> dict[str, list[float]]:
    seq = read_attempt(SAMPLE_DIR).pose
    tech = find_technique(None, "same_side_wrist_grab")
    scene = scene_for_exit(tech, tech.exit_side)
    machine = SessionMachine(exit_side="left")
    machine.state, machine.go_t = State.ATTEMPT, GO_S
    picture = np.full((SIZE[1], SIZE[0], 3), 90, dtype=np.uint8)
    costs: dict[str, list[float]] = {
        "smooth+gates": [], "scorer": [], "overlay": [], "total": [],
        "phase judgement": [], "score card": [],
    }
    judged: list[phase_judge.JudgeTask] = []
    submit = phase_judge.PhaseJudge.submit

    def keep_task(self: phase_judge.PhaseJudge, frame: int, task: phase_judge.JudgeTask) -> None:
        judged.append(task)  # timed inline afterwards: the worker's own cost
        submit(self, frame, task)

    phase_judge.PhaseJudge.submit = keep_task  # type: ignore[method-assign]
    first = int(np.searchsorted(seq.t, COUNTDOWN_S))
    go = int(np.searchsorted(seq.t, GO_S))
    with phase_judge.judge_worker() as executor:
        time.sleep(3.0)  # the worker's imports, done during framing and countdown in a session
        while len(costs["total"]) < frames:
            scorer = LiveScorer(tech, scene, judge_executor=executor)
            smoother = LivePoseSmoother()
            for i in range(first, go):
                s = smoother(seq.t[i], seq.image[i], seq.world[i])
                scorer.step(seq.t[i], seq.image[i], seq.world[i], seq.visibility[i])
            scorer.start(seq.t[go])
            tick = time.perf_counter()
            for i in range(go, len(seq)):
                t = float(seq.t[i])
                if fps > 0:
                    tick += 1.0 / fps
                    time.sleep(max(0.0, tick - time.perf_counter()))  # the camera's next frame
                camera = picture.copy()  # what the capture thread hands over
                t0 = time.perf_counter()
                s = smoother(t, seq.image[i], seq.world[i])
                framing = check_framing(seq.image[i], seq.visibility[i])
                ready = is_ready_stance(s.image, seq.visibility[i])
                t1 = time.perf_counter()
                fb = scorer.step(t, seq.image[i], seq.world[i], seq.visibility[i])
                t2 = time.perf_counter()
                info = FrameInfo(t, s.image, seq.visibility[i], framing.hint, ready, fb, None,
                                 "right")
                draw_overlay(camera, build_view(machine, tech, tech.name, info))
                t3 = time.perf_counter()
                costs["smooth+gates"].append((t1 - t0) * 1e3)
                costs["scorer"].append((t2 - t1) * 1e3)
                costs["overlay"].append((t3 - t2) * 1e3)
                costs["total"].append((t3 - t0) * 1e3)
                if fb.done:
                    break
            t0 = time.perf_counter()
            scorer.finish()
            costs["score card"].append((time.perf_counter() - t0) * 1e3)
    phase_judge.PhaseJudge.submit = submit  # type: ignore[method-assign]
    for task in judged:
        t0 = time.perf_counter()
        phase_judge.judge_phases(task)
        costs["phase judgement"].append((time.perf_counter() - t0) * 1e3)
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
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--fps", type=float, default=30.0, help="0: frames back to back")
    args = parser.parse_args()
    costs = coach_costs(args.frames, args.fps)
    pose = pose_costs(min(args.frames, 200))
    pace = f"frames at {args.fps:g} fps" if args.fps > 0 else "frames back to back"
    print(f"live per-frame cost at {SIZE[0]}x{SIZE[1]}, {pace} ({Path(__file__).name}), ms")
    print(f"{'part':<34}{'n':>5}" + "".join(f"{'p' + str(c) if c < 100 else 'max':>8}"
                                            for c in COLUMNS))
    where = {"phase judgement": " (worker process)", "score card": " (once, attempt end)"}
    for name, values in [*costs.items(), ("pose model (pose worker)", pose)]:
        label = name + where.get(name, "")
        print(f"{label:<34}{len(values):>5}" + "".join(f"{v:>8.2f}" for v in pct(values)))
    total95 = pct(costs["total"])[1]
    pose50 = pct(pose)[0]
    print(f"coach p95 / pose p50 = {total95 / pose50:.3f}   target: coach p95 <= 3 ms "
          f"({'met' if total95 <= 3.0 else 'NOT met'})")


if __name__ == "__main__":
    main()
