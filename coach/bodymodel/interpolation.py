"""Keyframes -> smooth posture tracks: minimum-jerk segments between consecutive keyframes.

Each field moves from one keyframe value to the next along the minimum-jerk profile
s(u) = 10u^3 - 15u^4 + 6u^5 (Flash & Hogan, J Neurosci 1985), which starts and ends at rest,
as a point-to-point human movement does. A field a keyframe does not list keeps its value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coach.technique.model import Keyframe
from coach.technique.posture import NEUTRAL_POSTURE


def minimum_jerk(u: np.ndarray) -> np.ndarray:
    """The minimum-jerk position profile on u in [0, 1] (clipped outside)."""
    u = np.clip(u, 0.0, 1.0)
    return u**3 * (10.0 - 15.0 * u + 6.0 * u**2)


def keyframe_table(keyframes: Sequence[Keyframe]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Key times (K,) and, per posture field, its value at every keyframe (carried forward)."""
    times = np.array([k.t_s for k in keyframes], dtype=np.float64)
    current = dict(NEUTRAL_POSTURE)
    columns: dict[str, list[float]] = {name: [] for name in NEUTRAL_POSTURE}
    for key in keyframes:
        current.update(dict(key.values))
        for name, value in current.items():
            columns[name].append(value)
    return times, {name: np.array(vals) for name, vals in columns.items()}


def interpolate(keyframes: Sequence[Keyframe], t: np.ndarray) -> dict[str, np.ndarray]:
    """Every posture field at times ``t`` (T,); before the first key and after the last, held."""
    times, table = keyframe_table(keyframes)
    t = np.asarray(t, dtype=np.float64)
    seg = np.clip(np.searchsorted(times, t, side="right") - 1, 0, max(len(times) - 2, 0))
    if len(times) == 1:
        return {name: np.full(t.shape, vals[0]) for name, vals in table.items()}
    t_a, t_b = times[seg], times[seg + 1]
    u = minimum_jerk((t - t_a) / (t_b - t_a))
    return {name: vals[seg] + (vals[seg + 1] - vals[seg]) * u for name, vals in table.items()}
