"""Live partials shared by sessions, damaged or hostile: owned, quarantined, never escaped.

Issue 15, defects 1 (two sessions destroy each other), 2 (a damaged partial blocks every later
start), 4 (a recovered attempt loses its GO) and 11 (recovery trusts ``final_name``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.recording.attempt_folder import read_attempt
from coach.session.recorder import EVENTS_FILE, HEADER_FILE, LIVE_PARTIAL, AttemptRecorder
from coach.session.recovery import QUARANTINE, recover_partials
from tests.test_recording_format import make_meta
from tests.test_session_recorder import REPO, frame

HOLDER = """
import sys, numpy as np
from pathlib import Path
sys.path.insert(0, {repo!r})
from coach.session.recorder import AttemptRecorder
from tests.test_recording_format import make_meta
rec = AttemptRecorder(Path({out!r}) / "held_1", make_meta())
for k in range(30):
    rec.add_frame(k / 30.0, np.full((33, 3), 0.5), np.zeros((33, 3)), np.full(33, 0.9))
rec.add_event(0.5, "go")
rec._sync_all()
print(rec.partial, flush=True)
sys.stdin.read()  # hold the attempt open until told
print(rec.finish((640, 480), 30.0), flush=True)
"""


def test_recovery_leaves_a_running_sessions_partial_alone(tmp_path: Path) -> None:
    """Session A (another process) is mid-attempt; session B starts and recovers: A's partial
    is untouched, and A finishes its attempt whole."""
    script = HOLDER.format(repo=str(REPO), out=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    partial = Path(proc.stdout.readline().strip())
    assert partial.is_dir()
    recovery = recover_partials(tmp_path)
    assert recovery.recovered == [] and recovery.quarantined == []
    assert partial.is_dir() and (partial / HEADER_FILE).is_file()
    out, _ = proc.communicate("", timeout=60)
    assert proc.returncode == 0
    folder = Path(out.strip().splitlines()[-1])
    assert folder == tmp_path / "held_1" and len(read_attempt(folder).pose) == 30
    assert not partial.exists()


def test_killed_sessions_partial_is_recovered_with_its_go(tmp_path: Path) -> None:
    """The same session SIGKILLed: its lock dies with it; recovery takes the partial and keeps
    the GO from events.jsonl (defect 4), and marks the attempt as cut short."""
    script = HOLDER.format(repo=str(REPO), out=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    [folder] = recover_partials(tmp_path).recovered
    extra = read_attempt(folder).meta.extra
    assert extra == {"recovered": True, "aborted": True, "go_t_s": 0.5}


def test_two_sessions_choosing_one_name_get_separate_partials(tmp_path: Path) -> None:
    first = AttemptRecorder(tmp_path / "sam_grab_1", make_meta())
    second = AttemptRecorder(tmp_path / "sam_grab_1", make_meta())
    assert first.partial != second.partial and second.final.name == "sam_grab_1-2"
    for k in range(20):
        first.add_frame(k / 30.0, *frame(k))
    for k in range(7):
        second.add_frame(k / 30.0, *frame(500 + k))
    one = second.finish((640, 480), 30.0)
    two = first.finish((640, 480), 30.0)
    assert one is not None and two is not None
    assert len(read_attempt(two).pose) == 20 and len(read_attempt(one).pose) == 7
    assert read_attempt(one).pose.image[0, 0, 0] == np.float32(0.5)


def _partial(recordings: Path, name: str, header: bytes | None) -> Path:
    partial = recordings / f".{name}{LIVE_PARTIAL}"
    partial.mkdir(parents=True)
    if header is not None:
        (partial / HEADER_FILE).write_bytes(header)
    (partial / "frames.bin").write_bytes(b"\x00" * 100)
    return partial


def _good_partial(recordings: Path, name: str) -> Path:
    rec = AttemptRecorder(recordings / name, make_meta())
    for k in range(5):
        rec.add_frame(k / 30.0, *frame(k))
    rec.add_event(0.1, "go")
    rec.abandon()
    return rec.partial


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (b"", "not valid JSON"),
        (b'{"final_name": "x_1", "meta": {"cre', "not valid JSON"),
        (None, "no such JSON file"),
        (b"\xff\xfe garbage", "not UTF-8"),
        (b'{"final_name": "x_1", "meta": null}', "meta: expected an object"),
        (b"[" * 100_000, "nested more than"),
    ],
)
def test_damaged_partial_is_quarantined_and_recovery_goes_on(
    tmp_path: Path, header: bytes | None, problem: str
) -> None:
    """Defect 2: an empty, truncated or missing header (a kill right after mkdir, a full disk)
    no longer stops every later start: it is moved aside whole, and the rest is recovered."""
    damaged = _partial(tmp_path, "x_1", header)
    files = sorted(p.name for p in damaged.iterdir())
    good = _good_partial(tmp_path, "y_1")
    recovery = recover_partials(tmp_path)
    assert [f.name for f in recovery.recovered] == ["y_1"]
    [(place, why)] = recovery.quarantined
    assert problem in why and HEADER_FILE in why
    assert place.parent == tmp_path / QUARANTINE
    assert sorted(p.name for p in place.iterdir()) == files
    assert not damaged.exists() and not good.exists()
    assert recover_partials(tmp_path).quarantined == []  # the next start is clean


@pytest.mark.parametrize(
    "final_name", ["../../out/escaped", "/tmp/escaped-abs", "..", "a/b", ".hidden", "x" * 300]
)
def test_final_name_that_leaves_recordings_is_refused(tmp_path: Path, final_name: str) -> None:
    """Defect 11: the header's final_name is checked; nothing is written outside recordings/."""
    recordings = tmp_path / "ws" / "recordings"
    partial = _good_partial(recordings, "z_1")
    header = json.loads((partial / HEADER_FILE).read_text())
    header["final_name"] = final_name
    (partial / HEADER_FILE).write_text(json.dumps(header))
    recovery = recover_partials(recordings)
    assert recovery.recovered == []
    [(place, why)] = recovery.quarantined
    assert "final_name: expected a plain folder name" in why
    assert sorted(p.name for p in tmp_path.rglob("*") if p.name == "pose.npz") == []
    assert not Path("/tmp/escaped-abs").exists() and (place / EVENTS_FILE).is_file()


