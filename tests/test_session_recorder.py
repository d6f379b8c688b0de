"""Streaming recorder: frames on disk as they arrive, atomic finish, recovery after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from coach.recording.attempt_folder import read_attempt
from coach.session.recorder import FRAMES_FILE, RECORD_BYTES, AttemptRecorder, read_frames
from coach.session.recovery import recover_partials
from tests.test_recording_format import make_meta

REPO = Path(__file__).resolve().parent.parent


def frame(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    image = np.full((33, 3), k / 1000.0)
    world = np.full((33, 3), -k / 1000.0)
    vis = np.full(33, 0.9)
    return image, world, vis


def test_finish_writes_v1_attempt_with_events(tmp_path: Path) -> None:
    rec = AttemptRecorder(tmp_path / "a_1", make_meta())
    for k in range(45):
        rec.add_frame(k / 30.0, *frame(k))
    rec.add_frame(44 / 30.0, *frame(99))  # repeated time: skipped, time stays honest
    rec.add_event(1.0, "go")
    folder = rec.finish((640, 480), 30.0, extra={"go_t_s": 1.0}, verdict={"broke_free": True})
    assert folder == tmp_path / "a_1"
    attempt = read_attempt(folder)
    assert len(attempt.pose) == 45
    assert attempt.pose.image[44, 0, 0] == np.float32(0.044)
    assert attempt.meta.extra["go_t_s"] == 1.0 and attempt.meta.verdict == {"broke_free": True}
    events = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    assert events == [{"t": 1.0, "event": "go"}]
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_partner_drill_keeps_the_partner_beside_the_trainee(tmp_path: Path) -> None:
    """The partner walks in at frame 10; the attempt is pose.npz v2 with NaN rows before."""
    rec = AttemptRecorder(tmp_path / "p_1", make_meta(), with_partner=True)
    for k in range(30):
        image, world, vis = frame(k)
        rec.add_frame(k / 30.0, image, world, vis, (image + 0.5, world, vis) if k >= 10 else None)
    rec.add_frame(29 / 30.0, *frame(99))  # repeated time: skipped for both people
    folder = rec.finish((640, 480), 30.0)
    assert folder is not None
    attempt = read_attempt(folder)
    assert attempt.partner is not None and len(attempt.partner) == 30
    np.testing.assert_array_equal(attempt.partner.detected, np.arange(30) >= 10)
    np.testing.assert_allclose(attempt.partner.image[10:], attempt.pose.image[10:] + 0.5, atol=1e-6)
    solo = AttemptRecorder(tmp_path / "s_1", make_meta(), with_partner=True)
    solo.add_frame(0.0, *frame(0))  # a partner drill where the partner never showed: v1
    solo_folder = solo.finish((640, 480), 30.0)
    assert solo_folder is not None and read_attempt(solo_folder).partner is None


def test_torn_last_record_ignored_and_recovered(tmp_path: Path) -> None:
    rec = AttemptRecorder(tmp_path / "b_1", make_meta())
    for k in range(10):
        rec.add_frame(k / 30.0, *frame(k))
    rec.abandon()
    partial = rec.partial
    with (partial / FRAMES_FILE).open("ab") as f:
        f.write(b"\x00" * (RECORD_BYTES // 2))  # killed mid-write
    assert len(read_frames(partial / FRAMES_FILE)) == 10
    [folder] = recover_partials(tmp_path).recovered
    attempt = read_attempt(folder)
    assert len(attempt.pose) == 10 and attempt.meta.extra["recovered"] is True
    assert not partial.exists()


WRITER = """
import sys, time, numpy as np
from pathlib import Path
sys.path.insert(0, {repo!r})
from coach.session.recorder import AttemptRecorder
from tests.test_recording_format import make_meta
rec = AttemptRecorder(Path({out!r}) / "killed_1", make_meta())
start = time.monotonic()
k = 0
while True:
    t = k / 30.0
    while time.monotonic() - start < t:
        time.sleep(0.001)
    rec.add_frame(t, np.full((33, 3), t), np.zeros((33, 3)), np.full(33, 0.9))
    if k % 30 == 0:
        print(k, flush=True)
    k += 1
"""


def test_sigkill_mid_attempt_recovers_up_to_last_second(tmp_path: Path) -> None:
    script = WRITER.format(repo=str(REPO), out=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    while int(proc.stdout.readline().strip() or -1) < 90:  # 3 s of frames written
        pass
    time.sleep(0.5)
    killed_at = 3.5
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    [folder] = recover_partials(tmp_path).recovered
    pose = read_attempt(folder).pose
    last = float(pose.t[-1])
    assert killed_at - 1.1 <= last <= killed_at + 0.2  # synced about once a second
    assert np.allclose(np.diff(pose.t), 1 / 30.0)
    assert json.loads((folder / "attempt.json").read_text())["extra"]["recovered"] is True
