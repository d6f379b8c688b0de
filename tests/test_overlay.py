"""The live overlay on real-shaped poses: the EXIT sign never covers the trainee, bones take
their deviation colours, the phase bar lights the current phase."""

from __future__ import annotations

import numpy as np
import pytest

from coach.pose.landmarks import index_of
from coach.recording.attempt_folder import read_attempt
from coach.render.exit_sign import exit_box
from coach.render.overlay import OverlayView, draw_overlay, draw_skeleton
from coach.render.overlay_text import AMBER, CYAN, GREEN, RED
from coach.session.demo_sample import SAMPLE_DIR

W, H = 1280, 720
BACKGROUND = 56


def standing_pose(centre_x: float, top: float, bottom: float) -> np.ndarray:
    """The sample trainee's ready stance, moved and scaled so the head top and feet land at
    ``top`` and ``bottom`` (shares of the height), centred at ``centre_x``."""
    pose = read_attempt(SAMPLE_DIR).pose
    xy = pose.image[10, :, :2].copy()
    lo, hi = np.nanmin(xy[:, 1]), np.nanmax(xy[:, 1])
    scale = (bottom - top) / (hi - lo)
    out = np.zeros((33, 3))
    out[:, 1] = top + (xy[:, 1] - lo) * scale
    out[:, 0] = centre_x + (xy[:, 0] - np.nanmean(xy[:, 0])) * scale * H / W
    return out


def blank() -> np.ndarray:
    return np.full((H, W, 3), BACKGROUND, dtype=np.uint8)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize(
    ("at", "top", "bottom"),
    [(0.5, 0.25, 0.9), (0.88, 0.25, 0.9), (0.88, 0.05, 0.95), (0.75, 0.15, 0.85)],
)
def test_exit_sign_never_paints_over_the_trainee(
    side: str, at: float, top: float, bottom: float
) -> None:
    centre = at if side == "right" else 1.0 - at  # the trainee walks toward the exit
    pose = standing_pose(centre, top, bottom)
    visibility = np.ones(33)
    skeleton = blank()
    draw_skeleton(skeleton, pose, visibility, None)
    trainee = (skeleton != BACKGROUND).any(axis=2)  # bones, joints and the head circle
    assert trainee.sum() > 5000
    without = draw_overlay(blank(), OverlayView(landmarks=pose, visibility=visibility, footer=""))
    with_sign = draw_overlay(
        blank(), OverlayView(landmarks=pose, visibility=visibility, footer="", exit_dir=side)
    )
    sign = (without != with_sign).any(axis=2)
    assert sign.sum() > 5000  # it is there, and big
    assert not (sign & trainee).any()
    cyan = (np.abs(with_sign.astype(int) - CYAN) < 30).all(axis=2)
    xs = np.nonzero(cyan)[1]
    assert xs.size > 1000
    # the arrow's tip is its outermost cyan: on the exit's side of the sign's middle
    tip = xs.max() if side == "right" else xs.min()
    assert (tip - np.median(xs)) * (1 if side == "right" else -1) > 40


def test_exit_sign_prefers_the_top_of_the_exit_edge() -> None:
    box = exit_box("right", W, H, None)
    assert box[2] > W - W // 20 and box[1] < H // 5
    left = exit_box("left", W, H, (900, 150, 1200, 700))  # someone on the other side
    assert left[0] < W // 20 and left[1] < H // 5


def test_bones_take_the_colour_of_their_worse_joint() -> None:
    pose = standing_pose(0.5, 0.2, 0.9)
    deviation = np.full(33, 0.5)  # green everywhere
    deviation[index_of("left_wrist")] = 1.5  # amber forearm
    deviation[index_of("right_knee")] = 3.0  # red thigh and shin
    deviation[index_of("left_ankle")] = np.nan  # unknown: the shin takes the knee's colour
    frame = blank()
    draw_skeleton(frame, pose, np.ones(33), deviation)

    def colour_at(a: str, b: str) -> np.ndarray:
        mid = (pose[index_of(a), :2] + pose[index_of(b), :2]) / 2 * (W, H)
        return frame[round(mid[1]), round(mid[0])].astype(int)

    assert np.abs(colour_at("left_elbow", "left_wrist") - AMBER).max() < 20
    assert np.abs(colour_at("right_hip", "right_knee") - RED).max() < 20
    assert np.abs(colour_at("right_knee", "right_ankle") - RED).max() < 20
    assert np.abs(colour_at("left_knee", "left_ankle") - GREEN).max() < 20
    assert np.abs(colour_at("left_shoulder", "left_elbow") - GREEN).max() < 20


def test_phase_bar_lights_the_current_phase() -> None:
    names = ("held", "turn_wrist", "pull", "step_back", "exit")
    frame = draw_overlay(blank(), OverlayView(phase_names=names, phase_index=2, progress=-1.0))
    row = frame[H - H // 32 - 12, W // 40 : W - W // 40].astype(int)  # through the labels' foot
    seg = row.shape[0] // len(names)
    near = [np.abs(row[k * seg + 10 : k * seg + 20] - colour).max(axis=1).mean()
            for k, colour in enumerate((GREEN, GREEN, CYAN))]
    assert max(near) < 20, near
    assert (row[4 * seg + 10 : 4 * seg + 20] < 40).all()  # a phase to come: not filled
