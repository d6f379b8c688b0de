"""Play a source at its own timestamps in real time, so a file behaves like a camera."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from coach.video.frames import Frame


def paced(
    frames: Iterator[Frame],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Frame]:
    """Yield each frame no earlier than its timestamp after the first frame's wall time.

    A consumer that falls behind is not waited for: frames keep their timestamps and the
    consumer decides what to drop, as it would with a real camera.
    """
    start_wall: float | None = None
    start_t = 0.0
    for frame in frames:
        if start_wall is None:
            start_wall, start_t = clock(), frame.t
        delay = (frame.t - start_t) - (clock() - start_wall)
        if delay > 0:
            sleep(delay)
        yield frame
