"""The floor plane from the trainee standing upright in view, their height given. numpy, scipy.

Assumption: standing upright, the mid-point of the ears is straight above the mid-point of the
ankles (the postural plumb line runs through the ear and just in front of the ankle; Kendall's
standard posture). The ears are taken 0.922 H above the floor and the ankles 0.039 H (the
fractions of ``coach.bodymodel.body_model``, after Drillis & Contini via Winter), with H the
height given. Each upright frame is then a vertical segment of known length standing on the
floor at an unknown place.

One segment cannot separate height from tilt (a camera tilted down at a near person sees what
a level camera sees of a farther one). Segments at different distances can: the line through
their ear points and the line through their ankle points are images of parallel lines, and
meet on the horizon, which gives the tilt; the segments' lengths in the picture then give the
height. So the camera height, tilt and every frame's floor position are fitted together by
least squares on the pixels (``scipy.optimize.least_squares``); roll is taken as 0. When the
positions do not differ enough in depth for the tilt to be known to ``MAX_TILT_STD_DEG``, the
camera is taken to be level and only the height is fitted: the result says so.

Errors of the assumption: an ear 3 cm in front of the ankle moves every ear point alike, which
leaves the horizon (the tilt) unchanged and moves the height by about 3 cm x tan(tilt); a
person whose ear height is 0.93 H rather than 0.922 H (1 %) makes the camera height about 1 %
off. A body leaning by 2 deg toward the camera, in every frame, biases the tilt by up to 2 deg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import OptimizeResult, least_squares

from coach.room.floor_plane import FloorPlane
from coach.room.intrinsics import Intrinsics

EAR_HEIGHT_H = 0.922
ANKLE_HEIGHT_H = 0.039
MAX_TILT_STD_DEG = 2.0
"""The tilt is fitted only when the positions pin it down to this (one standard deviation)."""
PIXEL_NOISE_FLOOR_PX = 3.0
"""Assumed landmark noise at least this, for the tilt's uncertainty."""


@dataclass(frozen=True)
class StandingFit:
    floor: FloorPlane
    tilt_std_deg: float
    """Uncertainty of the fitted tilt (one standard deviation), from the fit's Jacobian."""
    tilt_assumed: bool
    """True when the camera was taken to be level (the positions did not pin the tilt down)."""
    rms_px: float
    frames: int


def floor_from_standing(
    ankles_px: np.ndarray, ears_px: np.ndarray, intrinsics: Intrinsics, height_m: float
) -> StandingFit:
    """ankles_px, ears_px: (N, 2) mid-ankle and mid-ear pixels of N upright frames."""
    ankles = np.asarray(ankles_px, dtype=np.float64).reshape(-1, 2)
    ears = np.asarray(ears_px, dtype=np.float64).reshape(-1, 2)
    if ankles.shape != ears.shape or ankles.shape[0] == 0:
        raise ValueError("expected the same number (at least one) of ankle and ear points")
    low, high = ANKLE_HEIGHT_H * height_m, EAR_HEIGHT_H * height_m
    first = _fit(ankles, ears, intrinsics, low, high, fit_tilt=True)
    tilt_std = _tilt_std(first, ankles.shape[0])
    if np.isfinite(tilt_std) and tilt_std <= MAX_TILT_STD_DEG:
        return _result(first, tilt_std, False, ankles.shape[0])
    level = _fit(ankles, ears, intrinsics, low, high, fit_tilt=False)
    return _result(level, tilt_std, True, ankles.shape[0])


def _model(
    params: np.ndarray, n: int, k: Intrinsics, low: float, high: float, tilt: float | None
) -> np.ndarray:
    if tilt is None:
        height, tilt_deg, places = params[0], params[1], params[2:]
    else:
        height, tilt_deg, places = params[0], tilt, params[1:]
    plane = FloorPlane(float(height), float(tilt_deg))
    xz = places.reshape(n, 2)
    return np.concatenate(
        [k.project(plane.from_floor(xz, low)), k.project(plane.from_floor(xz, high))]
    )


def _fit(
    ankles: np.ndarray, ears: np.ndarray, k: Intrinsics, low: float, high: float, fit_tilt: bool
) -> OptimizeResult:
    n = ankles.shape[0]
    seen = np.concatenate([ankles, ears])
    start_height = _level_height(ankles, ears, k, low, high)
    guess = FloorPlane(start_height, 0.0)
    rays = k.rays(ankles)
    depth = (start_height - low) / rays[:, 1]
    places = guess.to_floor(rays * depth[:, None])
    fixed = None if fit_tilt else 0.0

    def residual(p: np.ndarray) -> np.ndarray:
        return (_model(p, n, k, low, high, fixed) - seen).ravel()

    head = [start_height, 0.0] if fit_tilt else [start_height]
    lower = [0.05, -60.0] if fit_tilt else [0.05]
    upper = [5.0, 60.0] if fit_tilt else [5.0]
    x0 = np.concatenate([head, places.ravel()])
    bounds = (
        np.concatenate([lower, np.full(2 * n, -50.0)]),
        np.concatenate([upper, np.full(2 * n, 50.0)]),
    )
    x0 = np.clip(x0, bounds[0] + 1e-6, bounds[1] - 1e-6)
    result = least_squares(residual, x0, bounds=bounds, x_scale="jac")
    return result


def _level_height(
    ankles: np.ndarray, ears: np.ndarray, k: Intrinsics, low: float, high: float
) -> float:
    """The height a level camera would have: (v_a - cy) / (v_e - cy) = (h - low) / (h - high)."""
    a = (ankles[:, 1] - k.cy) / k.fy
    e = (ears[:, 1] - k.cy) / k.fy
    with np.errstate(invalid="ignore", divide="ignore"):
        h = (a * high - e * low) / (a - e)
    h = h[np.isfinite(h) & (h > 0.05) & (h < 5.0)]
    return float(np.median(h)) if h.size else 1.0


def _tilt_std(fit: OptimizeResult, n: int) -> float:
    jac = np.asarray(fit.jac)
    dof = max(1, jac.shape[0] - jac.shape[1])
    sigma = max(PIXEL_NOISE_FLOOR_PX, math.sqrt(2.0 * float(fit.cost) / dof))
    try:
        cov = np.linalg.inv(jac.T @ jac)
    except np.linalg.LinAlgError:
        return float("inf")
    var = float(cov[1, 1])
    return sigma * math.sqrt(var) if var >= 0.0 else float("inf")


def _result(fit: OptimizeResult, tilt_std: float, assumed: bool, n: int) -> StandingFit:
    x = np.asarray(fit.x)
    tilt = 0.0 if assumed else float(x[1])
    rms = math.sqrt(2.0 * float(fit.cost) / (4 * n))
    return StandingFit(FloorPlane(float(x[0]), tilt, 0.0, "standing"), tilt_std, assumed, rms, n)
