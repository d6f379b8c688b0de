"""What a live session loads: not the libraries it does not use (memory, ``bench/soak.py``).

scipy.signal brings scipy.stats, interpolate and optimize along (about 38 MiB a process, paid
by the coach and by its judge worker); PyAV maps FFmpeg's libraries (about 16 MiB) and is
needed only when a video is written. Both are kept out of the session's import tree.
"""

from __future__ import annotations

import subprocess
import sys

LEFT_OUT = ("scipy.signal", "scipy.stats", "scipy.interpolate", "av")


def _loaded(modules: str) -> list[str]:
    code = (f"import sys, {modules}; "
            f"print(' '.join(m for m in {LEFT_OUT!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return out.stdout.split()


def test_the_live_command_leaves_them_out() -> None:
    assert _loaded("coach.commands.live, coach.session.session") == []


def test_the_judge_worker_leaves_them_out() -> None:
    assert _loaded("coach.scoring.phase_judge") == []
