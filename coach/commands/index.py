"""``coach index [--rebuild]``: bring recordings/index.sqlite in line with the attempt folders."""

from __future__ import annotations

import argparse

from coach.store.index import AttemptFilter, AttemptIndex, rebuild
from coach.workspace import find_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "index",
        help="update (or rebuild) the index of recorded attempts",
        description="Scan recordings/ and bring recordings/index.sqlite in line with the attempt "
        "folders: new folders added, changed ones re-read, removed ones dropped. A corrupt folder "
        "is listed as corrupt with its problem. The folders stay the source of truth.",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="delete the index and build it again from scratch"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    recordings = find_workspace(args.workspace).recordings
    if args.rebuild:
        report = rebuild(recordings)
    with AttemptIndex(recordings) as index:
        if not args.rebuild:
            report = index.sync()
        corrupt = index.attempts(AttemptFilter(outcome="corrupt"), limit=50)
        total = index.count()
    verb = "rebuilt" if args.rebuild else "updated"
    print(
        f"{index.path}: {verb}, {total} attempts ({report.added} added, {report.updated} "
        f"re-read, {report.removed} removed); {report.corrupt} corrupt"
    )
    for summary in corrupt:
        print(f"  corrupt: {summary.problem}")
    return 0
