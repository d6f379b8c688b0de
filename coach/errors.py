"""The one error type the CLI turns into a one-line message and exit code 2."""

from __future__ import annotations

from pathlib import Path


class CoachError(Exception):
    """A problem with the user's input: a file, a folder, an option.

    The message names the file and what is wrong, in one line, so the CLI can print it
    without a traceback.
    """

    exit_code = 2

    def __init__(self, path: Path | str | None, problem: str) -> None:
        self.path = Path(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path is not None else problem)

    def __reduce__(self) -> tuple[type[CoachError], tuple[Path | None, str]]:
        """Picklable with its two arguments, so one raised in a worker process (``coach
        assess``) reaches the parent as itself, not as a broken pool."""
        return (type(self), (self.path, self.problem))


class InterruptedRunError(CoachError):
    """The user pressed Ctrl-C; whatever was half-done has been cleaned up."""

    exit_code = 130
