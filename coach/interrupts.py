"""Ctrl-C and SIGTERM held back for the few steps that must not be cut in two.

Replacing an attempt folder is two renames (the old one aside, the new one in): an interrupt
between them would leave neither under the attempt's name. Inside ``interrupts_deferred()``
Ctrl-C and SIGTERM are noted, not acted on, and raised as ``KeyboardInterrupt`` once the block
is done, so the user's Ctrl-C still stops the command, a few milliseconds later.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Run the block whole; a Ctrl-C or SIGTERM that came meanwhile is raised after it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can only be changed on the main thread, where signals are handled
        return
    pending: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    previous = {s: signal.signal(s, note) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if pending:
        raise KeyboardInterrupt


@contextlib.contextmanager
def stop_signals_handled_by(
    handler: signal.Handlers | Callable[[int, FrameType | None], object],
) -> Iterator[None]:
    """Ctrl-C and SIGTERM go to ``handler`` inside the block and back to what they were after;
    outside the main thread (embedded) signals are not ours to change, and are left alone."""
    try:
        previous = {s: signal.signal(s, handler) for s in _SIGNALS}
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
