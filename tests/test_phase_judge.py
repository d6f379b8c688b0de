"""Phase judgements: handed back a fixed number of frames after the phase was left, and the
same on a worker process as inline, so the cues do not depend on where they ran."""

from __future__ import annotations

from coach.scoring.live import LiveScorer
from coach.scoring.offline import references_for
from coach.scoring.phase_judge import LAG_FRAMES, JudgeTask, PhaseJudge, judge_phases, judge_worker
from coach.synth.evaluation import evaluation_attempt, variations
from coach.technique.library import find_technique


def live_cues(technique_id: str, fault: str, executor=None) -> list[tuple[float, str, str]]:
    technique = find_technique(None, technique_id)
    v = variations(1, seed=3)[0]
    attempt, seq = evaluation_attempt(technique, fault, v)
    refs = references_for(technique)
    live = LiveScorer(technique.on_side(v.side), attempt.scene, refs[v.side], seq.source_size,
                      judge_executor=executor)
    live.start(attempt.events.t0_s)
    for i in range(len(seq)):
        live.step(seq.t[i], seq.image[i], seq.world[i], seq.visibility[i])
    live.finish()
    return [(round(c.t, 6), c.text, c.check_kind) for c in live.cue_log]


def test_worker_process_gives_the_inline_cues() -> None:
    cases = [("same_side_wrist_grab", "no_step_back"), ("front_strangle", "no_body_turn")]
    inline = [live_cues(*case) for case in cases]
    with judge_worker() as executor:
        worker = [live_cues(*case, executor=executor) for case in cases]
    assert worker == inline
    assert all(len(cues) >= 1 for cues in inline)
    # a worker that is gone (shut down here; killed, or never started) is not an error
    assert [live_cues(*case, executor=executor) for case in cases] == inline


def test_a_judgement_comes_back_after_the_lag() -> None:
    technique = find_technique(None, "same_side_wrist_grab")
    v = variations(1, seed=3)[0]
    attempt, seq = evaluation_attempt(technique, "hands_down", v)
    ref = references_for(technique)[v.side]
    task = JudgeTask(seq, technique.on_side(v.side), ref, attempt.scene, attempt.events.t0_s,
                     len(ref) - 1, 0, len(technique.phases))
    expected = [r.line() for r in judge_phases(task)]
    assert len(expected) == sum(len(p.checks) for p in technique.phases)  # every phase judged
    assert any(line.startswith("Not met") for line in expected)  # the hands were down
    judge = PhaseJudge()
    judge.submit(100, task)
    for frame in range(100, 100 + LAG_FRAMES):
        assert judge.collect(frame) == []
    assert [r.line() for r in judge.collect(100 + LAG_FRAMES)] == expected
    assert judge.collect(200) == []  # handed back once
    judge.submit(300, task)
    assert [r.line() for r in judge.collect(300, everything=True)] == expected  # attempt over
