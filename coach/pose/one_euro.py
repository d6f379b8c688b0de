"""Live smoothing: the One Euro filter on real timestamps, vectorised over any array shape.

The One Euro filter (Casiez, Roussel and Vogel, CHI 2012) is a first-order low-pass whose cutoff
rises with the signal's speed: ``cutoff = min_cutoff_hz + beta * |speed|``. A still joint gets a
low cutoff (little jitter), a fast one a high cutoff (little lag). It is causal and uses the real
time between frames, so a dropped or late webcam frame does not change its behaviour.

Defaults:

- World landmarks (metres): MediaPipe's own settings, min cutoff 0.1 Hz, beta 40, derivative
  cutoff 1 Hz.
- Image landmarks (x, y normalised to the frame, z on the x scale): the same 0.1 Hz and 1 Hz,
  with beta scaled by the metres per image unit. A standing adult (about 1.7 m) fills about
  0.85 of the frame height in a training-room shot, so one image unit is about 2 m and a speed
  of v m/s reads as v/2 units/s. ``beta`` multiplies a speed, so the same cutoff at the same real
  speed needs beta = 40 * 2 = 80 in image units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

WORLD_MIN_CUTOFF_HZ = 0.1
WORLD_BETA = 40.0
WORLD_D_CUTOFF_HZ = 1.0
IMAGE_MIN_CUTOFF_HZ = 0.1
IMAGE_BETA = 80.0
IMAGE_D_CUTOFF_HZ = 1.0


def _alpha(cutoff_hz: np.ndarray | float, dt_s: float) -> np.ndarray | float:
    """Smoothing factor of a first-order low-pass with this cutoff over ``dt_s`` seconds."""
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt_s)


class OneEuroFilter:
    """Causal One Euro filter over arrays of any fixed shape, one call per frame.

    Every element is filtered independently. A NaN element (joint or person lost) comes out as
    NaN and resets that element, so the next finite value starts afresh instead of being pulled
    towards a stale position. The derivative is taken against the previous *filtered* value, as
    in the reference implementation by the paper's authors.
    """

    def __init__(
        self,
        min_cutoff_hz: float = WORLD_MIN_CUTOFF_HZ,
        beta: float = WORLD_BETA,
        d_cutoff_hz: float = WORLD_D_CUTOFF_HZ,
    ) -> None:
        if min_cutoff_hz <= 0 or d_cutoff_hz <= 0 or beta < 0:
            raise ValueError(
                "OneEuroFilter: expected min_cutoff_hz > 0, d_cutoff_hz > 0, beta >= 0, got "
                f"{min_cutoff_hz}, {d_cutoff_hz}, {beta}"
            )
        self.min_cutoff_hz = float(min_cutoff_hz)
        self.beta = float(beta)
        self.d_cutoff_hz = float(d_cutoff_hz)
        self._t: float | None = None
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None

    def reset(self) -> None:
        """Forget all state (the next frame passes through unchanged)."""
        self._t = None
        self._x = None
        self._dx = None

    def __call__(self, t: float, x: np.ndarray) -> np.ndarray:
        """Filter one frame ``x`` taken at time ``t`` seconds; returns a new array."""
        x = np.asarray(x, dtype=np.float64)
        if self._x is None or self._dx is None or self._t is None or self._x.shape != x.shape:
            return self._start(t, x)
        dt = float(t) - self._t
        if not dt > 0:
            raise ValueError(f"OneEuroFilter: timestamps must increase, got {t} after {self._t}")
        fresh = np.isnan(self._x)  # elements with no history: pass through
        dx = (x - self._x) / dt
        dx_hat = self._dx + _alpha(self.d_cutoff_hz, dt) * (dx - self._dx)
        cutoff = self.min_cutoff_hz + self.beta * np.abs(dx_hat)
        x_hat = self._x + _alpha(cutoff, dt) * (x - self._x)
        x_hat = np.where(fresh, x, x_hat)
        dx_hat = np.where(fresh, 0.0, dx_hat)
        self._t = float(t)
        self._x = x_hat  # NaN where x is NaN: that element restarts next time
        self._dx = np.where(np.isnan(x_hat), 0.0, dx_hat)
        return x_hat.copy()

    def _start(self, t: float, x: np.ndarray) -> np.ndarray:
        self._t = float(t)
        self._x = x.copy()
        self._dx = np.zeros_like(x)
        return x.copy()


def one_euro(
    x: np.ndarray,
    t: np.ndarray,
    *,
    min_cutoff_hz: float = WORLD_MIN_CUTOFF_HZ,
    beta: float = WORLD_BETA,
    d_cutoff_hz: float = WORLD_D_CUTOFF_HZ,
) -> np.ndarray:
    """Run the live filter over a recorded (T, ...) array, as the live loop would have."""
    x = np.asarray(x, dtype=np.float64)
    f = OneEuroFilter(min_cutoff_hz, beta, d_cutoff_hz)
    out = np.empty_like(x)
    for i, ti in enumerate(np.asarray(t, dtype=np.float64)):
        out[i] = f(float(ti), x[i])
    return out


@dataclass(frozen=True, eq=False)
class SmoothedPose:
    """One frame after live smoothing: image (33, 3) and world (33, 3); NaN where lost."""

    image: np.ndarray
    world: np.ndarray


class LivePoseSmoother:
    """One Euro filters for one frame's image and world landmarks (visibility is not filtered)."""

    def __init__(
        self,
        image_min_cutoff_hz: float = IMAGE_MIN_CUTOFF_HZ,
        image_beta: float = IMAGE_BETA,
        world_min_cutoff_hz: float = WORLD_MIN_CUTOFF_HZ,
        world_beta: float = WORLD_BETA,
        d_cutoff_hz: float = WORLD_D_CUTOFF_HZ,
    ) -> None:
        self._image = OneEuroFilter(image_min_cutoff_hz, image_beta, d_cutoff_hz)
        self._world = OneEuroFilter(world_min_cutoff_hz, world_beta, d_cutoff_hz)

    def reset(self) -> None:
        """Forget all state, e.g. when a new attempt begins."""
        self._image.reset()
        self._world.reset()

    def __call__(self, t: float, image: np.ndarray, world: np.ndarray) -> SmoothedPose:
        """Smooth the landmarks of the frame taken at ``t`` seconds."""
        return SmoothedPose(image=self._image(t, image), world=self._world(t, world))
