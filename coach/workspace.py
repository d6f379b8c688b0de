"""Where techniques, calibrations and recordings live.

A workspace is a folder with ``techniques/``, ``calibration/`` and ``recordings/``. The
repository itself is one, with the default library. It is chosen, first match wins, by the
``--workspace`` option, the ``COACH_WORKSPACE`` variable, the current folder when it holds a
``techniques/`` folder, the repository the package runs from (a checkout), and finally the
current folder. The shipped technique library is always available underneath a workspace's own.
"""

from __future__ import annotations

import os
import sys
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


def _checkout_root() -> Path | None:
    """The repository folder when the package runs from a checkout (editable install)."""
    root = _PACKAGE_DIR.parent
    if (root / "techniques").is_dir() and (root / "pyproject.toml").is_file():
        return root
    return None


def default_techniques_dir() -> Path:
    """The shipped technique library: the checkout's techniques/, or the wheel's data files."""
    root = _checkout_root()
    if root is not None:
        return root / "techniques"
    return Path(sys.prefix) / "share" / "breakaway-coach" / "techniques"


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
    return Workspace(_checkout_root() or cwd)
