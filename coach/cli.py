"""The ``coach`` command: parses arguments and hands them to typed functions.

Each subcommand lives in ``coach/commands/<name>.py`` with ``register(subparsers)``; the
function it registers returns an exit code. A ``CoachError`` becomes one line on stderr and
exit code 2; Ctrl-C becomes exit code 130, after the command has cleaned up.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from coach import __version__
from coach.errors import CoachError

COMMAND_MODULES: tuple[str, ...] = (
    "coach.commands.demo",
    "coach.commands.extract",
    "coach.commands.score",
    "coach.commands.live",
    "coach.commands.reference",
    "coach.commands.techniques",
    "coach.commands.index",
    "coach.commands.review",
    "coach.commands.report",
    "coach.commands.export",
)

EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="Breakaway technique coach.")
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help="folder with techniques/, calibration/ and recordings/ (default: COACH_WORKSPACE, "
        "the current folder if it has techniques/, else the installed library)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CoachError as error:
        print(f"coach: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("coach: interrupted; nothing was left half-written", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
