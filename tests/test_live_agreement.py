"""Live and review agree: the live scorer fed frame by frame gives the offline score card, and
its cues during the attempt are backed by that card."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from coach.scoring.live import LiveScorer
from coach.scoring.offline import references_for, score_sequence
from coach.synth.evaluation import (
    CORRECT,
    EXPECTED_FAILURES,
    applicable_faults,
    evaluation_attempt,
    variations,
)
from coach.technique.library import list_techniques
from coach.technique.model import Technique


def _agreement(technique: Technique) -> tuple[int, int, int, int, int]:
    """(attempts, equal cards, attempts with an unbacked cue, faults, faults cued)."""
    refs = references_for(technique)
    total = equal = unbacked = faults = cued = 0
    for fault in [CORRECT, *applicable_faults(technique)]:
        for v in variations(1, seed=3):
            attempt, seq = evaluation_attempt(technique, fault, v)
            t0, scene = attempt.events.t0_s, attempt.scene
            offline = score_sequence(seq, technique, v.side, t0, scene, refs)
            live = LiveScorer(technique.on_side(v.side), scene, refs[v.side], seq.source_size)
            live.start(t0)
            during = set()
            for i in range(len(seq)):
                fb = live.step(seq.t[i], seq.image[i], seq.world[i], seq.visibility[i])
                if fb.new_cue and fb.cue is not None:
                    during.add(fb.cue.check_kind)
            card = live.finish()
            total += 1
            equal += [(c.label, c.status, c.value) for c in card.criteria] == [
                (c.label, c.status, c.value) for c in offline.criteria
            ]
            unbacked += bool(during - {c.kind for c in offline.failed()})
            if fault != CORRECT:
                faults += 1
                cued += bool({c.check_kind for c in live.cue_log} & EXPECTED_FAILURES[fault])
    return total, equal, unbacked, faults, cued


def test_streaming_and_offline_agree_on_the_evaluation_set() -> None:
    with ProcessPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(_agreement, list_techniques(None)))
    total, equal, unbacked, faults, cued = (sum(column) for column in zip(*parts, strict=True))
    assert total >= 60
    assert equal == total  # the card shown live is the card review shows
    # A cue during the attempt the final card does not back: 1-2 of 64 on each of seeds 3-7
    # under both BLAS kernels (docs/engine.md); 3 of 64 still pass, 4 are a regression.
    assert unbacked / total <= 0.05
    # The injected fault was cued (live or on the score card): 93-100 % on seeds 3-7.
    assert cued / faults >= 0.9
