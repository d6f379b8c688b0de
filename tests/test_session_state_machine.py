"""The session flow, frame by frame, without video: states, timings, keys, random GO delay."""

from __future__ import annotations

import numpy as np
import pytest

from coach.session.state_machine import Event, Observation, SessionMachine, State, Timing

FPS = 30.0


def run(machine: SessionMachine, seconds: float, start: float = 0.0, **obs: object) -> list:
    """Feed ``seconds`` of identical observations; returns (t, event) pairs."""
    out = []
    for k in range(round(seconds * FPS)):
        t = start + k / FPS
        fields = {"body_in_view": True, "ready_stance": True, **obs}
        out += [(t, e) for e in machine.step(Observation(t=t, **fields))]  # type: ignore[arg-type]
    return out


def test_full_flow_timing() -> None:
    m = SessionMachine(Timing(ready_hold_s=1.0, countdown_s=3.0, score_show_s=4.0), "left")
    events = run(m, 19.0)
    names = [e for _, e in events]
    assert names[:4] == [
        Event.COUNTDOWN_STARTED, Event.GO, Event.ATTEMPT_ENDED, Event.SCORE_DONE
    ]
    times = {e: t for t, e in events}
    assert times[Event.COUNTDOWN_STARTED] == pytest.approx(1.0, abs=2.01 / FPS)
    assert times[Event.GO] == pytest.approx(4.0, abs=2.01 / FPS)
    assert times[Event.ATTEMPT_ENDED] - times[Event.GO] == pytest.approx(10.0, abs=2.01 / FPS)
    assert m.attempts == 1


def test_coach_done_ends_attempt_and_framing_gates() -> None:
    m = SessionMachine(Timing(), "right")
    assert run(m, 2.0, body_in_view=False) == []
    assert m.state is State.FRAMING
    run(m, 4.5, start=2.0)
    assert m.state is State.ATTEMPT
    ended = run(m, 0.1, start=6.5, coach_done=True)
    assert [e for _, e in ended] == [Event.ATTEMPT_ENDED]
    assert m.state is State.SCORE


def test_exit_side_asked_once() -> None:
    m = SessionMachine(Timing())
    run(m, 1.0)
    assert m.state is State.EXIT_SIDE
    events = m.step(Observation(1.0, True, True, key="l"))
    assert events == [Event.EXIT_SIDE_CHOSEN] and m.exit_side == "left"
    assert m.state is State.READY


def test_stance_flicker_tolerated_but_long_loss_resets() -> None:
    m = SessionMachine(Timing(ready_hold_s=1.0), "left")
    for k in range(40):  # 1 frame in 5 not ready: still counts as held
        m.step(Observation(k / FPS, True, k % 5 != 4))
    assert m.state is State.COUNTDOWN
    m2 = SessionMachine(Timing(ready_hold_s=1.0), "left")
    run(m2, 0.8)
    run(m2, 0.7, start=0.8, ready_stance=False)
    assert m2.ready_since is None and m2.state is State.READY


def test_keys_space_retry_next_mirror_quit() -> None:
    m = SessionMachine(Timing(), "left")
    m.step(Observation(0.0, True, False))
    assert m.step(Observation(0.1, True, False, key=" ")) == [Event.COUNTDOWN_STARTED]
    run(m, 3.2, start=0.2, ready_stance=False)
    assert m.state is State.ATTEMPT
    assert m.step(Observation(3.5, True, True, key="r")) == [
        Event.ATTEMPT_ABORTED, Event.ENTER_FRAMING
    ]
    assert m.step(Observation(3.6, True, True, key="n")) == [
        Event.NEXT_TECHNIQUE, Event.ENTER_FRAMING
    ]
    assert Event.MIRROR_SIDE in m.step(Observation(3.7, True, True, key="m"))
    assert m.step(Observation(3.8, True, True, key="q")) == [Event.QUIT]
    assert m.state is State.QUIT


def test_random_go_delay_within_bounds() -> None:
    delays = []
    for seed in range(20):
        m = SessionMachine(Timing(go_jitter_s=2.0), "left", seed=seed)
        events = dict((e, t) for t, e in run(m, 8.0))
        delays.append(events[Event.GO] - events[Event.COUNTDOWN_STARTED] - 3.0)
    d = np.array(delays)
    assert d.min() >= -1e-9 and d.max() <= 2.0 + 1 / FPS
    assert d.std() > 0.3  # really random, not a constant
