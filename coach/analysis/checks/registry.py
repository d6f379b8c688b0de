"""The registry of named check kinds; an unknown name lists the valid ones."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from coach.analysis.checks.base import CheckKind, ViewNeed
from coach.analysis.checks.kinds_escape import ESCAPE_KINDS
from coach.analysis.checks.kinds_motion import MOTION_KINDS
from coach.analysis.checks.kinds_posture import POSTURE_KINDS

CHECK_KINDS: Final[Mapping[str, CheckKind]] = MappingProxyType(
    {kind.name: kind for kind in (*POSTURE_KINDS, *MOTION_KINDS, *ESCAPE_KINDS)}
)


def get_kind(name: str) -> CheckKind:
    """The check kind called ``name``; a KeyError whose message lists the valid kinds."""
    try:
        return CHECK_KINDS[name]
    except KeyError:
        raise KeyError(
            f"unknown check kind {name!r}; valid kinds: {', '.join(sorted(CHECK_KINDS))}"
        ) from None


def view_need(kind_name: str, params: Mapping[str, object]) -> ViewNeed | None:
    """What a check of this kind with these parameters needs of the camera (None: any view)."""
    need = get_kind(kind_name).view
    return need if need is not None and need.applies(params) else None
