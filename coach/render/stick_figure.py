"""Draw a PoseSequence frame as a stick figure with a caption (OpenCV; render layer only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from coach.pose.landmarks import SKELETON_EDGES, index_of
from coach.pose.sequence import PoseSequence
from coach.video.sink import BrowserVideoWriter

_LEFT = (60, 160, 255)  # orange (BGR): the person's left side
_RIGHT = (255, 170, 60)  # blue: the person's right side
_MIDDLE = (230, 230, 230)
_VISIBLE = 0.5


def _colour(a: str, b: str) -> tuple[int, int, int]:
    if "left" in a and "left" in b:
        return _LEFT
    if "right" in a and "right" in b:
        return _RIGHT
    return _MIDDLE


def draw_frame(seq: PoseSequence, i: int, size: tuple[int, int], caption: str = "") -> np.ndarray:
    """(h, w, 3) BGR image of frame ``i`` scaled into ``size``; hidden joints are not drawn."""
    w, h = size
    img = np.full((h, w, 3), 24, dtype=np.uint8)
    xy = seq.image[i, :, :2] * np.array([w, h])
    vis = np.nan_to_num(seq.visibility[i], nan=0.0)
    thick = max(2, w // 240)
    for a, b in SKELETON_EDGES:
        ia, ib = index_of(a), index_of(b)
        if vis[ia] >= _VISIBLE and vis[ib] >= _VISIBLE:
            pa = tuple(round(v) for v in xy[ia])
            pb = tuple(round(v) for v in xy[ib])
            cv2.line(img, pa, pb, _colour(a, b), thick, cv2.LINE_AA)
    for k in np.nonzero(vis >= _VISIBLE)[0]:
        cv2.circle(img, tuple(round(v) for v in xy[k]), thick + 1, (255, 255, 255), -1)
    floor_y = round(np.nanmax(xy[vis >= _VISIBLE, 1])) if (vis >= _VISIBLE).any() else h - 1
    cv2.line(img, (0, floor_y + thick), (w - 1, floor_y + thick), (70, 70, 70), 1)
    if caption:
        scale = w / 900.0
        cv2.putText(
            img,
            caption,
            (int(12 * scale + 4), int(34 * scale + 8)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.8 * scale + 0.2,
            (255, 255, 255),
            2,
            cv2.LINE_AA,
        )
    return img


def captions_for(
    t: np.ndarray, spans: Sequence[tuple[float, float]], names: Sequence[str], title: str
) -> list[str]:
    """One caption per frame: title, phase name and time."""
    out = []
    for time in t:
        phase = next(
            (n for (s, e), n in zip(spans, names, strict=True) if s <= time < e), names[-1]
        )
        out.append(f"{title} | {phase} | {time:4.2f} s")
    return out


def write_animation(
    seq: PoseSequence, captions: Sequence[str], path: Path, size: tuple[int, int] = (640, 360)
) -> int:
    """Write the whole sequence as a browser-playable stick-figure video; returns frames."""
    with BrowserVideoWriter(path, seq.fps, size) as out:
        for i in range(len(seq)):
            out.write(draw_frame(seq, i, size, captions[i]))
        return out.frames


def save_png(
    seq: PoseSequence, i: int, path: Path, caption: str, size: tuple[int, int] = (640, 360)
) -> None:
    if not cv2.imwrite(str(path), draw_frame(seq, i, size, caption)):
        raise OSError(f"could not write {path}")