HEADER_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=12),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids,
                                                            max_size=3),
    max_leaves=6,
)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), value=HEADER_VALUES)
def test_fuzz_partial_header(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject,
                             value: object) -> None:
    """Any one header field replaced by any JSON value (NaN and infinities too): recovery
    either makes an attempt folder inside recordings/ or quarantines the partial whole; it
    never raises, and never writes anywhere else."""
    root = tmp_path_factory.mktemp("fuzz")
    recordings = root / "ws" / "recordings"
    partial = _good_partial(recordings, "f_1")
    header = json.loads((partial / HEADER_FILE).read_text())
    where = data.draw(st.sampled_from([header, header["meta"], header["meta"]["source"]]))
    where[data.draw(st.sampled_from(sorted(where)))] = value
    (partial / HEADER_FILE).write_text(json.dumps(header))
    recovery = recover_partials(recordings)
    assert len(recovery.recovered) + len(recovery.quarantined) == 1
    for folder in recovery.recovered:
        assert folder.parent == recordings and len(read_attempt(folder).pose) == 5
    for place, _ in recovery.quarantined:
        assert place.parent == recordings / QUARANTINE and (place / EVENTS_FILE).is_file()
    written = {p.parent for p in root.rglob("pose.npz")}
    assert written <= {recordings / f.name for f in recovery.recovered}


def test_coach_live_starts_past_a_damaged_partial_and_says_where_it_is(tmp_path: Path) -> None:
    """Defect 2 end to end: the command starts, warns in one line naming the quarantine place,
    and records its own attempt folder as usual."""
    import shutil

    from tests.cli_run import coach_process
    from tests.test_video_sources import write_clip

    ws = tmp_path / "ws"
    shutil.copytree(REPO / "techniques", ws / "techniques")
    damaged = _partial(ws / "recordings", "x_1", b"")
    clip = write_clip(tmp_path / "clip.mp4", [np.full((120, 160, 3), 90, np.uint8)] * 4)
    run = coach_process("--workspace", ws, "live", "--technique", "same_side_wrist_grab",
                        "--camera", clip, "--headless", tmp_path / "o.mp4", "--no-pacing",
                        "--silent", "--exit-side", "left")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    place = ws / "recordings" / QUARANTINE / damaged.name.lstrip(".")
    [warning] = [line for line in run.stderr.splitlines() if "could not be read" in line]
    assert warning.startswith("coach: warning: ") and str(place) in warning
    assert (place / "frames.bin").is_file() and not damaged.exists()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frames=st.binary(max_size=4000), events=st.binary(max_size=300))
def test_fuzz_partial_frames_and_events(tmp_path_factory: pytest.TempPathFactory,
                                        frames: bytes, events: bytes) -> None:
    """frames.bin and events.jsonl of any content (torn, NaN, inf, garbage): recovered as an
    attempt with finite times and bounded landmarks, dropped when it holds no frame, or
    quarantined; never an exception."""
    recordings = tmp_path_factory.mktemp("fuzz") / "recordings"
    partial = _good_partial(recordings, "g_1")
    (partial / "frames.bin").write_bytes(frames)
    (partial / EVENTS_FILE).write_bytes(events)
    recovery = recover_partials(recordings)
    for folder in recovery.recovered:
        pose = read_attempt(folder).pose
        assert np.isfinite(pose.t).all() and np.nanmax(np.abs(pose.image), initial=0) <= 1000
    assert not partial.exists()
    assert len(recovery.recovered) + len(recovery.quarantined) <= 1
