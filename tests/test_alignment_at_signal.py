"""With a start signal, the technique is not matched long before it: the bundled rendered
attempt (a figure standing 3 s in the ready stance, then a same-side wrist grab at GO = 4.0 s)
through the real pose model. Without the signal's constraint the pull was matched onto the
still wait, 1.3-2.8 s (measured before ``align`` knew the signal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.extract import extract_video
from coach.pose.sequence import PoseSequence
from coach.recording.attempt_folder import read_attempt
from coach.scoring.card_builder import build_scorecard
from coach.scoring.offline import EARLIEST_START_BEFORE_T0_S, best_fit, score_sequence
from coach.session.demo_sample import SAMPLE_DIR, SAMPLE_VIDEO
from coach.technique.library import find_technique

GO_S = 4.0
PULL_S = (4.1, 4.9)
"""When the rendered figure pulls (the timeline's pull phase after the 3 s lead-in)."""


@pytest.fixture(scope="module")
def rendered_pose(tmp_path_factory: pytest.TempPathFactory) -> PoseSequence:
    tmp = tmp_path_factory.mktemp("signal")
    return extract_video(SAMPLE_VIDEO, tmp, out=Path(tmp) / "pose", show_progress=False).pose


@pytest.mark.pose
def test_the_start_phase_begins_near_the_signal(rendered_pose: PoseSequence) -> None:
    tech = find_technique(None, "same_side_wrist_grab")
    fit = best_fit(rendered_pose, tech, "auto", None, GO_S)
    start = tech.phase_index(tech.timing.start_phase)
    pull = tech.phase_index("pull")
    t = fit.f.t
    assert t[fit.mapping.windows[start].start] >= GO_S - EARLIEST_START_BEFORE_T0_S
    pull_window = fit.mapping.windows[pull]
    # the pull window covers the figure's pull, not the wait before GO
    assert t[pull_window.start] >= GO_S - EARLIEST_START_BEFORE_T0_S
    assert t[pull_window.start] < PULL_S[1] and t[pull_window.stop - 1] > PULL_S[0]


def test_the_signal_keeps_the_verdicts_where_only_a_still_phase_moved() -> None:
    """The bundled keypoints of the same attempt (the noise model): the alignment alone starts
    the barely moving wrist turn 1 s before GO, inside the still wait; with the signal it
    starts after it. Every verdict stays as it was, the values within 5 %, and the stance
    held is judged on the whole last second before GO instead of a single frame."""
    pose = read_attempt(SAMPLE_DIR).pose
    tech = find_technique(None, "same_side_wrist_grab")
    start = tech.phase_index(tech.timing.start_phase)
    free = best_fit(pose, tech, "right")
    assert free.f.t[free.mapping.windows[start].start] < GO_S - EARLIEST_START_BEFORE_T0_S
    anchored = best_fit(pose, tech, "right", None, GO_S)
    assert anchored.f.t[anchored.mapping.windows[start].start] >= GO_S - 1e-6
    assert anchored.cost == pytest.approx(free.cost, abs=0.01)
    with_signal = score_sequence(pose, tech, side="right", t0_s=GO_S)
    alone = build_scorecard(free.f, free.reference, free.mapping, free.cost, GO_S,
                            free.reference.scene)
    for a, b in zip(with_signal.criteria[1:], alone.criteria[1:], strict=True):
        assert (a.label, a.status) == (b.label, b.status)
        if a.value is not None and b.value is not None:
            assert a.value == pytest.approx(b.value, rel=0.05, abs=0.02), a.label
    held = [c for c in with_signal.criteria if c.phase == "held"]
    assert held and all(c.t_end - c.t_start >= 0.9 for c in held)
    assert all(c.t_end - c.t_start < 0.1 for c in alone.criteria if c.phase == "held")
