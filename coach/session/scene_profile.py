"""The room's scene profile (``calibration/scene.json``): on which side of the trainee the exit is.

The exit side is asked once (keys l / r in the session, or ``--exit-side``) and saved here, so
later sessions in the same room skip the question. The checks get a ``Scene`` made the same way
the synthetic references make theirs: a laptop camera in front, the exit on that side.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from coach.analysis.checks.base import Scene
from coach.bodymodel.camera import Camera
from coach.bodymodel.reference import scene_for
from coach.errors import CoachError
from coach.recording.atomic_text import write_text_atomically
from coach.technique.model import Technique
from coach.validation import read_json_object

SCENE_FILE = "scene.json"
SIDES = ("left", "right")
MAX_SCENE_BYTES = 64 * 1024


def load_exit_side(calibration: Path) -> str | None:
    """The saved exit side, or None when the room has no scene profile yet."""
    path = calibration / SCENE_FILE
    if not path.exists():
        return None
    body = read_json_object(path, MAX_SCENE_BYTES)
    side = body.get("exit_side")
    if side not in SIDES:
        raise CoachError(path, f"exit_side: expected left or right, got {side!r}")
    return str(side)


def save_exit_side(calibration: Path, side: str) -> Path:
    """Write (or update) the scene profile's exit side; other fields are kept, and a profile
    that cannot be read is refused rather than replaced (its other fields would be lost)."""
    if side not in SIDES:
        raise ValueError(f"exit side: expected left or right, got {side!r}")
    calibration.mkdir(parents=True, exist_ok=True)
    path = calibration / SCENE_FILE
    body = read_json_object(path, MAX_SCENE_BYTES) if path.exists() else {}
    body["exit_side"] = side
    write_text_atomically(path, json.dumps(body, indent=2) + "\n")
    return path


def scene_for_exit(technique: Technique, exit_side: str, camera: Camera | None = None) -> Scene:
    """Where the threat and the exit are, for a camera in front of the trainee."""
    return scene_for(replace(technique, exit_side=exit_side), camera or Camera())


def exit_image_side(scene: Scene) -> str | None:
    """"left" / "right": the side of the picture the exit is on."""
    if scene.exit_image_dir is None:
        return None
    return "right" if scene.exit_image_dir[0] > 0 else "left"
