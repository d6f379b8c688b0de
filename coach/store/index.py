"""``recordings/index.sqlite``: the attempt index, one module owning the database.

The attempt folders are the source of truth; the index is a cache that ``sync`` brings in line
with them (folders added, changed or removed by hand are picked up) and ``rebuild`` recreates.
The schema carries its version in ``PRAGMA user_version`` and is brought up to date by the
migrations below, in order; an index written by a newer coach is refused, by name.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError
from coach.recording.attempt_folder import META_FILE, POSE_FILE
from coach.store.summary import AttemptSummary, folder_signature, summarise

INDEX_FILE = "index.sqlite"
MAX_DEPTH = 4
"""How deep under recordings/ attempt folders are looked for (recordings/demo/<attempt>)."""

MIGRATIONS: tuple[str, ...] = (
    # 1: one row per attempt folder
    """
    CREATE TABLE attempts (
        folder TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        problem TEXT NOT NULL DEFAULT '',
        trainee TEXT,
        technique TEXT,
        side TEXT,
        created TEXT,
        source_kind TEXT,
        recovered INTEGER NOT NULL DEFAULT 0,
        has_video INTEGER NOT NULL DEFAULT 0,
        broke_free INTEGER,
        used_taught_technique INTEGER,
        within_limit INTEGER,
        reaction_s REAL,
        release_s REAL,
        safe_distance_s REAL,
        signature TEXT NOT NULL
    );
    """,
    # 2: the failed criteria, for "every attempt where the guard was Not met"; query indexes
    """
    CREATE TABLE failed_criteria (
        folder TEXT NOT NULL REFERENCES attempts(folder) ON DELETE CASCADE,
        label TEXT NOT NULL
    );
    CREATE INDEX failed_by_folder ON failed_criteria(folder);
    CREATE INDEX failed_by_label ON failed_criteria(label);
    CREATE INDEX attempts_by_trainee ON attempts(trainee, created);
    CREATE INDEX attempts_by_technique ON attempts(technique, created);
    CREATE INDEX attempts_by_created ON attempts(created);
    """,
    # 3: whether an instructor has reviewed the attempt (a review.json beside it)
    """
    ALTER TABLE attempts ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_COLUMNS = (
    "folder",
    "status",
    "problem",
    "trainee",
    "technique",
    "side",
    "created",
    "source_kind",
    "recovered",
    "has_video",
    "broke_free",
    "used_taught_technique",
    "within_limit",
    "reaction_s",
    "release_s",
    "safe_distance_s",
    "signature",
    "reviewed",
)
OUTCOME_FILTERS = {
    "broke_free": "broke_free = 1",
    "did_not_break_free": "broke_free = 0",
    "taught_technique": "used_taught_technique = 1",
    "not_taught_technique": "used_taught_technique = 0",
    "over_limit": "within_limit = 0",
    "corrupt": "status = 'corrupt'",
    "unscored": "status = 'unscored'",
    "reviewed": "reviewed = 1",
    "not_reviewed": "reviewed = 0 AND status != 'corrupt'",
}
"""Outcome filter names and the condition each one stands for."""


@dataclass(frozen=True)
class AttemptFilter:
    """What the attempt list is narrowed to; None means any. Dates are YYYY-MM-DD, inclusive."""

    trainee: str | None = None
    technique: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    outcome: str | None = None
    failed: str | None = None
    """A criterion label the coach found Not met."""


@dataclass(frozen=True)
class SyncReport:
    added: int
    updated: int
    removed: int
    unchanged: int
    corrupt: int


@dataclass(frozen=True)
class TraineeRow:
    name: str
    attempts: int
    last_created: str | None


@dataclass(frozen=True)
class TechniqueRow:
    technique: str
    attempts: int


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION; refuse one from a newer coach."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise CoachError(
            path,
            f"attempt index schema version {version} is newer than this coach's "
            f"({SCHEMA_VERSION}); run `coach index --rebuild` to recreate it from the folders",
        )
    for number in range(version, SCHEMA_VERSION):
        with conn:
            conn.executescript(f"BEGIN; {MIGRATIONS[number]} PRAGMA user_version = {number + 1};")


