"""The ``coach`` command: parses arguments and hands them to typed functions.

Each subcommand lives in ``coach/commands/<name>.py`` with ``register(subparsers)``; the
function it registers returns an exit code. A ``CoachError`` becomes one line on stderr and
exit code 2, and so does any file-system error (``OSError``: permissions, a full disk, a
read-only folder) that a command did not name itself. Ctrl-C, and SIGTERM the same way,
become exit code 130, after the command has cleaned up. Nothing heavy is imported before the
guard is in place, so even a Ctrl-C during start-up gives the one line, not a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from coach.errors import CoachError
from coach.interrupts import stop_signals_handled_by

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
    "coach.commands.agreement",
    "coach.commands.assess",
    "coach.commands.calibrate",
)

EXIT_INTERRUPTED = 130
EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    from coach import __version__

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


class Interrupts:
    """Turns Ctrl-C and SIGTERM into ``KeyboardInterrupt`` and remembers that one came: a
    library interrupted mid-import may report it as something else (numpy raises ImportError)."""

    def __init__(self) -> None:
        self.received = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.received = True
        raise KeyboardInterrupt


@contextmanager
def interrupts_handled(interrupts: Interrupts) -> Iterator[None]:
    """SIGTERM (``kill``, a closing terminal, a service manager) takes Ctrl-C's path: the
    attempt in progress is kept as aborted, videos are closed, children are ended."""
    with stop_signals_handled_by(interrupts):
        yield


def os_error_line(error: OSError) -> str:
    """``<file>: <problem>`` for a file-system error no command put a name to."""
    from coach.validation import os_error_text

    name = error.filename if error.filename is not None else error.filename2
    problem = os_error_text(error)
    return f"{name}: {problem}" if name is not None else problem


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    finally:
        if argv is None:  # the program itself: a Ctrl-C while Python shuts down changes
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # nothing, and must not traceback


def _run(argv: Sequence[str] | None) -> int:
    interrupts = Interrupts()
    with interrupts_handled(interrupts):
        try:
            args = build_parser().parse_args(argv)
            return int(args.run(args))
        except CoachError as error:
            print(f"coach: error: {error}", file=sys.stderr)
            return error.exit_code
        except KeyboardInterrupt:
            print("coach: interrupted; nothing was left half-written", file=sys.stderr)
            return EXIT_INTERRUPTED
        except RecursionError:
            print("coach: error: input nested too deeply to read", file=sys.stderr)
            return EXIT_ERROR
        except OSError as error:
            print(f"coach: error: {os_error_line(error)}", file=sys.stderr)
            return EXIT_ERROR
        except Exception:
            if not interrupts.received:  # a bug: its traceback is what a developer needs
                raise
            print("coach: interrupted; nothing was left half-written", file=sys.stderr)
            return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
