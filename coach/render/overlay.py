"""The live overlay: what the trainee sees on the laptop screen, drawn onto the camera picture.

The trainee's skeleton with every limb coloured by its deviation from the aligned reference
(green inside the tolerance, amber up to twice it, red beyond, grey unknown); the reference as
a ghost skeleton fitted to the trainee; the technique and state on top; the current phase and a
phase bar at the bottom; the active cue in large text; a timer from GO; the exit direction as
an arrow at the edge of the picture, clear of the trainee; a flash on GO; the score card after
an attempt.

Cost (it is drawn on every frame, at camera resolution): bones are batched into one
``polylines`` call per colour, the phase bar and the EXIT sign are drawn once per state and
laid on as opaque sprites, text comes from cached sprites (``overlay_text``), and nothing
copies the whole frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np

from coach.pose.landmarks import SKELETON_EDGES, index_of
from coach.render.exit_sign import Box, around, draw_exit_sign
from coach.render.overlay_text import (
    AMBER,
    CYAN,
    GREEN,
    GREY,
    RED,
    WHITE,
    darken,
    drawable,
    scale_for,
    text_block,
    text_size,
    thickness_for,
)
from coach.render.overlay_text import FONT as TEXT_FONT

VISIBLE = 0.5
GHOST = (235, 235, 235)
_DETAIL = ("eye", "ear", "mouth", "pinky", "index", "thumb", "heel")
LIMB_EDGES = tuple(
    (index_of(a), index_of(b))
    for a, b in SKELETON_EDGES
    if not any(part in a or part in b for part in _DETAIL) or "foot_index" in a + b
)
"""Body and limbs only (face and finger detail left out: unreadable from 3 m, and costly)."""
_EDGES = np.array(LIMB_EDGES, dtype=np.intp)
_HEAD = (index_of("nose"), index_of("left_shoulder"), index_of("right_shoulder"))
_LIMB_JOINTS = np.array(sorted({j for edge in LIMB_EDGES for j in edge}), dtype=np.intp)
_BY_DEVIATION = (GREY, GREEN, AMBER, RED)
"""Bone colours in drawing order: the worst on top where bones cross."""
BAR_BACKGROUND = (16, 16, 16)


@dataclass(frozen=True, eq=False)
class OverlayView:
    """Everything drawn on one frame (all optional; an empty view draws only the header)."""

    header: str = ""
    landmarks: np.ndarray | None = None
    """(33, 3) image landmarks, normalised."""
    visibility: np.ndarray | None = None
    deviation: np.ndarray | None = None
    """(33,) tolerance units: < 1 green, 1-2 amber, > 2 red, NaN grey."""
    ghost: np.ndarray | None = None
    """(33, 2) reference pose in normalised image coordinates."""
    phase_names: tuple[str, ...] = ()
    phase_index: int = -1
    progress: float = 0.0
    cue: str = ""
    cue_colour: tuple[int, int, int] = WHITE
    cue_size: float = 2.0
    """The framing step's camera tip is smaller: it names several checks and must stay above
    the phase bar."""
    banner: str = ""
    banner_colour: tuple[int, int, int] = WHITE
    banner_size: float = 2.0
    timer_s: float | None = None
    exit_dir: str | None = None
    """"left" or "right": where the exit is in the picture."""
    flash: bool = False
    card: tuple[tuple[str, tuple[int, int, int]], ...] = ()
    footer: str = "space start   r retry   n next   m mirror   q quit"
    extra: dict[str, str] = field(default_factory=dict)


def deviation_colour(value: float) -> tuple[int, int, int]:
    if not np.isfinite(value):
        return GREY
    return GREEN if value < 1.0 else AMBER if value <= 2.0 else RED


def _deviation_class(worst: np.ndarray) -> np.ndarray:
    """Index into ``_BY_DEVIATION`` per value: 0 unknown, 1 < 1, 2 up to 2, 3 beyond."""
    out = np.zeros(worst.shape, dtype=np.intp)
    known = np.isfinite(worst)
    out[known] = np.where(worst[known] < 1.0, 1, np.where(worst[known] <= 2.0, 2, 3))
    return out


def skeleton_pixels(
    landmarks: np.ndarray, visibility: np.ndarray | None, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """(33, 2) int pixel positions and (33,) whether each joint is drawn (seen, on screen)."""
    w, h = size
    xy = np.asarray(landmarks, dtype=np.float64)[:, :2]
    shown = np.isfinite(xy).all(axis=1)
    xy = np.where(shown[:, None], xy, -1e4)
    shown &= (xy > -1.0).all(axis=1) & (xy < 2.0).all(axis=1)
    if visibility is not None:
        shown &= np.nan_to_num(np.asarray(visibility, dtype=np.float64), nan=0.0) >= VISIBLE
    return (xy * (w, h)).astype(np.int32), shown


def draw_skeleton(
    frame: np.ndarray,
    landmarks: np.ndarray,
    visibility: np.ndarray | None,
    deviation: np.ndarray | None,
    ghost: bool = False,
) -> Box | None:
    """Bones between visible joints; colour by the worse of the two joints' deviations.

    Returns the box around what was drawn (joints and head circle), None if nothing was.
    """
    h, w = frame.shape[:2]
    pts, vis = skeleton_pixels(landmarks, visibility, (w, h))
    thick = max(2, round(h / 720 * (3 if ghost else 6)))
    edges = _EDGES[vis[_EDGES[:, 0]] & vis[_EDGES[:, 1]]]
    bones = pts[edges]  # (E, 2, 2)
    # No anti-aliasing: it doubles the cost of thick lines, and its softer edge cannot be
    # seen from 2-3 m; the colours are what the trainee reads.
    if ghost or deviation is None:
        cv2.polylines(frame, list(bones), False, GHOST if ghost else WHITE, thick, cv2.LINE_8)
    else:
        dev = np.asarray(deviation, dtype=np.float64)[edges]
        worst = np.fmax(dev[:, 0], dev[:, 1])  # NaN only where both joints are unknown
        kind = _deviation_class(worst)
        for k, colour in enumerate(_BY_DEVIATION):
            chosen = bones[kind == k]
            if len(chosen):
                cv2.polylines(frame, list(chosen), False, colour, thick, cv2.LINE_8)
    nose, ls, rs = _HEAD
    radius = 0
    if vis[nose] and vis[ls] and vis[rs]:  # the head as one circle, sized by the shoulders
        radius = max(4, int(0.3 * np.hypot(*(pts[ls] - pts[rs]))))
        cv2.circle(frame, tuple(int(v) for v in pts[nose]), radius, GHOST if ghost else WHITE,
                   max(2, thick // 2))
    if not ghost:  # joints as dots: zero-length lines have round caps, all in one call
        dots = pts[_LIMB_JOINTS[vis[_LIMB_JOINTS]]]
        cv2.polylines(frame, list(np.stack([dots, dots], axis=1)), False, WHITE, 2 * thick,
                      cv2.LINE_8)
    if not vis.any():
        return None
    lo, hi = pts[vis].min(axis=0) - thick, pts[vis].max(axis=0) + thick
    if radius:
        lo = np.minimum(lo, pts[nose] - radius - thick)
        hi = np.maximum(hi, pts[nose] + radius + thick)
    return int(lo[0]), int(lo[1]), int(hi[0]), int(hi[1])


@lru_cache(maxsize=32)
def _phase_bar(
    names: tuple[str, ...], index: int, width: int, height: int
) -> tuple[np.ndarray, int, int]:
    """The bar drawn once per phase: (opaque sprite, its x, its y in the frame)."""
    bar_h = max(24, height // 16)
    y0 = height - bar_h - max(8, height // 60)
    x0, x1 = width // 40, width - width // 40
    sprite = np.empty((bar_h + 12, x1 - x0 + 12, 3), dtype=np.uint8)
    sprite[:] = BAR_BACKGROUND
    seg = (x1 - x0) / max(1, len(names))
    scale = scale_for(height, 0.6)
    for i, name in enumerate(names):
        a, b = int(6 + i * seg) + 2, int(6 + (i + 1) * seg) - 2
        colour = GREEN if i < index else CYAN if i == index else (70, 70, 70)
        cv2.rectangle(sprite, (a, 6), (b, 6 + bar_h), colour, -1 if i <= index else 2)
        label = name.replace("_", " ")
        tw, th, _ = text_size(label, scale)
        if tw < b - a - 6:
            ink = (20, 20, 20) if i <= index else WHITE
            cv2.putText(sprite, label, ((a + b - tw) // 2, 6 + (bar_h + th) // 2),
                        TEXT_FONT, scale, ink, thickness_for(scale), cv2.LINE_AA)
    sprite.setflags(write=False)
    return sprite, x0 - 6, y0 - 6


def draw_phase_bar(frame: np.ndarray, names: tuple[str, ...], index: int, progress: float) -> None:
    """Equal segments per phase along the bottom; done phases filled, the current one lit."""
    h, w = frame.shape[:2]
    sprite, x, y = _phase_bar(names, index, w, h)
    sh, sw = sprite.shape[:2]
    frame[y : y + sh, x : x + sw] = sprite
    if 0.0 <= progress <= 1.0 and names:
        x0, x1 = x + 6, x + sw - 6
        px = int(x0 + progress * (x1 - x0))
        cv2.line(frame, (px, y - 2), (px, y + sh + 2), WHITE, max(2, h // 240))


def draw_card(frame: np.ndarray, lines: tuple[tuple[str, tuple[int, int, int]], ...]) -> None:
    """The score card: a dark panel in the middle with one line per row."""
    h, w = frame.shape[:2]
    scale = scale_for(h, 0.95)
    line_h = text_size("Ag", scale)[1] + h // 45
    x0, y0 = w // 8, h // 7
    darken(frame, x0, y0, w - w // 8, min(h - h // 6, y0 + line_h * len(lines) + h // 25))
    y = y0 + line_h
    for text, colour in lines:
        cv2.putText(frame, drawable(text), (x0 + w // 50, y), TEXT_FONT, scale, colour,
                    thickness_for(scale), cv2.LINE_AA)
        y += line_h


def draw_overlay(frame: np.ndarray, view: OverlayView) -> np.ndarray:
    """Draw ``view`` onto ``frame`` (BGR, modified in place and returned)."""
    h, w = frame.shape[:2]
    if view.flash:  # a thick rectangle on the frame's edge: half of it falls inside
        cv2.rectangle(frame, (0, 0), (w - 1, h - 1), GREEN, 2 * max(12, h // 25))
    drawn: list[Box | None] = []  # where the trainee is: the EXIT sign keeps clear of it
    if view.ghost is not None:
        drawn.append(draw_skeleton(frame, view.ghost, None, None, ghost=True))
    if view.landmarks is not None:
        drawn.append(draw_skeleton(frame, view.landmarks, view.visibility, view.deviation))
    if view.header:
        text_block(frame, view.header, 0.8, (w // 40, h // 40), align="left")
    if view.timer_s is not None:
        text_block(frame, f"{view.timer_s:4.1f} s", 1.4, (w - w // 40, h // 40), align="right")
    if view.exit_dir in ("left", "right"):
        draw_exit_sign(frame, view.exit_dir, around(drawn, max(12, h // 40)))
    if view.phase_names:
        draw_phase_bar(frame, view.phase_names, view.phase_index, view.progress)
    if view.card:
        draw_card(frame, view.card)
    if view.banner:
        text_block(frame, view.banner, view.banner_size, (w // 2, int(h * 0.30)),
                   view.banner_colour)
    if view.cue:
        text_block(frame, view.cue, view.cue_size, (w // 2, int(h * 0.70)), view.cue_colour)
    if view.footer:
        text_block(frame, view.footer, 0.55, (w // 2, h // 40 + int(h * 0.075)), GREY,
                   backing=False)
    return frame

