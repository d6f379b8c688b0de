"""Optional sound: a beep on GO, short tones for phase success, spoken cues.

Found at run time: tones need ``sounddevice`` with the PortAudio library and an output device;
speech needs the ``espeak-ng`` program. Whatever is missing, the session runs silently and says
so once. ``WavTrack`` writes the same tones at their stream times into a WAV file instead (for
headless runs and tests); speech is then left out (espeak-ng can render it separately).
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path
from typing import Protocol

import numpy as np

RATE = 22050
GO_TONE = (880.0, 0.35)
PHASE_TONE = (1320.0, 0.08)


def tone(freq_hz: float, duration_s: float, rate: int = RATE, volume: float = 0.5) -> np.ndarray:
    """A sine tone with 5 ms fades, int16 mono."""
    n = int(duration_s * rate)
    t = np.arange(n) / rate
    wave_ = np.sin(2 * np.pi * freq_hz * t)
    fade = min(n // 2, int(0.005 * rate))
    if fade > 0:
        ramp = np.linspace(0.0, 1.0, fade)
        wave_[:fade] *= ramp
        wave_[-fade:] *= ramp[::-1]
    return (wave_ * volume * 32767).astype(np.int16)


class Sound(Protocol):
    def go(self, t: float) -> None: ...
    def phase_done(self, t: float) -> None: ...
    def say(self, t: float, text: str) -> None: ...
    def close(self) -> None: ...


class Silent:
    """No sound at all."""

    def go(self, t: float) -> None: ...
    def phase_done(self, t: float) -> None: ...
    def say(self, t: float, text: str) -> None: ...
    def close(self) -> None: ...


class DeviceSound:
    """Tones through sounddevice (non-blocking), speech through espeak-ng (one at a time)."""

    def __init__(self, sd: object | None, espeak: str | None) -> None:
        self._sd = sd
        self._espeak = espeak
        self._speaking: subprocess.Popen[bytes] | None = None

    def _play(self, freq: float, dur: float) -> None:
        if self._sd is not None:
            self._sd.play(tone(freq, dur), RATE)  # type: ignore[attr-defined]

    def go(self, t: float) -> None:
        self._play(*GO_TONE)

    def phase_done(self, t: float) -> None:
        self._play(*PHASE_TONE)

    def say(self, t: float, text: str) -> None:
        if self._espeak is None or (self._speaking and self._speaking.poll() is None):
            return
        self._speaking = subprocess.Popen(
            [self._espeak, "-s", "170", text],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def close(self) -> None:
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()


class WavTrack:
    """Tones written into a mono WAV at their stream times (silence between), streamed."""

    def __init__(self, path: Path, t0: float = 0.0, rate: int = RATE) -> None:
        self.path = path
        self.rate = rate
        self._t0 = t0
        self._written = 0
        self._wav = wave.open(str(path), "wb")  # noqa: SIM115 (open across calls)
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(rate)

    def _at(self, t: float, samples: np.ndarray) -> None:
        start = max(self._written, int((t - self._t0) * self.rate))
        if start > self._written:
            self._wav.writeframes(np.zeros(start - self._written, dtype=np.int16).tobytes())
        self._wav.writeframes(samples.tobytes())
        self._written = start + len(samples)

    def go(self, t: float) -> None:
        self._at(t, tone(*GO_TONE, rate=self.rate))

    def phase_done(self, t: float) -> None:
        self._at(t, tone(*PHASE_TONE, rate=self.rate))

    def say(self, t: float, text: str) -> None:
        """Speech is not mixed into the track."""

    def close(self) -> None:
        self._wav.close()


def probe_sounddevice() -> tuple[object | None, str]:
    """The sounddevice module if PortAudio and an output device exist, else why not."""
    try:
        import sounddevice as sd
    except (ImportError, OSError) as error:
        return None, f"no sound library ({error.__class__.__name__}: PortAudio missing?)"
    try:
        sd.query_devices(kind="output")
    except Exception as error:  # PortAudioError or ValueError: no device
        return None, f"no audio output device ({error})"
    return sd, ""


def open_sound(enabled: bool = True) -> tuple[Sound, list[str]]:
    """The best sound available and the notices to print once (empty when all is there)."""
    if not enabled:
        return Silent(), []
    sd, why = probe_sounddevice()
    espeak = shutil.which("espeak-ng")
    notices = []
    if sd is None:
        notices.append(f"sound: {why}; running without beeps")
    if espeak is None:
        notices.append("sound: espeak-ng not installed; cues are shown, not spoken")
    if sd is None and espeak is None:
        return Silent(), [f"sound: none ({why}; no espeak-ng); the session runs silently"]
    return DeviceSound(sd, espeak), notices


def speak_to_wav(text: str, path: Path) -> bool:
    """Render ``text`` with espeak-ng into a WAV file; False if espeak-ng is not installed."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return False
    subprocess.run([espeak, "-w", str(path), text], check=True, capture_output=True)
    return True
