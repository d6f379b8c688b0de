"""What an attempt's result depends on, as hashes: a re-run compares them to skip, re-score or
re-extract.

The extraction depends on the source video's bytes, the software and pose-model versions and
the trainee rule; the score card on the extraction, the technique file (and any recorded
reference built for it), the side and the start signal. Each attempt's keys are kept beside its
folder as ``<name>.assess.json``, written last, so an interrupted attempt is simply redone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach import __version__
from coach.assess.manifest import Item
from coach.recording.atomic_text import write_text_atomically
from coach.scoring.reference_build import reference_path
from coach.technique.loader import load_technique

CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def mediapipe_version() -> str:
    from importlib.metadata import version

    return version("mediapipe")


@dataclass(frozen=True)
class Keys:
    """The two fingerprints of one attempt (JSON-ready dicts, compared as a whole)."""

    extraction: dict[str, Any]
    scoring: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"extraction": self.extraction, "scoring": self.scoring}


def technique_fingerprint(technique_file: Path, techniques_dir: Path) -> dict[str, str]:
    """The technique file's SHA-256, and those of the recorded references ``score`` would use."""
    out = {"technique_file": technique_file.name, "technique_sha256": file_sha256(technique_file)}
    technique = load_technique(technique_file)
    for side in ("left", "right"):
        ref = reference_path(techniques_dir, technique.on_side(side))
        if ref.is_file():
            out[f"reference_{side}_sha256"] = file_sha256(ref)
    return out


def keys_for(item: Item, source_sha256: str, technique: dict[str, str]) -> Keys:
    software = {"software_version": __version__, "mediapipe_version": mediapipe_version()}
    return Keys(
        extraction={
            "source_sha256": source_sha256,
            "trainee_person": item.trainee_person,
            **software,
        },
        scoring={**technique, "side": item.side, "start_s": item.start_s, **software},
    )


def state_path(attempt_folder: Path) -> Path:
    return attempt_folder.with_name(f"{attempt_folder.name}.assess.json")


def read_state(attempt_folder: Path) -> dict[str, Any] | None:
    """The keys recorded when the attempt was last assessed (None: never, or unreadable)."""
    try:
        body = json.loads(state_path(attempt_folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def write_state(attempt_folder: Path, body: dict[str, Any]) -> None:
    """The attempt's state beside its folder (the attempts folder made if this is the first:
    a batch whose first videos all fail has no attempt folder yet)."""
    path = state_path(attempt_folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, json.dumps(body, indent=2) + "\n")


def work_needed(keys: Keys, attempt_folder: Path) -> str:
    """ "none" (unchanged, or failed before on the same inputs), "score" (only the scoring
    inputs changed) or "extract"."""
    state = read_state(attempt_folder)
    if state is None or state.get("extraction") != keys.extraction:
        return "extract"
    failed = state.get("failed")
    stage = failed.get("stage") if isinstance(failed, dict) else None
    if stage == "extract":
        return "none"
    if not (attempt_folder / "pose.npz").is_file():
        return "extract"
    if state.get("scoring") != keys.scoring:
        return "score"
    return "none" if stage == "score" or (attempt_folder / "score.json").is_file() else "score"
