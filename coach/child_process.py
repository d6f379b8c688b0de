"""Child processes (the phase-judge worker, the video coder) that end with their parent.

A child spawned by multiprocessing outlives a parent that is killed (SIGKILL, or an
unhandled SIGTERM): the judge worker (about 65 MB) and multiprocessing's resource tracker
then stay behind. On Linux the kernel can signal a child when its parent dies
(``PR_SET_PDEATHSIG``); elsewhere the child still ends on its own when its pipe closes, as the
video coder does. Children also ignore Ctrl-C: the terminal sends it to the whole process
group, and only the parent should decide what to keep.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def leave_signals_to_parent() -> None:
    """Ctrl-C and SIGTERM sent to the whole group are the parent's to act on: it tells the
    child what to keep (the video coder ends, deleting its partial file, when its pipe does)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def die_with_parent(parent_pid: int) -> None:
    """Run first thing in a child that holds nothing worth saving (the judge worker): killed
    when ``parent_pid`` dies; Ctrl-C left to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the pipe's end still stops us
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)
