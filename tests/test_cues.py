"""The cue selector: one cue at a time, safety first, and each text said once per attempt."""

from __future__ import annotations

from coach.analysis.checks.base import CheckResult, Status
from coach.scoring.cues import CueSelector


def failed(kind: str, label: str, role: str = "coaching", t_end: float = 1.0) -> CheckResult:
    return CheckResult(kind, label, role, Status.NOT_MET, 0.0, ">= 1", "T", 0.0, t_end)


def offer_every_frame(selector: CueSelector, checks: list[CheckResult], seconds: float) -> list:
    raised = []
    for k in range(round(seconds * 30)):
        cue, new = selector.offer(k / 30.0, checks)
        if new and cue is not None:
            raised.append((round(cue.t, 3), cue.text))
    return raised


def test_a_failed_check_is_said_once_in_an_attempt() -> None:
    selector = CueSelector()
    step = failed("step", "Step back after the release", "outcome")
    raised = offer_every_frame(selector, [step], 20.0)  # twice the hard-fail time
    assert raised == [(0.0, "Step back toward the exit")]
    assert [c.text for c in selector.log] == ["Step back toward the exit"]


def test_two_checks_with_the_same_text_are_said_once() -> None:
    selector = CueSelector()
    guards = [failed("guard", "Guard up (release)"), failed("guard", "Guard up again")]
    assert offer_every_frame(selector, guards, 10.0) == [(0.0, "Hands up in front of you")]


def test_safety_first_then_the_rest_after_the_gap() -> None:
    selector = CueSelector()
    checks = [failed("guard", "Guard up"), failed("keep_facing", "Keep facing the threat")]
    raised = offer_every_frame(selector, checks, 10.0)
    # the safety cue first; the next waits until the first has been up for min_show_s
    assert raised == [(0.0, "Keep facing them"), (2.0, "Hands up in front of you")]


def test_score_card_cues_skip_what_was_said() -> None:
    selector = CueSelector()
    offer_every_frame(selector, [failed("guard", "Guard up")], 1.0)
    card = [
        failed("guard", "Guard up again"),
        failed("step", "Step back after the release", "outcome"),
        failed("step", "Step back far enough", "outcome"),
    ]
    added = selector.log_remaining(9.0, card)
    assert [c.text for c in added] == ["Step back toward the exit"]
    texts = [c.text for c in selector.log]
    assert texts == ["Hands up in front of you", "Step back toward the exit"]
