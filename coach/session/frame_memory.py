"""Frame-sized buffers go back to the system when freed, not into glibc's free lists.

A live session allocates several frame-sized buffers a frame (a 1768x994 picture is 5 MiB): the
decoder's picture, the RGB copy for the pose model, MediaPipe's own copies, on three threads.
glibc's malloc serves a block this big with ``mmap`` at first, but each time such a block is
freed it raises its threshold above that size, so from then on frames come from the heap of
the thread's arena, and a freed one stays in that arena for the next. With one arena per busy
thread, ``bench/soak.py`` saw the coach's RSS hold about 26 MiB more (402 against 375 MiB
over 4 minutes on the looped sample video). A fixed threshold of 1 MiB (``mallopt``, which
also stops the raising) keeps every frame an ``mmap`` of its own, unmapped when freed. The
price is the page faults of a fresh mapping: about 0.45 ms a 5 MiB buffer (0.57 against 0.12
ms for a ``cvtColor`` into a new array here), spread over the capture and pose threads.
glibc on Linux only; elsewhere nothing changes.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter number (malloc.h)."""
THRESHOLD_BYTES = 1 << 20


def return_frames_to_system() -> bool:
    """Blocks of 1 MiB and more are mapped on their own from now on; True if it took effect."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES))
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
