"""The room file ``calibration/room.json``: the camera and the floor plane, versioned.

Written atomically by ``coach calibrate``; read and validated by whatever scores, so a file
someone edited by hand fails with one line naming the file and the field, never a traceback
and never a silently wrong measure. Format (version 1)::

    {"version": 1,
     "camera": {"size": [1280, 720], "fx": 914.1, "fy": 914.1, "cx": 640, "cy": 360,
                "distortion": [0, 0, 0, 0, 0], "source": "default"},
     "floor": {"height_m": 1.02, "tilt_deg": 8.5, "roll_deg": 0.3, "source": "board"},
     "trainee_height_m": null,
     "made_from": "floor_board.jpg"}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.recording.atomic_text import write_text_atomically
from coach.room.floor_plane import MAX_HEIGHT_M, MAX_ROLL_DEG, MAX_TILT_DEG, FloorPlane
from coach.room.intrinsics import Intrinsics
from coach.validation import number, optional_text, read_json_object, table, whole_number

ROOM_FILE = "room.json"
ROOM_PICTURE = "room.png"
ROOM_VERSION = 1
MAX_ROOM_BYTES = 64 * 1024
CAMERA_SOURCES = ("default", "checkerboard")
FLOOR_SOURCES = ("board", "standing", "synthetic")
MAX_PIXELS = 20000
MAX_DISTORTION = 10.0


@dataclass(frozen=True)
class Room:
    """One room's set-up. trainee_height_m: the height given at a standing calibration (it
    sets the feet landmarks' heights above the floor), None if not given."""

    intrinsics: Intrinsics
    floor: FloorPlane
    trainee_height_m: float | None = None
    made_from: str | None = None

    def for_size(self, size: tuple[int, int]) -> Room:
        """The room for pictures of ``size`` (a camera's other resolution)."""
        if tuple(size) == self.intrinsics.size:
            return self
        return Room(
            self.intrinsics.scaled_to(size), self.floor, self.trainee_height_m, self.made_from
        )

    def to_json(self) -> dict[str, Any]:
        k, p = self.intrinsics, self.floor
        return {
            "version": ROOM_VERSION,
            "camera": {
                "size": list(k.size),
                "fx": k.fx,
                "fy": k.fy,
                "cx": k.cx,
                "cy": k.cy,
                "distortion": list(k.distortion),
                "source": k.source,
            },
            "floor": {
                "height_m": p.height_m,
                "tilt_deg": p.tilt_deg,
                "roll_deg": p.roll_deg,
                "source": p.source,
            },
            "trainee_height_m": self.trainee_height_m,
            "made_from": self.made_from,
        }


def room_path(calibration: Path) -> Path:
    return calibration / ROOM_FILE


def write_room(calibration: Path, room: Room) -> Path:
    """Write ``calibration/room.json`` whole or not at all."""
    calibration.mkdir(parents=True, exist_ok=True)
    path = room_path(calibration)
    write_text_atomically(path, json.dumps(room.to_json(), indent=2) + "\n")
    return path


def load_room(calibration: Path) -> Room | None:
    """The room set-up, or None when the room has not been calibrated."""
    path = room_path(calibration)
    if not path.exists():
        return None
    return read_room(path)


def read_room(path: Path) -> Room:
    body = read_json_object(path, MAX_ROOM_BYTES)
    version = body.get("version")
    if version != ROOM_VERSION:
        raise CoachError(path, f"version: expected {ROOM_VERSION}, got {version!r}")
    cam = _fields(path, "camera", body, ("size", "fx", "fy", "cx", "cy", "distortion", "source"))
    size = cam["size"]
    if not isinstance(size, list) or len(size) != 2:
        raise CoachError(path, f"camera.size: expected [width, height], got {size!r}")
    w = whole_number(path, "camera.size[0]", size[0], 16, MAX_PIXELS)
    h = whole_number(path, "camera.size[1]", size[1], 16, MAX_PIXELS)
    dist = cam["distortion"]
    if not isinstance(dist, list) or len(dist) != 5:
        raise CoachError(path, f"camera.distortion: expected 5 numbers, got {dist!r}")
    k = tuple(
        number(path, f"camera.distortion[{i}]", v, -MAX_DISTORTION, MAX_DISTORTION)
        for i, v in enumerate(dist)
    )
    intrinsics = Intrinsics(
        (w, h),
        number(path, "camera.fx", cam["fx"], 1.0, 50.0 * w, "pixels"),
        number(path, "camera.fy", cam["fy"], 1.0, 50.0 * h, "pixels"),
        number(path, "camera.cx", cam["cx"], 0.0, float(w), "pixels"),
        number(path, "camera.cy", cam["cy"], 0.0, float(h), "pixels"),
        (k[0], k[1], k[2], k[3], k[4]),
        _choice(path, "camera.source", cam["source"], CAMERA_SOURCES),
    )
    fl = _fields(path, "floor", body, ("height_m", "tilt_deg", "roll_deg", "source"))
    floor = FloorPlane(
        number(path, "floor.height_m", fl["height_m"], 0.05, MAX_HEIGHT_M, "metres"),
        number(path, "floor.tilt_deg", fl["tilt_deg"], -MAX_TILT_DEG, MAX_TILT_DEG, "degrees"),
        number(path, "floor.roll_deg", fl["roll_deg"], -MAX_ROLL_DEG, MAX_ROLL_DEG, "degrees"),
        _choice(path, "floor.source", fl["source"], FLOOR_SOURCES),
    )
    height = body.get("trainee_height_m")
    trainee = (
        None if height is None else number(path, "trainee_height_m", height, 1.0, 2.3, "metres")
    )
    return Room(intrinsics, floor, trainee, optional_text(path, "made_from", body.get("made_from")))


def _fields(path: Path, name: str, body: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    part = table(path, name, body.get(name))
    for field in names:
        if field not in part:
            raise CoachError(path, f"{name}.{field}: missing")
    return part


def _choice(path: Path, field: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise CoachError(path, f"{field}: expected one of {', '.join(allowed)}, got {value!r}")
    return str(value)
