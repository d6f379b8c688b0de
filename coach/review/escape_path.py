"""The escape path seen from above: where the trainee's hips went after the start signal,
against the threat (where the hold was) and the exit.

Sideways travel comes from the image (torso lengths, as the checks measure it). Distance from
the camera comes from the torso's size in the picture: at distance d a torso of length T spans
focal * T / d pixels, so d / T = focal / torso_px. The focal length is taken from a 70 degree
horizontal field of view (a laptop camera, the synthetic camera's); the picture is for reading
the route, not for measuring it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from coach.analysis.features import mid_hip_travel_t
from coach.review.alignment_view import AlignedAttempt

ASSUMED_HFOV_DEG = 70.0


def escape_path(aligned: AlignedAttempt, t0_s: float, size: tuple[int, int]) -> dict[str, Any]:
    """Top-down points (x right on the picture, z away from the camera; torso lengths, the
    hold at the origin) from t0 on, the exit direction and where the threat stands."""
    f = aligned.features
    start = min(f.frame_at(t0_s), len(f) - 1)
    sideways = mid_hip_travel_t(f, start)[:, 0]
    focal = 0.5 * size[0] / np.tan(np.radians(0.5 * ASSUMED_HFOV_DEG))
    with np.errstate(divide="ignore", invalid="ignore"):
        depth = focal / f.torso_px
    near = depth[max(0, start - 5) : start + 1]
    near = near[np.isfinite(near)]
    anchor = float(np.median(near)) if near.size else np.nan
    away = depth - anchor
    points = [
        [round(float(x), 3), round(float(z), 3), round(float(t), 3)]
        for x, z, t in zip(sideways[start:], away[start:], f.t[start:], strict=True)
        if np.isfinite(x) and np.isfinite(z)
    ]
    exit_dir = aligned.scene.exit_image_dir
    threat = aligned.reference.technique.threat
    return {
        "points": points,
        "exit": None if exit_dir is None else [1.0 if exit_dir[0] > 0 else -1.0, 0.0],
        "threat": [0.0, -0.6] if threat == "front" else [0.0, 0.6],
        "threat_side": threat,
        "assumed_hfov_deg": ASSUMED_HFOV_DEG,
    }
