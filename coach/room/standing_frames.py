"""Which frames show the trainee standing upright, and their mid-ankle and mid-ear pixels.
numpy only.

Upright, in the picture: ankles, knees, hips and ears seen (visibility >= 0.5), both knees and
both hips straight in the picture (hip-knee-ankle and shoulder-hip-knee at least
``MIN_STRAIGHT_DEG``) and the ankle-to-ear line within ``MAX_LEAN_DEG`` of the picture's
vertical (vertical lines slant a little away from the centre when the camera is tilted, so
this is a loose test; the straight legs are the real one).
"""

from __future__ import annotations

import numpy as np

from coach.pose.landmarks import index_of

VISIBLE = 0.5
MIN_STRAIGHT_DEG = 165.0
MAX_LEAN_DEG = 10.0
MAX_FRAMES = 120
"""At most this many frames go into the fit, spread evenly over the upright ones."""


def _angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    u, v = a - b, c - b
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def _mid(px: np.ndarray, name: str) -> np.ndarray:
    return 0.5 * (px[:, index_of(f"left_{name}")] + px[:, index_of(f"right_{name}")])


def upright_points(pixels: np.ndarray, visibility: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """pixels (T, 33, 2), visibility (T, 33) -> (ankles (N, 2), ears (N, 2)) of the upright
    frames (at most MAX_FRAMES, evenly spread)."""
    px = np.array(pixels, dtype=np.float64)
    seen = np.nan_to_num(visibility, nan=0.0) >= VISIBLE
    px[~seen] = np.nan
    ok = np.ones(px.shape[0], dtype=bool)
    for side in ("left", "right"):
        p = {j: px[:, index_of(f"{side}_{j}")] for j in ("shoulder", "hip", "knee", "ankle")}
        ok &= _angle_deg(p["hip"], p["knee"], p["ankle"]) >= MIN_STRAIGHT_DEG
        ok &= _angle_deg(p["shoulder"], p["hip"], p["knee"]) >= MIN_STRAIGHT_DEG
    ankles, ears = _mid(px, "ankle"), _mid(px, "ear")
    axis = ears - ankles
    lean = np.degrees(np.arctan2(np.abs(axis[:, 0]), -axis[:, 1]))
    ok &= np.isfinite(lean) & (lean <= MAX_LEAN_DEG) & np.isfinite(ankles).all(axis=1)
    chosen = np.nonzero(ok)[0]
    if chosen.size > MAX_FRAMES:
        chosen = chosen[np.round(np.linspace(0, chosen.size - 1, MAX_FRAMES)).astype(int)]
    return ankles[chosen], ears[chosen]
