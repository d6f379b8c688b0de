"""Exports of one attempt: the score card as CSV and JSON (the coach's status and the
instructor's side by side), the measures over time as CSV, and the faults as timed subtitles
(``.srt``, which Kinovea, VLC and most players show over the video)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from coach.recording.attempt_folder import POSE_FILE
from coach.recording.pose_file import read_pose_file
from coach.review.attempt_data import attempt_page, read_score_card, video_name
from coach.review.review_file import criterion_key, read_review
from coach.review.verdicts import side_by_side
from coach.workspace import Workspace

KINDS: dict[str, tuple[str, str]] = {
    "scorecard.csv": ("text/csv", "scorecard.csv"),
    "scorecard.json": ("application/json", "scorecard.json"),
    "measures.csv": ("text/csv", "measures.csv"),
    "faults.srt": ("application/x-subrip", "faults.srt"),
}
"""Export name -> (MIME type, file name suffix)."""


def video_file(folder: Path) -> str | None:
    return video_name(folder)


def export(workspace: Workspace, folder: Path, kind: str) -> tuple[str, str, str]:
    """(content, MIME type, download file name) of one export of the attempt in ``folder``."""
    mimetype, suffix = KINDS[kind]
    if kind == "measures.csv":
        body = measures_csv(attempt_page(workspace, folder, read_review(folder)).payload)
    else:
        rows = scorecard_rows(folder)
        if kind == "scorecard.csv":
            body = scorecard_csv(rows)
        elif kind == "scorecard.json":
            card = read_score_card(folder)
            outcomes = [asdict(o) for o in side_by_side(card, read_review(folder))]
            whole = {"coach": card, "instructor": rows, "outcomes": outcomes}
            body = json.dumps(whole, indent=2) + "\n"
        else:
            body = faults_srt(rows, float(read_pose_file(folder / POSE_FILE).t[0]))
    return body, mimetype, f"{folder.name}_{suffix}"


def scorecard_rows(folder: Path) -> list[dict[str, Any]]:
    """Each score card row with the instructor's override (status, reason) beside it."""
    card = read_score_card(folder)
    review = read_review(folder)
    rows = []
    for row in card["criteria"]:
        override = review.override_for(criterion_key(row))
        rows.append(
            {
                "phase": row.get("phase"),
                "label": row.get("label"),
                "role": row.get("role"),
                "coach_status": row.get("status"),
                "value": row.get("value"),
                "target": row.get("target"),
                "unit": row.get("unit"),
                "t_start": row.get("t_start"),
                "t_end": row.get("t_end"),
                "instructor_status": override.status if override else "",
                "instructor_reason": override.reason if override else "",
            }
        )
    return rows


def scorecard_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["label"])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue()


def measures_csv(payload: dict[str, Any]) -> str:
    """One row per frame: time, then each measure for the trainee and the matched reference."""
    measures = payload["measures"]
    header = ["t_s"]
    columns = []
    for m in measures:
        name = f"{m['key']} [{m['unit']}]"
        header.append(name)
        columns.append(m["trainee"])
        if m["reference"] is not None:
            header.append(f"reference {name}")
            columns.append(m["reference"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for i, t in enumerate(payload["t"]):
        writer.writerow([t, *("" if c[i] is None else c[i] for c in columns)])
    return out.getvalue()


def faults_srt(rows: list[dict[str, Any]], t_origin: float = 0.0) -> str:
    """Every criterion not met (by the instructor's status if overridden, else the coach's) as a
    subtitle over its evidence range; times from the start of the recording."""
    blocks = []
    for row in rows:
        status = row["instructor_status"] or row["coach_status"]
        if status != "Not met" or row["t_start"] is None:
            continue
        start = max(0.0, float(row["t_start"]) - t_origin)
        end = max(start + 0.5, float(row["t_end"]) - t_origin)
        who = "instructor" if row["instructor_status"] else "coach"
        blocks.append((start, end, f"NOT MET ({who}): {row['label']}"))
    blocks.sort()
    return "".join(
        f"{n}\n{_srt_time(a)} --> {_srt_time(b)}\n{text}\n\n"
        for n, (a, b, text) in enumerate(blocks, start=1)
    )


def _srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"
