"""Run a frame iterator on a background thread so decoding overlaps with inference."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")

_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetched(items: Iterator[T], transform: Callable[[T], U], depth: int = 4) -> Iterator[U]:
    """Yield ``transform(item)`` for each item, produced ahead on a worker thread.

    ``depth`` bounds the queue, so memory stays flat however fast the decoder is. An
    exception in the worker is re-raised here, in order; closing the generator early (Ctrl-C,
    an error downstream) stops the worker.
    """
    slots: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put(transform(item)):
                    return
        except BaseException as error:  # handed to the consumer, which re-raises it
            put(_Failure(error))
            return
        put(_DONE)

    worker = threading.Thread(target=work, name="frame-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            got = slots.get()
            if got is _DONE:
                return
            if isinstance(got, _Failure):
                raise got.error
            yield got  # type: ignore[misc]
    finally:
        stop.set()
        worker.join(timeout=5)
