"""Benchmark: the standing calibration through the real pose model on rendered people.

For each camera placement and each of a few random looks (clothes, room, light, sensor
noise), a body-model trainee 1.75 m tall is rendered standing upright at three places on the
floor (3.2 m in front of the camera's base, then 0.6 m nearer and 0.9 m farther, a little to the
sides), the photos go through MediaPipe (``coach.room.standing_input``) and
``floor_from_standing``; the camera height and tilt found are compared with the drawn ones.
Also places the drawn ankles on the found floor: how far a foot 3 m away lands from where it is.

    python bench/room_standing.py [--looks 3] [--places 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import cv2
import numpy as np

from coach.bodymodel.body_model import Body, posture_points
from coach.bodymodel.camera import Camera
from coach.room.floor_points import floor_positions
from coach.room.intrinsics import Intrinsics
from coach.room.standing import floor_from_standing
from coach.room.standing_input import read_standing
from coach.synth.figure.scene import Person, random_staging, render_frames

PLACEMENTS = (
    (1.0, 0.0, 0.0),
    (1.0, 5.0, 0.0),
    (1.3, 10.0, 0.0),
    (1.3, 10.0, 35.0),
    (1.8, 20.0, 0.0),
    (0.8, -5.0, 20.0),
)
"""(height m, tilt deg, azimuth deg) of the camera."""
PLACES = ((-0.4, -0.9), (0.3, 0.0), (0.0, 0.6), (0.5, -0.4), (-0.3, 0.5))


def run_case(camera: Camera, seed: int, places: int, folder: Path) -> tuple[float, float, float]:
    body = Body(1.75)
    staging = random_staging(np.random.default_rng(seed))
    photos = []
    for i, (x, z) in enumerate(PLACES[:places]):
        values = {"x_torso_lengths": x / body.torso_m, "z_torso_lengths": z / body.torso_m}
        points = posture_points(values, body)
        frame = next(
            render_frames([Person(points[None], 1.75, staging.trainee_look)], camera, staging)
        )
        path = folder / f"s{seed}_{i}.png"
        cv2.imwrite(str(path), frame)
        photos.append(path)
    views = read_standing(photos)
    k = Intrinsics.laptop_default(views.size)
    fit = floor_from_standing(views.ankles, views.ears, k, 1.75)
    # a foot 3 m in front of the camera's base, placed on the found floor and on the true one
    a, b = np.array([[0.0, 0.068, 0.2], [0.4, 0.068, 0.2]])  # two ankles 0.4 m apart
    px = camera.project(np.stack([a, b])) * np.array(camera.size)
    found = floor_positions(px, k, fit.floor, 0.068)
    width_error = abs(float(np.linalg.norm(found[0] - found[1])) - 0.4)
    return fit.floor.height_m - camera.height_m, fit.floor.tilt_deg - camera.pitch_deg, width_error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--looks", type=int, default=3)
    parser.add_argument("--places", type=int, default=3)
    args = parser.parse_args()
    print(
        "| camera height, tilt, azimuth | height error (m), per look | tilt error (deg) | "
        "0.4 m stance measured (error, mm) |"
    )
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for h, tilt, az in PLACEMENTS:
            camera = Camera(distance_m=3.2, azimuth_deg=az, height_m=h, pitch_deg=tilt)
            rows = [run_case(camera, s, args.places, Path(tmp)) for s in range(args.looks)]
            dh = ", ".join(f"{r[0]:+.3f}" for r in rows)
            dt = ", ".join(f"{r[1]:+.1f}" for r in rows)
            dw = ", ".join(f"{1000 * r[2]:.0f}" for r in rows)
            print(f"| {h:g} m, {tilt:g} deg, {az:g} deg | {dh} | {dt} | {dw} |", flush=True)


if __name__ == "__main__":
    main()
