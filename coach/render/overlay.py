"""The live overlay: what the trainee sees on the laptop screen, drawn onto the camera picture.

The trainee's skeleton with every limb coloured by its deviation from the aligned reference
(green inside the tolerance, amber up to twice it, red beyond, grey unknown); the reference as
a ghost skeleton fitted to the trainee; the technique and state on top; the current phase and a
phase bar at the bottom; the active cue in large text; a timer from GO; the exit direction as
an arrow at the edge of the picture; a flash on GO; the score card after an attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from coach.pose.landmarks import SKELETON_EDGES, index_of
from coach.render.overlay_text import (
    AMBER,
    CYAN,
    GREEN,
    GREY,
    RED,
    WHITE,
    darken,
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
_HEAD = (index_of("nose"), index_of("left_shoulder"), index_of("right_shoulder"))
_LIMB_JOINTS = tuple(sorted({j for edge in LIMB_EDGES for j in edge}))


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


def draw_skeleton(
    frame: np.ndarray,
    landmarks: np.ndarray,
    visibility: np.ndarray | None,
    deviation: np.ndarray | None,
    ghost: bool = False,
) -> None:
    """Bones between visible joints; colour by the worse of the two joints' deviations."""
    h, w = frame.shape[:2]
    xy = np.nan_to_num(np.asarray(landmarks, dtype=np.float64)[:, :2], nan=-1e4)
    pts = (xy * (w, h)).astype(np.int32)
    vis = (
        np.ones(len(pts), dtype=bool)
        if visibility is None
        else np.nan_to_num(np.asarray(visibility, dtype=np.float64), nan=0.0) >= VISIBLE
    )
    vis &= (xy > -1.0).all(axis=1) & (xy < 2.0).all(axis=1)
    thick = max(2, round(h / 720 * (3 if ghost else 6)))
    dev = None if deviation is None else np.asarray(deviation, dtype=np.float64)
    for a, b in LIMB_EDGES:
        if not (vis[a] and vis[b]):
            continue
        if ghost:
            colour = GHOST
        elif dev is None:
            colour = WHITE
        else:
            pair = dev[[a, b]]
            colour = deviation_colour(float(np.nanmax(pair)) if np.isfinite(pair).any() else np.nan)
        cv2.line(frame, tuple(pts[a]), tuple(pts[b]), colour, thick, cv2.LINE_AA)
    nose, ls, rs = _HEAD
    if vis[nose] and vis[ls] and vis[rs]:  # the head as one circle, sized by the shoulders
        radius = max(4, int(0.3 * np.hypot(*(pts[ls] - pts[rs]))))
        cv2.circle(frame, tuple(pts[nose]), radius, GHOST if ghost else WHITE, max(2, thick // 2))
    if not ghost:
        for k in _LIMB_JOINTS:
            if vis[k]:
                cv2.circle(frame, tuple(pts[k]), thick, WHITE, -1, cv2.LINE_AA)


def draw_phase_bar(frame: np.ndarray, names: tuple[str, ...], index: int, progress: float) -> None:
    """Equal segments per phase along the bottom; done phases filled, the current one lit."""
    h, w = frame.shape[:2]
    bar_h = max(24, h // 16)
    y0 = h - bar_h - max(8, h // 60)
    x0, x1 = w // 40, w - w // 40
    darken(frame, x0 - 6, y0 - 6, x1 + 6, y0 + bar_h + 6)
    seg = (x1 - x0) / max(1, len(names))
    scale = scale_for(h, 0.6)
    for i, name in enumerate(names):
        a, b = int(x0 + i * seg) + 2, int(x0 + (i + 1) * seg) - 2
        colour = GREEN if i < index else CYAN if i == index else (70, 70, 70)
        cv2.rectangle(frame, (a, y0), (b, y0 + bar_h), colour, -1 if i <= index else 2)
        label = name.replace("_", " ")
        tw, th, _ = text_size(label, scale)
        if tw < b - a - 6:
            ink = (20, 20, 20) if i <= index else WHITE
            cv2.putText(frame, label, ((a + b - tw) // 2, y0 + (bar_h + th) // 2),
                        TEXT_FONT, scale, ink, thickness_for(scale), cv2.LINE_AA)
    if 0.0 <= progress <= 1.0 and names:
        px = int(x0 + progress * (x1 - x0))
        cv2.line(frame, (px, y0 - 8), (px, y0 + bar_h + 8), WHITE, max(2, h // 240))


def draw_exit_arrow(frame: np.ndarray, side: str) -> None:
    """A big arrow and EXIT at the left or right edge, half-way down."""
    h, w = frame.shape[:2]
    length = w // 10
    y = h // 2
    tip_x = w - w // 40 if side == "right" else w // 40
    tail_x = tip_x - length if side == "right" else tip_x + length
    darken(frame, min(tip_x, tail_x) - 10, y - h // 10, max(tip_x, tail_x) + 10, y + h // 14)
    cv2.arrowedLine(frame, (tail_x, y), (tip_x, y), CYAN, max(3, h // 90), cv2.LINE_AA,
                    tipLength=0.35)
    scale = scale_for(h, 0.9)
    tw, _, _ = text_size("EXIT", scale)
    cv2.putText(frame, "EXIT", ((tip_x + tail_x - tw) // 2, y - h // 30), TEXT_FONT, scale,
                CYAN, thickness_for(scale), cv2.LINE_AA)


def draw_card(frame: np.ndarray, lines: tuple[tuple[str, tuple[int, int, int]], ...]) -> None:
    """The score card: a dark panel in the middle with one line per row."""
    h, w = frame.shape[:2]
    scale = scale_for(h, 0.95)
    line_h = text_size("Ag", scale)[1] + h // 45
    x0, y0 = w // 8, h // 7
    darken(frame, x0, y0, w - w // 8, min(h - h // 6, y0 + line_h * len(lines) + h // 25))
    y = y0 + line_h
    for text, colour in lines:
        cv2.putText(frame, text, (x0 + w // 50, y), TEXT_FONT, scale, colour,
                    thickness_for(scale), cv2.LINE_AA)
        y += line_h


def draw_overlay(frame: np.ndarray, view: OverlayView) -> np.ndarray:
    """Draw ``view`` onto ``frame`` (BGR, modified in place and returned)."""
    h, w = frame.shape[:2]
    if view.flash:
        border = max(12, h // 25)
        frame[:border] = GREEN
        frame[-border:] = GREEN
        frame[:, :border] = GREEN
        frame[:, -border:] = GREEN
    if view.ghost is not None:
        draw_skeleton(frame, view.ghost, None, None, ghost=True)
    if view.landmarks is not None:
        draw_skeleton(frame, view.landmarks, view.visibility, view.deviation)
    if view.header:
        text_block(frame, view.header, 0.8, (w // 40, h // 40), align="left")
    if view.timer_s is not None:
        text_block(frame, f"{view.timer_s:4.1f} s", 1.4, (w - w // 40, h // 40), align="right")
    if view.exit_dir in ("left", "right"):
        draw_exit_arrow(frame, view.exit_dir)
    if view.phase_names:
        draw_phase_bar(frame, view.phase_names, view.phase_index, view.progress)
    if view.card:
        draw_card(frame, view.card)
    if view.banner:
        text_block(frame, view.banner, view.banner_size, (w // 2, int(h * 0.30)),
                   view.banner_colour)
    if view.cue:
        text_block(frame, view.cue, 2.0, (w // 2, int(h * 0.70)), view.cue_colour)
    if view.footer:
        text_block(frame, view.footer, 0.55, (w // 2, h // 40 + int(h * 0.075)), GREY,
                   backing=False)
    return frame
