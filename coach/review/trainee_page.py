"""What a trainee's page shows: every attempt, the timings over dates, the refresher status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from coach.errors import CoachError
from coach.review.refresher import (
    RefresherPolicy,
    RefresherStatus,
    load_policy,
    refresher_status,
)
from coach.store.index import AttemptFilter, AttemptIndex
from coach.store.summary import AttemptSummary
from coach.workspace import Workspace


@dataclass(frozen=True)
class TraineePage:
    name: str
    attempts: list[AttemptSummary]
    """Newest first."""
    statuses: list[RefresherStatus]
    policy: RefresherPolicy
    history: list[dict[str, Any]]
    """Oldest first: date, technique, reaction_s, release_s of every scored attempt (the plot)."""


def trainee_page(workspace: Workspace, name: str, today: dt.date) -> TraineePage:
    with AttemptIndex(workspace.recordings) as index:
        index.sync()
        attempts = index.attempts(AttemptFilter(trainee=name), limit=100_000)
    if not attempts:
        raise CoachError(name, "no attempts by this trainee in the index")
    policy = load_policy(workspace.root)
    history = [
        {
            "date": a.date,
            "technique": a.technique,
            "reaction_s": a.reaction_s,
            "release_s": a.release_s,
        }
        for a in reversed(attempts)
        if a.status == "scored"
    ]
    return TraineePage(name, attempts, refresher_status(attempts, policy, today), policy, history)
