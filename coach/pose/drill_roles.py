"""Who is the trainee in a breakaway drill: the one who breaks away.

In every breakaway drill the partner applies a hold and the trainee frees themselves and gets
away, while the partner stays about where they were (at most a step back). So of the two people
who came closest to each other, the trainee is the one whose hips travel away from the other
after that closest approach. Each person's travel is measured in their own torso lengths in
the picture, which cancels their distance from the camera (the nearer person is bigger, and
their steps are bigger in pixels alike).

The evidence is weak, and another rule must decide, when the two never came near enough to
have touched, when neither travelled away far enough to count as a breakaway, or when both
travelled away by nearly the same amount (see the thresholds below).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Final

import numpy as np

from coach.pose.landmarks import index_of
from coach.pose.sequence import PoseSequence

RULE: Final[str] = "breaks_away"
CONTACT_T: Final[float] = 2.5
"""The two must come this close (hip to hip, in the larger person's torso lengths in the
picture) for a hold to have been possible. A partner holding a wrist or the neck stands about
0.5-0.75 m from the trainee, 1-1.5 torso lengths; 2.5 leaves room for a camera seeing the pair
from an angle, and still refuses two people who never met (the sports clip's walker and jumper
never come closer than 3.4)."""
MIN_AWAY_T: Final[float] = 1.0
"""The one breaking away must move at least this far away from the other (own torso lengths):
a step back and away toward the exit; the partner may take a step back too (the rendered
partner steps back 0.25 m after letting go, measured 0.4-0.5 torso lengths), and on rendered
laptop attempts the trainees who broke away moved 1.5-3.6."""
MARGIN_T: Final[float] = 0.5
"""And this much further than the other: more than the partner's own step back."""
SETTLE_S: Final[float] = 0.25
"""Positions are medians over this long a window (either side of the closest approach, and at
the end of each person's track), so a single jittery frame decides nothing."""


@dataclass(frozen=True)
class BreakawayEvidence:
    """What the tracks show about who broke away.

    pair: the two tracks that came closest (None: fewer than two people seen together).
    closest_t: their closest hip-to-hip distance, in torso lengths; closest_s: when.
    away_t: per track of the pair, how far their hips moved away from the other after the
    closest approach (own torso lengths; negative: toward the other).
    trainee: the one who broke away, or None when the evidence is weak (``weak_reason``).
    """

    pair: tuple[int, int] | None
    closest_t: float | None
    closest_s: float | None
    away_t: dict[int, float]
    trainee: int | None
    weak_reason: str | None

    def describe(self) -> dict[str, object]:
        """The numbers as they go into ``attempt.json``."""
        return {
            "pair": list(self.pair) if self.pair is not None else None,
            "closest_torso_lengths": _round(self.closest_t),
            "closest_s": _round(self.closest_s),
            "away_torso_lengths": {str(k): _round(v) for k, v in sorted(self.away_t.items())},
        }


def _round(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 3)


def breakaway_evidence(tracks: Mapping[int, PoseSequence]) -> BreakawayEvidence:
    """Who of ``tracks`` (the people seen long enough) broke away from whom, and how clearly."""
    closest = _closest_pair(tracks)
    if closest is None:
        return BreakawayEvidence(None, None, None, {}, None, "fewer than two people seen together")
    (a, b), frame, distance = closest
    seq_a, seq_b = tracks[a], tracks[b]
    t_s = float(seq_a.t[frame])
    if distance > CONTACT_T:
        reason = (
            f"the two people never came closer than {distance:.1f} torso lengths "
            f"(a hold needs {CONTACT_T:g})"
        )
        return BreakawayEvidence((a, b), distance, t_s, {}, None, reason)
    away = {
        a: _travel_away(seq_a, seq_b, frame),
        b: _travel_away(seq_b, seq_a, frame),
    }
    first, second = sorted(away, key=lambda k: (-away[k], k))
    best, other = away[first], away[second]
    if not np.isfinite(best) or best < MIN_AWAY_T:
        reason = (
            f"nobody moved away after the closest approach (at most {best:.2f} torso "
            f"lengths; a breakaway needs {MIN_AWAY_T:g})"
        )
        return BreakawayEvidence((a, b), distance, t_s, away, None, reason)
    if np.isfinite(other) and best - other < MARGIN_T:
        reason = (
            f"both moved away about as far ({best:.2f} and {other:.2f} torso lengths; "
            f"one must lead by {MARGIN_T:g})"
        )
        return BreakawayEvidence((a, b), distance, t_s, away, None, reason)
    return BreakawayEvidence((a, b), distance, t_s, away, first, None)


def _mid_hip(sequence: PoseSequence) -> np.ndarray:
    pixels = sequence.image_pixels()
    return (pixels[:, index_of("left_hip")] + pixels[:, index_of("right_hip")]) / 2


def _torso(sequence: PoseSequence) -> np.ndarray:
    pixels = sequence.image_pixels()
    shoulders = (pixels[:, index_of("left_shoulder")] + pixels[:, index_of("right_shoulder")]) / 2
    return np.asarray(np.linalg.norm(shoulders - _mid_hip(sequence), axis=1))


def _closest_pair(
    tracks: Mapping[int, PoseSequence],
) -> tuple[tuple[int, int], int, float] | None:
    """The two tracks that came closest (hip to hip over the larger torso), the frame, and
    that distance; None when no two were ever seen in the same frame."""
    best: tuple[tuple[int, int], int, float] | None = None
    for a, b in combinations(sorted(tracks), 2):
        hips_a, hips_b = _mid_hip(tracks[a]), _mid_hip(tracks[b])
        torso = np.fmax(_torso(tracks[a]), _torso(tracks[b]))
        ratio = np.linalg.norm(hips_a - hips_b, axis=1) / torso
        both = np.isfinite(ratio)
        if not both.any():
            continue
        frame = int(np.nanargmin(np.where(both, ratio, np.nan)))
        if best is None or ratio[frame] < best[2]:
            best = ((a, b), frame, float(ratio[frame]))
    return best


def _window_median(values: np.ndarray, t: np.ndarray, start_s: float, end_s: float) -> np.ndarray:
    inside = (t >= start_s) & (t <= end_s) & np.isfinite(values).all(axis=-1)
    if not inside.any():
        return np.full(values.shape[1:], np.nan)
    return np.asarray(np.median(values[inside], axis=0))


def _travel_away(mover: PoseSequence, other: PoseSequence, frame: int) -> float:
    """How far ``mover``'s hips went away from ``other`` between the closest approach at
    ``frame`` and the end of ``mover``'s track, in ``mover``'s median torso lengths."""
    t = mover.t
    t_c = float(t[frame])
    hips, other_hips = _mid_hip(mover), _mid_hip(other)
    start = _window_median(hips, t, t_c - SETTLE_S, t_c + SETTLE_S)
    other_start = _window_median(other_hips, t, t_c - SETTLE_S, t_c + SETTLE_S)
    seen = np.isfinite(hips).all(axis=1) & (t >= t_c)
    if not seen.any():
        return float("nan")
    t_end = float(t[seen][-1])
    end = _window_median(hips, t, t_end - 2 * SETTLE_S, t_end)
    torso = float(np.nanmedian(_torso(mover)))
    direction = start - other_start
    norm = float(np.linalg.norm(direction))
    if not np.isfinite(norm) or norm < 1e-9 or not torso > 0:
        return float("nan")
    return float((end - start) @ (direction / norm)) / torso
