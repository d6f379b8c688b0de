"""Sound: tones written to a WAV and measured; espeak-ng speech to a WAV; the silent fallback."""

from __future__ import annotations

import itertools
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from coach.session.sound import RATE, Silent, WavTrack, open_sound, speak_to_wav


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16), wav.getframerate()


def test_tones_at_their_stream_times(tmp_path: Path) -> None:
    track = WavTrack(tmp_path / "s.wav", t0=10.0)
    track.go(11.0)
    track.phase_done(12.5)
    track.close()
    samples, rate = read_wav(tmp_path / "s.wav")
    assert rate == RATE
    loud = np.abs(samples) > 3000
    starts = np.nonzero(loud[1:] & ~loud[:-1])[0]
    onsets = [starts[0]] + [s for a, s in itertools.pairwise(starts) if s - a > rate // 10]
    assert [round(o / rate, 2) for o in onsets] == [1.0, 2.5]
    go = samples[onsets[0] : onsets[0] + int(0.3 * rate)].astype(float)
    freq = np.count_nonzero(np.diff(np.signbit(go))) / 2 / 0.3
    assert freq == pytest.approx(880, rel=0.02)
    assert len(samples) / rate == pytest.approx(2.58, abs=0.01)  # ends after the phase tone


def test_espeak_renders_a_cue(tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng not installed (bash tests/system_packages.sh)")
    assert speak_to_wav("Step back toward the exit", tmp_path / "cue.wav")
    samples, rate = read_wav(tmp_path / "cue.wav")
    seconds = len(samples) / rate
    assert 0.8 < seconds < 4.0
    assert np.abs(samples).max() > 3000


def test_no_device_means_one_notice_and_silence() -> None:
    sound, notices = open_sound(enabled=False)
    assert isinstance(sound, Silent) and notices == []
    sound, notices = open_sound()  # this machine: PortAudio may exist, an output device not
    if isinstance(sound, Silent):
        assert len(notices) == 1 and "silently" in notices[0]
    else:
        assert all(n.startswith("sound:") for n in notices)
