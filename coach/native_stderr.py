"""Keep native libraries' log lines (MediaPipe, FFmpeg) off the user's terminal.

MediaPipe's C++ graph and FFmpeg write start-up chatter straight to file descriptor 2
("Created TensorFlow Lite XNNPACK delegate", "moov atom not found"). It means nothing to a
trainee and buries our one-line messages. Inside ``native_stderr_silenced()`` descriptor 2
goes to /dev/null while Python's ``sys.stderr`` keeps writing to the real terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Silence descriptor 2 for native code; Python output still reaches the terminal."""
    try:
        sys.stderr.flush()
        original_fd = os.dup(2)
    except (OSError, ValueError):  # no real descriptor 2 (embedded, captured): nothing to do
        yield
        return
    python_stderr = sys.stderr
    devnull = os.open(os.devnull, os.O_WRONLY)
    terminal = os.fdopen(os.dup(original_fd), "w", buffering=1, encoding="utf-8", errors="replace")
    try:
        os.dup2(devnull, 2)
        sys.stderr = terminal
        yield
    finally:
        terminal.flush()
        sys.stderr = python_stderr
        os.dup2(original_fd, 2)
        os.close(original_fd)
        os.close(devnull)
        terminal.close()
