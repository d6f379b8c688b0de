"""How the pose model's landmarks on a rendered attempt differ from what was drawn.

Per frame: was a person found, was it the partner (the landmarks lie nearer the partner's drawn
joints than the trainee's), were left and right swapped (the body's paired joints fit the
truth clearly better, by half, with left and right exchanged). Per joint and frame on the
trainee: image error in torso lengths, world error in metres, residuals (estimate - truth) in
pixels and metres for the noise model, and whether the model dropped a joint it should see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from coach.pose.landmarks import LANDMARK_NAMES, index_of
from coach.pose.sequence import PoseSequence

PAIRS: Final[tuple[tuple[int, int], ...]] = tuple(
    (index_of(f"left_{j}"), index_of(f"right_{j}"))
    for j in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
)
BODY: Final[tuple[int, ...]] = tuple(i for pair in PAIRS for i in pair)
VISIBLE: Final[float] = 0.5


@dataclass(frozen=True)
class PoseErrors:
    """found, on_partner, swapped: (T,) bool. image_err (T, 33) torso lengths, world_err (T, 33)
    metres, NaN where not compared (no person, the partner, joint outside the frame).
    image_res (T, 33, 2) pixels and world_res (T, 33, 3) metres: estimate - truth, NaN alike.
    dropped (T, 33): a joint inside the frame the model gave visibility < 0.5.
    truth_step (T, 33): pixels the drawn joint moved since the previous frame (NaN first)."""

    found: np.ndarray
    on_partner: np.ndarray
    swapped: np.ndarray
    image_err: np.ndarray
    world_err: np.ndarray
    image_res: np.ndarray
    world_res: np.ndarray
    dropped: np.ndarray
    fps: float
    truth_step: np.ndarray


def _torso_px(image: np.ndarray, size: np.ndarray) -> np.ndarray:
    sh = 0.5 * (image[:, index_of("left_shoulder")] + image[:, index_of("right_shoulder")])
    hip = 0.5 * (image[:, index_of("left_hip")] + image[:, index_of("right_hip")])
    return np.linalg.norm((sh - hip)[:, :2] * size, axis=1)


def _swap_cost(est: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T,) summed pixel distance of the paired joints as they are and with sides exchanged."""
    straight = np.zeros(len(est))
    crossed = np.zeros(len(est))
    for left, right in PAIRS:
        straight += np.linalg.norm(est[:, left] - truth[:, left], axis=1)
        straight += np.linalg.norm(est[:, right] - truth[:, right], axis=1)
        crossed += np.linalg.norm(est[:, left] - truth[:, right], axis=1)
        crossed += np.linalg.norm(est[:, right] - truth[:, left], axis=1)
    return straight, crossed


def pose_errors(pose: PoseSequence, truth: PoseSequence, partner_image: np.ndarray) -> PoseErrors:
    """Compare ``pose`` (the model on the video) with ``truth`` (what was drawn), frame by frame;
    ``partner_image`` (T, 33, 2) is the partner's drawn joints, normalised."""
    n = min(len(pose), len(truth))
    size = np.array(truth.source_size, dtype=np.float64)
    est = pose.image[:n, :, :2] * size
    tru = truth.image[:n, :, :2] * size
    partner = partner_image[:n] * size
    found = np.isfinite(pose.visibility[:n]).any(axis=1)
    body = list(BODY)
    # median over the body joints; NaN (never smaller) in frames without a person
    to_trainee = np.median(np.linalg.norm(est[:, body] - tru[:, body], axis=2), axis=1)
    to_partner = np.median(np.linalg.norm(est[:, body] - partner[:, body], axis=2), axis=1)
    on_partner = found & (to_partner < to_trainee)
    straight, crossed = _swap_cost(est, tru)
    trainee = found & ~on_partner
    swapped = trainee & (crossed < 0.5 * straight)
    inside = (tru > 0).all(axis=2) & (tru < size).all(axis=2)
    compare = trainee[:, None] & inside
    torso = _torso_px(truth.image[:n], size)
    image_res = np.where(compare[..., None], est - tru, np.nan)
    image_err = np.linalg.norm(image_res, axis=2) / torso[:, None]
    world_res = np.where(compare[..., None], pose.world[:n] - truth.world[:n], np.nan)
    world_err = np.linalg.norm(world_res, axis=2)
    dropped = compare & (pose.visibility[:n] < VISIBLE)
    step = np.full(tru.shape[:2], np.nan)
    step[1:] = np.linalg.norm(np.diff(tru, axis=0), axis=2)
    return PoseErrors(
        found,
        on_partner,
        swapped,
        image_err,
        world_err,
        image_res,
        world_res,
        dropped,
        truth.fps,
        step,
    )


def joint_table(errors: list[PoseErrors]) -> list[tuple[str, float, float, float, float]]:
    """Per body joint: (name, image error median and p90 in torso lengths, world error median
    and p90 in cm), over every compared frame of ``errors``."""
    image = np.concatenate([e.image_err for e in errors])
    world = np.concatenate([e.world_err for e in errors])
    rows = []
    for j in range(11, len(LANDMARK_NAMES)):
        im, wo = image[:, j], world[:, j]
        im, wo = im[np.isfinite(im)], wo[np.isfinite(wo)]
        if len(im) == 0:
            continue
        rows.append(
            (
                LANDMARK_NAMES[j],
                float(np.median(im)),
                float(np.percentile(im, 90)),
                100 * float(np.median(wo)) if len(wo) else float("nan"),
                100 * float(np.percentile(wo, 90)) if len(wo) else float("nan"),
            )
        )
    return rows


@dataclass(frozen=True)
class ViewRates:
    """Shares of frames over a set of attempts (see the module docstring)."""

    frames: int
    no_person: float
    on_partner: float
    swapped: float
    joint_dropout: float
    image_err_median: float
    world_err_median_cm: float


def view_rates(errors: list[PoseErrors]) -> ViewRates:
    found = np.concatenate([e.found for e in errors])
    partner = np.concatenate([e.on_partner for e in errors])
    swapped = np.concatenate([e.swapped for e in errors])
    trainee = found & ~partner
    dropped = np.concatenate([e.dropped for e in errors])
    image = np.concatenate([e.image_err for e in errors])[:, list(BODY)]
    world = np.concatenate([e.world_err for e in errors])[:, list(BODY)]
    compared = np.isfinite(image)
    return ViewRates(
        frames=len(found),
        no_person=float(1 - found.mean()),
        on_partner=float(partner.mean()),
        swapped=float(swapped[trainee].mean()) if trainee.any() else float("nan"),
        joint_dropout=float(dropped[:, list(BODY)].sum() / max(compared.sum(), 1)),
        image_err_median=float(np.nanmedian(image)) if compared.any() else float("nan"),
        world_err_median_cm=100 * float(np.nanmedian(world)) if compared.any() else float("nan"),
    )
