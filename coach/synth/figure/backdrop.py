"""The room behind the people: a floor with boards, a wall with a skirting board and a door,
seen through the synthetic camera, and soft shadows on the floor under each person.

Per pixel, the camera ray meets either the floor (y = 0) or the wall (a plane behind the
start position, square to the camera's view); colours are drawn at random per scene.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from coach.bodymodel.camera import Camera

Colour = tuple[float, float, float]

WALLS: tuple[Colour, ...] = (
    (200, 210, 215),
    (170, 190, 200),
    (150, 160, 150),
    (205, 200, 190),
    (120, 140, 160),
    (185, 175, 160),
)
FLOORS: tuple[Colour, ...] = (
    (70, 100, 140),
    (110, 110, 110),
    (60, 80, 100),
    (150, 160, 170),
    (90, 120, 90),
)


@dataclass(frozen=True)
class Room:
    """Colours of the room and how far the wall is behind the start position (metres)."""

    wall: Colour = WALLS[0]
    floor: Colour = FLOORS[0]
    door: Colour = (90, 110, 140)
    wall_behind_m: float = 2.0
    door_offset_m: float = 1.6
    board_m: float = 0.18


def random_room(rng: np.random.Generator) -> Room:
    def pick(options: tuple[Colour, ...]) -> Colour:
        return options[int(rng.integers(len(options)))]

    return Room(
        wall=pick(WALLS),
        floor=pick(FLOORS),
        door=pick(((90, 110, 140), (60, 70, 90), (180, 180, 175), (50, 100, 60))),
        wall_behind_m=float(rng.uniform(1.5, 3.0)),
        door_offset_m=float(rng.uniform(-2.5, 2.5)),
        board_m=float(rng.uniform(0.12, 0.3)),
    )


def _rays(camera: Camera) -> np.ndarray:
    """(H, W, 3) scene direction of every pixel's ray."""
    w, h = camera.size
    right, down, forward = camera.axes()
    u = (np.arange(w) + 0.5 - 0.5 * w) / camera.focal_px
    v = (np.arange(h) + 0.5 - 0.5 * h) / camera.focal_px
    return (
        forward[None, None, :]
        + u[None, :, None] * right[None, None, :]
        + v[:, None, None] * down[None, None, :]
    )


def backdrop(camera: Camera, room: Room, brightness: float = 1.0) -> np.ndarray:
    """(H, W, 3) uint8 BGR picture of the empty room."""
    rays = _rays(camera)
    origin = camera.position
    _, _, forward = camera.axes()
    level = forward * np.array([1.0, 0.0, 1.0])
    level = level / np.linalg.norm(level)
    wall_dist = float(-(origin @ level)) + room.wall_behind_m
    t_wall = wall_dist / np.maximum(rays @ level, 1e-6)
    t_floor = np.where(rays[..., 1] < -1e-6, -origin[1] / np.minimum(rays[..., 1], -1e-6), np.inf)
    floor = t_floor < t_wall
    hit = origin + np.where(floor, t_floor, t_wall)[..., None] * rays
    side = np.cross(level, np.array([0.0, 1.0, 0.0]))
    along = hit @ side
    out = np.empty(rays.shape, dtype=np.float64)
    boards = (np.floor(along / room.board_m).astype(int) % 2) * 0.08 + 0.92
    depth_fade = np.clip(1.1 - 0.04 * np.where(floor, t_floor, 0.0), 0.7, 1.1)
    out[floor] = np.asarray(room.floor)[None, :] * (boards * depth_fade)[floor][:, None]
    height = hit[..., 1]
    wall = ~floor
    shade = 0.85 + 0.15 * np.clip(height / 2.5, 0, 1)
    wall_colour = np.asarray(room.wall)[None, :] * shade[wall][:, None]
    skirting = height[wall] < 0.1
    wall_colour[skirting] = np.asarray(room.wall) * 0.6
    door = (np.abs(along[wall] - room.door_offset_m) < 0.45) & (height[wall] < 2.05)
    wall_colour[door] = np.asarray(room.door)
    out[wall] = wall_colour
    return np.clip(out * brightness, 0, 255).astype(np.uint8)


def floor_shadow(
    image: np.ndarray, camera: Camera, centre: np.ndarray, radius_m: float, strength: float = 0.35
) -> None:
    """Darken an elliptic patch of floor around ``centre`` (scene x, z) under a person."""
    ang = np.linspace(0.0, 2 * np.pi, 24, endpoint=False)
    ring = np.stack(
        [
            centre[0] + radius_m * np.cos(ang),
            np.zeros_like(ang),
            centre[1] + 0.6 * radius_m * np.sin(ang),
        ],
        axis=1,
    )
    if (camera.to_camera(ring)[:, 2] < 0.1).any():
        return
    w, h = camera.size
    xy = camera.project(ring) * np.array([w, h])
    pad = 20
    x0, y0 = np.floor(xy.min(axis=0)).astype(int) - pad
    x1, y1 = np.ceil(xy.max(axis=0)).astype(int) + pad
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 <= x0 or y1 <= y0:
        return
    mask = np.zeros((y1 - y0, x1 - x0), dtype=np.uint8)
    cv2.fillConvexPoly(mask, (xy - [x0, y0]).round().astype(np.int32), (255,), cv2.LINE_AA)
    blurred = cv2.GaussianBlur(mask, (0, 0), 6)
    factor = 1.0 - strength * (blurred.astype(np.float32) / 255.0)
    patch = image[y0:y1, x0:x1]
    patch[:] = (patch.astype(np.float32) * factor[..., None]).astype(np.uint8)
