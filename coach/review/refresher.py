"""Refresher status: procedural skills decay without practice (accuracy falls by about half
within 6-7 months), so each technique a trainee has passed comes due for practice, then for
re-assessment, a set number of days after the last passing attempt.

The two intervals live in the workspace's ``coach.toml``::

    [refresher]
    practice_due_days = 90
    reassess_days = 180
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError
from coach.store.summary import AttemptSummary

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILE = "coach.toml"


@dataclass(frozen=True)
class RefresherPolicy:
    practice_due_days: int = 90
    reassess_days: int = 180


@dataclass(frozen=True)
class RefresherStatus:
    technique: str
    last_pass: str | None
    """Date (YYYY-MM-DD) of the last attempt that broke free with the taught technique."""
    days_since: int | None
    state: str
    """"up to date", "practice due", "re-assess" or "never passed"."""


def load_policy(workspace_root: Path) -> RefresherPolicy:
    """The ``[refresher]`` table of ``coach.toml`` (defaults 90 and 180 days if absent)."""
    path = workspace_root / CONFIG_FILE
    if not path.is_file():
        return RefresherPolicy()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("refresher", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CoachError(path, f"not valid TOML ({error})") from None
    policy = RefresherPolicy()
    values = {}
    for name in ("practice_due_days", "reassess_days"):
        value = table.get(name, getattr(policy, name))
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise CoachError(path, f"refresher.{name}: expected a whole number of days > 0")
        values[name] = value
    if values["reassess_days"] < values["practice_due_days"]:
        raise CoachError(path, "refresher.reassess_days must not be below practice_due_days")
    return RefresherPolicy(**values)


def passed(summary: AttemptSummary) -> bool:
    """Broke free, with the taught technique, inside the time limit."""
    return (
        summary.broke_free is True
        and summary.used_taught_technique is True
        and summary.within_limit is not False
    )


def refresher_status(
    attempts: list[AttemptSummary], policy: RefresherPolicy, today: dt.date
) -> list[RefresherStatus]:
    """One status per technique the trainee has attempted, in technique order."""
    techniques = sorted({a.technique for a in attempts if a.technique})
    out = []
    for technique in techniques:
        passes = [a.date for a in attempts if a.technique == technique and passed(a) and a.date]
        if not passes:
            out.append(RefresherStatus(technique, None, None, "never passed"))
            continue
        last = max(p for p in passes if p is not None)
        days = (today - dt.date.fromisoformat(last)).days
        if days >= policy.reassess_days:
            state = "re-assess"
        elif days >= policy.practice_due_days:
            state = "practice due"
        else:
            state = "up to date"
        out.append(RefresherStatus(technique, last, days, state))
    return out


def due_lines(statuses: list[RefresherStatus], policy: RefresherPolicy) -> list[str]:
    """What a trainee should hear at the start of a session, one line per technique due."""
    lines = []
    for s in statuses:
        if s.state == "re-assess":
            lines.append(
                f"{s.technique}: re-assess with an instructor (last passed {s.last_pass}, "
                f"{s.days_since} days ago; limit {policy.reassess_days})"
            )
        elif s.state == "practice due":
            lines.append(
                f"{s.technique}: practice due (last passed {s.last_pass}, {s.days_since} days "
                f"ago; due after {policy.practice_due_days})"
            )
        elif s.state == "never passed":
            lines.append(f"{s.technique}: not passed yet")
    return lines


def trainee_due_lines(workspace_root: Path, recordings: Path, trainee: str) -> list[str]:
    """What is due for ``trainee`` today, from the attempt index (brought up to date first)."""
    from coach.store.index import AttemptFilter, AttemptIndex

    policy = load_policy(workspace_root)
    with AttemptIndex(recordings) as index:
        index.sync()
        attempts = index.attempts(AttemptFilter(trainee=trainee), limit=100_000)
    return due_lines(refresher_status(attempts, policy, dt.date.today()), policy)
