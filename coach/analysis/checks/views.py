"""What a check can judge from where the camera stands. numpy only.

A single camera sees what moves across the picture; what moves toward or away from it is the
pose model's depth guess, and on rendered people run through the real MediaPipe that guess
moved fore-aft measures by 0.3-0.6 shoulder widths (a tolerance of 0.05; docs/engine.md). A
check that needs the fore-aft axis therefore says so, and with the camera in front of the
trainee (or behind) it is Not assessable with the reason, never a guess.

The view is read from the trainee's own hips: the hip line's angle to the picture plane in the
world landmarks (0 = square to the camera, front or back; 90 = side-on), folded so that a
left/right swap or a back view does not change it, as a median over the check's frames.
Measured on rendered attempts from the laptop range, this angle follows the drawn one within
about 15 deg (docs/engine.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from coach.analysis.checks.base import Measurement, ViewNeed, not_assessable
from coach.analysis.checks.common import nanmedian
from coach.analysis.features import Features, facing_yaw_deg, wrap_deg

FORE_AFT_SIDE_ON_DEG = 45.0
"""Fore-aft offsets are judged from a camera at least this far round to the trainee's side:
beyond it, more of a fore-aft offset lies across the picture than along the camera's axis."""


def side_on_deg(f: Features, window: slice) -> float:
    """How side-on the camera sees the trainee over ``window``: 0 square-on (front or back),
    90 side-on; NaN when the hips are not seen."""
    yaw = np.abs(wrap_deg(facing_yaw_deg(f, "left_hip", "right_hip")[window]))
    folded = np.minimum(yaw, 180.0 - yaw)
    return nanmedian(folded)


def refused_by_view(
    need: ViewNeed | None,
    f: Features,
    window: slice,
    unit: str,
    target: str,
    params: Mapping[str, object] | None = None,
) -> Measurement | None:
    """Not assessable with the reason when the camera cannot see what ``need`` measures; None
    when it can (or the check has no need, or the hips are not seen: the check itself then
    says what it is missing). ``params``: the check's, named in the reason as words."""
    if need is None:
        return None
    seen = side_on_deg(f, window)
    if not np.isfinite(seen) or seen >= need.min_side_on_deg:
        return None
    words = {k: str(v).replace("_", " ") for k, v in (params or {}).items()}
    return not_assessable(
        unit,
        target,
        f"{need.what.format_map(words)} cannot be judged with the camera in front of or "
        "behind the trainee "
        f"(seen {seen:.0f} deg from square-on, needs {need.min_side_on_deg:g}): film from the side",
    )
