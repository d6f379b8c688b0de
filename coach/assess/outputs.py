"""The cohort's files in the output folder, each written aside and renamed into place: the
table (HTML, CSV), the per-technique figures (CSV), the marking template, the coach's marks,
and ``assessment.json`` (what was assessed, what failed and why)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coach import __version__
from coach.assess.batch import BatchResult
from coach.assess.cohort import cohort_csv, cohort_of, techniques_csv
from coach.assess.cohort_page import cohort_html
from coach.assess.manifest import slug
from coach.assess.marks import marks_csv
from coach.assess.worker import now
from coach.recording.atomic_text import write_text_atomically

SUMMARY = "assessment.json"
PACKS = "packs"


def pack_link(candidate: str) -> str:
    """The candidate's pack page, relative to the output folder."""
    return f"{PACKS}/{slug(candidate)}/index.html"


def write_outputs(outdir: Path, batch: BatchResult, title: str) -> list[Path]:
    """Write the cohort files; returns their paths."""
    cohort = cohort_of(batch.results)
    links = {c: pack_link(c) for c in cohort.candidates}
    files = {
        "cohort.html": cohort_html(cohort, title, links, batch.failures),
        "cohort.csv": cohort_csv(cohort),
        "cohort_techniques.csv": techniques_csv(cohort),
        "marking_template.csv": marks_csv(batch.results, coach_marks=False),
        "coach_marks.csv": marks_csv(batch.results, coach_marks=True),
        SUMMARY: json.dumps(summary(batch, title), indent=2) + "\n",
    }
    written = []
    for name, text in files.items():
        write_text_atomically(outdir / name, text)
        written.append(outdir / name)
    return written


def summary(batch: BatchResult, title: str) -> dict[str, Any]:
    return {
        "format_version": 1,
        "complete": True,
        "title": title,
        "written": now(),
        "software_version": __version__,
        "work": {
            "extracted": batch.work["extract"],
            "rescored": batch.work["score"],
            "unchanged": batch.work["none"],
        },
        "attempts": [
            {
                "candidate": r.item.candidate,
                "technique": r.item.technique,
                "attempt": r.item.attempt,
                "folder": str(r.folder.relative_to(r.folder.parents[1])),
                "result": r.record.overall,
                "points": {p.item: p.mark for p in r.record.points},
                "start_signal": r.state.get("start_signal"),
                "t0_s": r.record.card.timings.t0_s,
            }
            for r in batch.results
        ],
        "failures": [{"where": f.where, "problem": f.problem} for f in batch.failures],
    }
