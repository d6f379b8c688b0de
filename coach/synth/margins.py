"""How far a measured value is from its limit, and whether that is within measurement error.

The quality evaluation compares the engine with the rubric applied to the noise-free attempt
(the oracle). When the oracle's own value lies within a hair of the limit (a pull 2 % under
1.5 T/s, a release 0.03 s over 2 s) neither verdict is wrong: the engine measures through
MediaPipe-like noise and a few frames of alignment error, and a human rater would be as
unsure. Such attempts are *borderline*; the evaluation reports them apart instead of scoring
the engine on a coin toss. The tolerance is stated here, per unit: a share of the limit, but
never less than the engine's resolution (two frames for times). numpy free.
"""

from __future__ import annotations

import math
import re
from typing import Final

from coach.analysis.checks.base import CheckResult

TOLERANCE_SHARE: Final[float] = 0.05
"""A value within 5 % of its limit is borderline (for quantities with a true zero; an angle's
tolerance is its floor alone)..."""
_NO_SHARE: Final[frozenset[str]] = frozenset({"deg"})
TOLERANCE_FLOOR: Final[dict[str, float]] = {
    "s": 2 / 30,  # two frames at 30 fps
    "deg": 3.0,
    "T": 0.03,
    "SW": 0.05,
    "T/s": 0.1,
    "%": 2.0,
    "x chord": 0.1,
}
"""...or within this much (the unit's resolution), whichever is larger."""

_ONE_SIDED = re.compile(r"^\s*(<=|>=)\s*(-?\d+(?:\.\d+)?)")
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)")


def margin(result: CheckResult) -> float | None:
    """Signed distance of the value from its limit, in the target's unit: positive on the
    passing side, negative on the failing side. None when there is no number to compare."""
    if math.isnan(result.value):
        return None
    one = _ONE_SIDED.match(result.target)
    if one:
        limit = float(one.group(2))
        return limit - result.value if one.group(1) == "<=" else result.value - limit
    both = _RANGE.match(result.target)
    if both:
        lo, hi = float(both.group(1)), float(both.group(2))
        return min(result.value - lo, hi - result.value)
    return None


def tolerance(result: CheckResult) -> float:
    """The measurement tolerance for ``result``'s limit (see the module docstring)."""
    limits = [abs(float(x)) for x in re.findall(r"-?\d+(?:\.\d+)?", result.target)[:2]]
    share = 0.0 if result.unit in _NO_SHARE or not limits else TOLERANCE_SHARE * min(limits)
    return max(share, TOLERANCE_FLOOR.get(result.unit, 0.0))


def is_borderline(result: CheckResult) -> bool:
    """The value lies within the tolerance of its limit, on either side."""
    m = margin(result)
    return m is not None and abs(m) < tolerance(result)
