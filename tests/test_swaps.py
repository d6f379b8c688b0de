"""Left/right swaps: injected into synthetic attempts (known truth) and on real video, where the
mirror image of the clip must give the mirror of the clip's landmarks once both are repaired."""

from __future__ import annotations

import numpy as np
import pytest

from coach.bodymodel.camera import Camera
from coach.pose.landmarks import LANDMARK_NAMES, MIRROR_PERMUTATION, index_of
from coach.pose.sequence import PoseSequence
from coach.pose.swaps import CausalSwapRepair, repair_swaps
from coach.scoring.offline import score_sequence
from coach.synth.attempts import AttemptSpec, Noise, synthesize_attempt
from coach.technique.library import list_techniques

UPPER = [i for i, n in enumerate(LANDMARK_NAMES) if i < index_of("left_hip")]
LOWER = [i for i, n in enumerate(LANDMARK_NAMES) if i >= index_of("left_hip")]
WRONG_T = 0.25
"""A landmark further than this (torso lengths) from the truth is on the wrong side."""


def _swap(seq: PoseSequence, rows: slice, members: list[int]) -> PoseSequence:
    """``seq`` with the left and right landmarks of ``members`` exchanged in ``rows``."""
    perm = np.arange(len(LANDMARK_NAMES))
    perm[members] = np.array(MIRROR_PERMUTATION)[members]
    image, world, vis = seq.image.copy(), seq.world.copy(), seq.visibility.copy()
    image[rows], world[rows], vis[rows] = (
        image[rows][:, perm],
        world[rows][:, perm],
        vis[rows][:, perm],
    )
    return seq.replace(image=image, world=world, visibility=vis)


def _wrong_frames(seq: PoseSequence, truth: PoseSequence) -> np.ndarray:
    """(T,) bool: frames with a landmark more than WRONG_T from where it truly is."""
    px = np.array(truth.source_size, dtype=np.float64)
    torso = np.nanmedian(
        np.linalg.norm((truth.image[:, 11, :2] - truth.image[:, 23, :2]) * px, axis=1)
    )
    error = np.linalg.norm((seq.image[..., :2] - truth.image[..., :2]) * px, axis=2) / torso
    return np.asarray(np.nan_to_num(error).max(axis=1) > WRONG_T)


def _attempts(fps: float = 30.0) -> list[PoseSequence]:
    """Two noisy attempts of each technique: both sides, speeds 0.5x-2x, camera +-15 deg."""
    rng = np.random.default_rng(11)
    out = []
    for technique in list_techniques(None):
        for k in range(2):
            spec = AttemptSpec(
                height_m=float(rng.uniform(1.5, 2.0)),
                speed=float(np.exp(rng.uniform(np.log(0.5), np.log(2.0)))),
                side=("left", "right")[k],
                camera=Camera(azimuth_deg=float(rng.uniform(-15, 15))),
                noise=Noise.typical(),
                seed=k,
                fps=fps,
            )
            out.append(synthesize_attempt(technique, spec).sequence)
    return out


def _inject(seq: PoseSequence, rng: np.random.Generator) -> tuple[PoseSequence, int]:
    """Swap episodes of 1-12 frames (0.4 s at 30 fps) every 0.5-2 s: the whole body (70 %),
    the upper body alone or the lower body alone; and how many episodes."""
    frames_per_s = 1 / float(np.median(np.diff(seq.t)))
    pos, episodes = int(rng.integers(5, 20)), 0
    while pos < len(seq) - 15:
        length = int(rng.integers(1, 13) * frames_per_s / 30)
        u = rng.random()
        members = UPPER + LOWER if u < 0.7 else (UPPER if u < 0.85 else LOWER)
        seq = _swap(seq, slice(pos, pos + length), members)
        episodes += 1
        pos += length + int(rng.integers(15, 60) * frames_per_s / 30)
    return seq, episodes


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_injected_swaps_are_all_repaired_and_clean_attempts_untouched(fps: float) -> None:
    rng = np.random.default_rng(3)
    episodes = wrong_raw = wrong_after = frames = 0
    for clean in _attempts(fps):
        assert repair_swaps(clean).frames == 0  # real turns and noise are not swaps
        swapped, n = _inject(clean, rng)
        episodes += n
        wrong_raw += int(_wrong_frames(swapped, clean).sum())
        wrong_after += int(_wrong_frames(repair_swaps(swapped).sequence, clean).sum())
        frames += len(clean)
    print(f"{fps:g} fps: {episodes} episodes, {wrong_raw} frames wrong, {wrong_after} after")
    assert episodes >= 40 and wrong_raw >= 200
    assert wrong_after == 0  # measured 0 at 30 and 60 fps


