"""A real window under Xvfb that quits on q (xdotool), and a live session killed mid-attempt."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.recording.attempt_folder import read_attempt
from coach.session.demo_sample import SAMPLE_DIR
from coach.session.recorder import LIVE_PARTIAL
from coach.session.recovery import recover_partials

REPO = Path(__file__).resolve().parent.parent

SESSION = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from coach.commands.live import make_live_scorer
from coach.commands.live import open_display, run_live, session_techniques, print_summary
from coach.video.replay_source import ReplaySource
from coach.workspace import Workspace, find_workspace
source = ReplaySource(Path({sample!r}))
headless = {headless!r}
display = open_display(Path(headless) if headless else None, source)
techniques = session_techniques(find_workspace(None), "same_side_wrist_grab", None)
result = run_live(Workspace(Path({ws!r})), source, display, techniques, exit_side="left",
                  neutral_background=True, sound_on=False, make_coach=make_live_scorer)
print_summary(result, None)
"""


def session_script(ws: Path, headless: Path | None) -> str:
    return SESSION.format(repo=str(REPO), sample=str(SAMPLE_DIR), ws=str(ws),
                          headless=str(headless) if headless else "")


def test_window_under_xvfb_shows_frames_and_quits_on_q(tmp_path: Path) -> None:
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        pytest.skip("Xvfb or xdotool not installed (bash tests/system_packages.sh)")
    # Xvfb picks a free display and says which once it is ready (two suites on one machine,
    # or a desktop's own :0, never collide with a fixed number).
    ready, tell = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(tell), "-screen", "0", "1280x800x24"],
                            pass_fds=(tell,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(tell)
    with os.fdopen(ready) as answer:
        display = ":" + answer.readline().strip()
    env = {**os.environ, "DISPLAY": display}
    try:
        proc = subprocess.Popen([sys.executable, "-c", session_script(tmp_path, None)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        window = ""
        deadline = time.monotonic() + 30
        while not window and time.monotonic() < deadline:
            found = subprocess.run(["xdotool", "search", "--name", "Breakaway Coach"],
                                   env=env, capture_output=True, text=True)
            window = found.stdout.split()[0] if found.stdout.split() else ""
            time.sleep(0.3)
        assert window, "the window never appeared"
        # Frames are being shown: wait for the session to spend CPU time on them (a busy
        # machine gives it little), but press q long before the 16 s replay ends.
        start, shown_by = _cpu_s(proc.pid), time.monotonic() + 8.0
        while _cpu_s(proc.pid) - start < 0.4 and time.monotonic() < shown_by:
            time.sleep(0.1)
        time.sleep(1.0)
        subprocess.run(["xdotool", "key", "--window", window, "q"], env=env, check=True)
        out, err = proc.communicate(timeout=20)
    finally:
        xvfb.terminate()
        xvfb.wait()
    assert proc.returncode == 0, err
    processed = int(out.split("frames processed: ")[1].split()[0])
    print(out)
    assert 10 <= processed < 295  # it showed frames, and q ended it before the replay did


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_sigkill_mid_attempt_then_next_start_recovers(tmp_path: Path) -> None:
    """Paced replay: GO at 4.0 s; killed about 2 s into the attempt."""
    ws = tmp_path / "ws"
    (ws / "recordings").mkdir(parents=True)
    proc = subprocess.Popen([sys.executable, "-c", session_script(ws, tmp_path / "h.mp4")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    partial = None
    while partial is None and time.monotonic() < deadline:  # appears with the countdown (1 s)
        found = list((ws / "recordings").glob(f".*{LIVE_PARTIAL}"))
        partial = found[0] if found else None
        time.sleep(0.05)
    assert partial is not None
    time.sleep(5.0)  # countdown 3 s, then 2 s of attempt
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_stream_t = 1.0 + 5.0
    [folder] = recover_partials(ws / "recordings").recovered
    attempt = read_attempt(folder)
    assert attempt.meta.extra["recovered"] is True
    assert attempt.meta.technique == "same_side_wrist_grab"
    last = float(attempt.pose.t[-1])
    assert killed_stream_t - 1.3 <= last <= killed_stream_t + 0.3
    assert last > 4.0  # the recovered keypoints reach into the attempt, past GO
    events = (folder / "events.jsonl").read_text()
    assert '"event": "go"' in events