class AttemptIndex:
    """The open index of one recordings folder. Use as a context manager."""

    def __init__(self, recordings: Path) -> None:
        self.recordings = recordings
        self.path = recordings / INDEX_FILE
        recordings.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False)
            self.conn.execute("PRAGMA foreign_keys = ON")
            migrate(self.conn, self.path)
        except sqlite3.DatabaseError as error:
            raise CoachError(
                self.path, f"not a readable attempt index ({error}); run `coach index --rebuild`"
            ) from None

    def __enter__(self) -> AttemptIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- keeping it in line with the folders ------------------------------------------------

    def sync(self) -> SyncReport:
        """Add new folders, re-read changed ones, drop removed ones."""
        known = dict(self.conn.execute("SELECT folder, signature FROM attempts").fetchall())
        seen: set[str] = set()
        added = updated = unchanged = 0
        with self.conn:
            for folder in attempt_folders(self.recordings):
                relative = folder.relative_to(self.recordings).as_posix()
                seen.add(relative)
                old = known.get(relative)
                if old is not None and old == folder_signature(folder):
                    unchanged += 1
                    continue
                self._store(summarise(folder, self.recordings))
                if old is None:
                    added += 1
                else:
                    updated += 1
            gone = [name for name in known if name not in seen]
            self.conn.executemany("DELETE FROM attempts WHERE folder = ?", [(g,) for g in gone])
        corrupt = self.conn.execute(
            "SELECT COUNT(*) FROM attempts WHERE status = 'corrupt'"
        ).fetchone()[0]
        return SyncReport(added, updated, len(gone), unchanged, int(corrupt))

    def refresh(self, relative: str) -> AttemptSummary | None:
        """Re-read one folder now (after a review was saved); None if it is gone."""
        folder = self.recordings / relative
        with self.conn:
            if not folder.is_dir():
                self.conn.execute("DELETE FROM attempts WHERE folder = ?", (relative,))
                return None
            summary = summarise(folder, self.recordings)
            self._store(summary)
        return summary

    def _store(self, s: AttemptSummary) -> None:
        values = (
            s.folder,
            s.status,
            s.problem,
            s.trainee,
            s.technique,
            s.side,
            s.created,
            s.source_kind,
            int(s.recovered),
            int(s.has_video),
            _flag(s.broke_free),
            _flag(s.used_taught_technique),
            _flag(s.within_limit),
            s.reaction_s,
            s.release_s,
            s.safe_distance_s,
            s.signature,
            int(s.reviewed),
        )
        self.conn.execute("DELETE FROM attempts WHERE folder = ?", (s.folder,))
        self.conn.execute(
            f"INSERT INTO attempts ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_COLUMNS))})",
            values,
        )
        self.conn.executemany(
            "INSERT INTO failed_criteria (folder, label) VALUES (?, ?)",
            [(s.folder, label) for label in s.failed],
        )

    # -- queries ------------------------------------------------------------------------------

    def attempts(
        self, where: AttemptFilter | None = None, limit: int = 200
    ) -> list[AttemptSummary]:
        """Attempts matching ``where``, newest first."""
        clauses, params = _conditions(where or AttemptFilter())
        sql = f"SELECT {', '.join(_COLUMNS)} FROM attempts"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY created DESC, folder DESC LIMIT ?"
        rows = self.conn.execute(sql, (*params, limit)).fetchall()
        return [self._summary(row) for row in rows]

    def count(self, where: AttemptFilter | None = None) -> int:
        clauses, params = _conditions(where or AttemptFilter())
        sql = "SELECT COUNT(*) FROM attempts" + (
            " WHERE " + " AND ".join(clauses) if clauses else ""
        )
        return int(self.conn.execute(sql, params).fetchone()[0])

    def attempt(self, relative: str) -> AttemptSummary | None:
        row = self.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM attempts WHERE folder = ?", (relative,)
        ).fetchone()
        return None if row is None else self._summary(row)

    def trainees(self) -> list[TraineeRow]:
        rows = self.conn.execute(
            "SELECT trainee, COUNT(*), MAX(created) FROM attempts WHERE trainee IS NOT NULL "
            "GROUP BY trainee ORDER BY trainee COLLATE NOCASE"
        ).fetchall()
        return [TraineeRow(str(r[0]), int(r[1]), r[2]) for r in rows]

    def techniques(self) -> list[TechniqueRow]:
        rows = self.conn.execute(
            "SELECT technique, COUNT(*) FROM attempts WHERE technique IS NOT NULL "
            "GROUP BY technique ORDER BY technique"
        ).fetchall()
        return [TechniqueRow(str(r[0]), int(r[1])) for r in rows]

    def failed_labels(self) -> list[str]:
        rows = self.conn.execute("SELECT DISTINCT label FROM failed_criteria ORDER BY label")
        return [str(r[0]) for r in rows.fetchall()]

    def _summary(self, row: tuple[object, ...]) -> AttemptSummary:
        body = dict(zip(_COLUMNS, row, strict=True))
        failed = self.conn.execute(
            "SELECT label FROM failed_criteria WHERE folder = ? ORDER BY rowid", (body["folder"],)
        ).fetchall()
        return AttemptSummary(
            folder=str(body["folder"]),
            status=str(body["status"]),
            problem=str(body["problem"]),
            trainee=_text(body["trainee"]),
            technique=_text(body["technique"]),
            side=_text(body["side"]),
            created=_text(body["created"]),
            source_kind=_text(body["source_kind"]),
            recovered=bool(body["recovered"]),
            has_video=bool(body["has_video"]),
            broke_free=_bool(body["broke_free"]),
            used_taught_technique=_bool(body["used_taught_technique"]),
            within_limit=_bool(body["within_limit"]),
            reaction_s=_real(body["reaction_s"]),
            release_s=_real(body["release_s"]),
            safe_distance_s=_real(body["safe_distance_s"]),
            failed=tuple(str(r[0]) for r in failed),
            signature=str(body["signature"]),
            reviewed=bool(body["reviewed"]),
        )


