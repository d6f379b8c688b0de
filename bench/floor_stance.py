"""Benchmark: stance width from the world landmarks against the floor plane, through the real
pose model on rendered people seen from several camera placements.

A body-model trainee 1.75 m tall holds a stance (feet side by side and wide, or staggered) and
is rendered from each placement with a few random looks; MediaPipe's landmarks of each picture
give the stance width two ways: from the world (3D) landmarks in their shoulder widths, and on
the floor plane of the placement's exact room (``Features.floor``, in floor-measured shoulder
widths), from the ankles alone and from each foot's mean of ankle, heel and toe; and the
stagger (``stance_stagger``) both ways, the world one with the view rule bypassed. Printed: per
stance and way, the width per placement (mean over looks), the spread across placements (the
view dependence issue 11 asks to bring under 0.05 SW) and the mean error against the truth.
A placement where a foot is hidden behind the other (visibility < 0.5) counts as not seen.

    python bench/floor_stance.py [--looks 3]
"""

from __future__ import annotations

import argparse

import cv2
import numpy as np

from coach.analysis.checks.base import Events, Scene
from coach.analysis.checks.registry import get_kind
from coach.analysis.features import Features
from coach.bodymodel.body_model import SHOULDER_WIDTH, Body, posture_points
from coach.bodymodel.camera import Camera
from coach.pose.adapter import PoseEstimator, PoseMode
from coach.pose.landmarks import index_of
from coach.pose.sequence import PoseSequence
from coach.room.floor_plane import FloorPlane
from coach.room.intrinsics import Intrinsics
from coach.room.room_file import Room
from coach.synth.figure.scene import Person, random_staging, render_frames

BODY = Body(1.75)
STANCES = {
    "side by side": {"left_hip_abd_deg": 13.0, "right_hip_abd_deg": 13.0},
    "staggered": {
        "left_hip_flex_deg": 16.0,
        "right_hip_flex_deg": -16.0,
        "left_hip_abd_deg": 9.0,
        "right_hip_abd_deg": 9.0,
    },
}
LEGS_STRAIGHT = {"left_knee_deg": 180.0, "right_knee_deg": 180.0}
CAMERAS = {
    "front 1.0 m": Camera(distance_m=3.0, height_m=1.0),
    "30 deg 1.0 m": Camera(distance_m=3.0, azimuth_deg=30.0, height_m=1.0),
    "50 deg 1.5 m tilted 15": Camera(
        distance_m=3.6, azimuth_deg=50.0, height_m=1.5, pitch_deg=15.0
    ),
    "-70 deg 1.2 m tilted 8": Camera(
        distance_m=3.2, azimuth_deg=-70.0, height_m=1.2, pitch_deg=8.0
    ),
    "side 1.0 m": Camera(distance_m=3.2, azimuth_deg=90.0, height_m=1.0),
}
WAYS = (
    "world",
    "floor: ankles",
    "floor: ankle+heel+toe",
    "floor, as judged (in-line feet Not assessable)",
    "stagger, world (view rule bypassed)",
    "stagger, floor",
)


def _widths(points: np.ndarray, camera: Camera, seed: int, est: PoseEstimator) -> dict[str, float]:
    staging = random_staging(np.random.default_rng(seed))
    frame = next(render_frames([Person(points[None], 1.75, staging.trainee_look)], camera, staging))
    r = est.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    seq = PoseSequence(
        np.zeros(1),
        r.image[None].astype(float),
        r.visibility[None].astype(float),
        r.world[None].astype(float),
        camera.size,
        30.0,
    )
    room = Room(
        Intrinsics.laptop_default(camera.size), FloorPlane(camera.height_m, camera.pitch_deg), 1.75
    )
    f = Features.from_sequence(seq, room)
    assert f.floor is not None
    d = f.point("left_ankle")[0] - f.point("right_ankle")[0]
    foot = {
        s: np.mean([f.floor.point(f"{s}_{j}")[0] for j in ("ankle", "heel", "foot_index")], axis=0)
        for s in ("left", "right")
    }
    ankles = f.floor.point("left_ankle")[0] - f.floor.point("right_ankle")[0]
    w = camera.direction_to_world(np.array([0.0, 0.0, 1.0]))  # the threat in front
    scene = Scene(threat_yaw_deg=float(np.degrees(np.arctan2(w[0], -w[2]))))
    stagger = get_kind("stance_stagger").evaluate
    params = {"min_shoulder_widths": 0.3}
    plain = Features.from_sequence(seq)
    width = get_kind("stance_width").evaluate(
        f, slice(0, 1), Events(0.0), scene, {"min_shoulder_widths": 0.0, "max_shoulder_widths": 9.0}
    )
    return {
        "floor, as judged (in-line feet Not assessable)": width.value,
        "stagger, world (view rule bypassed)": stagger(
            plain, slice(0, 1), Events(0.0), scene, params
        ).value,
        "stagger, floor": stagger(f, slice(0, 1), Events(0.0), scene, params).value,
        "world": float(np.hypot(d[0], d[2]) / f.shoulder_m),
        "floor: ankles": float(np.linalg.norm(ankles) / f.floor_shoulder_m),
        "floor: ankle+heel+toe": float(
            np.linalg.norm(foot["left"] - foot["right"]) / f.floor_shoulder_m
        ),
    }


def _mean(values: list[float]) -> float:
    """Mean over the looks where the ankles were seen (NaN: a foot hidden behind the other)."""
    seen = [v for v in values if np.isfinite(v)]
    return float(np.mean(seen)) if seen else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--looks", type=int, default=3)
    args = parser.parse_args()
    est = PoseEstimator(PoseMode.STILL)
    sw = SHOULDER_WIDTH * BODY.height_m
    try:
        for name, stance in STANCES.items():
            points = posture_points({**stance, **LEGS_STRAIGHT}, BODY)
            d = points[index_of("left_ankle")] - points[index_of("right_ankle")]
            truths = {way: float(np.hypot(d[0], d[2]) / sw) for way in WAYS}
            for way in WAYS[4:]:
                truths[way] = float(abs(d[2]) / sw)
            table = {
                cam: [_widths(points, camera, s, est) for s in range(args.looks)]
                for cam, camera in CAMERAS.items()
            }
            print(
                f"\n{name}: true width {truths['world']:.2f} SW, stagger {truths[WAYS[-1]]:.2f} SW "
                f"(mean of {args.looks} looks per placement)"
            )
            print("| way | " + " | ".join(CAMERAS) + " | spread | mean error |")
            print("| --- |" + " --- |" * (len(CAMERAS) + 2))
            for way in WAYS:
                means = [_mean([r[way] for r in rows]) for rows in table.values()]
                every = np.array([r[way] for rows in table.values() for r in rows])
                cells = " | ".join(f"{m:.2f}" for m in means)
                spread = float(np.nanmax(means) - np.nanmin(means))
                error = float(np.nanmean(np.abs(every - truths[way])))
                print(f"| {way} | {cells} | {spread:.2f} | {error:.2f} |", flush=True)
    finally:
        est.close()


if __name__ == "__main__":
    main()
