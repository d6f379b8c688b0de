"""Large, legible overlay text: sizes scaled to the frame height, dark backing boxes, wrapping.

Sizes are chosen for reading from 2-3 m on a laptop screen: at 720 p the cue's capital letters
are about 44 px tall (about 1 cm on a 14-inch screen), the countdown about 150 px.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from anyascii import anyascii

FONT = cv2.FONT_HERSHEY_DUPLEX
WHITE = (255, 255, 255)
GREEN = (80, 200, 80)
AMBER = (0, 180, 255)
RED = (60, 60, 235)
GREY = (150, 150, 150)
CYAN = (230, 200, 60)


def drawable(text: str) -> str:
    """OpenCV's fonts hold ASCII only (anything else is drawn as "?"), so other scripts are
    transliterated for the picture: Zoë -> Zoe, Ольга -> Ol'ga, 李明 -> LiMing. Names stay as
    typed in the recordings."""
    return text if text.isascii() else anyascii(text)


def scale_for(height: int, size: float) -> float:
    """OpenCV font scale for a text ``size`` (1 = body text) on a frame ``height`` px tall."""
    return size * height / 720.0


def thickness_for(scale: float) -> int:
    return max(1, round(scale * 1.6))


def darken(frame: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> None:
    """Quarter the brightness of a box in place: a cheap backing that keeps the picture visible."""
    h, w = frame.shape[:2]
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 > x0 and y1 > y0:
        roi = frame[y0:y1, x0:x1]
        cv2.convertScaleAbs(roi, dst=roi, alpha=0.25)  # a third cheaper than np.right_shift


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


@lru_cache(maxsize=128)
def _sprite(
    text: str, scale: float, colour: tuple[int, int, int], max_width: int, align: str
) -> tuple[np.ndarray, int]:
    """The wrapped text drawn once on black (anti-aliased), and its padding in px."""
    thick = thickness_for(scale)
    lines = wrap(text, scale, max_width)
    sizes = [text_size(line, scale) for line in lines]
    line_h = max((sz[1] for sz in sizes), default=0)
    gap = int(line_h * 0.45)
    pad = int(line_h * 0.35) + 4
    block_w = max((sz[0] for sz in sizes), default=0)
    block_h = len(lines) * line_h + max(0, len(lines) - 1) * gap
    sprite = np.zeros((block_h + 2 * pad, block_w + 2 * pad, 3), dtype=np.uint8)
    y = pad
    for line, (lw, _, _) in zip(lines, sizes, strict=True):
        x = {"center": (block_w - lw) // 2, "left": 0, "right": block_w - lw}[align] + pad
        cv2.putText(sprite, line, (x, y + line_h), FONT, scale, colour, thick, cv2.LINE_AA)
        y += line_h + gap
    sprite.setflags(write=False)
    return sprite, pad


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
    """Draw wrapped text with its top at ``anchor``; returns the box (x0, y0, x1, y1).

    The text is rendered once into a cached sprite and laid on with a per-pixel maximum over
    the darkened backing, which keeps the anti-aliasing and costs a fraction of ``putText``.
    """
    h, w = frame.shape[:2]
    scale = scale_for(h, size)
    sprite, pad = _sprite(drawable(text), scale, colour, max_width or int(w * 0.92), align)
    sh, sw = sprite.shape[:2]
    ax, ay = anchor
    x0 = {"center": ax - sw // 2, "left": ax - pad, "right": ax - sw + pad}[align]
    y0 = ay - pad
    box = (x0, y0, x0 + sw, y0 + sh)
    fx0, fy0, fx1, fy1 = max(0, x0), max(0, y0), min(w, x0 + sw), min(h, y0 + sh)
    if fx1 <= fx0 or fy1 <= fy0:
        return box
    if backing:
        darken(frame, fx0, fy0, fx1, fy1)
    roi = frame[fy0:fy1, fx0:fx1]
    cv2.max(roi, sprite[fy0 - y0 : fy1 - y0, fx0 - x0 : fx1 - x0], dst=roi)
    return box
