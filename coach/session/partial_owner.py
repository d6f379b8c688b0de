"""Which live session owns a ``.live-partial`` folder: an advisory lock held for its life.

Two ``coach live`` sessions may share one workspace. Each holds an exclusive ``flock`` on the
partial folder it streams into, from the moment it makes it until the attempt folder is
written; the kernel drops the lock when the process dies, however it dies (SIGKILL too). Start-up
recovery only touches partials whose lock it can take, so a running session's partial is never
finalised under it. Making a partial and recovering partials both happen under a short lock on
the recordings folder itself, so recovery never sees a partial in the instant between its
``mkdir`` and its owner's lock. Locks are taken on the folders themselves: no lock files to
leave behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class FolderLock:
    """An exclusive ``flock`` on a folder, held until ``release`` (or the process ends)."""

    def __init__(self, folder: Path, wait: bool = True) -> None:
        """Raises BlockingIOError when ``wait`` is False and another holder has it."""
        self.folder = folder
        self._fd: int | None = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BaseException:
            os.close(self._fd)
            self._fd = None
            raise

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None


@contextlib.contextmanager
def recordings_guard(recordings: Path) -> Iterator[None]:
    """Serialise making and recovering partials in ``recordings`` (held for milliseconds)."""
    recordings.mkdir(parents=True, exist_ok=True)
    lock = FolderLock(recordings)
    try:
        yield
    finally:
        lock.release()


def try_lock(folder: Path) -> FolderLock | None:
    """The folder's lock if nobody holds it (its session is gone), else None (in use)."""
    try:
        return FolderLock(folder, wait=False)
    except BlockingIOError:
        return None
