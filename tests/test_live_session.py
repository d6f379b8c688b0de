"""The live session end to end: the demo headless, on the rendered video through the real pose
model and on the stored keypoints (overlay pixels on every frame, recording, score card, GO
beep), a real video as a real-time camera (drops counted, no queue), cues."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import wave
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.commands.demo import run_demo
from coach.commands.live import run_live, session_techniques
from coach.recording.attempt_folder import read_attempt
from coach.session.demo_sample import RENDERED_LABEL, SAMPLE_DIR, SAMPLE_VIDEO
from coach.session.display import HeadlessVideo
from coach.session.session import NEUTRAL_GREY, SessionResult
from coach.session.state_machine import Timing
from coach.video.file_source import VideoFileSource
from coach.video.frames import Frame
from coach.workspace import Workspace, find_workspace
from tests.video_frames import read_video

GREEN_BGR = np.array([80, 200, 80])


@pytest.fixture(scope="module", params=["rendered", "keypoints"])
def demo_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SessionResult, Path]:
    """The demo on the rendered video (the pose model runs) and on the stored keypoints; the
    real live scorers, phase judgements on their worker process."""
    out = tmp_path_factory.mktemp(f"demo_{request.param}") / "demo"
    return run_demo(out, sample=SAMPLE_VIDEO if request.param == "rendered" else SAMPLE_DIR)


def test_demo_overlay_on_every_frame(
    demo_run: tuple[SessionResult, Path], output_dir: Path
) -> None:
    result, video = demo_run
    frames = read_video(video)
    assert len(frames) == result.stats.frames_processed > 300
    h, w = frames[0].shape[:2]
    rendered = read_attempt(result.attempts[0]).meta.source.name.endswith(".webm")
    # the backing quarters the brightness under it: the neutral grey, or the rendered room's
    # wall (about 130 grey levels, so about 33)
    dark = 45 if rendered else 25
    for i, frame in enumerate(frames):
        header = frame[: h // 12, : w // 2].astype(int)
        assert (header < dark).mean() > 0.2, f"frame {i}: no dark backing behind the header"
        assert (header > 200).mean() > 0.01, f"frame {i}: no header text"
        bar = frame[h - h // 10 :, w // 10 : w - w // 10].astype(int)
        assert (np.abs(bar - NEUTRAL_GREY) > 40).mean() > 0.3, f"frame {i}: no phase bar"
    green_border = [
        i for i, f in enumerate(frames) if np.abs(f[2, w // 2].astype(int) - GREEN_BGR).max() < 40
    ]
    assert 15 <= len(green_border) <= 25  # the GO flash lasts 0.7 s
    kind = "rendered" if rendered else "kp"
    for name, i in (("countdown", 60), ("go", green_border[0] + 2), ("attempt", 170),
                    ("score", len(frames) - 30)):
        cv2.imwrite(str(output_dir / f"live_demo_{kind}_{name}.png"), frames[i])


def test_rendered_demo_runs_the_pose_model_on_the_picture() -> None:
    """``coach demo`` itself: the rendered figure goes through the real pose model, the coached
    video shows the rendered picture (not the neutral background) and says it is rendered."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "coach.cli", "--workspace", tmp, "demo"],
            capture_output=True, text=True, timeout=600,
        )
        assert done.returncode == 0, done.stderr
        assert "RENDERED video" in done.stdout and RENDERED_LABEL in done.stdout
        p50 = float(re.search(r"pose model p50: ([\d.]+) ms", done.stdout).group(1))  # type: ignore[union-attr]
        assert p50 > 3.0  # a model ran (the keypoint replay takes about 0.1 ms)
        [folder] = [p for p in (Path(tmp) / "recordings" / "demo").iterdir() if p.is_dir()]
        attempt = read_attempt(folder)
        assert attempt.meta.source.name == SAMPLE_VIDEO.name
        assert attempt.pose.detected_fraction > 0.95
        frames = read_video(Path(tmp) / "recordings" / "demo" / "coached.mp4")
    h = frames[0].shape[0]
    middle = frames[len(frames) // 2][h // 6 : h - h // 6].astype(int)
    assert (np.abs(middle - NEUTRAL_GREY) > 30).mean() > 0.3  # the room, not the grey canvas


def test_demo_recording_card_and_events(demo_run: tuple[SessionResult, Path]) -> None:
    result, _ = demo_run
    [folder] = result.attempts
    attempt = read_attempt(folder)
    go = attempt.meta.extra["go_t_s"]
    assert go == pytest.approx(4.0, abs=0.07)  # stance held 1 s, countdown 3 s
    assert attempt.pose.t[0] == pytest.approx(1.0, abs=0.07)  # recorded from the countdown
    assert attempt.meta.technique == "same_side_wrist_grab"
    events = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    assert events[0]["event"] == "go" and events[0]["t"] == pytest.approx(go, abs=1e-3)
    assert [e["index"] for e in events if e["event"] == "phase"] == sorted(
        e["index"] for e in events if e["event"] == "phase"
    )
    card = json.loads((folder / "score.json").read_text())
    assert card["technique_id"] == "same_side_wrist_grab"
    assert attempt.meta.verdict is not None
    assert attempt.meta.verdict["broke_free"] == card["outcomes"]["it_worked_broke_free"]


def test_demo_go_beep_in_the_sound_track(demo_run: tuple[SessionResult, Path]) -> None:
    result, video = demo_run
    with wave.open(str(video.parent / "sound.wav")) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    go = read_attempt(result.attempts[0]).meta.extra["go_t_s"]
    loud = np.nonzero(np.abs(samples) > 3000)[0]
    assert loud[0] / rate == pytest.approx(go, abs=0.01)
    beep = samples[loud[0] : loud[0] + int(0.3 * rate)].astype(float)
    crossings = np.count_nonzero(np.diff(np.signbit(beep)))
    assert crossings / 2 / 0.3 == pytest.approx(880, rel=0.02)


def test_demo_cues_match_injected_faults(demo_run: tuple[SessionResult, Path]) -> None:
    result, _ = demo_run
    card = result.cards[0]
    failed = {c.label for c in card.failed()}
    assert {"Step back after the release", "Guard up again"} <= failed
    cue_text = " ".join(text.lower() for _, text in result.cues)
    assert "step" in cue_text and ("guard" in cue_text or "hands" in cue_text)
    # one attempt: each cue said once, and the attempt's event log holds exactly those cues
    said = [text for _, text in result.cues]
    assert len(said) == len(set(said)), said
    events = [json.loads(x) for x in (result.attempts[0] / "events.jsonl").read_text().splitlines()]
    assert [e["text"] for e in events if e["event"] == "cue"] == said


class SixtyFpsCamera:
    """The real clip as a 60 fps camera (its frames, at half their time steps): faster than the
    pose model (about 30 ms a frame here) on any machine of this size, so frames must drop."""

    def __init__(self, video: Path) -> None:
        self._source = VideoFileSource(video)
        self.info = replace(self._source.info, fps=2 * self._source.info.fps)

    def frames(self) -> Iterator[Frame]:
        for frame in self._source.frames():
            yield replace(frame, t=frame.t / 2)

    def close(self) -> None:
        self._source.close()


@pytest.mark.pose
def test_real_video_as_realtime_camera(demo_video: Path, tmp_path: Path) -> None:
    """230 real frames from a 60 fps camera, paced: the model can't keep up, so frames drop
    (counted); no queue grows."""
    workspace = Workspace(tmp_path)
    source = SixtyFpsCamera(demo_video)
    out = tmp_path / "live.mp4"
    display = HeadlessVideo(out, 30.0, source.info.size)
    techniques = session_techniques(find_workspace(None), "same_side_wrist_grab", None)
    result = run_live(workspace, source, display, techniques, exit_side="left",
                      timing=Timing(), sound_on=False)
    s = result.stats
    print("\n".join(s.lines()))
    assert s.frames_captured == 230
    assert s.frames_dropped > 0
    assert s.frames_processed + s.frames_dropped == s.frames_captured
    assert s.max_queue <= 2  # one frame in the capture slot + one in the worker's queue
    assert s.fps > 2
    p50, p95 = s.latency.percentile(50), s.latency.percentile(95)
    # the video is coded in a child process (real-time VP9), so it adds no stalls here
    assert p50 is not None and p50 < 500 and p95 is not None and p95 >= p50
    assert len(read_video(out)) == s.frames_processed
