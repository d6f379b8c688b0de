"""The EXIT sign: an arrow at the edge of the picture on the exit's side, never over the trainee.

An escape ends with the trainee at the exit edge, right where a fixed sign would sit. So the
sign has a few places down that edge (under the top row, half-way, above the phase bar) and
takes the first one clear of the person (skeleton, head and ghost, with a margin); if someone
fills that edge from top to bottom, the same places just inside them; when none is clear, the
one that covers least. It is drawn once per size and side and laid on opaque.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from coach.render.overlay_text import CYAN, FONT, scale_for, text_size, thickness_for

SLOTS = (0.115, 0.46, 0.75)
"""Top of each place for the sign, as a share of the frame height, in order of preference."""
BACKGROUND = (16, 16, 16)

Box = tuple[int, int, int, int]
"""(x0, y0, x1, y1) in pixels, exclusive ends."""


@lru_cache(maxsize=8)
def exit_sprite(side: str, width: int, height: int) -> np.ndarray:
    """The sign for a ``width`` x ``height`` frame: "EXIT" and an arrow pointing at ``side``."""
    scale = scale_for(height, 1.2)
    tw, th, _ = text_size("EXIT", scale)
    arrow = width // 9
    pad = max(8, height // 60)
    sprite = np.empty((th + 2 * pad + max(4, height // 90), tw + arrow + 3 * pad, 3), np.uint8)
    sprite[:] = BACKGROUND
    sh, sw = sprite.shape[:2]
    y = sh // 2
    thick = max(4, height // 70)
    if side == "right":
        text_x, tail, tip = pad, tw + 2 * pad, sw - pad
    else:
        text_x, tail, tip = arrow + 2 * pad, arrow + pad, pad
    cv2.putText(sprite, "EXIT", (text_x, y + th // 2), FONT, scale, CYAN, thickness_for(scale),
                cv2.LINE_AA)
    cv2.arrowedLine(sprite, (tail, y), (tip, y), CYAN, thick, cv2.LINE_AA, tipLength=0.4)
    sprite.setflags(write=False)
    return sprite


def exit_box(side: str, width: int, height: int, person: Box | None) -> Box:
    """Where the sign goes: against the ``side`` edge in the first place clear of ``person``;
    failing that (someone tall at that edge), just inside them, still pointing at the exit."""
    sh, sw = exit_sprite(side, width, height).shape[:2]
    margin = width // 40
    edge = width - margin - sw if side == "right" else margin
    places = [edge]
    if person is not None:
        inside = person[0] - margin - sw if side == "right" else person[2] + margin
        places.append(min(max(inside, margin), width - margin - sw))
    boxes = [(x, int(f * height), x + sw, int(f * height) + sh) for x in places for f in SLOTS]
    if person is None:
        return boxes[0]
    return min(boxes, key=lambda box: _overlap(box, person))  # the first of equals wins


def draw_exit_sign(frame: np.ndarray, side: str, person: Box | None) -> Box:
    """Lay the sign on ``frame`` (in place); returns its box."""
    h, w = frame.shape[:2]
    sprite = exit_sprite(side, w, h)
    box = exit_box(side, w, h, person)
    x0, y0, x1, y1 = box
    frame[y0:y1, x0:x1] = sprite
    return box


def around(boxes: list[Box | None], pad: int) -> Box | None:
    """The box around every box given (None ones ignored), grown by ``pad`` on each side."""
    given = [b for b in boxes if b is not None]
    if not given:
        return None
    return (min(b[0] for b in given) - pad, min(b[1] for b in given) - pad,
            max(b[2] for b in given) + pad, max(b[3] for b in given) + pad)


def _overlap(a: Box, b: Box) -> int:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)
