"""The start signal heard in a practical video: the first clap or shouted "go" in its audio
track, as an onset (a sudden rise of the sound level over the background just before it).

Used when the manifest gives no start time and no grab was seen (``worker.py``). The level is
measured in 10 ms steps; an onset is the first step at least ``RISE_DB`` above the background
(the median level of the half second before it) and at least ``MIN_LEVEL_DB`` loud, so room
noise and a quiet murmur are not taken for a signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE_HZ = 16_000
STEP_S = 0.01
BACKGROUND_S = 0.5
RISE_DB = 20.0
"""A clap is 30-40 dB over a quiet room; speech onsets 20-30 dB."""
MIN_LEVEL_DB = -40.0
"""dB relative to full scale: quieter steps are never an onset."""
MIN_CONTEXT_STEPS = 5
"""Steps of background needed before an onset can be judged (the track's first 50 ms)."""


@dataclass(frozen=True)
class AudioTrack:
    """Mono samples (float, full scale 1.0) and the time of the first one on the video's clock."""

    samples: np.ndarray
    rate_hz: int
    start_s: float


def read_audio(path: Path) -> AudioTrack | None:
    """The first audio track, mixed to mono at RATE_HZ; None if the file has none or it cannot
    be decoded (a video without sound is common and not an error)."""
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                return None
            stream = container.streams.audio[0]
            video_start = 0.0
            if container.streams.video:
                v = container.streams.video[0]
                if v.start_time is not None and v.time_base is not None:
                    video_start = float(v.start_time * v.time_base)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE_HZ)
            chunks: list[np.ndarray] = []
            first: float | None = None
            for frame in container.decode(stream):
                if first is None and frame.time is not None:
                    first = float(frame.time)
                chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(frame))
            chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    except (av.error.FFmpegError, OSError, ValueError):
        return None
    if not chunks:
        return None
    samples = np.concatenate(chunks).astype(np.float64)
    return AudioTrack(samples, RATE_HZ, (first or 0.0) - video_start)


def onset_s(track: AudioTrack) -> float | None:
    """The time of the first onset on the video's clock, None when there is none."""
    step = round(track.rate_hz * STEP_S)
    n = len(track.samples) // step
    if n <= MIN_CONTEXT_STEPS:
        return None
    blocks = track.samples[: n * step].reshape(n, step)
    level = 20.0 * np.log10(np.sqrt(np.mean(blocks**2, axis=1)) + 1e-9)
    window = round(BACKGROUND_S / STEP_S)
    for i in range(MIN_CONTEXT_STEPS, n):
        background = float(np.median(level[max(0, i - window) : i]))
        if level[i] >= MIN_LEVEL_DB and level[i] - background >= RISE_DB:
            return round(track.start_s + i * STEP_S, 3)
    return None


def audio_onset_s(path: Path) -> float | None:
    """The start signal heard in ``path``'s audio track, if it has one."""
    track = read_audio(path)
    return None if track is None else onset_s(track)
