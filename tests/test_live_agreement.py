"""Live and review agree: the live scorer fed frame by frame gives the offline score card, and
its cues during the attempt are backed by that card."""

from __future__ import annotations

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


def test_streaming_and_offline_agree_on_the_evaluation_set() -> None:
    cards_equal = cued = unbacked = total = faults = 0
    for technique in list_techniques(None):
        refs = references_for(technique)
        for fault in [CORRECT, *applicable_faults(technique)]:
            for v in variations(1, seed=3):
                attempt, seq = evaluation_attempt(technique, fault, v)
                t0, scene = attempt.events.t0_s, attempt.scene
                offline = score_sequence(seq, technique, v.side, t0, scene, refs)
                live = LiveScorer(technique.on_side(v.side), scene, refs[v.side], seq.source_size)
                live.start(t0)
                during = []
                for i in range(len(seq)):
                    fb = live.step(seq.t[i], seq.image[i], seq.world[i], seq.visibility[i])
                    if fb.new_cue and fb.cue is not None:
                        during.append(fb.cue.check_kind)
                card = live.finish()
                total += 1
                cards_equal += [(c.label, c.status, c.value) for c in card.criteria] == [
                    (c.label, c.status, c.value) for c in offline.criteria
                ]
                failed = {c.kind for c in offline.failed()}
                unbacked += bool(set(during) - failed)
                if fault != CORRECT:
                    faults += 1
                    cued += bool({c.check_kind for c in live.cue_log} & EXPECTED_FAILURES[fault])
    assert total >= 60
    assert cards_equal == total  # the card shown live is the card review shows
    assert unbacked / total <= 0.1  # a cue during the attempt the final card does not back
    assert cued / faults >= 0.9  # the injected fault was cued (live or on the score card)
