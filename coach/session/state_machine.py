"""The session flow as explicit states and transitions, pure (no video, no clock of its own).

FRAMING (whole body in view) -> EXIT_SIDE (known from the scene profile, or asked once) ->
READY (ready stance held ``ready_hold_s``) -> COUNTDOWN (numbers, then an optional random
delay for reaction drills) -> ATTEMPT (from GO until the coach says done, or ``attempt_max_s``)
-> SCORE (the score card for ``score_show_s``) -> back to FRAMING for the next attempt.

The session feeds one ``Observation`` per frame; ``step`` returns the transitions it made, so
the caller starts the recorder, beeps, finishes the scorer, etc. Keys: space starts the
countdown at once (skipping the stance hold), r retries (back to READY, the attempt so far is
kept as a recording), n next technique, m mirror the side, q quit; l / r answer the exit-side
question.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import Enum


class State(str, Enum):
    FRAMING = "framing"
    EXIT_SIDE = "exit_side"
    READY = "ready"
    COUNTDOWN = "countdown"
    ATTEMPT = "attempt"
    SCORE = "score"
    QUIT = "quit"


class Event(str, Enum):
    """What ``step`` tells the caller to do, besides the new state."""

    ENTER_FRAMING = "enter_framing"
    EXIT_SIDE_CHOSEN = "exit_side_chosen"
    COUNTDOWN_STARTED = "countdown_started"
    GO = "go"
    ATTEMPT_ENDED = "attempt_ended"
    ATTEMPT_ABORTED = "attempt_aborted"
    SCORE_DONE = "score_done"
    NEXT_TECHNIQUE = "next_technique"
    MIRROR_SIDE = "mirror_side"
    QUIT = "quit"


@dataclass(frozen=True)
class Timing:
    """Durations of the flow, seconds. ``go_jitter_s`` > 0 adds a random 0..jitter wait."""

    ready_hold_s: float = 1.0
    countdown_s: float = 3.0
    go_jitter_s: float = 0.0
    attempt_max_s: float = 10.0
    score_show_s: float = 4.0
    framing_grace_s: float = 0.5
    """Body out of view, or stance lost, this long before it counts (pose flicker)."""


@dataclass(frozen=True)
class Observation:
    """One frame as the state machine sees it."""

    t: float
    body_in_view: bool
    ready_stance: bool
    coach_done: bool = False
    key: str | None = None


@dataclass
class SessionMachine:
    """The flow's state; mutate only through ``step``."""

    timing: Timing = field(default_factory=Timing)
    exit_side: str | None = None
    seed: int | None = None
    state: State = State.FRAMING
    entered_t: float = 0.0
    ready_since: float | None = None
    go_t: float | None = None
    attempts: int = 0
    _rng: random.Random = field(init=False, repr=False)
    _last_in_view: float | None = field(default=None, init=False, repr=False)
    _go_at: float = field(default=0.0, init=False, repr=False)
    _last_ready: float | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def countdown_remaining(self, t: float) -> float:
        """Seconds of numbers left in COUNTDOWN (0 during the random wait)."""
        if self.state is not State.COUNTDOWN:
            return 0.0
        return max(0.0, self.timing.countdown_s - (t - self.entered_t))

    def since_go(self, t: float) -> float | None:
        return None if self.go_t is None else t - self.go_t

    def _enter(self, state: State, t: float) -> None:
        self.state = state
        self.entered_t = t

    def step(self, obs: Observation) -> list[Event]:
        """Advance on one frame; returns the transitions made, in order."""
        key = (obs.key or "").lower() or None
        if key == "q":
            self._enter(State.QUIT, obs.t)
            return [Event.QUIT]
        if self.state is State.QUIT:
            return []
        if self.state is State.EXIT_SIDE and key in ("l", "r"):
            self.exit_side = "left" if key == "l" else "right"
            return [Event.EXIT_SIDE_CHOSEN, *self._after_exit_side(obs.t)]
        global_events = self._global_key(key, obs.t)
        if global_events is not None:
            return global_events
        if obs.body_in_view:
            self._last_in_view = obs.t
        handler = {
            State.FRAMING: self._framing,
            State.EXIT_SIDE: lambda o, k: [],
            State.READY: self._ready,
            State.COUNTDOWN: self._countdown,
            State.ATTEMPT: self._attempt,
            State.SCORE: self._score,
        }[self.state]
        return handler(obs, key)

    def _global_key(self, key: str | None, t: float) -> list[Event] | None:
        """n, m and r work in every state: they abort an attempt and go back to the start."""
        if key not in ("n", "m", "r"):
            return None
        events = [Event.ATTEMPT_ABORTED] if self.state in (State.ATTEMPT, State.COUNTDOWN) else []
        if key == "n":
            events.append(Event.NEXT_TECHNIQUE)
        elif key == "m":
            events.append(Event.MIRROR_SIDE)
        self.go_t = None
        self.ready_since = None
        self._enter(State.FRAMING, t)
        return [*events, Event.ENTER_FRAMING]

    def _after_exit_side(self, t: float) -> list[Event]:
        self.ready_since = None
        self._last_ready = None
        self._enter(State.READY, t)
        return []

    def _framing(self, obs: Observation, key: str | None) -> list[Event]:
        if not obs.body_in_view:
            return []
        if self.exit_side is None:
            self._enter(State.EXIT_SIDE, obs.t)
            return []
        return self._after_exit_side(obs.t)

    def _lost_view(self, t: float) -> bool:
        last = self._last_in_view
        return last is None or t - last > self.timing.framing_grace_s

    def _ready(self, obs: Observation, key: str | None) -> list[Event]:
        if self._lost_view(obs.t):
            self._enter(State.FRAMING, obs.t)
            return [Event.ENTER_FRAMING]
        if key == " ":
            return self._start_countdown(obs.t)
        if not obs.ready_stance:
            if self._last_ready is None or obs.t - self._last_ready > self.timing.framing_grace_s:
                self.ready_since = None
            return []
        self._last_ready = obs.t
        if self.ready_since is None:
            self.ready_since = obs.t
        if obs.t - self.ready_since >= self.timing.ready_hold_s:
            return self._start_countdown(obs.t)
        return []

    def _start_countdown(self, t: float) -> list[Event]:
        self._enter(State.COUNTDOWN, t)
        self._go_at = t + self.timing.countdown_s + self._rng.uniform(0, self.timing.go_jitter_s)
        return [Event.COUNTDOWN_STARTED]

    def _countdown(self, obs: Observation, key: str | None) -> list[Event]:
        if obs.t < self._go_at:
            return []
        self.go_t = obs.t
        self.attempts += 1
        self._enter(State.ATTEMPT, obs.t)
        return [Event.GO]

    def _attempt(self, obs: Observation, key: str | None) -> list[Event]:
        assert self.go_t is not None
        if obs.coach_done or obs.t - self.go_t >= self.timing.attempt_max_s:
            self._enter(State.SCORE, obs.t)
            return [Event.ATTEMPT_ENDED]
        return []

    def _score(self, obs: Observation, key: str | None) -> list[Event]:
        if key == " " or obs.t - self.entered_t >= self.timing.score_show_s:
            self.go_t = None
            self.ready_since = None
            self._enter(State.FRAMING, obs.t)
            return [Event.SCORE_DONE, Event.ENTER_FRAMING]
        return []
