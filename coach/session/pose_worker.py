"""The pose model on a worker thread: newest captured frame in, landmarks out, in order.

The worker takes the newest frame from the capture slot (older ones were dropped there), runs
the model (or uses the landmarks a replayed recording carries), and hands the result to the
main thread through a bounded queue, so nothing can pile up: when drawing is slow the worker
waits, and capture drops frames instead. Landmarks are also smoothed here (One Euro on the real
timestamps) for the coach and the overlay; the recorder gets the model's own output.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from coach.pose.adapter import PoseResult
from coach.pose.one_euro import LivePoseSmoother
from coach.session.capture import Captured, NewestFrameSlot

PoseFn = Callable[[np.ndarray], PoseResult]
"""RGB frame -> landmarks (``PoseEstimator.process``)."""


@dataclass(frozen=True, eq=False)
class PosedFrame:
    """One processed frame: the picture, raw and smoothed landmarks, and the model's time."""

    captured: Captured
    raw: PoseResult
    image: np.ndarray
    """(33, 3) smoothed image landmarks."""
    world: np.ndarray
    """(33, 3) smoothed world landmarks, metres."""
    visibility: np.ndarray
    pose_ms: float

    @property
    def t(self) -> float:
        return self.captured.frame.t


def estimate(captured: Captured, pose_fn: PoseFn | None) -> tuple[PoseResult, float]:
    """Landmarks of a frame and the milliseconds the model took (0 for recorded landmarks)."""
    recorded = captured.frame.pose
    if recorded is not None:
        return PoseResult(recorded.image, recorded.world, recorded.visibility), 0.0
    if pose_fn is None:
        raise ValueError("a frame without recorded landmarks needs a pose model")
    start = time.perf_counter()
    rgb = cv2.cvtColor(captured.frame.image, cv2.COLOR_BGR2RGB)
    result = pose_fn(rgb)
    return result, (time.perf_counter() - start) * 1000.0


class PoseWorker:
    """Thread: ``slot`` -> pose -> ``results`` (max ``depth`` items); ``None`` marks the end."""

    def __init__(self, slot: NewestFrameSlot, pose_fn: PoseFn | None, depth: int = 2) -> None:
        self.slot = slot
        self.results: queue.Queue[PosedFrame | None] = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.max_pending = 0
        self._pose_fn = pose_fn
        self._smoother = LivePoseSmoother()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pose-worker", daemon=True)

    def start(self) -> PoseWorker:
        self._thread.start()
        return self

    def _put(self, item: PosedFrame | None) -> bool:
        while not self._stop.is_set():
            try:
                self.results.put(item, timeout=0.1)
                self.max_pending = max(self.max_pending, self.results.qsize())
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        last_t: float | None = None
        try:
            while not self._stop.is_set():
                captured = self.slot.take(timeout_s=0.2)
                if captured is None:
                    if self.slot.closed and self.slot.pending == 0:
                        break
                    continue
                raw, pose_ms = estimate(captured, self._pose_fn)
                t = captured.frame.t
                if last_t is not None and t <= last_t:
                    continue  # a source that repeats a timestamp: keep time honest
                last_t = t
                smooth = self._smoother(t, raw.image, raw.world)
                posed = PosedFrame(
                    captured, raw, smooth.image, smooth.world, raw.visibility, pose_ms
                )
                if not self._put(posed):
                    return
        except BaseException as error:  # re-raised by the session on the main thread
            self.error = error
        self._put(None)

    def next(self, timeout_s: float = 5.0) -> PosedFrame | None:
        """The next result; None at the end of the source."""
        while True:
            try:
                return self.results.get(timeout=timeout_s)
            except queue.Empty:
                if not self._thread.is_alive():
                    return None

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
