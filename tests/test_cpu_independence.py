"""Verdicts do not depend on the CPU: the alignment's path does not depend on the order in
which its arithmetic runs.

Two laptops sum the same numbers in different orders: another BLAS kernel (AVX2 or AVX-512)
blocks a dot product differently, so costs differ in their last bits. Where the reference
holds still, many alignments cost (nearly) the same and those last bits picked the path, so
phase edges, release times and live cues differed between an AVX2 and an AVX-512 machine.
Summing the features in another order is the same kind of change, and one a test can make
on any machine: on the evaluation attempts it moved 9 of 48 offline paths before costs were
put on an exact grid (``alignment/cost.py``), and must move none. ``bench/decisions.py``
compares every decision between two BLAS kernels over the whole quality and live sets.
"""

from __future__ import annotations

import numpy as np

from coach.analysis.alignment import StreamingAligner, dtw
from coach.analysis.alignment_features import alignment_features
from coach.analysis.features import Features
from coach.pose.filters import smooth_offline
from coach.scoring.offline import references_for, sakoe_chiba_band
from coach.synth.evaluation import CORRECT, applicable_faults, evaluation_attempt, variations
from coach.technique.library import list_techniques


def _attempt_features() -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """(attempt features, reference features, reference phases, reference times) per attempt:
    every technique, correct and its first faults, both sides."""
    out = []
    for technique in list_techniques(None):
        refs = references_for(technique)
        for fault in [CORRECT, *applicable_faults(technique)][:4]:
            for v in variations(2, seed=5):
                _, seq = evaluation_attempt(technique, fault, v)
                x = alignment_features(Features.from_sequence(smooth_offline(seq)))
                ref = refs[v.side]
                out.append((x, ref.features, ref.phase_of_frame, ref.t))
    return out


def test_offline_and_live_paths_do_not_depend_on_the_order_of_the_sums() -> None:
    attempts = _attempt_features()
    assert len(attempts) >= 40
    perm = np.random.default_rng(0).permutation(attempts[0][0].shape[1])
    moved_offline = moved_live = 0
    for x, y, phases, ref_t in attempts:
        band = sakoe_chiba_band(len(x), len(y))
        a, b = dtw(x, y, band=band), dtw(x[:, perm], y[:, perm], band=band)
        moved_offline += int(a.path.shape != b.path.shape or np.any(a.path != b.path))
        assert a.distance == b.distance  # exact sums on the cost grid
        live_a = StreamingAligner(y, phases, ref_t)
        live_b = StreamingAligner(y[:, perm], phases, ref_t)
        t = np.arange(len(x)) / 30.0
        moved_live += int(
            any(
                live_a.step(t[i], x[i]).ref_index != live_b.step(t[i], x[i, perm]).ref_index
                for i in range(len(x))
            )
        )
    assert moved_offline == 0
    assert moved_live == 0
