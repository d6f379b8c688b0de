"""A browser-playable video written by a child process, so that coding it never stalls ours.

libvpx holds Python's lock for the whole of each frame it codes (10-15 ms at 1280x720, 40 ms
at 1768x994 here), which in a thread stops the session's drawing and the pose worker for as
long. A child process codes instead; frames reach it through a pipe, each sent whole. ``write``
blocks only while the child is a full pipe behind; ``close`` reports any error the child met.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from coach.child_process import leave_signals_to_parent
from coach.errors import CoachError
from coach.video.sink import BrowserVideoWriter, check_video_path

_KEEP, _DISCARD = b"k", b"d"


def _code_frames(
    conn: Connection, path: str, fps: float, size: tuple[int, int]
) -> None:
    """The child: frames (exact size in bytes) until a one-byte keep/discard message. If the
    parent goes away first, the partial file is deleted."""
    leave_signals_to_parent()
    reply = b"ok"
    writer = None
    try:
        writer = BrowserVideoWriter(Path(path), fps, size)
        buffer = bytearray(size[0] * size[1] * 3)
        frame = np.frombuffer(buffer, dtype=np.uint8).reshape(size[1], size[0], 3)
        while True:
            n = conn.recv_bytes_into(buffer)
            if n == 1:
                writer.close(keep=buffer[:1] == _KEEP)
                break
            writer.write(frame)
    except BaseException as error:  # reported to the parent at close
        reply = f"{type(error).__name__}: {error}".encode()
        if writer is not None:
            writer.close(keep=False)
    with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
        conn.send_bytes(reply)
    conn.close()


class VideoWriterProcess:
    """``BrowserVideoWriter``'s interface, coded in a child process (spawned)."""

    def __init__(self, path: Path | str, fps: float, size: tuple[int, int]) -> None:
        self.path = check_video_path(Path(path))
        self.size = (int(size[0]), int(size[1]))
        self.frames = 0
        ours, theirs = multiprocessing.get_context("spawn").Pipe()
        self._conn = ours
        self._process = multiprocessing.get_context("spawn").Process(
            target=_code_frames, args=(theirs, str(self.path), float(fps), self.size),
            name="video-coder", daemon=True,
        )
        self._process.start()
        theirs.close()
        self._closed = False

    def write(self, frame_bgr: np.ndarray) -> None:
        h, w = frame_bgr.shape[:2]
        if (w, h) != self.size:
            raise ValueError(f"frame: expected {self.size[0]}x{self.size[1]}, got {w}x{h}")
        try:
            flat = np.ascontiguousarray(frame_bgr, dtype=np.uint8).reshape(-1)  # 1-D: its length
            self._conn.send_bytes(flat.data)  # is its size in bytes
        except (BrokenPipeError, ConnectionResetError):
            raise CoachError(self.path, self._child_error() or "the video coder stopped") from None
        self.frames += 1

    def close(self, keep: bool = True) -> None:
        """Finish the file (renamed into place by the child) or delete it; raise its error."""
        if self._closed:
            return
        self._closed = True
        error = None
        try:
            self._conn.send_bytes(_KEEP if keep and self.frames > 0 else _DISCARD)
            error = self._child_error()
        except (BrokenPipeError, ConnectionResetError):
            error = "the video coder stopped"
        self._conn.close()
        self._process.join(timeout=60)
        if error is not None and keep:
            raise CoachError(self.path, error)

    def _child_error(self) -> str | None:
        try:
            reply = self._conn.recv_bytes()
        except (EOFError, OSError):
            return "the video coder stopped"
        return None if reply == b"ok" else reply.decode(errors="replace")
