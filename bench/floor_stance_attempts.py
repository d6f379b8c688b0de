"""Benchmark: the stance rows of whole score cards, with and without the room, on rendered
attempts through the real pose model and the real scorer.

The ready-stance drill (feet apart, a foot forward) is rendered from several camera placements
(``coach.synth.figure``: the trainee alone, one look per seed), run through MediaPipe
(``extract_poses``) and scored (``score_sequence``) twice: as before, and with the placement's
exact room. Printed per placement: "Feet apart" and "One foot forward", value and status,
both ways, beside the values the drawn (noise-free) landmarks give.

    python bench/floor_stance_attempts.py [--seeds 2]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from coach.bodymodel.camera import Camera
from coach.room.floor_plane import FloorPlane
from coach.room.intrinsics import Intrinsics
from coach.room.room_file import Room
from coach.room.standing_input import video_poses
from coach.scoring.offline import score_sequence
from coach.synth.attempts import AttemptSpec
from coach.synth.figure.attempt_video import attempt_scene, write_attempt_video
from coach.technique.library import find_technique
from coach.workspace import find_workspace

PLACEMENTS = {
    "front, 1.0 m": Camera(distance_m=3.0, height_m=1.0),
    "30 deg, 1.2 m, 8 down": Camera(distance_m=3.0, azimuth_deg=30.0, height_m=1.2, pitch_deg=8.0),
    "-60 deg, 1.0 m": Camera(distance_m=3.2, azimuth_deg=-60.0, height_m=1.0),
    "80 deg, 1.4 m, 12 down": Camera(
        distance_m=3.2, azimuth_deg=80.0, height_m=1.4, pitch_deg=12.0
    ),
}
ROWS = ("stance_width", "stance_stagger")


def _rows(card: object) -> dict[str, str]:
    out = {}
    for r in card.criteria:  # type: ignore[attr-defined]
        if r.kind in ROWS:
            value = "n/a" if r.value is None or r.value != r.value else f"{r.value:.2f}"
            out[r.kind] = f"{value} {r.status}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    technique = find_technique(find_workspace(), "ready_stance")
    print("| placement, seed | drawn: feet apart / foot forward | world | floor |")
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, camera in PLACEMENTS.items():
            for seed in range(args.seeds):
                spec = AttemptSpec(camera=camera, seed=seed, side=technique.side)
                scene = attempt_scene(technique, spec, 1.75)
                video = write_attempt_video(scene, spec, Path(tmp) / "a.webm", partner=False)
                seq = video_poses(video)
                room = Room(
                    Intrinsics.laptop_default(camera.size),
                    FloorPlane(camera.height_m, camera.pitch_deg),
                    spec.height_m,
                )
                sc = scene.truth.scene
                drawn = _rows(
                    score_sequence(
                        scene.truth.sequence, technique, side=spec.side, scene=sc, room=room
                    )
                )
                world = _rows(score_sequence(seq, technique, side=spec.side, scene=sc))
                floor = _rows(score_sequence(seq, technique, side=spec.side, scene=sc, room=room))

                def cell(rows: dict[str, str]) -> str:
                    return " / ".join(rows.get(k, "-") for k in ROWS)

                print(
                    f"| {name}, {seed} | {cell(drawn)} | {cell(world)} | {cell(floor)} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
