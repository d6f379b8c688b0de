"""Placeholder until the evidence packs are written."""

from __future__ import annotations

from pathlib import Path

from coach.assess.batch import AttemptResult
from coach.workspace import Workspace


def write_packs(
    workspace: Workspace, outdir: Path, results: list[AttemptResult], show_progress: bool
) -> int:
    return 0
