"""One rendered picture: the room, the people in it as solids, the light, and sensor noise.

Both people's quads are painted together, far to near, so whoever is in front hides the
other where they overlap. Looks, room and light are drawn at random per attempt by
``random_staging``; the frames then differ only by the people's postures and sensor noise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from coach.bodymodel.camera import Camera
from coach.pose.landmarks import index_of
from coach.synth.figure.backdrop import Room, backdrop, floor_shadow, random_room
from coach.synth.figure.body_mesh import person_mesh
from coach.synth.figure.look import Look, random_look
from coach.synth.figure.mesh import Mesh
from coach.synth.figure.painter import Light, paint

_LEFT_HIP, _RIGHT_HIP = index_of("left_hip"), index_of("right_hip")


@dataclass(frozen=True)
class Person:
    """Someone to draw: scene landmarks over time (T, 33, 3), height and look."""

    points: np.ndarray
    height_m: float
    look: Look


@dataclass(frozen=True)
class Staging:
    """What stays the same through an attempt: looks, room, light, sensor noise (grey levels)."""

    trainee_look: Look
    partner_look: Look
    room: Room
    light: Light
    noise_sd: float


def random_staging(rng: np.random.Generator) -> Staging:
    """Looks, room and light drawn at random (light from the front half, dim to bright)."""
    trainee = random_look(rng)
    a = rng.uniform(-1.2, 1.2)
    light = Light(
        direction=(float(np.sin(a)), float(rng.uniform(0.4, 1.2)), float(np.cos(a))),
        tint=tuple(float(x) for x in rng.uniform(0.9, 1.1, size=3)),  # type: ignore[arg-type]
        ambient=float(rng.uniform(0.35, 0.6)),
        brightness=float(rng.uniform(0.75, 1.15)),
    )
    return Staging(
        trainee_look=trainee,
        partner_look=random_look(rng, avoid_top=trainee.top),
        room=random_room(rng),
        light=light,
        noise_sd=float(rng.uniform(1.0, 4.0)),
    )


def render_frames(
    people: list[Person], camera: Camera, staging: Staging, seed: int = 0
) -> Iterator[np.ndarray]:
    """(H, W, 3) uint8 BGR frames, one per time step of the people's landmarks."""
    cv2.setRNGSeed(seed)
    room = backdrop(camera, staging.room, staging.light.brightness)
    noise = np.zeros(room.shape, dtype=np.int16)
    for i in range(len(people[0].points)):
        image = room.copy()
        for person in people:
            hips = 0.5 * (person.points[i, _LEFT_HIP] + person.points[i, _RIGHT_HIP])
            floor_shadow(image, camera, np.array([hips[0], hips[2]]), 0.35 * person.height_m / 1.75)
        mesh = Mesh.join([person_mesh(p.points[i], p.height_m, p.look) for p in people])
        paint(image, mesh, camera, staging.light)
        image = cv2.GaussianBlur(image, (3, 3), 0.6)
        if staging.noise_sd > 0:
            cv2.randn(noise, np.zeros(1), np.full(1, staging.noise_sd))
            image = cv2.add(image, noise, dtype=cv2.CV_8U)
        yield image
