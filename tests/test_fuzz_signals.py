"""Kills and interrupts (issue 15, defects 6, 9 and 17): SIGTERM is Ctrl-C, children end with
their parent, and an attempt cut short is stored as aborted at the right stream time."""

from __future__ import annotations

import json
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
from tests.cli_run import REPO, debris
from tests.video_frames import read_video


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_live(ws: Path, headless: Path) -> subprocess.Popen[str]:
    (ws / "recordings").mkdir(parents=True)
    shutil.copytree(REPO / "techniques", ws / "techniques")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "coach.cli", "--workspace", str(ws), "live", "--technique",
         "same_side_wrist_grab", "--camera", str(SAMPLE_DIR), "--headless", str(headless),
         "--exit-side", "left", "--silent"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_partial(ws: Path, event: str | None = None) -> float:
    """Until a partial exists (the countdown started), and holds ``event`` if given (events
    reach the disk within about a second)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        for partial in (ws / "recordings").glob(f".*{LIVE_PARTIAL}"):
            events = partial / "events.jsonl"
            if event is None or (events.is_file() and f'"{event}"' in events.read_text()):
                return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"the partial never had {event or 'a start'}")


def test_sigterm_one_second_after_go_keeps_video_and_an_aborted_attempt(tmp_path: Path) -> None:
    """Like Ctrl-C: exit 130 with one line, the headless video kept, the attempt stored as
    aborted (no verdict, no score card) with its GO and its end at stream times; the judge
    worker, the video coder and the resource tracker gone."""
    ws, video = tmp_path / "ws", tmp_path / "coached.mp4"
    proc = _start_live(ws, video)
    _wait_for_partial(ws, "go")
    time.sleep(1.0)
    children = _children(proc.pid)
    assert children, "the session runs its judge worker and video coder as child processes"
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "coach: interrupted" in err
    assert len(read_video(video)) > 10  # what was shown until then, playable
    [folder] = [p for p in (ws / "recordings").iterdir() if not p.name.startswith(".")]
    meta = read_attempt(folder).meta
    assert meta.extra["aborted"] is True and meta.verdict is None
    assert not (folder / "score.json").exists()
    events = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    go = next(e["t"] for e in events if e["event"] == "go")
    assert meta.extra["go_t_s"] == pytest.approx(go, abs=1e-4)  # events.jsonl: 4 decimals
    assert events[-1]["event"] == "aborted"
    pose_end = float(read_attempt(folder).pose.t[-1])
    assert go < events[-1]["t"] <= pose_end + 0.05  # stream time, not the wall clock or GO
    assert not debris(tmp_path)
    deadline = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(c) for c in children)


def test_sigkill_takes_the_judge_worker_and_tracker_with_it(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    proc = _start_live(ws, tmp_path / "coached.mp4")
    _wait_for_partial(ws)
    time.sleep(1.0)
    children = _children(proc.pid)
    assert len(children) >= 2
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [c for c in children if _alive(c)] == []


def test_ctrl_c_while_the_commands_are_imported_is_one_line(tmp_path: Path) -> None:
    """Defect 17: Ctrl-C in the first second (imports) gave a traceback. The signal is sent
    once numpy is mapped into the process: the command modules are being imported."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "coach.cli", "techniques", "list"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if "numpy" in Path(f"/proc/{proc.pid}/maps").read_text():
                break
        except OSError:
            pass
        time.sleep(0.002)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the command finished before the signal came")
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == "coach: interrupted; nothing was left half-written"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_during_a_folder_swap_waits_for_it(signum: int) -> None:
    """Defect 17: an interrupt between the two renames that replace an attempt folder would
    leave neither under its name; it is now raised once the swap is whole."""
    from coach.interrupts import interrupts_deferred

    finished = False
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        with pytest.raises(KeyboardInterrupt), interrupts_deferred():
            os.kill(os.getpid(), signum)
            time.sleep(0.05)  # Python runs handlers between bytecodes: it has had its chance
            finished = True
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert finished
