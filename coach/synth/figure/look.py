"""What a rendered person looks like: build, skin, hair and clothes, drawn at random.

Colours are BGR 0-255 (OpenCV's order). Skin tones span light to dark; clothes are plain
work colours (scrubs, uniforms, casual). ``build`` scales every girth (limbs, torso) but not
the lengths, which come from the body height in the body model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Colour = tuple[float, float, float]

SKIN_TONES: tuple[Colour, ...] = (
    (189, 215, 245),
    (160, 190, 230),
    (128, 165, 210),
    (95, 135, 185),
    (70, 100, 150),
    (50, 70, 105),
)
HAIR_COLOURS: tuple[Colour, ...] = (
    (20, 20, 25),
    (30, 45, 70),
    (50, 80, 120),
    (120, 170, 200),
    (150, 150, 150),
)
TOPS: tuple[Colour, ...] = (
    (170, 110, 40),  # blue shirt
    (140, 160, 60),  # teal scrubs
    (60, 60, 60),  # dark grey
    (200, 200, 200),  # light grey
    (40, 40, 150),  # red
    (60, 130, 60),  # green
    (150, 80, 120),  # purple
    (70, 160, 210),  # mustard
)
BOTTOMS: tuple[Colour, ...] = (
    (45, 35, 30),
    (90, 60, 30),
    (60, 60, 60),
    (120, 130, 140),
    (140, 160, 60),
)
SHOES: tuple[Colour, ...] = ((25, 25, 25), (240, 240, 240), (40, 60, 90))


@dataclass(frozen=True)
class Look:
    """One person's appearance (colours BGR)."""

    build: float = 1.0
    skin: Colour = SKIN_TONES[1]
    hair: Colour = HAIR_COLOURS[1]
    long_hair: bool = False
    top: Colour = TOPS[0]
    long_sleeves: bool = False
    bottom: Colour = BOTTOMS[0]
    shoes: Colour = SHOES[0]

    def __post_init__(self) -> None:
        if not 0.7 <= self.build <= 1.4:
            raise ValueError(f"build: expected 0.7-1.4 (girth factor), got {self.build}")


def _pick(rng: np.random.Generator, options: tuple[Colour, ...]) -> Colour:
    return options[int(rng.integers(len(options)))]


def random_look(rng: np.random.Generator, avoid_top: Colour | None = None) -> Look:
    """A person drawn at random; ``avoid_top`` keeps a partner's shirt unlike the trainee's."""
    tops = tuple(t for t in TOPS if t != avoid_top)
    return Look(
        build=float(rng.uniform(0.85, 1.25)),
        skin=_pick(rng, SKIN_TONES),
        hair=_pick(rng, HAIR_COLOURS),
        long_hair=bool(rng.random() < 0.35),
        top=_pick(rng, tops),
        long_sleeves=bool(rng.random() < 0.5),
        bottom=_pick(rng, BOTTOMS),
        shoes=_pick(rng, SHOES),
    )
