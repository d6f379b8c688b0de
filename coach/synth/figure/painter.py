"""Draw a mesh through the synthetic camera: back faces culled, the rest painted far to near.

The painter's algorithm per quad (not per body part), so an arm crossing the chest hides it
and a partner's forearm in front of the throat hides the neck. Each quad is shaded by a
directional light (Lambert, with an ambient share and a little specular on skin and shoes).
Polygons are filled with 1/16-pixel precision and anti-aliased edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from coach.bodymodel.camera import Camera
from coach.synth.figure.mesh import Mesh

_SHIFT = 4


@dataclass(frozen=True)
class Light:
    """A directional light: ``direction`` (scene, toward the light), its tint (BGR gains) and
    the ambient share of the brightness."""

    direction: tuple[float, float, float] = (0.4, 0.8, 0.6)
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)
    ambient: float = 0.45
    brightness: float = 1.0


def shade(mesh: Mesh, normals: np.ndarray, to_eye: np.ndarray, light: Light) -> np.ndarray:
    """(F, 3) BGR colours of the quads under ``light`` (normals and to_eye unit, (F, 3))."""
    to_light = np.asarray(light.direction, dtype=np.float64)
    to_light = to_light / np.linalg.norm(to_light)
    diffuse = np.clip(normals @ to_light, 0.0, 1.0)
    half = to_eye + to_light
    half = half / np.linalg.norm(half, axis=1, keepdims=True)
    spec = mesh.shine * np.clip(np.sum(normals * half, axis=1), 0.0, 1.0) ** 24
    gain = light.brightness * (light.ambient + (1.0 - light.ambient) * diffuse)
    colour = mesh.colours * gain[:, None] * np.asarray(light.tint)[None, :]
    return np.clip(colour + 120.0 * spec[:, None], 0, 255)


def paint(image: np.ndarray, mesh: Mesh, camera: Camera, light: Light) -> np.ndarray:
    """Draw ``mesh`` onto ``image`` (H, W, 3 uint8 BGR, changed in place and returned)."""
    if len(mesh.quads) == 0:
        return image
    centroid = mesh.quads.mean(axis=1)
    normal = np.cross(mesh.quads[:, 2] - mesh.quads[:, 0], mesh.quads[:, 3] - mesh.quads[:, 1])
    length = np.linalg.norm(normal, axis=1)
    ok = length > 1e-12
    normal[ok] /= length[ok, None]
    outward = np.sum(normal * (centroid - mesh.inside), axis=1) >= 0
    normal[~outward] *= -1
    to_eye = camera.position[None, :] - centroid
    to_eye = to_eye / np.linalg.norm(to_eye, axis=1, keepdims=True)
    cam = camera.to_camera(mesh.quads)
    facing = np.sum(normal * to_eye, axis=1) > -0.05
    in_front = (cam[..., 2] > 0.05).all(axis=1)
    keep = ok & facing & in_front
    colours = shade(mesh, normal, to_eye, light)[keep]
    cam = cam[keep]
    order = np.argsort(-cam[..., 2].mean(axis=1), kind="stable")
    f = camera.focal_px
    w, h = camera.size
    scale = float(1 << _SHIFT)
    u = (f * cam[..., 0] / cam[..., 2] + 0.5 * w) * scale
    v = (f * cam[..., 1] / cam[..., 2] + 0.5 * h) * scale
    pts = np.stack([u, v], axis=-1).round().astype(np.int32)
    for i in order:
        c = colours[i]
        cv2.fillConvexPoly(
            image, pts[i], (float(c[0]), float(c[1]), float(c[2])), cv2.LINE_AA, _SHIFT
        )
    return image
