"""The noise model's parameters, measured from the pose model's errors on rendered attempts.

From the residuals (estimate - drawn truth) of every joint the model was compared on: the
white part is the frame-to-frame scatter (sd of successive differences / sqrt 2); the slow
part is what remains of the spread about the joint's mean residual over the attempt (a
wandering offset); the bias is that mean itself (a joint the model places consistently off
where the body model puts it). World residuals are split into the image plane (x, y) and
depth (z), which the pose model gets worst. Dropouts and swaps are shares of frames.

``still_only`` keeps only stretches where the drawn joint moves under ``STILL_PX`` a frame:
during movement the residual also holds the model's lag and its misreadings of the pose,
which are not measurement noise on a still person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.synth.pose_errors import BODY, PoseErrors

STILL_PX = 1.0
"""A joint moving under this many pixels a frame (30 px/s at 30 fps) counts as still."""


@dataclass(frozen=True)
class NoiseEstimate:
    """Measured noise (pixels at 1280x720, metres), medians over body joints and attempts."""

    image_white_px: float
    image_slow_px: float
    image_bias_px: float
    world_white_m: float
    world_slow_m: float
    depth_white_m: float
    depth_slow_m: float
    depth_bias_m: float
    frame_dropout: float
    joint_dropout: float
    swap_share: float
    swap_episode_s: float
    attempts: int


def _parts(res: np.ndarray) -> tuple[float, float, float] | None:
    """(white sd, slow sd, |mean|) of one joint's residual series (T, D), per axis pooled."""
    ok = np.isfinite(res).all(axis=1)
    if ok.sum() < 10:
        return None
    steps = np.diff(res, axis=0)[ok[1:] & ok[:-1]]
    if len(steps) < 5:
        return None
    white = float(np.sqrt(np.mean(steps**2) / 2))
    centred = res[ok] - res[ok].mean(axis=0)
    total = float(np.sqrt(np.mean(centred**2)))
    slow = float(np.sqrt(max(total**2 - white**2, 0.0)))
    return white, slow, float(np.linalg.norm(res[ok].mean(axis=0)) / np.sqrt(res.shape[1]))


def _median_parts(series: list[np.ndarray]) -> tuple[float, float, float]:
    got = [p for p in (_parts(s) for s in series) if p is not None]
    if not got:
        return float("nan"), float("nan"), float("nan")
    arr = np.array(got)
    return tuple(float(x) for x in np.median(arr, axis=0))  # type: ignore[return-value]


def _episodes(flags: np.ndarray) -> list[int]:
    """Lengths of the runs of True in ``flags``."""
    padded = np.concatenate([[False], flags, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(edges[1::2] - edges[::2])


def estimate_noise(errors: list[PoseErrors], still_only: bool = False) -> NoiseEstimate:
    """The noise figures over ``errors`` (attempts at any placement; use the camera range the
    model should describe); on still joints only if ``still_only``."""
    image, world, depth = [], [], []
    for e in errors:
        for j in BODY:
            keep = e.truth_step[:, j] < STILL_PX if still_only else np.ones(len(e.found), bool)
            keep = keep[:, None]
            image.append(np.where(keep, e.image_res[:, j, :], np.nan))
            world.append(np.where(keep, e.world_res[:, j, :2], np.nan))
            depth.append(np.where(keep, e.world_res[:, j, 2:], np.nan))
    iw, isl, ib = _median_parts(image)
    ww, wsl, _ = _median_parts(world)
    dw, dsl, db = _median_parts(depth)
    found = np.concatenate([e.found for e in errors])
    trainee = np.concatenate([e.found & ~e.on_partner for e in errors])
    swapped = np.concatenate([e.swapped for e in errors])
    compared = sum(int(np.isfinite(e.image_err[:, list(BODY)]).sum()) for e in errors)
    dropped = sum(int(e.dropped[:, list(BODY)].sum()) for e in errors)
    runs = [n / e.fps for e in errors for n in _episodes(e.swapped)]
    return NoiseEstimate(
        image_white_px=iw,
        image_slow_px=isl,
        image_bias_px=ib,
        world_white_m=ww,
        world_slow_m=wsl,
        depth_white_m=dw,
        depth_slow_m=dsl,
        depth_bias_m=db,
        frame_dropout=float(1 - found.mean()),
        joint_dropout=dropped / max(compared, 1),
        swap_share=float(swapped[trainee].mean()) if trainee.any() else float("nan"),
        swap_episode_s=float(np.mean(runs)) if runs else 0.0,
        attempts=len(errors),
    )
