"""Crash-safe attempt recording: keypoints stream to disk as they arrive, finalised atomically.

While an attempt runs, each frame's landmarks are appended as one fixed-size float64 record to
``recordings/.<name>.live-partial/frames.bin`` (t, image 33x3, world 33x3, visibility 33), the
cues and phase changes to ``events.jsonl`` beside it, and both are flushed and fsynced about
once a second. Nothing is kept in memory, so a session of any length stays flat. ``finish``
turns the partial folder into a normal attempt folder (``pose.npz`` v1 + ``attempt.json`` +
``events.jsonl`` and any extra files) through the atomic ``write_attempt``. A session killed
mid-attempt leaves the partial folder; ``recovery.recover_partials`` (run at every start)
turns it into an attempt folder marked ``"recovered": true``, keeping every frame up to the
last sync. Each partial is locked by its session for its life (``partial_owner``).
In a partner drill the partner's landmarks go to ``partner.bin`` in the same records, one per
trainee frame (NaN when the partner was not seen), and the attempt becomes ``pose.npz`` v2.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import IO, Any, Final

import numpy as np

from coach.errors import CoachError
from coach.pose.landmarks import NUM_LANDMARKS
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_folder import MAX_NAME_BYTES, write_attempt
from coach.recording.attempt_meta import AttemptMeta, meta_from_body
from coach.recording.pose_file import MAX_IMAGE
from coach.session.partial_owner import FolderLock, recordings_guard
from coach.validation import finite_array, read_json_object, table
from coach.video.sink import BrowserVideoWriter

LIVE_PARTIAL: Final = ".live-partial"
FRAMES_FILE: Final = "frames.bin"
PARTNER_FILE: Final = "partner.bin"
EVENTS_FILE: Final = "events.jsonl"
HEADER_FILE: Final = "header.json"
VIDEO_FILE: Final = "video.mp4"
RECORD_FLOATS: Final = 1 + NUM_LANDMARKS * 3 * 2 + NUM_LANDMARKS
RECORD_BYTES: Final = RECORD_FLOATS * 8
SYNC_EVERY_S: Final = 1.0
MAX_RECORDS: Final = 100_000
"""55 minutes at 30 fps (160 MB): an attempt ends within seconds of its GO."""


def _sync(handle: IO[Any]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


class AttemptRecorder:
    """Streams one attempt to ``<recordings>/.<name>.live-partial`` and finalises it."""

    def __init__(
        self,
        final: Path,
        meta: AttemptMeta,
        clock: Callable[[], float] = time.monotonic,
        video: tuple[float, tuple[int, int]] | None = None,
        with_partner: bool = False,
    ) -> None:
        """``video``: (fps, (width, height)) to keep the camera picture too (opt-in).
        ``with_partner``: keep a partner's landmarks beside the trainee's."""
        self.frames = 0
        self._clock = clock
        self._last_t: float | None = None
        recordings = final.parent
        with recordings_guard(recordings):  # recovery elsewhere waits while we claim a name
            self.final = free_name(recordings, final.name, _claimed)
            self.partial = partial_path(self.final)
            self.partial.mkdir()
            self._lock: FolderLock | None = FolderLock(self.partial)
        try:
            (self.partial / HEADER_FILE).write_text(
                json.dumps({"final_name": self.final.name, "meta": asdict(meta)}, indent=2),
                encoding="utf-8",
            )
            self._frames = (self.partial / FRAMES_FILE).open("ab")
            self._partner = (self.partial / PARTNER_FILE).open("ab") if with_partner else None
            self._events = (self.partial / EVENTS_FILE).open("a", encoding="utf-8")
        except BaseException:
            shutil.rmtree(self.partial, ignore_errors=True)  # ours, made just now, still empty
            self._release()
            raise
        self._last_sync = clock()
        self._sync_all()
        self._video = (
            BrowserVideoWriter(self.partial / VIDEO_FILE, video[0], video[1]) if video else None
        )

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def add_picture(self, image: np.ndarray) -> None:
        """One camera frame for ``video.mp4``; ignored unless video was asked for."""
        if self._video is not None:
            self._video.write(image)

    def add_frame(
        self,
        t: float,
        image: np.ndarray,
        world: np.ndarray,
        visibility: np.ndarray,
        partner: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """Append one frame (NaN rows for no person); frames with a repeated time are skipped.

        ``partner``: (image, world, visibility) of the partner, with ``with_partner``."""
        if self._last_t is not None and t <= self._last_t:
            return
        self._last_t = t
        if self._partner is not None:
            nobody = np.full(NUM_LANDMARKS * 3, np.nan)
            p_image, p_world, p_vis = partner or (nobody, nobody, nobody[:NUM_LANDMARKS])
            self._partner.write(_record(t, p_image, p_world, p_vis).tobytes())
        self._frames.write(_record(t, image, world, visibility).tobytes())
        self.frames += 1
        self._maybe_sync()

    def add_event(self, t: float, kind: str, **fields: Any) -> None:
        """One line of ``events.jsonl``: ``{"t": ..., "event": kind, ...}``."""
        self._events.write(json.dumps({"t": round(t, 4), "event": kind, **fields}) + "\n")
        self._maybe_sync()

    def _maybe_sync(self) -> None:
        now = self._clock()
        if now - self._last_sync >= SYNC_EVERY_S:
            self._sync_all()
            self._last_sync = now

    def _sync_all(self) -> None:
        _sync(self._frames)
        _sync(self._events)
        if self._partner is not None:
            _sync(self._partner)

    def finish(
        self,
        source_size: tuple[int, int],
        fps: float,
        extra: dict[str, Any] | None = None,
        verdict: dict[str, Any] | None = None,
        extra_files: Callable[[Path], None] | None = None,
    ) -> Path | None:
        """Write the attempt folder atomically and remove the partial; None if no frames."""
        self._frames.close()
        self._events.close()
        if self._partner is not None:
            self._partner.close()
        try:
            if self._video is not None:
                self._video.close()
            with recordings_guard(self.partial.parent):
                return finalise_partial(
                    self.partial, source_size, fps, extra, verdict, extra_files
                )
        finally:
            self._release()

    def abandon(self) -> None:
        """Close the files and leave the partial for ``recover_partials`` (e.g. on an error)."""
        self._frames.close()
        self._events.close()
        if self._partner is not None:
            self._partner.close()
        if self._video is not None:
            self._video.close(keep=False)
        self._release()


def _record(t: float, image: np.ndarray, world: np.ndarray, visibility: np.ndarray) -> np.ndarray:
    record = np.concatenate(
        [
            np.array([t], dtype=np.float64),
            np.asarray(image, dtype=np.float64).reshape(-1),
            np.asarray(world, dtype=np.float64).reshape(-1),
            np.asarray(visibility, dtype=np.float64).reshape(-1),
        ]
    )
    if record.shape != (RECORD_FLOATS,):
        raise ValueError(f"frame record: expected {RECORD_FLOATS} values, got {record.shape}")
    return record


def read_frames(path: Path) -> np.ndarray:
    """(N, RECORD_FLOATS) records from ``frames.bin``; a torn last record is ignored. A file
    past MAX_RECORDS (no attempt is that long) is refused before it is read."""
    if path.is_file() and path.stat().st_size > MAX_RECORDS * RECORD_BYTES:
        raise CoachError(path, f"holds more than {MAX_RECORDS} frames; no attempt is that long")
    raw = path.read_bytes() if path.is_file() else b""
    whole = len(raw) // RECORD_BYTES
    return np.frombuffer(raw[: whole * RECORD_BYTES], dtype=np.float64).reshape(
        whole, RECORD_FLOATS
    )


def sequence_from_records(
    records: np.ndarray, source_size: tuple[int, int], fps: float
) -> PoseSequence:
    """Records -> ``PoseSequence`` (rows with non-increasing time dropped)."""
    keep = np.ones(len(records), dtype=bool)
    if len(records) > 1:
        keep[1:] = np.diff(np.fmax.accumulate(records[:, 0])) > 0
    r = records[keep & np.isfinite(records[:, 0])]
    n, j = len(r), NUM_LANDMARKS
    image = r[:, 1 : 1 + j * 3].reshape(n, j, 3)
    world = r[:, 1 + j * 3 : 1 + j * 6].reshape(n, j, 3)
    vis = r[:, 1 + j * 6 :].reshape(n, j)
    return PoseSequence(r[:, 0], image, vis, world, source_size, fps)


def partial_path(final: Path) -> Path:
    return final.parent / f".{final.name}{LIVE_PARTIAL}"


def _claimed(folder: Path) -> bool:
    return folder.exists() or partial_path(folder).exists()


def read_header(partial: Path) -> tuple[str, AttemptMeta]:
    """The partial's final name and attempt metadata, every field checked."""
    path = partial / HEADER_FILE
    header = read_json_object(path)
    name = header.get("final_name")
    if not isinstance(name, str) or not is_plain_name(name):
        raise CoachError(path, f"final_name: expected a plain folder name, got {name!r}")
    return name, meta_from_body(path, table(path, "meta", header.get("meta")))


