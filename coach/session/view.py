"""What the overlay shows in each state of the session: state + feedback -> ``OverlayView``."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from coach.render.overlay import OverlayView
from coach.render.overlay_text import AMBER, GREEN, GREY, RED, WHITE
from coach.scoring.live_types import LiveFeedback
from coach.scoring.scorecard import ScoreCard
from coach.session.state_machine import SessionMachine, State
from coach.technique.camera_advice import camera_tip
from coach.technique.model import Technique

GO_SHOW_S = 0.7
EXIT_QUESTION = "Where is the exit? Press L (your left) or R (your right)"
READY_PROMPT = "Ready stance: hands up, feet apart"
TIP_SIZE = 1.2
"""The camera tip's text size (the cue's is 2.0): four check names fit in two lines above the
phase bar at 720p."""


@dataclass(frozen=True, eq=False)
class FrameInfo:
    """The per-frame inputs the view needs besides the machine."""

    t: float
    image: np.ndarray
    visibility: np.ndarray
    framing_hint: str
    ready: bool
    feedback: LiveFeedback | None
    card: ScoreCard | None
    exit_dir: str | None


def _yes_no(value: bool | None) -> tuple[str, tuple[int, int, int]]:
    if value is None:
        return "not assessable", GREY
    return ("yes", GREEN) if value else ("no", RED)


def card_lines(card: ScoreCard) -> tuple[tuple[str, tuple[int, int, int]], ...]:
    """Score card rows for the screen: outcomes, timings, then what to work on."""
    free, free_c = _yes_no(card.broke_free)
    taught, taught_c = _yes_no(card.used_taught_technique)
    tm = card.timings

    def secs(v: float | None) -> str:
        return "-" if v is None else f"{v:.2f} s"

    rows: list[tuple[str, tuple[int, int, int]]] = [
        (f"{card.technique_name} ({card.side})", WHITE),
        (f"Broke free: {free}", free_c),
        (f"Used the taught technique: {taught}", taught_c),
        (f"Reaction {secs(tm.reaction_s)}   release {secs(tm.release_s)}", WHITE),
    ]
    failed = card.failed()
    rows += [(f"Work on: {c.label}", AMBER) for c in failed[:4]]
    met = sum(1 for c in card.criteria if c.met)
    rows.append((f"{met} of {len(card.criteria)} criteria met", GREEN if not failed else WHITE))
    return tuple(rows)


def build_view(
    machine: SessionMachine, tech: Technique, header: str, info: FrameInfo
) -> OverlayView:
    """The overlay for the current state."""
    state = machine.state
    fb = info.feedback
    phases = tuple(p.name for p in tech.phases)
    base = OverlayView(
        header=f"{header} | {state.value.replace('_', ' ')}",
        landmarks=info.image,
        visibility=info.visibility,
        exit_dir=info.exit_dir,
        phase_names=phases,
    )
    if state is State.FRAMING:
        return replace(base, banner=info.framing_hint or "Stand still", banner_colour=AMBER,
                       cue=camera_tip(tech), cue_size=TIP_SIZE)
    if state is State.EXIT_SIDE:
        return replace(base, banner=EXIT_QUESTION, banner_colour=AMBER)
    if state is State.READY:
        held = 0.0 if machine.ready_since is None else info.t - machine.ready_since
        text = f"Hold it... {held:.1f} s" if info.ready else READY_PROMPT
        return replace(base, banner=text, banner_colour=GREEN if info.ready else WHITE,
                       cue=camera_tip(tech), cue_size=TIP_SIZE)
    if state is State.COUNTDOWN:
        left = machine.countdown_remaining(info.t)
        banner = str(int(np.ceil(left))) if left > 0 else "Wait for it..."
        return replace(base, banner=banner, banner_size=6.0 if left > 0 else 2.5,
                           cue=tech.phases[0].cue)
    if state is State.ATTEMPT:
        since = machine.since_go(info.t) or 0.0
        go = since < GO_SHOW_S
        return replace(
            base,
            deviation=fb.joint_deviation if fb is not None else None,
            ghost=fb.ghost_image if fb is not None else None,
            phase_index=fb.phase_index if fb is not None else 0,
            progress=fb.progress if fb is not None else 0.0,
            banner="GO!" if go else "",
            banner_colour=GREEN,
            banner_size=6.0,
            flash=go,
            timer_s=since,
            cue=_cue_text(fb, tech),
            cue_colour=AMBER if fb is not None and fb.cue is not None else WHITE,
        )
    card = card_lines(info.card) if info.card is not None else (("Scoring...", WHITE),)
    return replace(base, landmarks=None, card=card, phase_index=len(phases),
                   progress=1.0, exit_dir=None)  # the card is read, the attempt is over


def _cue_text(fb: LiveFeedback | None, tech: Technique) -> str:
    """The active cue; else the current phase's own cue as taught."""
    if fb is None:
        return ""
    if fb.cue is not None:
        return fb.cue.text
    if 0 <= fb.phase_index < len(tech.phases):
        return tech.phases[fb.phase_index].cue
    return ""
