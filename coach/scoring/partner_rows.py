"""The rows a partner adds to the score card: the hold released, and away from the partner.

They join the card only when a partner was seen (``PARTNER_SEEN_FRACTION``); a solo attempt's
card is unchanged. Both are outcomes ("it worked"): the release is judged from both people
(the partner's hand off the trainee, not only the trainee's pull), the escape as the distance
gained from the partner after the release.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from coach.analysis.checks.base import Status
from coach.analysis.features import Features
from coach.analysis.interaction import Interaction, measure_interaction
from coach.pose.sequence import PoseSequence
from coach.scoring.scorecard import Criterion, ScoreCard

PARTNER_SEEN_FRACTION = 0.1
"""A partner seen in fewer frames than this share is not scored with (a passer-by)."""
MIN_SEPARATION_GAIN_T = 1.0
"""After the release the trainee ends at least one torso length further from the partner."""


def partner_seen(partner: PoseSequence | None) -> bool:
    return partner is not None and partner.detected_fraction >= PARTNER_SEEN_FRACTION


def interaction_of(trainee: PoseSequence, partner: PoseSequence) -> Interaction:
    """Contact, grab and release from the two (already filtered) sequences."""
    return measure_interaction(Features.from_sequence(trainee), Features.from_sequence(partner))


def with_partner_rows(card: ScoreCard, inter: Interaction, grab_is_t0: bool) -> ScoreCard:
    """The card with the partner's rows and an ``interaction`` summary added."""
    t0, t_end = float(card.timings.t0_s), float(inter.t[-1])
    rows = (_release_row(inter, card.timings.release_max_s, t0, t_end), _away_row(inter, t_end))
    notes = card.notes
    timings = card.timings
    if grab_is_t0:
        timings = replace(timings, t0_source="grab")
        notes = (
            *(n for n in notes if "t0 estimated" not in n),
            "t0 is the grab: the partner's hand reached the trainee (no GO signal)",
        )
    summary = {
        "grab_s": _r(inter.grab_s),
        "release_s": _r(inter.release_s),
        "held": inter.target,
        "contact_s": round(float(np.sum(np.diff(inter.t)[inter.contact[:-1]])), 3),
        "separation_t": {
            "at_grab": _r(_at(inter, inter.grab_s)),
            "at_release": _r(_at(inter, inter.release_s)),
            "at_end": _r(_last_finite(inter.separation_t)),
        },
    }
    return replace(
        card, criteria=card.criteria + rows, timings=timings, notes=notes, interaction=summary
    )


def _release_row(inter: Interaction, limit_s: float, t0: float, t_end: float) -> Criterion:
    label, kind, target = "Hold released (partner's hand off)", "partner_release", f"<= {limit_s:g}"
    if inter.grab_s is None:
        return Criterion(
            "partner", kind, label, "outcome", Status.NOT_ASSESSABLE.value, None, target, "s",
            round(t0, 3), round(t_end, 3),
            "no contact seen between the partner's hand and a wrist, the neck or the torso",
        )  # fmt: skip
    if inter.release_s is None:
        return Criterion(
            "partner", kind, label, "outcome", Status.NOT_MET.value, None, target, "s",
            round(inter.grab_s, 3), round(t_end, 3), "the partner still holds at the end",
        )  # fmt: skip
    taken = inter.release_s - inter.grab_s
    status = Status.MET if taken <= limit_s else Status.NOT_MET
    return Criterion(
        "partner", kind, label, "outcome", status.value, round(taken, 3), target, "s",
        round(inter.grab_s, 3), round(inter.release_s, 3), "from the grab",
    )  # fmt: skip


def _away_row(inter: Interaction, t_end: float) -> Criterion:
    label, kind = "Moved away from the partner", "partner_separation"
    target = f">= {MIN_SEPARATION_GAIN_T:g}"
    start = _at(inter, inter.release_s)
    end = _last_finite(inter.separation_t)
    if inter.release_s is None or not (math.isfinite(start) and math.isfinite(end)):
        return Criterion(
            "partner", kind, label, "outcome", Status.NOT_ASSESSABLE.value, None, target, "T",
            round(float(inter.t[0]), 3), round(t_end, 3), "no release, or a body not seen",
        )  # fmt: skip
    gain = end - start
    status = Status.MET if gain >= MIN_SEPARATION_GAIN_T else Status.NOT_MET
    return Criterion(
        "partner", kind, label, "outcome", status.value, round(gain, 3), target, "T",
        round(inter.release_s, 3), round(t_end, 3),
        f"hips {start:.2f} T apart at the release, {end:.2f} T at the end",
    )  # fmt: skip


def _at(inter: Interaction, time_s: float | None) -> float:
    return math.nan if time_s is None else inter.separation_at(time_s)


def _last_finite(values: np.ndarray) -> float:
    finite = np.flatnonzero(np.isfinite(values))
    return float(values[finite[-1]]) if finite.size else math.nan


def _r(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 3)
