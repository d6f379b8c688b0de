"""Session statistics in constant memory: frames, drops, processed fps, latency percentiles.

Latency (frame-to-cue) is the time from a frame's capture to the moment the picture with its
feedback is shown or written. It is kept as a histogram of 0.1 ms bins up to 2 s, so the
percentiles stay exact to 0.1 ms and memory does not grow with the session's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BIN_MS = 0.1
MAX_MS = 2000.0


@dataclass
class LatencyHistogram:
    """Counts of latencies in ``BIN_MS`` bins; the last bin holds everything above ``MAX_MS``."""

    counts: np.ndarray = field(
        default_factory=lambda: np.zeros(int(MAX_MS / BIN_MS) + 1, dtype=np.int64)
    )

    def add(self, ms: float) -> None:
        self.counts[min(len(self.counts) - 1, max(0, int(ms / BIN_MS)))] += 1

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def percentile(self, q: float) -> float | None:
        """The q-th percentile in ms (upper edge of its bin), None if empty."""
        total = self.n
        if total == 0:
            return None
        rank = int(np.ceil(q / 100.0 * total))
        index = int(np.searchsorted(np.cumsum(self.counts), max(rank, 1)))
        return (index + 1) * BIN_MS


@dataclass
class SessionStats:
    """Counters of one session; ``lines()`` is what is printed at the end."""

    frames_captured: int = 0
    frames_dropped: int = 0
    frames_processed: int = 0
    first_wall_s: float | None = None
    last_wall_s: float | None = None
    max_queue: int = 0
    pose_ms: LatencyHistogram = field(default_factory=LatencyHistogram)
    latency: LatencyHistogram = field(default_factory=LatencyHistogram)
    coach_ms: LatencyHistogram = field(default_factory=LatencyHistogram)

    def frame_done(self, wall_s: float, latency_ms: float, pose_ms: float, coach_ms: float) -> None:
        self.frames_processed += 1
        if self.first_wall_s is None:
            self.first_wall_s = wall_s
        self.last_wall_s = wall_s
        self.latency.add(latency_ms)
        self.pose_ms.add(pose_ms)
        self.coach_ms.add(coach_ms)

    @property
    def fps(self) -> float:
        if self.first_wall_s is None or self.last_wall_s is None or self.frames_processed < 2:
            return 0.0
        span = self.last_wall_s - self.first_wall_s
        return (self.frames_processed - 1) / span if span > 0 else 0.0

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "frames_captured": self.frames_captured,
            "frames_dropped": self.frames_dropped,
            "frames_processed": self.frames_processed,
            "processed_fps": round(self.fps, 2),
            "latency_p50_ms": self.latency.percentile(50),
            "latency_p95_ms": self.latency.percentile(95),
            "pose_p50_ms": self.pose_ms.percentile(50),
            "coach_and_overlay_p95_ms": self.coach_ms.percentile(95),
            "max_queue": self.max_queue,
        }

    def lines(self) -> list[str]:
        d = self.to_dict()

        def ms(v: float | int | None) -> str:
            return "n/a" if v is None else f"{float(v):.1f} ms"

        unfinished = self.frames_captured - self.frames_processed - self.frames_dropped
        at_stop = f", {unfinished} in flight when the session stopped" if unfinished else ""
        return [
            f"frames processed: {d['frames_processed']} of {d['frames_captured']} captured "
            f"({d['frames_dropped']} dropped{at_stop})",
            f"processed fps: {d['processed_fps']:.1f}",
            f"frame-to-cue latency: p50 {ms(d['latency_p50_ms'])}, p95 {ms(d['latency_p95_ms'])}",
            f"pose model p50: {ms(d['pose_p50_ms'])}; coach + overlay p95: "
            f"{ms(d['coach_and_overlay_p95_ms'])}; longest queue: {d['max_queue']}",
        ]
