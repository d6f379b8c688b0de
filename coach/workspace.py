"""Where techniques, calibrations and recordings live.

A workspace is a folder with ``techniques/``, ``calibration/`` and ``recordings/``. The
repository itself is one, with the default library. It is chosen, first match wins, by the
``--workspace`` option, the ``COACH_WORKSPACE`` variable, the current folder when it holds a
``techniques/`` folder, and finally the folder the package was installed from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError

ENV_VAR = "COACH_WORKSPACE"
_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Workspace:
    """The three data folders of one training centre."""

    root: Path

    @property
    def techniques(self) -> Path:
        return self.root / "techniques"

    @property
    def calibration(self) -> Path:
        return self.root / "calibration"

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"


def default_techniques_dir() -> Path:
    """The shipped technique library: next to the package in a checkout, inside it in a wheel."""
    beside = _PACKAGE_DIR.parent / "techniques"
    if beside.is_dir():
        return beside
    return _PACKAGE_DIR / "default_techniques"


def find_workspace(explicit: str | Path | None = None) -> Workspace:
    """Resolve the workspace folder (see the module docstring for the order)."""
    chosen = explicit or os.environ.get(ENV_VAR)
    if chosen:
        root = Path(chosen).expanduser()
        if not root.is_dir():
            raise CoachError(root, "workspace folder does not exist")
        return Workspace(root.resolve())
    cwd = Path.cwd()
    if (cwd / "techniques").is_dir():
        return Workspace(cwd)
    return Workspace(_PACKAGE_DIR.parent)
