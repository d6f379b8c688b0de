"""Measures taken in the picture, not from the pose model's 3D (world) landmarks. numpy only.

MediaPipe's world landmarks carry its depth guess, and on rendered people run through the real
model that guess moved the checks more than their tolerances (docs/rendered-quality.md): a
wrist 20 cm off in world space (0.4 T) sits 0.05 T from where it was drawn in the picture, and
the hips' drop in a crouch all but vanished from the world landmarks (0.004 T measured, 0.15 T
drawn) while the picture shows it. What these checks judge (a hand at the chin or on the
choking arm, a wrist at a shoulder, the hips lower) is what a person sees in the picture too,
so they are measured there, scaled by the torso length in pixels at the
same moment (both shrink alike with distance from the camera). Image y grows downward.
"""

from __future__ import annotations

import numpy as np

from coach.analysis.checks.common import steady
from coach.analysis.features import Features

TORSO_STEADY_S = 0.5
"""The per-frame torso length in pixels is a rolling median over this long: a frame where one
shoulder or hip jitters must not change the scale of everything measured in it."""


def torso_px(f: Features) -> np.ndarray:
    """(T,) torso length in pixels, steadied (see TORSO_STEADY_S)."""
    return steady(f.torso_px, f, TORSO_STEADY_S)


def image_distance_t(f: Features, a: str, b: str) -> np.ndarray:
    """(T,) distance between two points in the picture, in torso lengths."""
    return np.linalg.norm(f.pixel(a) - f.pixel(b), axis=1) / torso_px(f)


def image_hip_height_px(f: Features) -> np.ndarray:
    """(T,) mid-hip height above the mean ankle height in the picture, pixels."""
    ankles = 0.5 * (f.pixel("left_ankle")[:, 1] + f.pixel("right_ankle")[:, 1])
    return np.asarray(ankles - f.pixel("mid_hip")[:, 1])
