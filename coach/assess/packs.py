"""Evidence packs: per candidate a folder and a zip holding, for each attempt, the attempt
report (``coach report``), key frames, the score card (JSON, and CSV / JSON via ``coach
export``), and ``manifest.json``: the source video's SHA-256, the technique file's hash (its
version: technique files carry no version number of their own), software and pose-model
versions, dates, and blank assessor sign-off fields.

A pack is built aside and renamed into place, and its zip likewise, so a pack is complete or
absent. A pack whose inputs are unchanged is kept as it is. A pack being replaced is deleted
only when it holds nothing but the files its manifest lists; otherwise (an assessor put a
signed scan in it) it is kept beside, renamed ``<name>.replaced-<time>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

from tqdm import tqdm

from coach import __version__
from coach.assess.batch import AttemptResult
from coach.assess.cohort_page import environment
from coach.assess.fingerprints import mediapipe_version
from coach.assess.key_frames import write_key_frames
from coach.assess.manifest import Refused, slug
from coach.assess.outputs import PACKS
from coach.assess.record import PracticalRecord
from coach.errors import CoachError
from coach.recording.attempt_folder import read_attempt
from coach.review.exports import export
from coach.review.report import write_report
from coach.workspace import Workspace

PACK_MANIFEST = "manifest.json"
SIGN_OFF = {
    "assessor_name": "",
    "assessor_licence_or_id": "",
    "decision": "",
    "signature": "",
    "date": "",
    "notes": "",
}


def write_packs(
    workspace: Workspace, outdir: Path, results: list[AttemptResult], show_progress: bool
) -> tuple[int, int, list[Refused]]:
    """Write (or keep, when unchanged) every candidate's pack; returns (written, kept, the
    packs that could not be made and why: the other candidates' packs are still written)."""
    by_candidate: dict[str, list[AttemptResult]] = {}
    for r in results:
        by_candidate.setdefault(r.item.candidate, []).append(r)
    packs = outdir / PACKS
    packs.mkdir(parents=True, exist_ok=True)
    written = kept = 0
    problems: list[Refused] = []
    for candidate, attempts in tqdm(
        sorted(by_candidate.items()),
        unit="pack",
        desc="packs",
        disable=not show_progress,
        file=sys.stderr,
        dynamic_ncols=True,
    ):
        attempts.sort(key=lambda r: (r.item.technique, r.item.attempt))
        final = packs / slug(candidate)
        inputs = _inputs(attempts)
        if _unchanged(final, inputs):
            kept += 1
            continue
        try:
            _write_pack(workspace, candidate, attempts, final, inputs)
        except CoachError as error:
            problems.append(Refused(str(final), f"evidence pack not written: {error}"))
            continue
        written += 1
    return written, kept, problems


def _inputs(attempts: list[AttemptResult]) -> str:
    """A hash of what the pack is made of: each attempt's keys and when it was scored."""
    body = [
        [r.item.name, r.state.get("extraction"), r.state.get("scoring"), r.state.get("scored_at")]
        for r in attempts
    ]
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _unchanged(final: Path, inputs: str) -> bool:
    try:
        body = json.loads((final / PACK_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    zipped = final.with_name(f"{final.name}.zip")
    return isinstance(body, dict) and body.get("inputs") == inputs and zipped.is_file()


def _record_dict(record: PracticalRecord) -> dict[str, Any]:
    return {
        "overall": record.overall,
        "points": {
            p.item: {
                "label": p.label,
                "mark": p.mark,
                "criteria": [
                    {"label": c.label, "status": c.status, "value": c.value, "target": c.target,
                     "unit": c.unit, "t_start": c.t_start, "t_end": c.t_end}
                    for c in p.criteria
                ],
            }
            for p in record.points
        },
    }  # fmt: skip


def _attempt_files(workspace: Workspace, r: AttemptResult, into: Path) -> dict[str, Any]:
    """One attempt's part of the pack in ``into``; its entry for the pack's manifest."""
    into.mkdir()
    shutil.copyfile(r.folder / "score.json", into / "score.json")
    for kind in ("scorecard.csv", "scorecard.json"):
        body, _mime, _name = export(workspace, r.folder, kind)
        (into / kind).write_text(body, encoding="utf-8")
    write_report(workspace, r.folder, into / "report.html")
    attempt = read_attempt(r.folder)
    frames = write_key_frames(r.item.video, r.record.card, attempt.pose, attempt.partner, into)
    extraction, scoring = r.state["extraction"], r.state["scoring"]
    return {
        "name": r.item.name,
        "technique": r.item.technique,
        "technique_name": r.record.card.technique_name,
        "attempt": r.item.attempt,
        "source_video": str(r.item.video),
        "source_sha256": extraction["source_sha256"],
        "technique_file": scoring["technique_file"],
        "technique_sha256": scoring["technique_sha256"],
        "references_sha256": {k: v for k, v in scoring.items() if k.startswith("reference_")},
        "side": r.record.card.side,
        "side_asked": r.item.side,
        "trainee_person": r.item.trainee_person,
        "start_s": r.item.start_s,
        "start_signal": r.state.get("start_signal"),
        "t0_s": r.record.card.timings.t0_s,
        "audio_onset_s": r.state.get("audio_onset_s"),
        "pose_model": attempt.meta.pose_model,
        "extracted_at": r.state.get("extracted_at"),
        "scored_at": r.state.get("scored_at"),
        "record": _record_dict(r.record),
        "key_frames": [f.name for f in frames],
    }


def _write_pack(
    workspace: Workspace,
    candidate: str,
    attempts: list[AttemptResult],
    final: Path,
    inputs: str,
) -> None:
    staging = final.with_name(f".{final.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    zipped = final.with_name(f".{final.name}.zip.partial-{os.getpid()}")
    try:
        entries = [_attempt_files(workspace, r, staging / r.item.name) for r in attempts]
        software = {"coach": __version__, "mediapipe": mediapipe_version()}
        created = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        page = (
            environment()
            .get_template("pack.html")
            .render(
                candidate=candidate,
                attempts=[
                    {**e, "record": r.record} for e, r in zip(entries, attempts, strict=True)
                ],
                software=software,
                created=created,
            )
        )
        (staging / "index.html").write_text(page, encoding="utf-8")
        files = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        manifest = {
            "format_version": 1,
            "candidate": candidate,
            "created": created,
            "software": software,
            "inputs": inputs,
            "attempts": entries,
            "files": [*files, PACK_MANIFEST],
            "assessor_sign_off": SIGN_OFF,
        }
        (staging / PACK_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    z.write(path, f"{final.name}/{path.relative_to(staging)}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        zipped.unlink(missing_ok=True)
        raise
    _replace(final, staging)
    os.replace(zipped, final.with_name(f"{final.name}.zip"))


def _replace(final: Path, staging: Path) -> None:
    """Swap the new pack in; the old one is deleted only if it holds nothing but its files."""
    if not final.exists():
        staging.rename(final)
        return
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = final.with_name(f"{final.name}.replaced-{stamp}")
    final.rename(aside)
    staging.rename(final)
    if _only_listed_files(aside):
        shutil.rmtree(aside)


def _only_listed_files(folder: Path) -> bool:
    try:
        listed = set(json.loads((folder / PACK_MANIFEST).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    return present <= listed
