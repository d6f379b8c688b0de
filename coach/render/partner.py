"""The partner's skeleton: thin, in a neutral colour, under the trainee's coloured one."""

from __future__ import annotations

import cv2
import numpy as np

from coach.render.overlay import LIMB_EDGES, skeleton_pixels

PARTNER_COLOUR = (150, 140, 120)
"""BGR slate grey: neither a cue colour (green, amber, red) nor the reference ghost (white)."""
_EDGES = np.array(LIMB_EDGES, dtype=np.intp)


def draw_partner(frame: np.ndarray, landmarks: np.ndarray, visibility: np.ndarray) -> None:
    """Bones between the partner's visible joints, in place on a BGR frame."""
    h, w = frame.shape[:2]
    pts, vis = skeleton_pixels(landmarks, visibility, (w, h))
    edges = _EDGES[vis[_EDGES[:, 0]] & vis[_EDGES[:, 1]]]
    if len(edges):
        thick = max(2, round(h / 720 * 4))
        cv2.polylines(frame, list(pts[edges]), False, PARTNER_COLOUR, thick, cv2.LINE_8)
