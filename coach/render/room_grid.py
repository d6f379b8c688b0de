"""The room picture: the floor grid in metres drawn over the calibration photo, with the
camera's height and tilt written on it, so a person can see at a glance whether the floor
the coach measures on lies where the real floor is."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from coach.room.floor_points import floor_pixels
from coach.room.room_file import Room

GRID_STEP_M = 0.5
GRID_HALF_WIDTH_M = 3.0
GRID_DEPTH_M = (0.5, 6.0)
LINE = (0, 215, 255)
METRE_LINE = (0, 140, 255)
MARK = (255, 80, 40)
TEXT = (255, 255, 255)


def room_picture(
    image: np.ndarray,
    room: Room,
    lines: Sequence[str],
    marks: np.ndarray | None = None,
    segments: np.ndarray | None = None,
) -> np.ndarray:
    """A copy of ``image`` (BGR) with the floor grid, the ``marks`` (N, 2) pixels (board
    corners) as dots, the ``segments`` (N, 2, 2) pixels (a standing trainee's ankle-to-ear
    lines) as lines, and ``lines`` of text in a box at the top left."""
    out = image.copy()
    h, w = out.shape[:2]
    scaled = room.for_size((w, h))
    k, plane = scaled.intrinsics, scaled.floor
    xs = np.arange(-GRID_HALF_WIDTH_M, GRID_HALF_WIDTH_M + 1e-9, GRID_STEP_M)
    zs = np.arange(GRID_DEPTH_M[0], GRID_DEPTH_M[1] + 1e-9, GRID_STEP_M)
    dense_z = np.linspace(GRID_DEPTH_M[0], GRID_DEPTH_M[1], 200)
    dense_x = np.linspace(-GRID_HALF_WIDTH_M, GRID_HALF_WIDTH_M, 200)
    for x in xs:
        _polyline(out, floor_pixels(np.stack([np.full_like(dense_z, x), dense_z], 1), k, plane), x)
    for z in zs:
        _polyline(out, floor_pixels(np.stack([dense_x, np.full_like(dense_x, z)], 1), k, plane), z)
    scale = max(0.5, h / 900.0)
    for z in np.arange(1.0, GRID_DEPTH_M[1] + 1e-9, 1.0):
        p = floor_pixels(np.array([0.0, z]), k, plane)
        if np.isfinite(p).all() and 0 <= p[0] < w and 0 <= p[1] < h:
            cv2.putText(
                out,
                f"{z:g} m",
                (int(p[0]) + 4, int(p[1]) - 4),
                cv2.FONT_HERSHEY_SIMPLEX,
                0.5 * scale,
                METRE_LINE,
                max(1, round(scale)),
                cv2.LINE_AA,
            )
    if marks is not None:
        for p in np.asarray(marks).reshape(-1, 2):
            if np.isfinite(p).all():
                cv2.circle(
                    out,
                    (round(float(p[0])), round(float(p[1]))),
                    max(2, round(3 * scale)),
                    MARK,
                    -1,
                    cv2.LINE_AA,
                )
    if segments is not None:
        for a, b in np.asarray(segments).reshape(-1, 2, 2):
            if np.isfinite(a).all() and np.isfinite(b).all():
                cv2.line(
                    out,
                    (round(float(a[0])), round(float(a[1]))),
                    (round(float(b[0])), round(float(b[1]))),
                    MARK,
                    1,
                    cv2.LINE_AA,
                )
    _text_box(out, lines, scale)
    return out


def _polyline(out: np.ndarray, px: np.ndarray, value: float) -> None:
    h, w = out.shape[:2]
    ok = np.isfinite(px).all(axis=1) & (np.abs(px) < 4 * max(w, h)).all(axis=1)
    metre = abs(value - round(value)) < 1e-6
    colour, width = (METRE_LINE, 2) if metre else (LINE, 1)
    run: list[np.ndarray] = []
    for p, good in zip(px, ok, strict=True):
        if good:
            run.append(p)
        elif run:
            _draw(out, run, colour, width)
            run = []
    if run:
        _draw(out, run, colour, width)


def _draw(out: np.ndarray, run: list[np.ndarray], colour: tuple[int, int, int], width: int) -> None:
    if len(run) >= 2:
        pts = np.round(np.array(run)).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(out, [pts], False, colour, width, cv2.LINE_AA)


def _text_box(out: np.ndarray, lines: Sequence[str], scale: float) -> None:
    font, size, thick = cv2.FONT_HERSHEY_SIMPLEX, 0.6 * scale, max(1, round(1.4 * scale))
    sizes = [cv2.getTextSize(t, font, size, thick)[0] for t in lines]
    if not sizes:
        return
    line_h = max(s[1] for s in sizes) + int(10 * scale)
    width = max(s[0] for s in sizes) + int(20 * scale)
    box = out[0 : line_h * len(lines) + int(10 * scale), 0:width]
    box[:] = (0.35 * box).astype(out.dtype)
    for i, t in enumerate(lines):
        cv2.putText(
            out, t, (int(10 * scale), line_h * (i + 1)), font, size, TEXT, thick, cv2.LINE_AA
        )
