"""Key frames for the evidence pack: the source video's frame at each criterion's evidence
moment (the middle of its evidence range), the trainee's skeleton drawn over it (the partner's
in slate grey), and the criteria judged there with their status, as PNG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from coach.pose.sequence import PoseSequence
from coach.render.overlay import draw_skeleton
from coach.render.overlay_text import GREEN, RED, text_block
from coach.render.partner import draw_partner
from coach.scoring.scorecard import Criterion, ScoreCard
from coach.video.file_source import VideoFileSource


@dataclass(frozen=True)
class KeyFrame:
    """One picture: the frame index, its time, and the criteria whose evidence moment it is."""

    index: int
    t_s: float
    criteria: tuple[Criterion, ...]

    @property
    def file_name(self) -> str:
        return f"keyframe_{self.index:05d}_{self.t_s:.2f}s.png"


def key_frames(card: ScoreCard, pose: PoseSequence) -> list[KeyFrame]:
    """The frames to draw: every decided criterion (Met or Not met) at the frame nearest the
    middle of its evidence range, criteria sharing a frame drawn together."""
    by_frame: dict[int, list[Criterion]] = {}
    for c in card.criteria:
        if not (c.met or c.not_met) or c.kind == "technique_match":
            continue
        moment = 0.5 * (c.t_start + c.t_end)
        index = int(np.argmin(np.abs(pose.t - moment)))
        by_frame.setdefault(index, []).append(c)
    return [KeyFrame(i, float(pose.t[i]), tuple(cs)) for i, cs in sorted(by_frame.items())]


def draw_key_frame(
    image: np.ndarray, frame: KeyFrame, pose: PoseSequence, partner: PoseSequence | None
) -> np.ndarray:
    """The frame with the skeletons and one line per criterion (green Met, red Not met)."""
    out = image.copy()
    i = frame.index
    if partner is not None:
        draw_partner(out, partner.image[i], partner.visibility[i])
    draw_skeleton(out, pose.image[i], pose.visibility[i], None)
    y = 8
    for c in frame.criteria:
        colour = GREEN if c.met else RED
        text = f"{c.status}: {c.label} ({frame.t_s:.2f} s)"
        box = text_block(out, text, 0.8, (12, y), colour, align="left")
        y = box[3] + 4
    return out


def write_key_frames(
    video: Path,
    card: ScoreCard,
    pose: PoseSequence,
    partner: PoseSequence | None,
    folder: Path,
) -> list[Path]:
    """Decode ``video`` once and write a PNG per key frame into ``folder``."""
    wanted = {k.index: k for k in key_frames(card, pose)}
    written: list[Path] = []
    if not wanted:
        return written
    last = max(wanted)
    with VideoFileSource(video) as source:
        for frame in source.frames():
            if frame.index in wanted:
                k = wanted[frame.index]
                path = folder / k.file_name
                if not cv2.imwrite(str(path), draw_key_frame(frame.image, k, pose, partner)):
                    raise OSError(f"could not write {path}")
                written.append(path)
            if frame.index >= last:
                break
    return written
