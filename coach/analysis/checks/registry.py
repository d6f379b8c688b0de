"""The registry of named check kinds; an unknown name lists the valid ones."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from coach.analysis.checks.base import CheckKind
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