def test_causal_repair_catches_most_swapped_frames_and_leaves_clean_ones() -> None:
    rng = np.random.default_rng(4)
    wrong_raw = wrong_after = 0
    for clean in _attempts():
        live = CausalSwapRepair(clean.source_size)
        for i in range(len(clean)):
            live(clean.t[i], clean.image[i], clean.world[i], clean.visibility[i])
        assert live.frames == 0
        swapped, _ = _inject(clean, rng)
        repaired = _live(swapped)
        wrong_raw += int(_wrong_frames(swapped, clean).sum())
        wrong_after += int(_wrong_frames(repaired, clean).sum())
    print(f"causal: {wrong_raw} frames wrong, {wrong_after} after")
    assert wrong_after <= 0.1 * wrong_raw  # measured 8 of 280 (no look-ahead: a swap the
    # next frames would prove is sometimes taken for the truth for a frame or two)


def _facing_deg(seq: PoseSequence, line: str) -> np.ndarray:
    d = seq.world_joint(f"left_{line}") - seq.world_joint(f"right_{line}")
    return np.degrees(np.arctan2(d[:, 2], d[:, 0]))


def mirror_mismatch(original: PoseSequence, mirrored: PoseSequence) -> np.ndarray:
    """(T,) bool: frames where the mirrored clip's body faces otherwise than the mirror of the
    original's (shoulder or hip line more than 90 deg apart: one of them is swapped), among
    frames where both found the same person."""
    expected = original.mirrored()
    px = np.array(original.source_size, dtype=np.float64)
    mid_hip = [
        (s.image_joint("left_hip") + s.image_joint("right_hip"))[:, :2] / 2 * px
        for s in (expected, mirrored)
    ]
    torso = np.linalg.norm(
        (original.image_joint("left_shoulder") - original.image_joint("left_hip"))[:, :2] * px,
        axis=1,
    )
    same_person = np.linalg.norm(mid_hip[0] - mid_hip[1], axis=1) < torso
    bad = np.zeros(len(original), dtype=bool)
    for line in ("shoulder", "hip"):
        apart = np.abs(
            (_facing_deg(expected, line) - _facing_deg(mirrored, line) + 180) % 360 - 180
        )
        bad |= apart > 90
    return np.where(same_person, bad, False), same_person


@pytest.mark.pose
def test_real_clip_and_its_mirror_agree_once_swaps_are_repaired(
    demo_landmarks: PoseSequence, demo_landmarks_mirrored: PoseSequence
) -> None:
    bad_raw, compared = mirror_mismatch(demo_landmarks, demo_landmarks_mirrored)
    original, mirrored = repair_swaps(demo_landmarks), repair_swaps(demo_landmarks_mirrored)
    bad, _ = mirror_mismatch(original.sequence, mirrored.sequence)
    n = int(compared.sum())
    print(
        f"mirror mismatch: raw {bad_raw.sum()}/{n}, repaired {bad.sum()}/{n}; "
        f"repaired frames {original.frames} and {mirrored.frames}"
    )
    assert n >= 200
    assert bad_raw.sum() >= 0.04 * n  # measured 13 of 213 (6.1 %) swapped on one side only
    assert bad.sum() <= 0.02 * n  # measured 2 of 213 (0.9 %)
    assert 5 <= original.frames <= 20 and 10 <= mirrored.frames <= 30  # measured 9 and 16
    live_bad, _ = mirror_mismatch(_live(demo_landmarks), _live(demo_landmarks_mirrored))
    print(f"live repair: {live_bad.sum()}/{n}")
    # measured 16 of 213 (7.5 %): all in the first 0.5 s of the mirrored clip, whose track
    # starts swapped; with no look-ahead the first labelling seen is taken for the truth
    assert live_bad.sum() <= 0.12 * n
    assert live_bad[compared & (demo_landmarks.t > 1.0)].sum() <= 0.02 * n


def _live(seq: PoseSequence) -> PoseSequence:
    """``seq`` through the live (causal) repair, frame by frame."""
    live = CausalSwapRepair(seq.source_size)
    rows = [live(seq.t[i], seq.image[i], seq.world[i], seq.visibility[i]) for i in range(len(seq))]
    return seq.replace(
        image=np.stack([r[0] for r in rows]),
        world=np.stack([r[1] for r in rows]),
        visibility=np.stack([r[2] for r in rows]),
    )


@pytest.mark.pose
def test_score_card_counts_the_repaired_frames(demo_landmarks_mirrored: PoseSequence) -> None:
    technique = next(t for t in list_techniques(None) if t.id == "front_strangle")
    card = score_sequence(demo_landmarks_mirrored, technique)
    repaired = repair_swaps(demo_landmarks_mirrored).frames
    assert card.swap_repaired_frames == repaired > 0
    assert any(f"repaired in {repaired} of 230 frames" in note for note in card.notes)
    assert card.to_dict()["swap_repaired_frames"] == repaired
