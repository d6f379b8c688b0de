"""Run the ``coach`` command as a user would and check the promise made for bad input:
one line ``coach: error: <file>: <problem>``, a non-zero exit code, no traceback."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from coach.cli import main

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def error_line(self) -> str:
        """The one error line; fails the test on a traceback, none, or several."""
        assert "Traceback" not in self.stderr, self.stderr
        errors = [line for line in self.stderr.splitlines() if line.startswith("coach: error:")]
        assert len(errors) == 1, self.stderr
        return errors[0]


def coach(*args: str | Path) -> Run:
    """``coach ARGS`` in this process (fast: no new interpreter)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as leave:  # argparse
            code = int(leave.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def coach_process(*args: str | Path, timeout: float = 300, **kw: object) -> Run:
    """``coach ARGS`` as a new process (for signals, imports and native stderr)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "coach.cli", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=env, **kw,  # type: ignore[arg-type]
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_refused(run: Run, *fragments: str, code: int = 2) -> str:
    line = run.error_line()
    assert run.code == code, (run.code, run.stderr)
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def debris(root: Path) -> list[Path]:
    """Half-written files left behind: hidden partial files and folders."""
    return [p for p in root.rglob("*") if ".partial" in p.name]
