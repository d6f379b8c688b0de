"""Large, legible overlay text: sizes scaled to the frame height, dark backing boxes, wrapping.

Sizes are chosen for reading from 2-3 m on a laptop screen: at 720 p the cue's capital letters
are about 44 px tall (about 1 cm on a 14-inch screen), the countdown about 150 px.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

FONT = cv2.FONT_HERSHEY_DUPLEX
WHITE = (255, 255, 255)
GREEN = (80, 200, 80)
AMBER = (0, 180, 255)
RED = (60, 60, 235)
GREY = (150, 150, 150)
CYAN = (230, 200, 60)


def scale_for(height: int, size: float) -> float:
    """OpenCV font scale for a text ``size`` (1 = body text) on a frame ``height`` px tall."""
    return size * height / 720.0


def thickness_for(scale: float) -> int:
    return max(1, round(scale * 1.6))


def darken(frame: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> None:
    """Halve the brightness of a box in place: a cheap backing that keeps the picture visible."""
    h, w = frame.shape[:2]
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 > x0 and y1 > y0:
        roi = frame[y0:y1, x0:x1]
        np.right_shift(roi, 2, out=roi)


@lru_cache(maxsize=256)
def wrap(text: str, scale: float, max_width: int) -> tuple[str, ...]:
    """Words packed into lines no wider than ``max_width`` px at this scale."""
    thick = thickness_for(scale)
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and cv2.getTextSize(trial, FONT, scale, thick)[0][0] > max_width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return tuple(lines)


@lru_cache(maxsize=512)
def text_size(text: str, scale: float) -> tuple[int, int, int]:
    """(width, cap height, baseline) of one line."""
    (w, h), base = cv2.getTextSize(text, FONT, scale, thickness_for(scale))
    return w, h, base


def text_block(
    frame: np.ndarray,
    text: str,
    size: float,
    anchor: tuple[int, int],
    colour: tuple[int, int, int] = WHITE,
    align: str = "center",
    max_width: int | None = None,
    backing: bool = True,
) -> tuple[int, int, int, int]:
    """Draw wrapped text with its top at ``anchor``; returns the box (x0, y0, x1, y1)."""
    h, w = frame.shape[:2]
    scale = scale_for(h, size)
    thick = thickness_for(scale)
    lines = wrap(text, scale, max_width or int(w * 0.92))
    sizes = [text_size(line, scale) for line in lines]
    line_h = max((s[1] for s in sizes), default=0)
    gap = int(line_h * 0.45)
    pad = int(line_h * 0.35) + 4
    block_w = max((s[0] for s in sizes), default=0)
    block_h = len(lines) * line_h + (len(lines) - 1) * gap
    ax, ay = anchor
    x0 = {"center": ax - block_w // 2, "left": ax, "right": ax - block_w}[align]
    box = (x0 - pad, ay - pad, x0 + block_w + pad, ay + block_h + pad)
    if backing:
        darken(frame, *box)
    y = ay
    for line, (lw, _, _) in zip(lines, sizes, strict=True):
        lx = {"center": ax - lw // 2, "left": ax, "right": ax - lw}[align]
        cv2.putText(frame, line, (lx, y + line_h), FONT, scale, colour, thick, cv2.LINE_AA)
        y += line_h + gap
    return box
