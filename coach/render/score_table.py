"""The score card as a plain-text table, for the terminal."""

from __future__ import annotations

from typing import Any

from coach.scoring.scorecard import Criterion, ScoreCard

_MARK = {"Met": "ok ", "Not met": "NO ", "Not assessable": "-- "}


def _yes_no(value: bool | None) -> str:
    return "not assessable" if value is None else ("yes" if value else "no")


def _value(c: Criterion) -> str:
    return "n/a" if c.value is None else f"{c.value:.3g} {c.unit}".strip()


def format_scorecard(card: ScoreCard) -> str:
    """Criteria grouped by phase with value, target and evidence time, then the outcomes."""
    lines = [f"{card.technique_name} ({card.side} side)", ""]
    header = f"{'':4}{'phase':12}{'criterion':44}{'value':>16}  {'target':<22}{'evidence':>14}"
    lines += [header, "-" * len(header)]
    for c in card.criteria:
        evidence = f"{c.t_start:.2f}-{c.t_end:.2f} s"
        lines.append(
            f"{_MARK.get(c.status, '?  '):4}{c.phase[:11]:12}{c.label[:43]:44}{_value(c):>16}  "
            f"{c.target[:21]:<22}{evidence:>14}"
            + (f"  ({c.note})" if c.status == "Not assessable" and c.note else "")
        )
    t = card.timings
    counts = card.counts()
    lines += [
        "",
        f"It worked (broke free):          {_yes_no(card.broke_free)}",
        f"It was safe:                     {_yes_no(card.was_safe)}",
        f"Matched the coaching points:     {_yes_no(card.used_taught_technique)}",
        f"Hard fail ({t.hard_fail_s:g} s):                {'YES' if card.hard_fail else 'no'}",
        "",
        f"Timings from t0 ({t.t0_source} at {t.t0_s:.2f} s): reaction {_s(t.reaction_s)} "
        f"(<= {t.onset_max_s:g}), release {_s(t.release_s)} (<= {t.release_max_s:g}), "
        f"safe distance {_s(t.safe_distance_s)}, total {t.total_s:.2f} s",
        f"Criteria: {counts['Met']} met, {counts['Not met']} not met, "
        f"{counts['Not assessable']} not assessable",
    ]
    if card.interaction is not None:
        lines.append(_partner_line(card.interaction))
    lines += [f"Note: {n}" for n in card.notes]
    return "\n".join(lines)


def _s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def _partner_line(summary: dict[str, Any]) -> str:
    gap: dict[str, Any] = summary.get("separation_t") or {}
    held = summary.get("held") or "nothing"
    return (
        f"Partner: grab {_at(summary.get('grab_s'))} (held: {held}), release "
        f"{_at(summary.get('release_s'))}, in contact {summary.get('contact_s')} s; hips apart "
        f"{_t(gap.get('at_grab'))} at the grab, {_t(gap.get('at_release'))} at the release, "
        f"{_t(gap.get('at_end'))} at the end"
    )


def _at(value: object) -> str:
    return "not seen" if value is None else f"at {value:.2f} s"


def _t(value: object) -> str:
    return "n/a" if value is None else f"{value:.2f} T"
