"""``coach agreement MARKS.csv... [-o OUTDIR]``: the coach's marks against the assessors'."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "agreement",
        help="the coach's marks against human assessors', beside the assessors' own agreement",
        description="Read marks files (candidate,technique,attempt,item,mark,assessor,notes; "
        "the assessor 'coach' is the coach) and report, per criterion, practical-record point "
        "and overall, and for each pair of raters: percent agreement (Wilson 95 % CI), Cohen's "
        "kappa (Fleiss-Cohen-Everitt 95 % CI), PABAK, prevalence and bias indices, the "
        "confusion table; Fleiss' kappa with three raters or more. Writes agreement.csv and "
        "agreement.html (with a forest plot) and prints a summary.",
    )
    parser.add_argument("marks", type=Path, nargs="+", metavar="MARKS.csv", help="marks CSV files")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("agreement"), metavar="DIR",
        help="output folder (default: ./agreement)",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # matplotlib costs a second to import: only this command pays it, not every ``coach``.
    from coach.agreement.report import write_agreement
    from coach.agreement.tables import summary

    written = write_agreement(list(args.marks), args.output)
    print(summary(written.result))
    for path in written.files:
        print(f"written: {path.resolve()}")
    return 0
