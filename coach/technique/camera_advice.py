"""Where to put the camera for a technique: the checks that need it at the trainee's side.

Said before a live session starts, so a trainee who wants those points judged places the
laptop to their side; filmed from the front they are Not assessable (``checks/views.py``).
"""

from __future__ import annotations

from coach.analysis.checks.registry import view_need
from coach.technique.model import Technique


def side_view_checks(technique: Technique) -> list[str]:
    """Labels of the technique's checks that need the camera round to the trainee's side."""
    return [
        check.label
        for phase in technique.phases
        for check in phase.checks
        if view_need(check.kind, check.param_dict()) is not None
    ]


def camera_advice(technique: Technique) -> str | None:
    """One line of advice on the camera's place for ``technique``; None when any place does."""
    labels = side_view_checks(technique)
    needs = [
        view.min_side_on_deg
        for phase in technique.phases
        for check in phase.checks
        if (view := view_need(check.kind, check.param_dict())) is not None
    ]
    if not labels:
        return None
    need = max(needs)
    named = ", ".join(f"'{label}'" for label in labels)
    return (
        f"camera: {technique.name}: {named} need the camera at your side (at least {need:g} deg "
        "round from your front); filmed from the front they are Not assessable"
    )


def camera_tip(technique: Technique) -> str:
    """The advice, short enough for the live overlay's cue line while the trainee gets into
    place ("" when any camera place does)."""
    labels = side_view_checks(technique)
    if not labels:
        return ""
    return f"Camera at your side to judge: {', '.join(labels)}"
