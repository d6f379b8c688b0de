"""``coach assess`` end to end: the items, the batch, the cohort files and the packs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coach.assess.batch import assess_items
from coach.assess.manifest import folder_items, read_manifest, without_name_clashes
from coach.assess.outputs import SUMMARY, write_outputs
from coach.assess.packs import write_packs
from coach.assess.roster import on_roster, read_roster
from coach.errors import CoachError
from coach.recording.atomic_text import write_text_atomically
from coach.technique.library import technique_files
from coach.workspace import Workspace


@dataclass(frozen=True)
class Report:
    """What the command prints: warnings (each failure, one line) and the summary."""

    warnings: tuple[str, ...]
    summary: tuple[str, ...]


def check_outdir(outdir: Path) -> None:
    """An output folder is new, empty, or one ``coach assess`` wrote (it has SUMMARY)."""
    if outdir.exists() and not outdir.is_dir():
        raise CoachError(outdir, "exists and is not a folder")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / SUMMARY).is_file():
        raise CoachError(
            outdir, f"holds files coach assess did not write (no {SUMMARY}); choose another -o"
        )


def assess(
    workspace: Workspace,
    source: Path,
    outdir: Path,
    jobs: int,
    show_progress: bool,
    roster: Path | None = None,
) -> Report:
    """Assess every video ``source`` lists into ``outdir``; ``roster``: the course's
    candidates (others refused, those with no video named)."""
    if source.is_dir():
        items, refused = folder_items(source, list(technique_files(workspace)))
        title = source.name
    elif source.is_file():
        items, refused = read_manifest(source)
        title = source.stem
    else:
        raise CoachError(source, "no such manifest or folder")
    missing: list[str] = []
    if roster is not None:
        items, strangers, missing = on_roster(items, read_roster(roster), roster)
        refused = [*refused, *strangers]
    items, clashes = without_name_clashes(items)
    refused = [*refused, *clashes]
    check_outdir(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if not (outdir / SUMMARY).is_file():  # marks the folder as ours before any work, so a
        # re-run after Ctrl-C in the first run goes on in it (the real summary replaces this)
        write_text_atomically(outdir / SUMMARY, '{"format_version": 1, "complete": false}\n')
    batch = assess_items(workspace, items, refused, outdir, jobs, show_progress)
    write_outputs(outdir, batch, title)
    written, kept, pack_problems = write_packs(workspace, outdir, batch.results, show_progress)
    total = len(items) + len(refused)
    summary = (
        f"assessed {len(batch.results)} of {total} videos: {batch.work['extract']} extracted, "
        f"{batch.work['score']} re-scored, {batch.work['none']} unchanged; "
        f"{len(batch.failures)} not assessed",
        f"cohort table: {outdir / 'cohort.html'} and cohort.csv, cohort_techniques.csv",
        f"marking template: {outdir / 'marking_template.csv'} (coach's marks: coach_marks.csv)",
        f"evidence packs: {written} written, {kept} unchanged, in {outdir / 'packs'}",
    )
    warnings = tuple(f"{f.where}: {f.problem}" for f in [*batch.failures, *pack_problems]) + tuple(
        f"{roster}: {name!r} is on the roster but has no video" for name in missing
    )
    return Report(warnings, summary)
