"""Which frames show the trainee standing upright, and their mid-ankle and mid-ear pixels.
numpy only.

Upright: ankles, knees, hips and ears seen (visibility >= 0.5); both knees straight and the
body unbent at the hips in the picture (at least ``MIN_STRAIGHT_DEG``) and in the pose model's
3D landmarks (at least ``MIN_STRAIGHT_3D_DEG``: a knee bent toward the camera looks straight in
the picture; the model's depth is poor, so this bound is loose: on rendered people standing
straight it gave knee angles of 146-162 deg); and the ankle-to-ear line in the picture within
``MAX_LEAN_DEG`` of its vertical (vertical lines slant a little away from the centre when the
camera is tilted, so this test is loose too).
"""

from __future__ import annotations

import numpy as np

from coach.pose.landmarks import index_of

VISIBLE = 0.5
MIN_STRAIGHT_DEG = 165.0
MIN_STRAIGHT_3D_DEG = 140.0
MAX_LEAN_DEG = 10.0
MAX_FRAMES = 120
"""At most this many frames go into the fit, spread evenly over the upright ones."""


def _angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    u, v = a - b, c - b
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def _mid(px: np.ndarray, name: str) -> np.ndarray:
    return 0.5 * (px[:, index_of(f"left_{name}")] + px[:, index_of(f"right_{name}")])


def upright_points(
    pixels: np.ndarray, visibility: np.ndarray, world: np.ndarray, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """pixels (T, 33, 2), visibility (T, 33), world (T, 33, 3) of pictures of ``size`` ->
    (ankles (N, 2), ears (N, 2)) pixels of the upright frames (at most MAX_FRAMES, evenly
    spread). A point outside the picture is not seen, whatever its visibility: the pose model
    guesses feet below the picture's edge with visibility above 0.5."""
    px = np.array(pixels, dtype=np.float64)
    w = np.array(world, dtype=np.float64)
    inside = (px >= 0.0).all(axis=-1) & (px[..., 0] < size[0]) & (px[..., 1] < size[1])
    seen = (np.nan_to_num(visibility, nan=0.0) >= VISIBLE) & inside
    px[~seen] = np.nan
    w[~seen] = np.nan
    ok = np.ones(px.shape[0], dtype=bool)
    for points, least in ((px, MIN_STRAIGHT_DEG), (w, MIN_STRAIGHT_3D_DEG)):
        for side in ("left", "right"):
            p = {j: points[:, index_of(f"{side}_{j}")] for j in ("hip", "knee", "ankle")}
            ok &= _angle_deg(p["hip"], p["knee"], p["ankle"]) >= least
        trunk = _angle_deg(_mid(points, "shoulder"), _mid(points, "hip"), _mid(points, "knee"))
        ok &= trunk >= least
    ankles, ears = _mid(px, "ankle"), _mid(px, "ear")
    axis = ears - ankles
    lean = np.degrees(np.arctan2(np.abs(axis[:, 0]), -axis[:, 1]))
    ok &= np.isfinite(lean) & (lean <= MAX_LEAN_DEG) & np.isfinite(ankles).all(axis=1)
    chosen = np.nonzero(ok)[0]
    if chosen.size > MAX_FRAMES:
        chosen = chosen[np.round(np.linspace(0, chosen.size - 1, MAX_FRAMES)).astype(int)]
    return ankles[chosen], ears[chosen]