def rebuild(recordings: Path) -> SyncReport:
    """Delete the index and build it again from the folders."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        (recordings / f"{INDEX_FILE}{suffix}").unlink(missing_ok=True)
    with AttemptIndex(recordings) as index:
        return index.sync()


def attempt_folders(recordings: Path) -> Iterator[Path]:
    """Every attempt folder under ``recordings`` (one holding attempt.json or pose.npz); hidden
    folders (partial writes, debris) are skipped."""
    yield from _walk(recordings, 0)


def _walk(folder: Path, depth: int) -> Iterator[Path]:
    try:
        entries = sorted(
            (e for e in os.scandir(folder) if e.is_dir() and not e.name.startswith(".")),
            key=lambda e: e.name,
        )
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        if (path / META_FILE).exists() or (path / POSE_FILE).exists():
            yield path
        elif depth + 1 < MAX_DEPTH:
            yield from _walk(path, depth + 1)


def _conditions(where: AttemptFilter) -> tuple[list[str], list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if where.trainee:
        clauses.append("trainee = ?")
        params.append(where.trainee)
    if where.technique:
        clauses.append("technique = ?")
        params.append(where.technique)
    if where.date_from:
        clauses.append("substr(created, 1, 10) >= ?")
        params.append(where.date_from)
    if where.date_to:
        clauses.append("substr(created, 1, 10) <= ?")
        params.append(where.date_to)
    if where.outcome:
        if where.outcome not in OUTCOME_FILTERS:
            raise ValueError(
                f"outcome: expected one of {', '.join(OUTCOME_FILTERS)}, got {where.outcome!r}"
            )
        clauses.append(OUTCOME_FILTERS[where.outcome])
    if where.failed:
        clauses.append("folder IN (SELECT folder FROM failed_criteria WHERE label = ?)")
        params.append(where.failed)
    return clauses, params


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def _real(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _text(value: object) -> str | None:
    return None if value is None else str(value)
