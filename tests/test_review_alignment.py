"""What the attempt page draws beside and over the trainee, checked where the answer is known:
the technique's own reference, rendered and reviewed as if it were an attempt, must be matched
to itself frame by frame, overlay itself to within a few pixels, and plot the same measures."""

from __future__ import annotations

import numpy as np
import pytest

from coach.bodymodel.reference import render_reference
from coach.review.alignment_view import (
    align_attempt,
    phase_spans,
    reference_alone,
    reference_over_trainee,
)
from coach.review.measures import measures_for
from coach.technique.library import find_technique
from coach.workspace import find_workspace

TOLERANCE = {"deg": 2.0, "T": 0.05}
"""Largest difference between the plotted trainee and reference series (measured: 0.95 deg,
0.027 T; one frame of the warping path may be off by one)."""


@pytest.mark.parametrize("technique_id", ["same_side_wrist_grab", "front_strangle"])
def test_the_reference_reviewed_as_an_attempt_matches_itself(technique_id: str) -> None:
    workspace = find_workspace(None)
    technique = find_technique(workspace, technique_id)
    sequence = render_reference(technique).sequence
    aligned = align_attempt(workspace, sequence, technique, technique.side, None)
    n = len(sequence)
    assert np.max(np.abs(aligned.mapping.ref_index - np.arange(n))) <= 1

    over = reference_over_trainee(aligned, sequence.source_size)
    pixels = np.abs(over - sequence.image[:, :, :2]) * np.asarray(sequence.source_size)
    assert np.nanmax(pixels) < 4.0  # measured 1.9 px at 1280x720

    alone = reference_alone(aligned)
    assert np.nanmin(alone) >= 0.0 and np.nanmax(alone) <= 1.0

    measures = measures_for(aligned, [], float(sequence.t[0]))
    assert {m.unit for m in measures} >= {"deg", "T"}
    for m in measures:
        if m.reference is not None:
            assert np.nanmax(np.abs(m.trainee - m.reference)) <= TOLERANCE[m.unit], m.key

    names = [name for name, _, _ in phase_spans(aligned)]
    assert names == [p.name for p in technique.phases]
