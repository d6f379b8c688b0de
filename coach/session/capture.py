"""Capture on its own thread, keeping only the newest frame: a slow consumer never builds a queue.

A camera or a paced video keeps running at its own rate; when the consumer has not taken the
previous frame yet, that frame is overwritten and counted as dropped, just as a webcam with a
one-frame buffer behaves. ``lossless=True`` (replays and tests) blocks the producer instead, so
every frame is processed and the output is reproducible.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from coach.video.frames import Frame


@dataclass(frozen=True)
class Captured:
    """A frame and the wall-clock time (``time.monotonic``) at which it was captured."""

    frame: Frame
    wall_s: float


class NewestFrameSlot:
    """A one-frame mailbox: ``put`` overwrites (counting a drop), ``take`` waits for a new frame."""

    def __init__(self, lossless: bool = False) -> None:
        self.lossless = lossless
        self.dropped = 0
        self.produced = 0
        self.closed = False
        self._item: Captured | None = None
        self._cond = threading.Condition()

    def put(self, item: Captured) -> bool:
        """Offer the newest frame; False if the slot was closed (stop producing)."""
        with self._cond:
            while self.lossless and self._item is not None and not self.closed:
                self._cond.wait(0.1)
            if self.closed:
                return False
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self.produced += 1
            self._cond.notify_all()
            return True

    def take(self, timeout_s: float | None = None) -> Captured | None:
        """The newest frame not taken yet; None when the source has ended (or on timeout)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with self._cond:
            while self._item is None and not self.closed:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining if remaining is not None else 0.1)
            item, self._item = self._item, None
            self._cond.notify_all()
            return item

    def close(self) -> None:
        """No more frames: wakes everyone; a frame still in the slot can be taken."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    @property
    def pending(self) -> int:
        """Frames waiting (0 or 1: the queue cannot grow)."""
        return 0 if self._item is None else 1


class CaptureThread:
    """Reads ``frames`` on a daemon thread into a ``NewestFrameSlot``; errors are kept for later."""

    def __init__(
        self,
        frames: Iterator[Frame],
        slot: NewestFrameSlot,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.slot = slot
        self.error: BaseException | None = None
        self._frames = frames
        self._clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="capture", daemon=True)

    def start(self) -> CaptureThread:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            for frame in self._frames:
                if self._stop.is_set() or not self.slot.put(Captured(frame, self._clock())):
                    break
        except BaseException as error:  # re-raised by the session on the main thread
            self.error = error
        finally:
            self.slot.close()

    def stop(self) -> None:
        self._stop.set()
        self.slot.close()
        self._thread.join(timeout=5)
