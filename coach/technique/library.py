"""Finding techniques: a workspace's ``techniques/`` folder first, then the shipped library.

A training centre's own file with the same id replaces the shipped one. Left and right
versions are made by mirroring (``Technique.on_side``), never stored twice.
"""

from __future__ import annotations

from pathlib import Path

from coach.errors import CoachError
from coach.technique.loader import load_technique
from coach.technique.model import Technique
from coach.workspace import Workspace, default_techniques_dir


def technique_files(workspace: Workspace | None) -> dict[str, Path]:
    """id -> file, the workspace's files overriding the shipped ones with the same name."""
    found: dict[str, Path] = {}
    folders = [default_techniques_dir()]
    if workspace is not None and workspace.techniques.is_dir():
        folders.append(workspace.techniques)
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            found[path.stem] = path
    return dict(sorted(found.items()))


def list_techniques(workspace: Workspace | None) -> list[Technique]:
    """Every technique available, loaded and validated, in id order."""
    return [load_technique(path) for path in technique_files(workspace).values()]


def find_technique(
    workspace: Workspace | None, technique_id: str, side: str | None = None
) -> Technique:
    """The technique with this id on ``side`` (None: as stored); unknown ids list the known."""
    files = technique_files(workspace)
    if technique_id not in files:
        where = workspace.techniques if workspace is not None else default_techniques_dir()
        raise CoachError(
            where, f"no technique {technique_id!r}; available: {', '.join(files) or 'none'}"
        )
    return load_technique(files[technique_id]).on_side(side)