def is_plain_name(name: str) -> bool:
    """One visible path component that fits the file system: no folders, no ``..``."""
    return (
        bool(name)
        and name == Path(name).name
        and not name.startswith(".")
        and "\\" not in name
        and "\0" not in name
        and len(name.encode("utf-8", "surrogateescape")) <= MAX_NAME_BYTES
    )


def finalise_partial(
    partial: Path,
    source_size: tuple[int, int] | None = None,
    fps: float | None = None,
    extra: dict[str, Any] | None = None,
    verdict: dict[str, Any] | None = None,
    extra_files: Callable[[Path], None] | None = None,
) -> Path | None:
    """Turn a live-partial folder into ``recordings/<final_name>`` (or a free name if taken).

    Raises CoachError (naming the file) when the header or the frames cannot be read.
    """
    final_name, meta = read_header(partial)
    size = source_size or meta.source.size
    records = read_frames(partial / FRAMES_FILE)
    if len(records) == 0:
        shutil.rmtree(partial, ignore_errors=True)
        return None
    finite_array(partial / FRAMES_FILE, "landmarks", records[:, 1:], MAX_IMAGE)
    try:
        seq = sequence_from_records(records, size, fps or meta.source.fps)
    except ValueError as error:
        raise CoachError(partial / FRAMES_FILE, f"damaged frames ({error})") from None
    partner = _partner_beside(partial / PARTNER_FILE, seq)
    meta = replace(
        meta,
        source=replace(meta.source, size=size, frames_read=len(seq)),
        detected_fraction=round(seq.detected_fraction, 4),
        verdict=verdict if verdict is not None else meta.verdict,
        extra={**meta.extra, **(extra or {})},
    )
    events = partial / EVENTS_FILE

    def add_files(staging: Path) -> None:
        if events.is_file():
            shutil.copyfile(events, staging / EVENTS_FILE)
        if (partial / VIDEO_FILE).is_file():
            shutil.move(partial / VIDEO_FILE, staging / VIDEO_FILE)
        if extra_files is not None:
            extra_files(staging)

    final = free_name(partial.parent, final_name)
    write_attempt(final, seq, meta, extra_files=add_files, partner=partner)
    shutil.rmtree(partial, ignore_errors=True)
    return final


def _partner_beside(path: Path, trainee: PoseSequence) -> PoseSequence | None:
    """The partner's records on the trainee's kept frames (matched by time); None if the
    partner was never seen or nothing was recorded for them."""
    records = read_frames(path)
    if len(records) == 0:
        return None
    finite_array(path, "landmarks", records[:, 1:], MAX_IMAGE)
    rows = {float(t): i for i, t in enumerate(records[:, 0])}
    keep = [rows.get(float(t), -1) for t in trainee.t]
    filled = np.full((len(keep), RECORD_FLOATS), np.nan)
    found = np.array(keep) >= 0
    filled[found] = records[np.array(keep)[found]]
    filled[:, 0] = trainee.t
    partner = sequence_from_records(filled, trainee.source_size, trainee.fps)
    return partner if partner.detected.any() else None


def free_name(
    recordings: Path, name: str, taken: Callable[[Path], bool] = Path.exists
) -> Path:
    if not taken(recordings / name):
        return recordings / name
    n = 2
    while taken(recordings / f"{name}-{n}"):
        n += 1
    return recordings / f"{name}-{n}"
