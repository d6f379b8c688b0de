"""Edit the boxes of an MP4 file written by OpenCV, to make real edge-case videos for tests.

OpenCV's writer makes constant-rate, unrotated files with the ``moov`` box after ``mdat``, so
rewriting boxes inside ``moov`` never moves the sample data and chunk offsets stay valid.
These helpers give phone-style rotation tags, variable frame rates and empty tracks.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}


@dataclass
class Box:
    kind: bytes
    payload: bytes = b""
    children: list[Box] = field(default_factory=list)

    def find(self, *path: bytes) -> Box:
        box = self
        for kind in path:
            box = next(child for child in box.children if child.kind == kind)
        return box

    def to_bytes(self) -> bytes:
        body = b"".join(c.to_bytes() for c in self.children) if self.children else self.payload
        return struct.pack(">I", 8 + len(body)) + self.kind + body


def _parse(data: bytes) -> list[Box]:
    boxes, i = [], 0
    while i < len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        body = data[i + 8 : i + size]
        boxes.append(Box(kind, children=_parse(body)) if kind in _CONTAINERS else Box(kind, body))
        i += size
    return boxes


def _rewrite(src: Path, dst: Path, edit: callable) -> None:  # type: ignore[valid-type]
    root = Box(b"root", children=_parse(src.read_bytes()))
    moov = root.find(b"moov")
    if [b.kind for b in root.children].index(b"moov") < [b.kind for b in root.children].index(
        b"mdat"
    ):
        raise ValueError("moov before mdat: offsets would move")
    edit(moov)
    dst.write_bytes(b"".join(child.to_bytes() for child in root.children))


def set_rotation(src: Path, dst: Path, degrees: int) -> None:
    """Tag the video track with a display rotation (90, 180 or 270 clockwise), as phones do."""
    a, b, c, d = {0: (1, 0, 0, 1), 90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}[
        degrees
    ]

    def edit(moov: Box) -> None:
        tkhd = moov.find(b"trak", b"tkhd")
        payload = bytearray(tkhd.payload)
        matrix_at = 4 + (20 if payload[0] == 0 else 32) + 8 + 8
        one = 0x10000
        payload[matrix_at : matrix_at + 36] = struct.pack(
            ">9i", a * one, b * one, 0, c * one, d * one, 0, 0, 0, 0x40000000
        )
        tkhd.payload = bytes(payload)

    _rewrite(src, dst, edit)


def timescale(path: Path) -> int:
    """Ticks per second of the video track."""
    moov = Box(b"root", children=_parse(path.read_bytes())).find(b"moov")
    mdhd = moov.find(b"trak", b"mdia", b"mdhd").payload
    offset = 4 + (8 if mdhd[0] == 0 else 16)
    return int(struct.unpack(">I", mdhd[offset : offset + 4])[0])


def set_frame_durations(src: Path, dst: Path, ticks: list[int]) -> None:
    """Give every frame its own duration in track ticks: a variable-frame-rate file."""

    def edit(moov: Box) -> None:
        stts = moov.find(b"trak", b"mdia", b"minf", b"stbl", b"stts")
        entries = b"".join(struct.pack(">II", 1, t) for t in ticks)
        stts.payload = struct.pack(">II", 0, len(ticks)) + entries
        _set_durations(moov, sum(ticks))

    _rewrite(src, dst, edit)


def _set_durations(moov: Box, track_ticks: int) -> None:
    """Make the track, movie and edit-list durations agree with the samples (version 0 boxes)."""
    trak = moov.find(b"trak")
    mdhd = trak.find(b"mdia", b"mdhd")
    track_scale = struct.unpack(">I", mdhd.payload[12:16])[0]
    mdhd.payload = mdhd.payload[:16] + struct.pack(">I", track_ticks) + mdhd.payload[20:]
    mvhd = moov.find(b"mvhd")
    movie_scale = struct.unpack(">I", mvhd.payload[12:16])[0]
    movie_ticks = round(track_ticks * movie_scale / track_scale)
    mvhd.payload = mvhd.payload[:16] + struct.pack(">I", movie_ticks) + mvhd.payload[20:]
    tkhd = trak.find(b"tkhd")
    tkhd.payload = tkhd.payload[:20] + struct.pack(">I", movie_ticks) + tkhd.payload[24:]
    trak.children = [child for child in trak.children if child.kind != b"edts"]


def remove_all_frames(src: Path, dst: Path) -> None:
    """Keep the container and the track but list no samples: a video with zero frames."""

    def edit(moov: Box) -> None:
        stbl = moov.find(b"trak", b"mdia", b"minf", b"stbl")
        stbl.find(b"stts").payload = struct.pack(">II", 0, 0)
        stbl.find(b"stsc").payload = struct.pack(">II", 0, 0)
        stbl.find(b"stsz").payload = struct.pack(">III", 0, 0, 0)
        stbl.find(b"stco").payload = struct.pack(">II", 0, 0)
        _set_durations(moov, 0)

    _rewrite(src, dst, edit)
